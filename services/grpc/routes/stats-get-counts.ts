import type { GetCountsRequest, GetCountsResponse, StatsServiceServer } from '../../../generated/enlace/v1/stats.js';
import { columnsOf, countTable, validTableDims } from '../../stats/index.js';
import { statsCombinations } from '../../store/index.js';
import type { ApiContext } from '../context.js';
import { PERMISSIONS, unary } from '../guard.js';
import { validStatsFilter } from './stats-filter.js';

export function getCountsRoute(ctx: ApiContext): Pick<StatsServiceServer, 'getCounts'> {
  return {
    getCounts: unary<GetCountsRequest, GetCountsResponse>(ctx, PERMISSIONS.stats, async (req) => {
      const dims = validTableDims(req.rows, req.columns);
      const sel = validStatsFilter(req.filter);
      const t = countTable(statsCombinations(ctx.exchange.store.db, sel, columnsOf(dims.rows, dims.columns)), dims.rows, dims.columns);
      return { rows: t.rows, columns: t.columns, cells: t.cells, requests: t.requests, erased: t.erased };
    }),
  };
}
