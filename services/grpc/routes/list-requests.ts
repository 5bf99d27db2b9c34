import type { ExchangeServiceServer, ListRequestsRequest, ListRequestsResponse } from '../../../generated/enlace/v1/exchange.js';
import { listCases } from '../../exchange/index.js';
import type { ApiContext } from '../context.js';
import { canSeeContent, requestToProto, viewerOf } from '../convert.js';
import { auditListed, auditSearched } from '../read-audit.js';
import { PERMISSIONS, unary } from '../guard.js';
import { validListRequests } from '../validate.js';
import { validCaseId, validIds } from '../validate-links.js';
import { requestLinks, textWords } from '../../store/index.js';

export function listRequestsRoute(ctx: ApiContext): Pick<ExchangeServiceServer, 'listRequests'> {
  return {
    listRequests: unary<ListRequestsRequest, ListRequestsResponse>(ctx, PERMISSIONS.readRequests, async (req, principal) => {
      const now = ctx.exchange.clock.now();
      // Free text is case content: only content roles' words are also looked for in subjects.
      const query = {
        ...validListRequests(req, now),
        searchContent: canSeeContent({ roles: principal.roles, now }),
        ...(req.caseId ? { caseId: validCaseId(req.caseId) } : {}),
        ...(req.ids.length ? { ids: validIds(req.ids, 'request') } : {}),
      };
      const { rows, more, total } = listCases(ctx.exchange, query);
      const viewer = { ...viewerOf(ctx, principal), now };
      // A content search decrypted what it matched: each request it shows is audited as such.
      if (query.searchContent && textWords(query.text).length > 0) auditSearched(ctx.exchange, { principal, at: now, viewer }, rows);
      else auditListed(ctx.exchange, { principal, at: now, action: 'list_requests', viewer }, rows);
      return {
        requests: rows.map((r) => requestToProto(r, viewer, [], requestLinks(ctx.exchange.store, r.id))),
        // The token is the seq of the last row shown; the next page continues past it in the same order.
        nextPageToken: more ? String(rows.at(-1)!.seq) : '',
        totalCount: total,
      };
    }),
  };
}
