import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { contactFormSchema, contactFromForm, formFromEntry } from '../app/contact-form.js';
import { getEntry, importCsv, listNodes, retire, search, themes, upsert } from '../app/directory.js';
import { principalOf, type GatewayContext } from '../context.js';
import { GatewayError } from '../errors.js';
import { contactEditPage, importPage } from '../ui/pages/contact-edit.js';
import { directoryPage, entryPage, type DirectoryQuery } from '../ui/pages/directory.js';
import { SCREEN_ROLES } from '../ui/view.js';
import { languageSchema, requestKindSchema } from '../../services/vocabulary.js';
import { parseInput } from '../validate.js';
import { bodyOf, errorText, requireUser, sendPage, translateProblems, viewOf } from '../web.js';

const querySchema = z.object({
  text: z.string().trim().max(200).optional(),
  theme: z.string().regex(/^([a-z_]{1,60})?$/).optional(),
  country: z.string().regex(/^([A-Z]{2})?$/).optional(),
  language: languageSchema.or(z.literal('')).optional(),
  kind: requestKindSchema.or(z.literal('')).optional(),
  done: z.string().optional(),
});

const entryParams = z.object({ country: z.string().regex(/^[A-Z]{2}$/, 'error.pageNotFound'), id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'error.pageNotFound') });

const MAX_CSV = 2 * 1024 * 1024;

export function directoryRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  const own = (req: FastifyRequest) => {
    const user = requireUser(req, SCREEN_ROLES.directoryEdit);
    return { user, p: principalOf(user), v: viewOf(ctx, req) };
  };

  app.get('/directory', async (req, reply) => {
    const user = requireUser(req, SCREEN_ROLES.directory);
    const p = principalOf(user);
    const v = viewOf(ctx, req);
    const q = parseInput(querySchema, req.query);
    const dq: DirectoryQuery = {};
    if (q.text) dq.text = q.text;
    if (q.theme) dq.theme = q.theme;
    if (q.country) dq.country = q.country;
    if (q.language) dq.language = q.language;
    if (q.kind) dq.kind = q.kind;
    const [res, ths, nodes] = await Promise.all([
      search(ctx, p, { text: dq.text ?? '', theme: dq.theme ?? '', country: dq.country ?? '', language: dq.language ?? '', requestKind: dq.kind ?? '', pageSize: 100 }),
      themes(ctx, p, v.lang),
      listNodes(ctx, p),
    ]);
    const notice = q.done === 'saved' ? v.t('dir.saved') : q.done === 'retired' ? v.t('dir.retired') : undefined;
    return sendPage(reply, directoryPage(v, { q: dq, res, themes: ths, nodes, ...(notice ? { notice } : {}) }));
  });

  app.get('/directory/new', async (req, reply) => {
    const { p, v } = own(req);
    const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    return sendPage(reply, contactEditPage(v, { values: { timeZone: tz, languages: [v.lang], days: ['1', '2', '3', '4', '5'], open: '09:00', close: '17:00' }, themes: await themes(ctx, p, v.lang), isNew: true }));
  });

  app.get('/directory/import', async (req, reply) => {
    const { v } = own(req);
    return sendPage(reply, importPage(v, {}));
  });

  app.post('/directory/import', async (req, reply) => {
    const { p, v } = own(req);
    const body = bodyOf(req);
    const text = typeof body.csv === 'string' ? body.csv : '';
    if (text.trim() === '' || text.length > MAX_CSV) return sendPage(reply, importPage(v, { text, error: v.t(text.trim() === '' ? 'v.required' : 'v.tooLong', { max: MAX_CSV }) }), 400);
    const dryRun = body.mode !== 'apply';
    const report = await importCsv(ctx, p, text, dryRun);
    return sendPage(reply, importPage(v, { text, report, dryRun }), report.problems.length ? 400 : 200);
  });

  app.get('/directory/:country/:id', async (req, reply) => {
    const user = requireUser(req, SCREEN_ROLES.directory);
    const { country, id } = parseInput(entryParams, req.params);
    const v = viewOf(ctx, req);
    const [entry, ths] = await Promise.all([getEntry(ctx, principalOf(user), country, id), themes(ctx, principalOf(user), v.lang)]);
    return sendPage(reply, entryPage(v, entry, ths));
  });

  app.get('/directory/:country/:id/edit', async (req, reply) => {
    const { p, v } = own(req);
    const { country, id } = parseInput(entryParams, req.params);
    if (country !== ctx.country) throw new GatewayError('ERR_PERMISSION_DENIED', 'dir.notOwn');
    const [entry, ths] = await Promise.all([getEntry(ctx, p, country, id), themes(ctx, p, v.lang)]);
    return sendPage(reply, contactEditPage(v, { values: formFromEntry(entry), themes: ths, isNew: false }));
  });

  app.post('/directory/save', async (req, reply) => {
    const { p, v } = own(req);
    const body = bodyOf(req) as Record<string, string | string[]>;
    const isNew = !body.expectedVersion || body.expectedVersion === '0';
    try {
      const form = parseInput(contactFormSchema, body);
      await upsert(ctx, p, contactFromForm(form, ctx.country), form.expectedVersion);
      return reply.redirect(`/directory?country=${ctx.country}&done=saved`, 303);
    } catch (e) {
      if (!(e instanceof GatewayError) || e.code === 'ERR_INTERNAL' || e.code === 'ERR_UNAVAILABLE') throw e;
      const ths = await themes(ctx, p, v.lang);
      return sendPage(
        reply,
        contactEditPage(v, { values: body, themes: ths, isNew, problems: translateProblems(v.lang, e.problems), ...(e.problems.length ? {} : { error: errorText(v.lang, e) }) }),
        400,
      );
    }
  });

  app.post('/directory/:country/:id/retire', async (req, reply) => {
    const { p } = own(req);
    const { country, id } = parseInput(entryParams, req.params);
    if (country !== ctx.country) throw new GatewayError('ERR_PERMISSION_DENIED', 'dir.notOwn');
    const reason = typeof bodyOf(req).reason === 'string' ? String(bodyOf(req).reason).slice(0, 500) : '';
    await retire(ctx, p, country, id, reason);
    return reply.redirect(`/directory?country=${ctx.country}&done=retired`, 303);
  });
}
