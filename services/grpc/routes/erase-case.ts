import type { EraseCaseRequest, EraseCaseResponse, ExchangeServiceServer } from '../../../generated/enlace/v1/exchange.js';
import { EnlaceError, InvalidArgumentError } from '../../../keys/index.js';
import type { ApiContext } from '../context.js';
import { requestToProto } from '../convert.js';
import { PERMISSIONS, unary } from '../guard.js';
import { validRequestId } from '../validate.js';

export function eraseCaseRoute(ctx: ApiContext): Pick<ExchangeServiceServer, 'eraseCase'> {
  return {
    eraseCase: unary<EraseCaseRequest, EraseCaseResponse>(ctx, PERMISSIONS.erase, async (req, principal) => {
      const id = validRequestId(req.requestId, 'request_id');
      const reason = req.reason.trim();
      if (reason.length < 3 || reason.length > 500) throw new InvalidArgumentError('reason', 'must say why, in 3 to 500 characters');
      const { store, clock, country } = ctx.exchange;
      const now = clock.now();
      const request = store.tx(() => {
        const r = store.getRequest(id);
        if (!r) throw new EnlaceError('ERR_NOT_FOUND', `no request ${id} at this node`);
        if (r.status === 'submitted') throw new EnlaceError('ERR_INVALID_TRANSITION', 'the request is still being delivered; erase it once it is delivered or failed');
        if (!r.erased) {
          store.eraseCase(id, now);
          store.audit.append({ at: now, actor: principal.subject, roles: principal.roles, action: 'erase', requestId: id, detail: reason });
          store.addTimeline(id, 'transition', now, `${country}: case data erased at this node`);
        }
        return store.getRequest(id)!;
      });
      ctx.logger.info({ request: id, by: principal.subject }, 'case data erased');
      return { request: requestToProto(request, { roles: principal.roles, now }) };
    }),
  };
}
