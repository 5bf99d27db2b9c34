import {
  GetCountsRequest,
  GetCountsResponse,
  GetNetworkFiguresRequest,
  GetNetworkFiguresResponse,
  GetProcessIndicatorsRequest,
  GetProcessIndicatorsResponse,
  GetStructureIndicatorsRequest,
  GetStructureIndicatorsResponse,
  type StatsFilter,
} from '../../generated/enlace/v1/stats.js';
import type { Principal } from '../../services/index.js';
import { AGREED_TABLES, type Dimension } from '../../services/stats/index.js';
import type { GatewayContext } from '../context.js';

/** What the statistics page was asked for (the route's schema narrows the query to this). */
export interface StatsQuery {
  from: string;
  to: string;
  direction: '' | 'inbound' | 'outbound';
  kind: string;
  period: 'month' | 'quarter';
  rows: Dimension;
  columns: Dimension | '';
  quarter: string;
}

/** Everything the page shows, as the node answered it. */
export interface StatsData {
  overTime: GetCountsResponse;
  byForm: GetCountsResponse;
  bySex: GetCountsResponse;
  byAge: GetCountsResponse;
  cross: GetCountsResponse;
  process: GetProcessIndicatorsResponse;
  structure: GetStructureIndicatorsResponse;
  network: GetNetworkFiguresResponse;
}

function filterOf(q: StatsQuery): StatsFilter {
  return { fromPeriod: q.from, toPeriod: q.to, direction: q.direction, kind: q.kind };
}

/** The page's tables (stat-tables.ts) each answer of StatsData is drawn into. */
const TABLES_OF: Record<keyof StatsData, readonly string[]> = {
  overTime: ['over_time'],
  byForm: ['by_form'],
  bySex: ['by_sex'],
  byAge: ['by_age'],
  cross: ['cross'],
  process: ['process'],
  structure: ['structure', 'structure_themes'],
  network: AGREED_TABLES.map((t) => `network_${t.id}`),
};

/** A file of one table of the page: the call that table is drawn from is the only one asked, and the node audits it as an export. */
export interface StatsExport {
  table: string;
  format: 'csv' | 'xlsx';
}

/**
 * The node's StatsService calls of one page, in parallel, as the signed-in person (the node
 * audits each as a read of statistics). With `exporting`, only the call its table needs, named
 * with the file (the node audits it as an export); the others answer empty without asking.
 */
export async function loadStatistics(ctx: GatewayContext, p: Principal, q: StatsQuery, exporting?: StatsExport): Promise<StatsData> {
  const s = ctx.node.stats;
  const filter = filterOf(q);
  const asked = (of: keyof StatsData) => !exporting || TABLES_OF[of].includes(exporting.table);
  const exportFile = exporting ? `${exporting.table}.${exporting.format}` : '';
  const ask = <T>(of: keyof StatsData, empty: T, call: () => Promise<T>): Promise<T> => (asked(of) ? call() : Promise.resolve(empty));
  const counts = (of: keyof StatsData, rows: string, columns = '') =>
    ask(of, GetCountsResponse.fromPartial({}), () => ctx.node.call(p, s, s.getCounts, GetCountsRequest.fromPartial({ rows, columns, filter, exportFile })));
  const [overTime, byForm, bySex, byAge, cross, process, structure, network] = await Promise.all([
    counts('overTime', q.period, 'direction'),
    counts('byForm', 'form'),
    counts('bySex', 'sex'),
    counts('byAge', 'age_group'),
    counts('cross', q.rows, q.columns),
    ask('process', GetProcessIndicatorsResponse.fromPartial({}), () => ctx.node.call(p, s, s.getProcessIndicators, GetProcessIndicatorsRequest.fromPartial({ filter, exportFile }))),
    ask('structure', GetStructureIndicatorsResponse.fromPartial({}), () => ctx.node.call(p, s, s.getStructureIndicators, GetStructureIndicatorsRequest.fromPartial({ exportFile }))),
    ask('network', GetNetworkFiguresResponse.fromPartial({ quarter: q.quarter }), () =>
      ctx.node.call(p, s, s.getNetworkFigures, GetNetworkFiguresRequest.fromPartial({ quarter: q.quarter, exportFile })),
    ),
  ]);
  return { overTime, byForm, bySex, byAge, cross, process, structure, network };
}
