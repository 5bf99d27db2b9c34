import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { Direction, type Request } from '../../generated/enlace/v1/exchange.js';
import { checkCompose, submissionOf } from '../app/compose.js';
import { destinations, nodeInfo } from '../app/network.js';
import { GatewayError } from '../errors.js';
import { directionCode, eventCode, statusCode } from '../app/codes.js';
import { composeLinksOf, submitAll } from '../app/cases.js';
import { box, getRequest } from '../app/requests.js';
import { principalOf, type GatewayContext } from '../context.js';
import { SCREEN_ROLES } from '../ui/view.js';
import { parseInput } from '../validate.js';
import { handlingLabel } from '../ui/links.js';
import { subjectLine } from '../ui/subject.js';
import type { View } from '../ui/view.js';
import { bodyOf, requireUser, viewOf } from '../web.js';
import { boxFilter, requestIdSchema } from './requests.js';

/** A request as JSON; `subject` is the neutral line (metadata only) for roles the node sends no subject. */
function requestJson(r: Request, v: View) {
  return {
    id: r.id,
    direction: directionCode(r.direction),
    from: r.from,
    to: r.to,
    kind: r.kind,
    subject: subjectLine(v, r),
    subjectWithheld: r.subject === '',
    status: statusCode(r.status),
    createdAt: Number(r.createdAt),
    updatedAt: Number(r.updatedAt),
    senderReference: r.senderReference,
    failureReason: r.failureReason,
    // The case, links and use restrictions (docs/protocol.md §25) go with every copy of the request, so a client's export carries them.
    links: {
      caseId: r.links?.caseId ?? '',
      caseReference: r.links?.caseReference ?? '',
      parentRequestId: r.links?.parentRequestId ?? '',
      childRequestIds: r.links?.childRequestIds ?? [],
    },
    restrictions: (r.links?.handling ?? []).map((code) => ({ code, label: handlingLabel(v, code) })),
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
    return {
      counts: data.counts,
      total: data.matching ?? null,
      older: data.older,
      requests: data.rows.map((r) => ({ ...requestJson(r.request, viewOf(ctx, req)), unread: r.unread })),
    };
  });

  app.get('/api/v1/requests/:id', async (req) => {
    const user = requireUser(req, SCREEN_ROLES.requests);
    const { id } = parseInput(requestIdSchema, req.params);
    const res = await getRequest(ctx, principalOf(user), id);
    return {
      request: requestJson(res.request!, viewOf(ctx, req)),
      timeline: res.timeline.map((e) => ({ type: eventCode(e.type), at: Number(e.at), detail: e.detail, code: e.code, params: e.params })),
      receipt: res.receipt
        ? {
            id: res.receipt.receiptEnvelopeId,
            signer: res.receipt.signerCountry,
            keyId: res.receipt.signerKeyId,
            signatureVerified: res.receipt.signatureVerified,
            receivedAt: Number(res.receipt.receivedAt),
            outcome: res.receipt.outcome,
          }
        : null,
    };
  });

  app.post('/api/v1/requests', async (req, reply) => {
    const user = requireUser(req, SCREEN_ROLES.compose);
    const p = principalOf(user);
    const body = bodyOf(req);
    const dests = destinations(await nodeInfo(ctx, p));
    const check = checkCompose(body, dests, req.enlace.lang, ctx.now());
    const missing = (check.typed?.missing ?? []).filter((m) => m.required).map((m) => ({ field: m.field || m.path, key: 'v.required' }));
    if (!check.input || !check.typed || missing.length) throw new GatewayError('ERR_INVALID_ARGUMENT', 'v.summary', { problems: [...check.problems, ...missing] });
    const linked = composeLinksOf(body, dests);
    if (linked.problems.length) throw new GatewayError('ERR_INVALID_ARGUMENT', 'v.summary', { problems: linked.problems });
    const { input, typed } = check;
    // The same case, link, restriction and recipient fields as the form (§25): a restricted source passed on is refused toward a third state without `override`.
    const [r, ...also] = await submitAll(ctx, p, { ...submissionOf(input, typed, body), links: linked.links, alsoToCountries: linked.alsoToCountries });
    const v = viewOf(ctx, req);
    return reply.code(201).send({ request: requestJson(r!, v), also: also.map((x) => requestJson(x, v)) });
  });
}
