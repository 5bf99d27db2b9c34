import type { ExchangeServiceServer, ListRequestsRequest, ListRequestsResponse } from '../../../generated/enlace/v1/exchange.js';
import type { ApiContext } from '../context.js';
import { canSeeContent, requestToProto } from '../convert.js';
import { auditListed } from '../read-audit.js';
import { PERMISSIONS, unary } from '../guard.js';
import { validListRequests } from '../validate.js';

export function listRequestsRoute(ctx: ApiContext): Pick<ExchangeServiceServer, 'listRequests'> {
  return {
    listRequests: unary<ListRequestsRequest, ListRequestsResponse>(ctx, PERMISSIONS.readRequests, async (req, principal) => {
      const now = ctx.exchange.clock.now();
      // Free text is case content: only content roles' words are also looked for in subjects.
      const query = { ...validListRequests(req, now), searchContent: canSeeContent({ roles: principal.roles, now }) };
      const { store } = ctx.exchange;
      // One more row than the page tells whether another page follows; the token is the seq
      // of the last row shown, and the next page continues past it in the same order.
      const rows = store.listRequests(query, { ...query, limit: query.limit + 1 });
      const page = rows.slice(0, query.limit);
      const viewer = { roles: principal.roles, now };
      auditListed(store.audit, { principal, at: now, action: 'list_requests', viewer }, page);
      return {
        requests: page.map((r) => requestToProto(r, viewer)),
        nextPageToken: rows.length > query.limit ? String(page.at(-1)!.seq) : '',
        totalCount: store.countRequests(query),
      };
    }),
  };
}
