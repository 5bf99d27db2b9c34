import type { GetProcessIndicatorsRequest, GetProcessIndicatorsResponse, StatsServiceServer } from '../../../generated/enlace/v1/stats.js';
import { processIndicators } from '../../stats/index.js';
import { processFacts } from '../../store/index.js';
import type { ApiContext } from '../context.js';
import { PERMISSIONS, unary } from '../guard.js';
import { validStatsFilter } from './stats-filter.js';

export function getProcessIndicatorsRoute(ctx: ApiContext): Pick<StatsServiceServer, 'getProcessIndicators'> {
  return {
    getProcessIndicators: unary<GetProcessIndicatorsRequest, GetProcessIndicatorsResponse>(ctx, PERMISSIONS.stats, async (req) => {
      const sel = validStatsFilter(req.filter);
      const now = ctx.exchange.clock.now();
      return { indicators: processIndicators(processFacts(ctx.exchange.store.db, sel), now), computedAt: now };
    }),
  };
}
