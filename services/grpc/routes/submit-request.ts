import type { ExchangeServiceServer, SubmitRequestRequest, SubmitRequestResponse } from '../../../generated/enlace/v1/exchange.js';
import { attachmentsOf, destinationOfIdempotencyKey, submitRequest } from '../../exchange/index.js';
import { withResolvedAuthority } from '../../registry/index.js';
import type { ApiContext } from '../context.js';
import { requestToProto, viewerOf } from '../convert.js';
import { PERMISSIONS, unary } from '../guard.js';
import { validSubmitRequest } from '../validate.js';
import { validAttachments } from '../validate-attachments.js';
import { validSubmitLinks } from '../validate-links.js';
import { requestLinks } from '../../store/index.js';

export function submitRequestRoute(ctx: ApiContext): Pick<ExchangeServiceServer, 'submitRequest'> {
  return {
    submitRequest: unary<SubmitRequestRequest, SubmitRequestResponse>(ctx, PERMISSIONS.submitRequest, async (req, principal) => {
      const valid = {
        ...validSubmitRequest(req, ctx.exchange.country, ctx.exchange.clock.now()),
        attachments: validAttachments(req.attachments),
        links: validSubmitLinks(req.links),
        by: { subject: principal.subject, roles: principal.roles },
      };
      // No authority named: address the registry's competent contact point (services/registry/address.ts).
      const input = withResolvedAuthority(ctx.registry, valid, (key) => destinationOfIdempotencyKey(ctx.exchange, key));
      const { request, created } = await submitRequest(ctx.exchange, input);
      if (created) ctx.kickRelay();
      const attachments = attachmentsOf(ctx.exchange, request.id);
      return { request: requestToProto(request, viewerOf(ctx, principal), attachments, requestLinks(ctx.exchange.store, request.id)), created };
    }),
  };
}
