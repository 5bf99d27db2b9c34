import type { GetCaseRequest } from '../../../generated/enlace/v1/cases.js';
import type { ExchangeServiceServer, GetCaseResponse } from '../../../generated/enlace/v1/exchange.js';
import { caseFile } from '../../exchange/index.js';
import { requestLinks } from '../../store/index.js';
import type { ApiContext } from '../context.js';
import { caseEventToProto, caseToProto, requestToProto, viewerOf } from '../convert.js';
import { auditListed } from '../read-audit.js';
import { PERMISSIONS, unary } from '../guard.js';
import { validCaseId } from '../validate-links.js';

/** A case with its requests (metadata, as ListRequests) and the timeline across them. */
export function getCaseRoute(ctx: ApiContext): Pick<ExchangeServiceServer, 'getCase'> {
  return {
    getCase: unary<GetCaseRequest, GetCaseResponse>(ctx, PERMISSIONS.readRequests, async (req, principal) => {
      const file = caseFile(ctx.exchange, validCaseId(req.id, 'id'));
      const viewer = viewerOf(ctx, principal);
      auditListed(ctx.exchange, { principal, at: viewer.now, action: 'list_requests', viewer }, file.requests);
      return {
        case: caseToProto(file.case, viewer),
        requests: file.requests.map((r) => requestToProto(r, viewer, [], requestLinks(ctx.exchange.store, r.id))),
        timeline: file.timeline.map(caseEventToProto),
      };
    }),
  };
}
