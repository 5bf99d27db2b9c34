import type { ListQuarantineRequest, ListQuarantineResponse, NodeServiceServer } from '../../../generated/enlace/v1/node.js';
import { InvalidArgumentError } from '../../../keys/index.js';
import { quarantined } from '../../exchange/index.js';
import type { ApiContext } from '../context.js';
import { PERMISSIONS, unary } from '../guard.js';

export function listQuarantineRoute(ctx: ApiContext): Pick<NodeServiceServer, 'listQuarantine'> {
  return {
    listQuarantine: unary<ListQuarantineRequest, ListQuarantineResponse>(ctx, PERMISSIONS.quarantine, async (req) => {
      if (req.pageSize > 500) throw new InvalidArgumentError('page_size', 'must be at most 500');
      return {
        messages: quarantined(ctx.exchange, req.pageSize || 50).map((q) => ({
          receivedAt: q.receivedAt,
          code: q.code,
          envelopeId: q.envelopeId,
          from: q.fromAddr,
          kind: q.kind,
          sha256: q.sha256,
          size: q.bytes.byteLength,
          rejectionReceiptId: q.rejectionReceiptId,
        })),
      };
    }),
  };
}
