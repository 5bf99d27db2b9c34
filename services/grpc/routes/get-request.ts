import type { ExchangeServiceServer, GetRequestRequest, GetRequestResponse } from '../../../generated/enlace/v1/exchange.js';
import { readCase } from '../../exchange/index.js';
import type { ApiContext } from '../context.js';
import { receiptToProto, requestToProto, stepToProto, timelineToProto, viewerOf } from '../convert.js';
import { auditRead, classesReturned } from '../read-audit.js';
import { PERMISSIONS, unary } from '../guard.js';
import { validRequestId } from '../validate.js';
import { requestLinks } from '../../store/index.js';

export function getRequestRoute(ctx: ApiContext): Pick<ExchangeServiceServer, 'getRequest'> {
  return {
    getRequest: unary<GetRequestRequest, GetRequestResponse>(ctx, PERMISSIONS.readRequests, async (req, principal) => {
      const id = validRequestId(req.id);
      const { request, steps, timeline, receipts, attachments } = await readCase(ctx.exchange, id, { recheck: req.recheckSignatures });
      const viewer = viewerOf(ctx, principal, { withContent: true });
      auditRead(ctx.exchange, { principal, at: viewer.now, action: 'read_content', requestId: id, fields: classesReturned(request, steps, viewer) });
      return {
        request: requestToProto(request, viewer, attachments, requestLinks(ctx.exchange.store, id)),
        steps: steps.map((t) => stepToProto(t, ctx.exchange.country, request.counterpart, viewer)),
        timeline: timeline.map(timelineToProto),
        receipt: request.direction === 'outbound' ? receiptToProto(request, receipts) : undefined,
      };
    }),
  };
}
