import type { GetProcessIndicatorsRequest, GetProcessIndicatorsResponse, StatsServiceServer } from '../../../generated/enlace/v1/stats.js';
import { processIndicators } from '../../stats/index.js';
import { processGroups } from '../../store/index.js';
import type { ApiContext } from '../context.js';
import { PERMISSIONS, unary } from '../guard.js';
import { auditStats } from '../read-audit.js';
import { filterParams, validExportFile, validStatsFilter } from './stats-filter.js';

export function getProcessIndicatorsRoute(ctx: ApiContext): Pick<StatsServiceServer, 'getProcessIndicators'> {
  return {
    getProcessIndicators: unary<GetProcessIndicatorsRequest, GetProcessIndicatorsResponse>(ctx, PERMISSIONS.stats, async (req, principal) => {
      const sel = validStatsFilter(req.filter);
      const exportFile = validExportFile(req.exportFile);
      const now = ctx.exchange.clock.now();
      const indicators = processIndicators(processGroups(ctx.exchange.store.db, sel, now));
      auditStats(ctx.exchange, { principal, at: now, table: 'process', params: filterParams(sel), exportFile });
      return { indicators, computedAt: now };
    }),
  };
}
