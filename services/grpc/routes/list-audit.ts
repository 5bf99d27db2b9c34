import type { ListAuditRequest, ListAuditResponse, NodeServiceServer } from '../../../generated/enlace/v1/node.js';
import { InvalidArgumentError } from '../../../keys/index.js';
import { auditTrail } from '../../exchange/index.js';
import type { ApiContext } from '../context.js';
import { PERMISSIONS, unary } from '../guard.js';
import { validRequestId } from '../validate.js';

export function listAuditRoute(ctx: ApiContext): Pick<NodeServiceServer, 'listAudit'> {
  return {
    listAudit: unary<ListAuditRequest, ListAuditResponse>(ctx, PERMISSIONS.audit, async (req) => {
      if (req.pageSize > 500) throw new InvalidArgumentError('page_size', 'must be at most 500');
      if (req.requestId) validRequestId(req.requestId, 'request_id');
      const trail = auditTrail(ctx.exchange, { ...(req.requestId ? { requestId: req.requestId } : {}), ...(req.beforeSeq ? { beforeSeq: req.beforeSeq } : {}), limit: req.pageSize || 50 });
      return {
        entries: trail.entries.map((e) => ({ seq: e.seq, at: e.at, actor: e.actor, roles: e.roles, action: e.action, requestId: e.requestId, detail: e.detail, hash: e.hash, fields: e.fields })),
        chainIntact: trail.brokenAt === undefined,
        total: trail.total,
      };
    }),
  };
}
