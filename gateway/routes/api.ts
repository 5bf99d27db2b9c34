import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { Direction, type Request } from '../../generated/enlace/v1/exchange.js';
import { composeSchema, payloadOf } from '../app/compose.js';
import { directionCode, eventCode, statusCode } from '../app/codes.js';
import { box, getRequest, submit } from '../app/requests.js';
import { principalOf, type GatewayContext } from '../context.js';
import { SCREEN_ROLES } from '../ui/view.js';
import { parseInput } from '../validate.js';
import { bodyOf, requireUser } from '../web.js';
import { boxFilter, requestIdSchema } from './requests.js';

function requestJson(r: Request) {
  return {
    id: r.id,
    direction: directionCode(r.direction),
    from: r.from,
    to: r.to,
    kind: r.kind,
    subject: r.subject,
    status: statusCode(r.status),
    createdAt: Number(r.createdAt),
    updatedAt: Number(r.updatedAt),
    senderReference: r.senderReference,
    failureReason: r.failureReason,
  };
}

/** The JSON API beside the pages: the same checks, the same node calls. */
export function apiRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  app.get('/api/v1/me', async (req) => {
    const user = requireUser(req);
    return { username: user.username, displayName: user.displayName, roles: user.roles, country: ctx.country, lang: req.enlace.lang, csrf: req.enlace.csrf };
  });

  app.get('/api/v1/requests', async (req) => {
    const user = requireUser(req, SCREEN_ROLES.requests);
    const dir = z.object({ box: z.enum(['inbox', 'outbox']).default('inbox') }).parse({ box: (req.query as Record<string, unknown>).box });
    const filter = boxFilter(req);
    const data = await box(ctx, principalOf(user), dir.box === 'inbox' ? Direction.DIRECTION_INBOUND : Direction.DIRECTION_OUTBOUND, filter);
    return { counts: data.counts, requests: data.rows.map((r) => ({ ...requestJson(r.request), unread: r.unread })) };
  });

  app.get('/api/v1/requests/:id', async (req) => {
    const user = requireUser(req, SCREEN_ROLES.requests);
    const { id } = parseInput(requestIdSchema, req.params);
    const res = await getRequest(ctx, principalOf(user), id);
    return {
      request: requestJson(res.request!),
      timeline: res.timeline.map((e) => ({ type: eventCode(e.type), at: Number(e.at), detail: e.detail })),
      receipt: res.receipt
        ? { id: res.receipt.receiptEnvelopeId, signer: res.receipt.signerCountry, keyId: res.receipt.signerKeyId, signatureVerified: res.receipt.signatureVerified, receivedAt: Number(res.receipt.receivedAt), outcome: res.receipt.outcome }
        : null,
    };
  });

  app.post('/api/v1/requests', async (req, reply) => {
    const user = requireUser(req, SCREEN_ROLES.compose);
    const input = parseInput(composeSchema, bodyOf(req));
    const r = await submit(ctx, principalOf(user), {
      toCountry: input.toCountry,
      toAuthority: input.toAuthority,
      kind: input.kind,
      subject: input.subject,
      payload: payloadOf(input),
      payloadType: 'application/json',
      idempotencyKey: input.idem,
      senderReference: input.senderReference,
    });
    return reply.code(201).send({ request: requestJson(r) });
  });
}
