import type { GetNetworkFiguresRequest, GetNetworkFiguresResponse, StatsServiceServer } from '../../../generated/enlace/v1/stats.js';
import { InvalidArgumentError } from '../../../keys/index.js';
import { isQuarter } from '../../stats/index.js';
import type { ApiContext } from '../context.js';
import { PERMISSIONS, unary } from '../guard.js';

export function getNetworkFiguresRoute(ctx: ApiContext): Pick<StatsServiceServer, 'getNetworkFigures'> {
  return {
    getNetworkFigures: unary<GetNetworkFiguresRequest, GetNetworkFiguresResponse>(ctx, PERMISSIONS.stats, async (req) => {
      if (!isQuarter(req.quarter)) throw new InvalidArgumentError('quarter', 'must be a quarter written YYYY-Qn, like 2026-Q1');
      const f = ctx.stats.figures(req.quarter);
      return { quarter: f.quarter, threshold: f.threshold, cells: f.cells, records: f.records.map((r) => ({ country: r.country, accepted: r.accepted, reasonCode: r.reasonCode, at: r.at })) };
    }),
  };
}
