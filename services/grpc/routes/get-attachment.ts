import type { ExchangeServiceServer, GetAttachmentRequest, GetAttachmentResponse } from '../../../generated/enlace/v1/exchange.js';
import { EnlaceError } from '../../../keys/index.js';
import { attachmentOf } from '../../exchange/index.js';
import { FIELD_CLASS_NAMES } from '../../requests/index.js';
import type { ApiContext } from '../context.js';
import { PERMISSIONS, unary } from '../guard.js';
import { auditRead } from '../read-audit.js';
import { validGetAttachment } from '../validate-attachments.js';

export function getAttachmentRoute(ctx: ApiContext): Pick<ExchangeServiceServer, 'getAttachment'> {
  return {
    getAttachment: unary<GetAttachmentRequest, GetAttachmentResponse>(ctx, PERMISSIONS.readContent, async (req, principal) => {
      const { requestId, attachmentId } = validGetAttachment(req);
      const found = attachmentOf(ctx.exchange, requestId, attachmentId);
      if (!found) throw new EnlaceError('ERR_NOT_FOUND', `no attachment ${attachmentId} on request ${requestId} at this node`);
      if (found === 'erased') throw new EnlaceError('ERR_NOT_FOUND', `the contents of request ${requestId} were erased at this node`);
      if (found === 'restricted') {
        throw new EnlaceError('ERR_INVALID_TRANSITION', 'the victim withdrew her consent: her documents are kept restricted under a legal ground and are not shown');
      }
      auditRead(ctx.exchange, { principal, at: ctx.exchange.clock.now(), action: 'read_attachment', requestId, fields: FIELD_CLASS_NAMES, detail: attachmentId });
      return { fileName: found.meta.fileName ?? '', mediaType: found.meta.mediaType, content: found.content };
    }),
  };
}
