import type { DirectoryServiceServer, ListNodesRequest, ListNodesResponse } from '../../../generated/enlace/v1/directory.js';
import type { ApiContext } from '../context.js';
import { membershipToProto } from '../directory-convert.js';
import { PERMISSIONS, unary } from '../guard.js';

export function directoryListNodesRoute(ctx: ApiContext): Pick<DirectoryServiceServer, 'listNodes'> {
  return {
    listNodes: unary<ListNodesRequest, ListNodesResponse>(ctx, PERMISSIONS.directoryRead, async () => ({
      nodes: ctx.registry.nodes().map(membershipToProto),
    })),
  };
}
