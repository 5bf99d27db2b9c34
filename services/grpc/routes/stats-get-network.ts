import type { GetNetworkFiguresRequest, GetNetworkFiguresResponse, StatsServiceServer } from '../../../generated/enlace/v1/stats.js';
import { InvalidArgumentError } from '../../../keys/index.js';
import { isQuarter } from '../../stats/index.js';
import type { ApiContext } from '../context.js';
import { PERMISSIONS, unary } from '../guard.js';
import { auditStats } from '../read-audit.js';
import { validExportFile } from './stats-filter.js';

export function getNetworkFiguresRoute(ctx: ApiContext): Pick<StatsServiceServer, 'getNetworkFigures'> {
  return {
    getNetworkFigures: unary<GetNetworkFiguresRequest, GetNetworkFiguresResponse>(ctx, PERMISSIONS.stats, async (req, principal) => {
      if (!isQuarter(req.quarter)) throw new InvalidArgumentError('quarter', 'must be a quarter written YYYY-Qn, like 2026-Q1');
      const exportFile = validExportFile(req.exportFile);
      const f = ctx.stats.figures(req.quarter);
      auditStats(ctx.exchange, { principal, at: ctx.exchange.clock.now(), table: 'network', params: { quarter: f.quarter }, exportFile });
      return { quarter: f.quarter, threshold: f.threshold, cells: f.cells, records: f.records.map((r) => ({ country: r.country, accepted: r.accepted, reasonCode: r.reasonCode, at: r.at })) };
    }),
  };
}
