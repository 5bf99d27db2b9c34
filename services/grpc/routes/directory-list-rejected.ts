import type { DirectoryServiceServer, ListRejectedRequest, ListRejectedResponse } from '../../../generated/enlace/v1/directory.js';
import { InvalidArgumentError } from '../../../keys/index.js';
import type { ApiContext } from '../context.js';
import { rejectedToProto } from '../directory-convert.js';
import { PERMISSIONS, unary } from '../guard.js';

export function directoryListRejectedRoute(ctx: ApiContext): Pick<DirectoryServiceServer, 'listRejected'> {
  return {
    listRejected: unary<ListRejectedRequest, ListRejectedResponse>(ctx, PERMISSIONS.directoryAudit, async (req) => {
      if (req.pageSize > 500) throw new InvalidArgumentError('page_size', 'must be at most 500');
      const { records, total } = ctx.registry.rejected(req.pageSize || 50);
      return { records: records.map(rejectedToProto), total };
    }),
  };
}
