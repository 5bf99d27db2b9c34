import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { contactFormSchema, contactFromForm, formFromEntry } from '../app/contact-form.js';
import { getEntry, listNodes, retire, search, themes, upsert } from '../app/directory.js';
import { csvFile, exportRows, separatorFor, templateRows, xlsxFile } from '../app/directory-files.js';
import { importUpload, MAX_IMPORT_BYTES } from '../app/directory-import.js';
import { principalOf, type GatewayContext } from '../context.js';
import { GatewayError } from '../errors.js';
import { contactEditPage } from '../ui/pages/contact-edit.js';
import { directoryPage, entryPage, type DirectoryQuery } from '../ui/pages/directory.js';
import { directoryImportPage } from '../ui/pages/directory-import.js';
import { MultipartError, parseMultipart, type MultipartBody } from '../multipart.js';
import { SCREEN_ROLES } from '../ui/view.js';
import { languageSchema, requestKindSchema } from '../../services/vocabulary.js';
import { parseInput } from '../validate.js';
import { bodyOf, errorText, requireUser, sendPage, translateProblems, viewOf } from '../web.js';

const querySchema = z.object({
  text: z.string().trim().max(200).optional(),
  theme: z
    .string()
    .regex(/^([a-z_]{1,60})?$/)
    .optional(),
  country: z
    .string()
    .regex(/^([A-Z]{2})?$/)
    .optional(),
  language: languageSchema.or(z.literal('')).optional(),
  kind: requestKindSchema.or(z.literal('')).optional(),
  done: z.string().optional(),
});

const entryParams = z.object({ country: z.string().regex(/^[A-Z]{2}$/, 'error.pageNotFound'), id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'error.pageNotFound') });

const fileParams = z.object({ kind: z.enum(['export', 'template'], 'error.pageNotFound'), format: z.enum(['csv', 'xlsx'], 'error.pageNotFound') });

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function sendFile(reply: FastifyReply, name: string, format: 'csv' | 'xlsx', data: Buffer): FastifyReply {
  return reply
    .type(format === 'csv' ? 'text/csv; charset=utf-8' : XLSX_TYPE)
    .header('content-disposition', `attachment; filename="${name}.${format}"`)
    .header('cache-control', 'no-store')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .send(data);
}

/** The directory: search and entries for every reader; the own country's contacts, import and files for its editors. */
export function directoryRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  app.get('/directory', (req, reply) => searchPage(ctx, req, reply));
  app.get('/directory/new', (req, reply) => newContactPage(ctx, req, reply));
  app.get('/directory/import', async (req, reply) => sendPage(reply, directoryImportPage(own(ctx, req).v, {})));
  // The export and the template: the node's columns, as CSV (the separator of the user's
  // spreadsheet, see separatorFor) or XLSX.
  app.get('/directory/:kind.:format', (req, reply) => directoryFile(ctx, req, reply));
  // The upload form is multipart/form-data (a file and pasted text); only this route reads it.
  void app.register(async (scope) => {
    scope.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: 2 * MAX_IMPORT_BYTES }, parseUpload);
    scope.post('/directory/import', (req, reply) => importPost(ctx, req, reply));
  });
  app.get('/directory/:country/:id', (req, reply) => entryView(ctx, req, reply));
  app.get('/directory/:country/:id/edit', (req, reply) => editPage(ctx, req, reply));
  app.post('/directory/save', (req, reply) => savePost(ctx, req, reply));
  app.post('/directory/:country/:id/retire', (req, reply) => retirePost(ctx, req, reply));
}

/** An editor of the own country's contacts, with what the handlers use. */
function own(ctx: GatewayContext, req: FastifyRequest) {
  const user = requireUser(req, SCREEN_ROLES.directoryEdit);
  return { user, p: principalOf(user), v: viewOf(ctx, req) };
}

/** The query as the page shows it: only the filters that were given. */
function directoryQuery(q: z.infer<typeof querySchema>): DirectoryQuery {
  const dq: DirectoryQuery = {};
  if (q.text) dq.text = q.text;
  if (q.theme) dq.theme = q.theme;
  if (q.country) dq.country = q.country;
  if (q.language) dq.language = q.language;
  if (q.kind) dq.kind = q.kind;
  return dq;
}

async function searchPage(ctx: GatewayContext, req: FastifyRequest, reply: FastifyReply) {
  const user = requireUser(req, SCREEN_ROLES.directory);
  const p = principalOf(user);
  const v = viewOf(ctx, req);
  const q = parseInput(querySchema, req.query);
  const dq = directoryQuery(q);
  const [res, ths, nodes] = await Promise.all([
    search(ctx, p, { text: dq.text ?? '', theme: dq.theme ?? '', country: dq.country ?? '', language: dq.language ?? '', requestKind: dq.kind ?? '', pageSize: 100 }),
    themes(ctx, p, v.lang),
    listNodes(ctx, p),
  ]);
  const notice = q.done === 'saved' ? v.t('dir.saved') : q.done === 'retired' ? v.t('dir.retired') : undefined;
  return sendPage(reply, directoryPage(v, { q: dq, res, themes: ths, nodes, ...(notice ? { notice } : {}) }));
}

async function newContactPage(ctx: GatewayContext, req: FastifyRequest, reply: FastifyReply) {
  const { p, v } = own(ctx, req);
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return sendPage(
    reply,
    contactEditPage(v, { values: { timeZone: tz, languages: [v.lang], days: ['1', '2', '3', '4', '5'], open: '09:00', close: '17:00' }, themes: await themes(ctx, p, v.lang), isNew: true }),
  );
}

async function directoryFile(ctx: GatewayContext, req: FastifyRequest, reply: FastifyReply) {
  const { p, v } = own(ctx, req);
  const { kind, format } = parseInput(fileParams, req.params);
  const rows = await exportRows(ctx, p);
  const out = kind === 'export' ? rows : templateRows(rows[0] ?? [], v.lang, v.t, v.timeZone);
  const name = kind === 'export' ? `directory-${ctx.country}-${new Date().toISOString().slice(0, 10)}` : `directory-template-${ctx.country}`;
  return sendFile(reply, name, format, format === 'csv' ? csvFile(out, separatorFor(v.lang)) : await xlsxFile(out, ctx.country));
}

function parseUpload(req: FastifyRequest, body: string | Buffer, done: (err: Error | null, body?: unknown) => void): void {
  try {
    const parts = parseMultipart(body as Buffer, req.headers['content-type'] ?? '');
    done(null, { ...parts.fields, _files: parts.files });
  } catch (e) {
    done(e instanceof MultipartError ? new GatewayError('ERR_INVALID_ARGUMENT', 'dir.rule.unreadable_file', { cause: e }) : (e as Error));
  }
}

async function importPost(ctx: GatewayContext, req: FastifyRequest, reply: FastifyReply) {
  const { p, v } = own(ctx, req);
  const body = bodyOf(req);
  const text = typeof body.csv === 'string' ? body.csv : '';
  const file = (body._files as MultipartBody['files'] | undefined)?.file;
  const dryRun = body.mode !== 'apply';
  const { report, source } = await importUpload(ctx, p, { ...(file ? { file } : {}), text }, dryRun);
  return sendPage(reply, directoryImportPage(v, { text: file?.data.length ? '' : text, report, dryRun, source }), report.problems.length ? 400 : 200);
}

async function entryView(ctx: GatewayContext, req: FastifyRequest, reply: FastifyReply) {
  const user = requireUser(req, SCREEN_ROLES.directory);
  const { country, id } = parseInput(entryParams, req.params);
  const v = viewOf(ctx, req);
  const [entry, ths] = await Promise.all([getEntry(ctx, principalOf(user), country, id), themes(ctx, principalOf(user), v.lang)]);
  return sendPage(reply, entryPage(v, entry, ths));
}

/** The country and id of one of the own country's contacts (another country's is refused). */
function ownEntry(ctx: GatewayContext, req: FastifyRequest) {
  const { country, id } = parseInput(entryParams, req.params);
  if (country !== ctx.country) throw new GatewayError('ERR_PERMISSION_DENIED', 'dir.notOwn');
  return { country, id };
}

async function editPage(ctx: GatewayContext, req: FastifyRequest, reply: FastifyReply) {
  const { p, v } = own(ctx, req);
  const { country, id } = ownEntry(ctx, req);
  const [entry, ths] = await Promise.all([getEntry(ctx, p, country, id), themes(ctx, p, v.lang)]);
  return sendPage(reply, contactEditPage(v, { values: formFromEntry(entry), themes: ths, isNew: false }));
}

async function savePost(ctx: GatewayContext, req: FastifyRequest, reply: FastifyReply) {
  const { p, v } = own(ctx, req);
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
}

async function retirePost(ctx: GatewayContext, req: FastifyRequest, reply: FastifyReply) {
  const { p } = own(ctx, req);
  const { country, id } = ownEntry(ctx, req);
  const reason = typeof bodyOf(req).reason === 'string' ? String(bodyOf(req).reason).slice(0, 500) : '';
  await retire(ctx, p, country, id, reason);
  return reply.redirect(`/directory?country=${ctx.country}&done=retired`, 303);
}
