import type { ExchangeServiceServer, TransitionRequest, TransitionResponse } from '../../../generated/enlace/v1/exchange.js';
import { requireRequest, transitionRequest } from '../../exchange/index.js';
import type { ApiContext } from '../context.js';
import { requestToProto, viewerOf } from '../convert.js';
import { PERMISSIONS, unary } from '../guard.js';
import { validTransition } from '../validate.js';

export function transitionRoute(ctx: ApiContext): Pick<ExchangeServiceServer, 'transition'> {
  return {
    transition: unary<TransitionRequest, TransitionResponse>(ctx, PERMISSIONS.transition, async (req, principal) => {
      const actorRole = principal.roles.find((r) => PERMISSIONS.transition.includes(r as never)) ?? '';
      const target = requireRequest(ctx.exchange, req.requestId);
      const input = validTransition(req, actorRole, target.kind, ctx.exchange.clock.now());
      const { request, eventId } = await transitionRequest(ctx.exchange, input);
      ctx.kickRelay();
      return { request: requestToProto(request, viewerOf(ctx, principal)), eventId };
    }),
  };
}
