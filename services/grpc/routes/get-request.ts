import type { ExchangeServiceServer, GetRequestRequest, GetRequestResponse } from '../../../generated/enlace/v1/exchange.js';
import { EnlaceError } from '../../../keys/index.js';
import { recheckSignatures } from '../../exchange/index.js';
import { listAttachments } from '../../store/index.js';
import type { ApiContext } from '../context.js';
import { receiptToProto, requestToProto, stepToProto, timelineToProto } from '../convert.js';
import { auditRead, classesReturned } from '../read-audit.js';
import { PERMISSIONS, unary } from '../guard.js';
import { validRequestId } from '../validate.js';

export function getRequestRoute(ctx: ApiContext): Pick<ExchangeServiceServer, 'getRequest'> {
  return {
    getRequest: unary<GetRequestRequest, GetRequestResponse>(ctx, PERMISSIONS.readRequests, async (req, principal) => {
      const id = validRequestId(req.id);
      const { store } = ctx.exchange;
      if (req.recheckSignatures && store.getRequest(id)) await recheckSignatures(ctx.exchange, id);
      const request = store.getRequest(id);
      if (!request) throw new EnlaceError('ERR_NOT_FOUND', `no request ${id} at this node`);
      const viewer = { roles: principal.roles, now: ctx.exchange.clock.now(), withContent: true };
      const steps = store.transitionsFor(id);
      auditRead(store.audit, { principal, at: viewer.now, action: 'read_content', requestId: id, fields: classesReturned(request, steps, viewer) });
      return {
        request: requestToProto(request, viewer, listAttachments(store, id)),
        steps: steps.map((t) => stepToProto(t, ctx.exchange.country, request.counterpart, viewer)),
        timeline: store.timeline(id).map(timelineToProto),
        receipt: request.direction === 'outbound' ? receiptToProto(request, store.receiptsFor(id)) : undefined,
      };
    }),
  };
}
