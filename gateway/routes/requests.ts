import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Direction } from '../../generated/enlace/v1/exchange.js';
import { REQUEST_KINDS } from '../app/codes.js';
import { requestKindSchema, statusSchema, UUID_V7 } from '../../services/vocabulary.js';
import { box, getRequest, type BoxFilter } from '../app/requests.js';
import { casesOfRows, relatedRequests, requestsByIds } from '../app/cases.js';
import { UUID } from '../../services/envelope/wire.js';
import { destinations, nodeInfo } from '../app/network.js';
import { authorityNames } from '../app/directory.js';
import { principalOf, type GatewayContext } from '../context.js';
import { GatewayError } from '../errors.js';
import { ACTIONS, NEEDS_NOTE, stages, transition, withdrawConsent, type ActionCode } from '../app/lifecycle.js';
import { checkProvidedInformationForm, checkTypedResponse } from '../app/typed-compose.js';
import type { RequestKind } from '../app/codes.js';
import type { ResponsePayload } from '../../generated/enlace/v1/requests.js';
import { GetAttachmentRequest } from '../../generated/enlace/v1/exchange.js';
import { actionsPanel, confirmationOf, confirmPanel, requestDetailPage, type CONFIRMED_ACTIONS } from '../ui/pages/request-detail.js';
import { requestsListPage } from '../ui/pages/requests-list.js';
import { label, SCREEN_ROLES } from '../ui/view.js';
import { parseInput } from '../validate.js';
import { bodyOf, errorText, requireUser, sendPage, translateProblems, viewOf } from '../web.js';

const ANSWERING: readonly ActionCode[] = ['complete', 'partially_execute', 'refuse'];
import type { Request } from '../../generated/enlace/v1/exchange.js';
import type { FastifyReply } from 'fastify';
import type { User } from '../db/users.js';

const filterSchema = z.object({
  status: statusSchema.or(z.literal('')).optional(),
  counterpart: z
    .string()
    .regex(/^([A-Z]{2})?$/)
    .optional(),
  kind: requestKindSchema.or(z.literal('')).optional(),
  q: z.string().max(200).optional(),
  unread: z.literal('1').optional(),
  case: z.string().regex(UUID).or(z.literal('')).optional(),
  due: z.enum(['soon', 'overdue']).optional(),
  before: z
    .string()
    .regex(/^[\w-]{1,100}$/)
    .optional(),
  skip: z.coerce.number().int().min(0).max(1_000_000_000).optional(),
});

export const requestIdSchema = z.object({ id: z.string().regex(UUID_V7, 'error.pageNotFound') });

const actionSchema = z.object({
  action: z.enum(ACTIONS),
  note: z.string().trim().max(2000).default(''),
  stage: z
    .string()
    .regex(/^([a-z_]{1,40})?$/)
    .default(''),
  stageDate: z
    .string()
    .regex(/^(\d{4}-\d{2}-\d{2})?$/)
    .default(''),
});

const consentSchema = z.object({
  legalGround: z.string().trim().max(2000).default(''),
  confirm: z.string().max(1).default(''),
});

/** Stages the select offers: forward from the current one (and refusal) for the requested state; withdrawal for the requesting one. */
function stageChoices(r: Request): string[] {
  const all = stages();
  if (r.side === 'requesting') return ['withdrawn'];
  const at = r.stage ? all.indexOf(r.stage) : -1;
  return all.filter((s, i) => s !== 'withdrawn' && (s === 'refused' || i > at));
}

const DOWNLOAD_EXT: Record<string, string> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png' };

/**
 * The name and type a document is downloaded under: the allowed types only (else
 * application/octet-stream), a name without path, quotes or control characters whose
 * extension is the type's (`evidence.html` of a PDF becomes `evidence.html.pdf`).
 */
export function downloadName(fileName: string, mediaType: string): { name: string; ascii: string; type: string } {
  const ext = DOWNLOAD_EXT[mediaType];
  let name = fileName.replace(/[\u0000-\u001f\u007f-\u009f"\\/\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g, '_').trim() || 'document';
  if (ext && !(ext === 'jpg' ? /\.jpe?g$/i : new RegExp(`\\.${ext}$`, 'i')).test(name)) name = `${name}.${ext}`;
  if (!ext) name = `${name}.bin`;
  return { name, ascii: name.replace(/[^\w.\- ]+/g, '_'), type: ext ? mediaType : 'application/octet-stream' };
}

export function boxFilter(req: FastifyRequest): BoxFilter {
  const q = parseInput(filterSchema, req.query);
  const f: BoxFilter = {};
  if (q.status) f.status = q.status;
  if (q.counterpart) f.counterpart = q.counterpart;
  if (q.kind) f.kind = q.kind;
  if (q.q) f.q = q.q;
  if (q.unread) f.unread = true;
  if (q.case) f.caseId = q.case;
  if (q.due) f.due = q.due;
  if (q.before) f.before = q.before;
  if (q.skip) f.skip = q.skip;
  return f;
}

/** The inbox or the sent list, filtered as the query says. */
async function boxPage(ctx: GatewayContext, name: 'inbox' | 'outbox', req: FastifyRequest, reply: FastifyReply) {
  const user = requireUser(req, SCREEN_ROLES.requests);
  const p = principalOf(user);
  const filter = boxFilter(req);
  const [data, info] = await Promise.all([box(ctx, p, name === 'inbox' ? Direction.DIRECTION_INBOUND : Direction.DIRECTION_OUTBOUND, filter), nodeInfo(ctx, p)]);
  const v = viewOf(ctx, req);
  const requests = data.rows.map((row) => row.request);
  const [authorities, cases] = await Promise.all([
    authorityNames(
      ctx,
      p,
      requests.map((r) => (name === 'inbox' ? r.from : r.to)),
      v.lang,
    ),
    casesOfRows(ctx, p, requests, filter.caseId),
  ]);
  v.authorities = authorities;
  return sendPage(reply, requestsListPage(v, { box: name, data, filter, counterparts: destinations(info), cases }));
}

/** A request's page, with the notice of what was just done (sent, consent withdrawn, a step taken). */
async function requestPage(ctx: GatewayContext, req: FastifyRequest, reply: FastifyReply) {
  const user = requireUser(req, SCREEN_ROLES.requests);
  const { id } = parseInput(requestIdSchema, req.params);
  const v = viewOf(ctx, req);
  const q = req.query as Record<string, unknown>;
  const done = typeof q.done === 'string' && (ACTIONS as readonly string[]).includes(q.done) ? q.done : '';
  const notice =
    q.sent && q.override
      ? `${v.t('compose.sent')} ${v.t('sent.override')}`
      : q.sent
        ? v.t('compose.sent')
        : q.consent
          ? v.t('consent.done')
          : done
            ? v.t('actions.done', { action: label(v, 'action', done) })
            : undefined;
  return detail(ctx, req, reply, user, id, notice ? { notice } : {});
}

/** The detail page of request `id`, with a notice, an error, the answer form as typed or a confirmation to give. */
async function detail(
  ctx: GatewayContext,
  req: FastifyRequest,
  reply: FastifyReply,
  user: User,
  id: string,
  opts: {
    notice?: string;
    error?: string;
    answer?: { values: Record<string, unknown>; problems: Record<string, string> };
    confirm?: { action: (typeof CONFIRMED_ACTIONS)[number]; values: Record<string, unknown> };
  },
  status = 200,
) {
  const res = await getRequest(ctx, principalOf(user), id).catch((e: unknown) => {
    if (e instanceof GatewayError && e.code === 'ERR_INVALID_ARGUMENT') throw new GatewayError('ERR_NOT_FOUND', 'error.pageNotFound');
    throw e;
  });
  if (res.request?.direction === Direction.DIRECTION_INBOUND) ctx.users.markRead(id, user.id, ctx.now());
  const v = viewOf(ctx, req);
  const r = res.request!;
  const mentioned = [r.from, r.to, ...res.timeline.filter((e) => e.params.country && e.params.authority).map((e) => `${e.params.country}/${e.params.authority}`)];
  v.authorities = await authorityNames(ctx, principalOf(user), mentioned, v.lang);
  const related = await relatedRequests(ctx, principalOf(user), r);
  const actions = opts.confirm ? confirmPanel(v, res.request!, opts.confirm.action, opts.confirm.values) : actionsPanel(v, res.request!, v.csrf, stageChoices(res.request!), opts.answer ?? {});
  const { answer: _answer, confirm: _confirm, ...page } = opts;
  return sendPage(reply, requestDetailPage(v, res, { ...page, actions, now: ctx.now(), related }), status);
}

/** A lifecycle step from the detail page: the typed answer checked first, a lasting one confirmed. */
async function actionPost(ctx: GatewayContext, req: FastifyRequest, reply: FastifyReply) {
  const user = requireUser(req, SCREEN_ROLES.act);
  const { id } = parseInput(requestIdSchema, req.params);
  const v = viewOf(ctx, req);
  const r = actionSchema.safeParse(bodyOf(req));
  if (!r.success) return detail(ctx, req, reply, user, id, { error: v.t('v.summary') }, 400);
  const input = r.data;
  const body = bodyOf(req);
  let typedResponse: ResponsePayload | undefined;
  if (ANSWERING.includes(input.action)) {
    // Only its type is needed: a listing (metadata), not a content read.
    const [current] = await requestsByIds(ctx, principalOf(user), [id]);
    const kind = current?.kind ?? '';
    if ((REQUEST_KINDS as readonly string[]).includes(kind)) {
      const chk = checkTypedResponse(kind as RequestKind, body, v.lang, ctx.now());
      if (chk.problems.length) return detail(ctx, req, reply, user, id, { error: v.t('v.summary'), answer: { values: body, problems: translateProblems(v.lang, chk.problems) } }, 400);
      typedResponse = chk.payload;
    }
  }
  if (input.action === 'provide_information') {
    const chk = checkProvidedInformationForm(body, v.lang, ctx.now());
    if (chk.problems.length) return detail(ctx, req, reply, user, id, { error: v.t('v.summary'), answer: { values: body, problems: translateProblems(v.lang, chk.problems) } }, 400);
    typedResponse = chk.payload;
  }
  if (NEEDS_NOTE.includes(input.action) && !input.note && !typedResponse) return detail(ctx, req, reply, user, id, { error: v.t('actions.needNote') }, 400);
  if (input.action === 'record_stage' && !input.stage) return detail(ctx, req, reply, user, id, { error: v.t('v.choose') }, 400);
  const lasting = confirmationOf(input.action, input.stage);
  if (lasting && body.confirmed !== '1') return detail(ctx, req, reply, user, id, { confirm: { action: lasting, values: body } });
  try {
    await transition(ctx, principalOf(user), { requestId: id, action: input.action, note: input.note, stage: input.stage, stageDate: input.stageDate, ...(typedResponse ? { typedResponse } : {}) });
  } catch (e) {
    if (!(e instanceof GatewayError) || e.code === 'ERR_INTERNAL' || e.code === 'ERR_UNAVAILABLE') throw e;
    return detail(ctx, req, reply, user, id, { error: errorText(v.lang, e) }, 409);
  }
  return reply.redirect(`/requests/${id}?done=${input.action}`, 303);
}

/** The victim's consent withdrawn, with the legal ground the data is kept under, if any. */
async function consentPost(ctx: GatewayContext, req: FastifyRequest, reply: FastifyReply) {
  const user = requireUser(req, SCREEN_ROLES.act);
  const { id } = parseInput(requestIdSchema, req.params);
  const v = viewOf(ctx, req);
  const r = consentSchema.safeParse(bodyOf(req));
  if (!r.success) return detail(ctx, req, reply, user, id, { error: v.t('v.summary') }, 400);
  if (r.data.confirm !== '1') return detail(ctx, req, reply, user, id, { error: v.t('consent.needConfirm') }, 400);
  const ground = r.data.legalGround;
  if (ground !== '' && (ground.length < 3 || ground.length > 500)) return detail(ctx, req, reply, user, id, { error: v.t('consent.groundLength') }, 400);
  try {
    await withdrawConsent(ctx, principalOf(user), id, ground);
  } catch (e) {
    if (!(e instanceof GatewayError) || e.code === 'ERR_INTERNAL' || e.code === 'ERR_UNAVAILABLE') throw e;
    return detail(ctx, req, reply, user, id, { error: errorText(v.lang, e) }, 409);
  }
  return reply.redirect(`/requests/${id}?consent=1`, 303);
}

/** A document of a request, for content roles (the node decides), as a download that never renders in the page. */
async function attachmentDownload(ctx: GatewayContext, req: FastifyRequest, reply: FastifyReply) {
  const user = requireUser(req, SCREEN_ROLES.requests);
  const { id, aid } = parseInput(requestIdSchema.extend({ aid: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'error.pageNotFound') }), req.params);
  const a = await ctx.node.call(principalOf(user), ctx.node.exchange, ctx.node.exchange.getAttachment, GetAttachmentRequest.fromPartial({ requestId: id, attachmentId: aid }));
  const file = downloadName(a.fileName, a.mediaType);
  return reply
    .type(file.type)
    .header('content-disposition', `attachment; filename="${file.ascii}"; filename*=UTF-8''${encodeURIComponent(file.name)}`)
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('cache-control', 'no-store')
    .send(Buffer.from(a.content));
}

export function requestRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  app.get('/inbox', (req, reply) => boxPage(ctx, 'inbox', req, reply));
  app.get('/outbox', (req, reply) => boxPage(ctx, 'outbox', req, reply));
  app.get('/requests/:id', (req, reply) => requestPage(ctx, req, reply));
  app.post('/requests/:id/actions', (req, reply) => actionPost(ctx, req, reply));
  app.post('/requests/:id/consent', (req, reply) => consentPost(ctx, req, reply));
  app.get('/requests/:id/attachments/:aid', (req, reply) => attachmentDownload(ctx, req, reply));
}
