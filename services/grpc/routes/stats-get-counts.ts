import type { GetCountsRequest, GetCountsResponse, StatsServiceServer } from '../../../generated/enlace/v1/stats.js';
import { columnsOf, countTable, validTableDims } from '../../stats/index.js';
import { statsCombinations } from '../../store/index.js';
import type { ApiContext } from '../context.js';
import { PERMISSIONS, unary } from '../guard.js';
import { auditStats } from '../read-audit.js';
import { filterParams, validExportFile, validStatsFilter } from './stats-filter.js';

export function getCountsRoute(ctx: ApiContext): Pick<StatsServiceServer, 'getCounts'> {
  return {
    getCounts: unary<GetCountsRequest, GetCountsResponse>(ctx, PERMISSIONS.stats, async (req, principal) => {
      const dims = validTableDims(req.rows, req.columns);
      const sel = validStatsFilter(req.filter);
      const exportFile = validExportFile(req.exportFile);
      const t = countTable(statsCombinations(ctx.exchange.store.db, sel, columnsOf(dims.rows, dims.columns)), dims.rows, dims.columns);
      auditStats(ctx.exchange, { principal, at: ctx.exchange.clock.now(), table: 'counts', params: { rows: dims.rows, columns: dims.columns, ...filterParams(sel) }, exportFile });
      return { rows: t.rows, columns: t.columns, cells: t.cells, requests: t.requests, erased: t.erased };
    }),
  };
}
