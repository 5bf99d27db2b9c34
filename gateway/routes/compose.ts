import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { checkCompose, composeProblemsOf, submissionOf } from '../app/compose.js';
import { countryLanguages, resolve } from '../app/directory.js';
import { checkDocuments } from '../app/documents.js';
import { destinations, nodeInfo } from '../app/network.js';
import { composeLinksOf, linkValuesOf, submitAll } from '../app/cases.js';
import { MAX_ATTACHMENT_BYTES } from '../../services/attachments/index.js';
import { principalOf, type GatewayContext } from '../context.js';
import { Drafts } from '../db/drafts.js';
import { startingPoint, templateNotice } from './templates.js';
import { GatewayError } from '../errors.js';
import { isLang, LANGS, translateDynamic } from '../i18n/index.js';
import { MultipartError, parseMultipart, type MultipartBody } from '../multipart.js';
import { composePage, reviewPage, type ComposeValues } from '../ui/pages/compose.js';
import { SCREEN_ROLES } from '../ui/view.js';
import { bodyOf, errorText, requireUser, sendPage, translateProblems, viewOf } from '../web.js';

function valuesOf(body: Record<string, unknown>): ComposeValues {
  const out: ComposeValues = {};
  for (const [k, v] of Object.entries(body)) {
    if (k === '_csrf' || k === 'step' || k === UPLOADS) continue;
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v)) out[k] = v.map(String);
  }
  return out;
}

/** Where the multipart parser puts the files of the review form (never a form field's name: it starts with a space). */
const UPLOADS = ' uploads';

/** The send of the review form carries the documents: 50 MiB of files and the form, with room to tell who sends more how much more. */
const COMPOSE_BODY_LIMIT = 2 * MAX_ATTACHMENT_BYTES + 1024 * 1024;

/** A multipart body as the urlencoded parser gives it (a repeated name becomes a list), its files under UPLOADS. */
function formOf(parts: MultipartBody): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, val] of parts.entries) {
    const had = out[k];
    out[k] = had === undefined ? val : Array.isArray(had) ? [...(had as string[]), val] : [had, val];
  }
  out[UPLOADS] = parts.uploads.filter((u) => u.name === 'documents');
  return out;
}

/** The compose form: a draft resumed, a template or an earlier request to start from, or a new one (prefilled from the query). */
async function composeForm(ctx: GatewayContext, req: FastifyRequest, reply: FastifyReply) {
  const user = requireUser(req, SCREEN_ROLES.compose);
  const p = principalOf(user);
  const v = viewOf(ctx, req);
  const dests = destinations(await nodeInfo(ctx, p));
  const q = req.query as Record<string, unknown>;
  // A draft resumes where its author left it (after a reload, a closed tab or a new sign-in).
  const draft = Drafts.isId(q.draft) ? ctx.drafts.get(user.id, q.draft) : undefined;
  if (q.draft !== undefined && !draft) return reply.redirect('/drafts', 303);
  const start = draft ? undefined : await startingPoint(ctx, user, q, v.t);
  const notice = templateNotice(ctx, user, q, v.t);
  const values: ComposeValues = draft ? { idem: randomUUID(), ...draft, draft: q.draft as string } : { ...start?.values, idem: randomUUID() };
  if (!draft && !start) {
    if (typeof q.to === 'string' && dests.includes(q.to)) values.toCountry = q.to;
    if (typeof q.kind === 'string') values.kind = q.kind;
    if (typeof q.about === 'string' && /^[0-9a-f-]{36}$/.test(q.about)) values['t.request_id'] = q.about;
  }
  if (!draft) Object.assign(values, linkValuesOf(q));
  const candidates = values.toCountry && values.kind ? await resolve(ctx, p, values.toCountry as string, values.kind as string) : [];
  const ok = notice.ok ?? start?.notice;
  const page = { values, destinations: dests, candidates, templates: ctx.drafts.templates(user.id), ...(ok ? { notice: ok } : {}), ...(notice.error ? { error: notice.error } : {}) };
  return sendPage(reply, composePage(v, page));
}

/** A compose step posted: the type chosen, the form checked (every problem at once), the review, or the send. */
async function composePost(ctx: GatewayContext, req: FastifyRequest, reply: FastifyReply) {
  const user = requireUser(req, SCREEN_ROLES.compose);
  const p = principalOf(user);
  const v = viewOf(ctx, req);
  const body = bodyOf(req);
  const values = valuesOf(body);
  const dests = destinations(await nodeInfo(ctx, p));
  const kind = typeof values.kind === 'string' ? values.kind : '';
  const to = typeof values.toCountry === 'string' ? values.toCountry : '';
  const candidates = to && kind && dests.includes(to) ? await resolve(ctx, p, to, kind) : [];
  const form = (problems = {}, status = 200, error?: string) =>
    sendPage(reply, composePage(v, { values, destinations: dests, candidates, problems, templates: ctx.drafts.templates(user.id), ...(error ? { error } : {}) }), status);
  // Choosing the type (or going back to edit) shows the form without complaining about what is not filled yet.
  if (body.step === 'form' || body.step === 'edit') return form();
  const check = checkCompose(body, dests, v.lang, ctx.now());
  const linked = composeLinksOf(body, dests);
  if (!check.input || !check.typed || linked.problems.length) return form(translateProblems(v.lang, [...check.problems, ...linked.problems]), 400);
  const { input, typed } = check;
  const review = async (documentProblems: string[] = [], status = 200) => {
    const authority = input.toAuthority ? candidates.find((c) => c.contact?.id === input.toAuthority) : candidates[0];
    const recipientLang = (await countryLanguages(ctx, p, input.toCountry)).find(isLang) ?? v.lang;
    return sendPage(reply, reviewPage(v, { values, input, typed, ...(authority ? { authority } : {}), recipientLang, documentProblems }), status);
  };
  if (body.step === 'send') {
    if (typed.missing.some((m) => m.required)) return form({}, 400, v.t('review.blocked'));
    const documents = checkDocuments(v.lang, (body[UPLOADS] as MultipartBody['uploads'] | undefined) ?? []);
    if (documents.problems.length)
      return review(
        documents.problems.map((d) => translateDynamic(v.lang, d.key, d.key, d.params)),
        400,
      );
    try {
      const [request, ...also] = await submitAll(ctx, p, {
        ...submissionOf(input, typed, body),
        attachments: documents.files,
        links: linked.links,
        alsoToCountries: linked.alsoToCountries,
      });
      if (Drafts.isId(body.draft)) ctx.drafts.delete(user.id, body.draft);
      const override = linked.links.restrictionOverride ? '&override=1' : '';
      if (also.length) return reply.redirect(`/sent?${[request!, ...also].map((r) => `id=${r.id}`).join('&')}${override}`, 303);
      return reply.redirect(`/requests/${request!.id}?sent=1${override}`, 303);
    } catch (e) {
      if (!(e instanceof GatewayError) || e.code === 'ERR_INTERNAL' || e.code === 'ERR_UNAVAILABLE') throw e;
      if (e.problems.length > 0) return form(translateProblems(v.lang, composeProblemsOf(input.kind, e.problems)), 400);
      return form({}, 400, errorText(v.lang, e));
    }
  }
  return review();
}

/** As-you-type validation: the same checks as the send, messages in the user's language. */
async function composeCheck(ctx: GatewayContext, req: FastifyRequest) {
  const user = requireUser(req, SCREEN_ROLES.compose);
  const dests = destinations(await nodeInfo(ctx, principalOf(user)));
  const check = checkCompose(bodyOf(req), dests, req.enlace.lang, ctx.now());
  return { problems: translateProblems(req.enlace.lang, check.problems), missing: check.typed?.missing.filter((m) => m.required).map((m) => m.field || m.path) ?? [] };
}

/** The competent authorities for a country and request type, as compose's list offers them. */
async function resolveAuthorities(ctx: GatewayContext, req: FastifyRequest) {
  const user = requireUser(req, SCREEN_ROLES.compose);
  const q = z.object({ country: z.string().regex(/^[A-Z]{2}$/), kind: z.string().regex(/^[a-z_]{1,40}$/) }).safeParse(req.query);
  if (!q.success) return { candidates: [] };
  const candidates = await resolve(ctx, principalOf(user), q.data.country, q.data.kind);
  const lang = (LANGS as readonly string[]).includes(req.enlace.lang) ? req.enlace.lang : 'es';
  return {
    candidates: candidates.map((c) => ({
      id: c.contact!.id,
      address: c.address,
      label: `${(c.contact!.authority.find((a) => a.lang === lang) ?? c.contact!.authority[0])?.text ?? c.address}${c.contact!.roleTitle ? ` — ${c.contact!.roleTitle}` : ''}`,
    })),
  };
}

export function composeRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  app.get('/compose', (req, reply) => composeForm(ctx, req, reply));

  // The review form is multipart/form-data (its documents); the earlier steps post urlencoded forms to the same route.
  void app.register(async (scope) => {
    scope.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: COMPOSE_BODY_LIMIT }, (req, raw, done) => {
      try {
        done(null, formOf(parseMultipart(raw as Buffer, req.headers['content-type'] ?? '')));
      } catch (e) {
        done(e instanceof MultipartError ? new GatewayError('ERR_INVALID_ARGUMENT', 'error.ERR_INVALID_ARGUMENT', { cause: e }) : (e as Error));
      }
    });
    scope.post('/compose', (req, reply) => composePost(ctx, req, reply));
  });

  app.post('/api/v1/compose/check', (req) => composeCheck(ctx, req));
  app.get('/api/v1/directory/resolve', (req) => resolveAuthorities(ctx, req));
}
