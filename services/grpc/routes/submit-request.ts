import type { ExchangeServiceServer, SubmitRequestRequest, SubmitRequestResponse } from '../../../generated/enlace/v1/exchange.js';
import { attachmentsOf, destinationOfIdempotencyKey, submitToSeveral } from '../../exchange/index.js';
import { withResolvedAuthority } from '../../registry/index.js';
import type { ApiContext } from '../context.js';
import { requestToProto, viewerOf } from '../convert.js';
import { PERMISSIONS, unary } from '../guard.js';
import { validSubmitRequest } from '../validate.js';
import { validAttachments } from '../validate-attachments.js';
import { validAlsoTo, validSubmitLinks } from '../validate-links.js';
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
      const also = validAlsoTo(req.alsoToCountries, req.toCountry, req.kind, ctx.exchange.country);
      // No authority named: address the registry's competent contact point (services/registry/address.ts).
      const inputs = [valid, ...also.map((toCountry) => ({ ...valid, toCountry, toAuthority: '' }))].map((input, i) =>
        withResolvedAuthority(ctx.registry, input, (key) => destinationOfIdempotencyKey(ctx.exchange, i === 0 ? key : `${key}/${input.toCountry}`)),
      );
      const { requests, created } = await submitToSeveral(ctx.exchange, inputs);
      if (created) ctx.kickRelay();
      const viewer = viewerOf(ctx, principal);
      const [request, ...rest] = requests.map((r) => requestToProto(r, viewer, attachmentsOf(ctx.exchange, r.id), requestLinks(ctx.exchange.store, r.id)));
      return { request, created, also: rest };
    }),
  };
}
