import type { ExchangeServiceServer, SubmitRequestRequest, SubmitRequestResponse } from '../../../generated/enlace/v1/exchange.js';
import { submitRequest } from '../../exchange/index.js';
import type { ApiContext } from '../context.js';
import { requestToProto } from '../convert.js';
import { PERMISSIONS, unary } from '../guard.js';
import { validSubmitRequest } from '../validate.js';

export function submitRequestRoute(ctx: ApiContext): Pick<ExchangeServiceServer, 'submitRequest'> {
  return {
    submitRequest: unary<SubmitRequestRequest, SubmitRequestResponse>(ctx, PERMISSIONS.submitRequest, async (req) => {
      const input = validSubmitRequest(req, ctx.exchange.country);
      const { request, created } = await submitRequest(ctx.exchange, input);
      if (created) ctx.kickRelay();
      return { request: requestToProto(request), created };
    }),
  };
}
