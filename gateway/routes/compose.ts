import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { composeSchema, payloadOf, type ComposeInput } from '../app/compose.js';
import { countryLanguages, resolve } from '../app/directory.js';
import { destinations, nodeInfo } from '../app/network.js';
import { submit } from '../app/requests.js';
import { principalOf, type GatewayContext } from '../context.js';
import { GatewayError } from '../errors.js';
import { isLang, type Lang } from '../i18n/index.js';
import { composePage, reviewPage, type ComposeValues } from '../ui/pages/compose.js';
import { SCREEN_ROLES } from '../ui/view.js';
import { problemsOf } from '../validate.js';
import { bodyOf, errorText, requireUser, sendPage, translateProblems, viewOf } from '../web.js';

function stringsOf(body: Record<string, unknown>): ComposeValues {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** Validates the form against the schema and the node's actual destinations; problems by field in `lang`. */
export function checkCompose(body: Record<string, unknown>, dests: string[], lang: Lang): { input?: ComposeInput; problems: Record<string, string> } {
  const r = composeSchema.safeParse(body);
  const problems = r.success ? {} : translateProblems(lang, problemsOf(r.error, body));
  const to = typeof body.toCountry === 'string' ? body.toCountry : '';
  if (to && !problems.toCountry && !dests.includes(to)) Object.assign(problems, translateProblems(lang, [{ field: 'toCountry', key: 'v.chooseCountry' }]));
  return Object.keys(problems).length === 0 && r.success ? { input: r.data, problems } : { problems };
}

export function composeRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  app.get('/compose', async (req, reply) => {
    const user = requireUser(req, SCREEN_ROLES.compose);
    const info = await nodeInfo(ctx, principalOf(user));
    const q = req.query as Record<string, unknown>;
    const values: ComposeValues = { idem: randomUUID() };
    if (typeof q.to === 'string') values.toCountry = q.to;
    if (typeof q.kind === 'string') values.kind = q.kind;
    return sendPage(reply, composePage(viewOf(ctx, req), { values, destinations: destinations(info), candidates: [] }));
  });

  app.post('/compose', async (req, reply) => {
    const user = requireUser(req, SCREEN_ROLES.compose);
    const p = principalOf(user);
    const v = viewOf(ctx, req);
    const body = bodyOf(req);
    const values = stringsOf(body);
    const dests = destinations(await nodeInfo(ctx, p));
    const candidates = values.toCountry && values.kind && dests.includes(values.toCountry) ? await resolve(ctx, p, values.toCountry, values.kind) : [];
    const { input, problems } = checkCompose(body, dests, v.lang);
    if (!input || body.step === 'edit') {
      return sendPage(reply, composePage(v, { values, destinations: dests, candidates, problems: body.step === 'edit' ? {} : problems }), input || body.step === 'edit' ? 200 : 400);
    }
    const authority = input.toAuthority ? candidates.find((c) => c.contact?.id === input.toAuthority) : candidates[0];
    if (body.step === 'send') {
      try {
        const request = await submit(ctx, p, {
          toCountry: input.toCountry,
          toAuthority: input.toAuthority,
          kind: input.kind,
          subject: input.subject,
          payload: payloadOf(input),
          payloadType: 'application/json',
          idempotencyKey: input.idem,
          senderReference: input.senderReference,
        });
        return reply.redirect(`/requests/${request.id}?sent=1`, 303);
      } catch (e) {
        if (!(e instanceof GatewayError) || e.code === 'ERR_INTERNAL') throw e;
        return sendPage(reply, composePage(v, { values, destinations: dests, candidates, error: errorText(v.lang, e) }), 400);
      }
    }
    const langs = await countryLanguages(ctx, p, input.toCountry);
    const recipientLang = langs.find(isLang) ?? v.lang;
    return sendPage(reply, reviewPage(v, { values: input, ...(authority ? { authority } : {}), recipientLang }));
  });

  /** As-you-type validation: the same checks as the send, messages in the user's language. */
  app.post('/api/v1/compose/check', async (req) => {
    const user = requireUser(req, SCREEN_ROLES.compose);
    const dests = destinations(await nodeInfo(ctx, principalOf(user)));
    const { problems } = checkCompose(bodyOf(req), dests, req.enlace.lang);
    return { problems };
  });

  app.get('/api/v1/directory/resolve', async (req) => {
    const user = requireUser(req, SCREEN_ROLES.compose);
    const q = z.object({ country: z.string().regex(/^[A-Z]{2}$/), kind: z.string().regex(/^[a-z_]{1,40}$/) }).safeParse(req.query);
    if (!q.success) return { candidates: [] };
    const candidates = await resolve(ctx, principalOf(user), q.data.country, q.data.kind);
    return {
      candidates: candidates.map((c) => ({
        id: c.contact!.id,
        address: c.address,
        label: `${(c.contact!.authority.find((a) => a.lang === req.enlace.lang) ?? c.contact!.authority[0])?.text ?? c.address}${c.contact!.roleTitle ? ` — ${c.contact!.roleTitle}` : ''}`,
      })),
    };
  });
}
