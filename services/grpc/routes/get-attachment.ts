import type { ExchangeServiceServer, GetAttachmentRequest, GetAttachmentResponse } from '../../../generated/enlace/v1/exchange.js';
import { EnlaceError } from '../../../keys/index.js';
import { readAttachment } from '../../store/index.js';
import type { ApiContext } from '../context.js';
import { PERMISSIONS, unary } from '../guard.js';
import { validGetAttachment } from '../validate-attachments.js';

export function getAttachmentRoute(ctx: ApiContext): Pick<ExchangeServiceServer, 'getAttachment'> {
  return {
    getAttachment: unary<GetAttachmentRequest, GetAttachmentResponse>(ctx, PERMISSIONS.readContent, async (req, principal) => {
      const { requestId, attachmentId } = validGetAttachment(req);
      const { store, clock } = ctx.exchange;
      const found = readAttachment(store, requestId, attachmentId);
      if (!found) throw new EnlaceError('ERR_NOT_FOUND', `no attachment ${attachmentId} on request ${requestId} at this node`);
      if (found === 'erased') throw new EnlaceError('ERR_NOT_FOUND', `the contents of request ${requestId} were erased at this node`);
      store.audit.append({ at: clock.now(), actor: principal.subject, roles: principal.roles, action: 'read_attachment', requestId, detail: attachmentId });
      return { fileName: found.meta.fileName ?? '', mediaType: found.meta.mediaType, content: found.content };
    }),
  };
}
