import type { ExchangeServiceServer, SetLegalHoldRequest, SetLegalHoldResponse } from '../../../generated/enlace/v1/exchange.js';
import { InvalidArgumentError } from '../../../keys/index.js';
import { holdCase } from '../../exchange/index.js';
import type { ApiContext } from '../context.js';
import { requestToProto, viewerOf } from '../convert.js';
import { PERMISSIONS, unary } from '../guard.js';
import { validRequestId } from '../validate.js';

export function setLegalHoldRoute(ctx: ApiContext): Pick<ExchangeServiceServer, 'setLegalHold'> {
  return {
    setLegalHold: unary<SetLegalHoldRequest, SetLegalHoldResponse>(ctx, PERMISSIONS.legalHold, async (req, principal) => {
      const id = validRequestId(req.requestId, 'request_id');
      const reason = req.reason.trim();
      if (reason !== '' && (reason.length < 3 || reason.length > 500)) throw new InvalidArgumentError('reason', 'must name the legal ground, in 3 to 500 characters (empty lifts the hold)');
      const request = holdCase(ctx.exchange, id, reason, principal);
      return { request: requestToProto(request, viewerOf(ctx, principal)) };
    }),
  };
}
