import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DIMENSIONS, lastCompleteQuarter } from '../../services/stats/index.js';
import { requestKindSchema } from '../../services/vocabulary.js';
import { statCsv, statXlsx } from '../app/stat-files.js';
import { statisticsTables } from '../app/stat-tables.js';
import { loadStatistics, type StatsExport, type StatsQuery } from '../app/statistics.js';
import { principalOf, type GatewayContext } from '../context.js';
import { GatewayError } from '../errors.js';
import { statisticsPage } from '../ui/pages/statistics.js';
import { SCREEN_ROLES } from '../ui/view.js';
import { parseInput } from '../validate.js';
import { requireUser, sendPage, viewOf } from '../web.js';

const month = z
  .string()
  .regex(/^(\d{4}-(0[1-9]|1[0-2]))?$/, 'v.invalid')
  .default('');

const querySchema = z.object({
  from: month,
  to: month,
  direction: z.enum(['', 'inbound', 'outbound'], 'v.invalid').default(''),
  kind: requestKindSchema.or(z.literal('')).default(''),
  period: z.enum(['month', 'quarter'], 'v.invalid').default('month'),
  rows: z.enum(DIMENSIONS, 'v.invalid').default('form'),
  columns: z.enum(DIMENSIONS, 'v.invalid').or(z.literal('')).default('sex'),
  quarter: z
    .string()
    .regex(/^(\d{4}-Q[1-4])?$/, 'v.invalid')
    .default(''),
});

const fileParams = z.object({ table: z.string().regex(/^[a-z_]{1,40}$/, 'error.pageNotFound'), format: z.enum(['csv', 'xlsx'], 'error.pageNotFound') });
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The last `n` complete quarters, newest first. */
function recentQuarters(now: number, n = 8): string[] {
  const out = [lastCompleteQuarter(now)];
  while (out.length < n) {
    const [y, q] = out.at(-1)!.split('-Q').map(Number) as [number, number];
    out.push(q === 1 ? `${y - 1}-Q4` : `${y}-Q${q - 1}`);
  }
  return out;
}

function queryOf(ctx: GatewayContext, req: FastifyRequest): StatsQuery {
  const q = parseInput(querySchema, req.query);
  // The same dimension twice is no cross-table: the second one goes.
  return { ...q, columns: q.columns === q.rows ? '' : q.columns, quarter: q.quarter || lastCompleteQuarter(ctx.now()) };
}

/**
 * The statistics page (auditors and operators, as the node's PERMISSIONS.stats) and the CSV and
 * XLSX of each of its tables. Counts of coded values only; the node audits every call that
 * returns figures (read_stats), and a download asks only for its table's call, named with the
 * file (export_stats), so that the log says who saw and who took away which table.
 */
export function statisticsRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  const load = async (req: FastifyRequest, exporting?: StatsExport) => {
    const user = requireUser(req, SCREEN_ROLES.statistics);
    const v = viewOf(ctx, req);
    const q = queryOf(ctx, req);
    const data = await loadStatistics(ctx, principalOf(user), q, exporting);
    return { v, q, data, tables: statisticsTables(v, data, q) };
  };

  app.get('/statistics', async (req, reply) => {
    const { v, q, data, tables } = await load(req);
    return sendPage(reply, statisticsPage(v, { q, tables, network: data.network, quarters: recentQuarters(ctx.now()), demo: ctx.cfg.demoData === true }));
  });

  app.get('/statistics/export/:file', async (req, reply: FastifyReply) => {
    const m = /^([a-z_]+)\.(csv|xlsx)$/.exec((req.params as { file?: string }).file ?? '');
    const { table, format } = parseInput(fileParams, { table: m?.[1], format: m?.[2] });
    const { v, tables } = await load(req, { table, format });
    const t = tables.find((x) => x.id === table);
    if (!t) throw new GatewayError('ERR_NOT_FOUND', 'error.pageNotFound');
    const name = `statistics-${ctx.country}-${t.id}-${new Date(ctx.now()).toISOString().slice(0, 10)}`;
    return reply
      .type(format === 'csv' ? 'text/csv; charset=utf-8' : XLSX_TYPE)
      .header('content-disposition', `attachment; filename="${name}.${format}"`)
      .header('cache-control', 'no-store')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .send(format === 'csv' ? statCsv(t, v.lang) : await statXlsx(t));
  });
}
