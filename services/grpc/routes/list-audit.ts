import type { ListAuditRequest, ListAuditResponse, NodeServiceServer } from '../../../generated/enlace/v1/node.js';
import { InvalidArgumentError } from '../../../keys/index.js';
import { auditTrail } from '../../exchange/index.js';
import { REDACTED } from '../../requests/index.js';
import type { ApiContext } from '../context.js';
import { PERMISSIONS, unary } from '../guard.js';
import { validRequestId } from '../validate.js';

/**
 * Actions whose detail a person typed (a legal hold's ground, the reason for erasing a case):
 * free text is case content, and the roles that read the log (auditor, operator) have no
 * content access, so they see that there is one, not what it says. The hash chain is checked on
 * the stored entries, so the verdict is unaffected.
 */
const TYPED_DETAIL = new Set(['legal_hold', 'erase', 'override_restriction']);

export function listAuditRoute(ctx: ApiContext): Pick<NodeServiceServer, 'listAudit'> {
  return {
    listAudit: unary<ListAuditRequest, ListAuditResponse>(ctx, PERMISSIONS.audit, async (req) => {
      if (req.pageSize > 500) throw new InvalidArgumentError('page_size', 'must be at most 500');
      if (req.requestId) validRequestId(req.requestId, 'request_id');
      const trail = auditTrail(ctx.exchange, { ...(req.requestId ? { requestId: req.requestId } : {}), ...(req.beforeSeq ? { beforeSeq: req.beforeSeq } : {}), limit: req.pageSize || 50 });
      return {
        entries: trail.entries.map((e) => ({
          seq: e.seq,
          at: e.at,
          actor: e.actor,
          roles: e.roles,
          action: e.action,
          requestId: e.requestId,
          detail: TYPED_DETAIL.has(e.action) && e.detail !== '' ? REDACTED : e.detail,
          hash: e.hash,
          fields: e.fields,
        })),
        chainIntact: trail.brokenAt === undefined,
        total: trail.total,
      };
    }),
  };
}
