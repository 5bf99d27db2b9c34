import type { ExchangeServiceServer, WithdrawConsentRequest, WithdrawConsentResponse } from '../../../generated/enlace/v1/exchange.js';
import { InvalidArgumentError } from '../../../keys/index.js';
import { withdrawConsent } from '../../exchange/index.js';
import type { ApiContext } from '../context.js';
import { requestToProto, viewerOf } from '../convert.js';
import { PERMISSIONS, unary } from '../guard.js';
import { validRequestId } from '../validate.js';

export function withdrawConsentRoute(ctx: ApiContext): Pick<ExchangeServiceServer, 'withdrawConsent'> {
  return {
    withdrawConsent: unary<WithdrawConsentRequest, WithdrawConsentResponse>(ctx, PERMISSIONS.withdrawConsent, async (req, principal) => {
      const id = validRequestId(req.requestId, 'request_id');
      const ground = req.legalGround.trim();
      if (ground !== '' && (ground.length < 3 || ground.length > 500)) {
        throw new InvalidArgumentError('legal_ground', 'must name the legal provision, in 3 to 500 characters (empty erases the data)');
      }
      const request = await withdrawConsent(ctx.exchange, id, ground, principal);
      ctx.logger.info({ request: id, by: principal.subject, kept: ground !== '' }, 'victim consent withdrawn; the other state is asked to erase her identity data');
      return { request: requestToProto(request, viewerOf(ctx, principal)) };
    }),
  };
}
