import type { EraseCaseRequest, EraseCaseResponse, ExchangeServiceServer } from '../../../generated/enlace/v1/exchange.js';
import { InvalidArgumentError } from '../../../keys/index.js';
import { eraseCase } from '../../exchange/index.js';
import type { ApiContext } from '../context.js';
import { requestToProto, viewerOf } from '../convert.js';
import { PERMISSIONS, unary } from '../guard.js';
import { validRequestId } from '../validate.js';

export function eraseCaseRoute(ctx: ApiContext): Pick<ExchangeServiceServer, 'eraseCase'> {
  return {
    eraseCase: unary<EraseCaseRequest, EraseCaseResponse>(ctx, PERMISSIONS.erase, async (req, principal) => {
      const id = validRequestId(req.requestId, 'request_id');
      const reason = req.reason.trim();
      if (reason.length < 3 || reason.length > 500) throw new InvalidArgumentError('reason', 'must say why, in 3 to 500 characters');
      const request = await eraseCase(ctx.exchange, id, reason, principal);
      ctx.logger.info({ request: id, by: principal.subject }, 'case data erased; the other state is asked to erase its copy');
      return { request: requestToProto(request, viewerOf(ctx, principal)) };
    }),
  };
}
