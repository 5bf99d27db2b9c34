import type { ExchangeServiceServer, ListRequestsRequest, ListRequestsResponse } from '../../../generated/enlace/v1/exchange.js';
import type { ApiContext } from '../context.js';
import { requestToProto } from '../convert.js';
import { PERMISSIONS, unary } from '../guard.js';
import { validListRequests } from '../validate.js';

export function listRequestsRoute(ctx: ApiContext): Pick<ExchangeServiceServer, 'listRequests'> {
  return {
    listRequests: unary<ListRequestsRequest, ListRequestsResponse>(ctx, PERMISSIONS.readRequests, async (req, principal) => {
      const now = ctx.exchange.clock.now();
      const query = validListRequests(req, now);
      const rows = ctx.exchange.store.listRequests({ ...query, limit: query.limit + 1 });
      const page = rows.slice(0, query.limit);
      return {
        requests: page.map((r) => requestToProto(r, { roles: principal.roles, now })),
        nextPageToken: rows.length > query.limit ? String(page.at(-1)!.seq) : '',
        totalCount: 0,
      };
    }),
  };
}
