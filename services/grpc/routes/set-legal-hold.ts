import type { ExchangeServiceServer, SetLegalHoldRequest, SetLegalHoldResponse } from '../../../generated/enlace/v1/exchange.js';
import { EnlaceError, InvalidArgumentError } from '../../../keys/index.js';
import { setLegalHold } from '../../store/index.js';
import type { ApiContext } from '../context.js';
import { requestToProto } from '../convert.js';
import { PERMISSIONS, unary } from '../guard.js';
import { validRequestId } from '../validate.js';

export function setLegalHoldRoute(ctx: ApiContext): Pick<ExchangeServiceServer, 'setLegalHold'> {
  return {
    setLegalHold: unary<SetLegalHoldRequest, SetLegalHoldResponse>(ctx, PERMISSIONS.legalHold, async (req, principal) => {
      const id = validRequestId(req.requestId, 'request_id');
      const reason = req.reason.trim();
      if (reason !== '' && (reason.length < 3 || reason.length > 500)) throw new InvalidArgumentError('reason', 'must name the legal ground, in 3 to 500 characters (empty lifts the hold)');
      const { store, clock, country } = ctx.exchange;
      const now = clock.now();
      const request = store.tx(() => {
        const r = store.getRequest(id);
        if (!r) throw new EnlaceError('ERR_NOT_FOUND', `no request ${id} at this node`);
        if (r.erased) throw new EnlaceError('ERR_INVALID_TRANSITION', 'the case was erased at this node; there is nothing left to hold');
        if (r.legalHold === reason) return r;
        setLegalHold(store, id, reason, now);
        store.audit.append({ at: now, actor: principal.subject, roles: principal.roles, action: reason ? 'legal_hold' : 'lift_legal_hold', requestId: id, detail: reason });
        store.addTimeline(id, 'transition', now, reason ? `${country}: legal hold recorded` : `${country}: legal hold lifted`);
        return store.getRequest(id)!;
      });
      return { request: requestToProto(request, { roles: principal.roles, now }) };
    }),
  };
}
