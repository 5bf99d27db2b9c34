import { GetCountsRequest, GetNetworkFiguresRequest, GetProcessIndicatorsRequest, GetStructureIndicatorsRequest } from '../../generated/enlace/v1/stats.js';
import type { GetCountsResponse, GetNetworkFiguresResponse, GetProcessIndicatorsResponse, GetStructureIndicatorsResponse, StatsFilter } from '../../generated/enlace/v1/stats.js';
import type { Principal } from '../../services/index.js';
import type { Dimension } from '../../services/stats/index.js';
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

/** The node's StatsService calls of one page, in parallel, as the signed-in person. */
export async function loadStatistics(ctx: GatewayContext, p: Principal, q: StatsQuery): Promise<StatsData> {
  const s = ctx.node.stats;
  const filter = filterOf(q);
  const counts = (rows: string, columns = '') => ctx.node.call(p, s, s.getCounts, GetCountsRequest.fromPartial({ rows, columns, filter }));
  const [overTime, byForm, bySex, byAge, cross, process, structure, network] = await Promise.all([
    counts(q.period, 'direction'),
    counts('form'),
    counts('sex'),
    counts('age_group'),
    counts(q.rows, q.columns),
    ctx.node.call(p, s, s.getProcessIndicators, GetProcessIndicatorsRequest.fromPartial({ filter })),
    ctx.node.call(p, s, s.getStructureIndicators, GetStructureIndicatorsRequest.fromPartial({})),
    ctx.node.call(p, s, s.getNetworkFigures, GetNetworkFiguresRequest.fromPartial({ quarter: q.quarter })),
  ]);
  return { overTime, byForm, bySex, byAge, cross, process, structure, network };
}
