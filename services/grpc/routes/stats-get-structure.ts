import type { GetStructureIndicatorsRequest, GetStructureIndicatorsResponse, StatsServiceServer } from '../../../generated/enlace/v1/stats.js';
import { InvalidArgumentError } from '../../../keys/index.js';
import { THEMES } from '../../registry/index.js';
import { structureIndicators } from '../../stats/index.js';
import type { ApiContext } from '../context.js';
import { PERMISSIONS, unary } from '../guard.js';
import { auditStats } from '../read-audit.js';
import { validExportFile } from './stats-filter.js';

export function getStructureIndicatorsRoute(ctx: ApiContext): Pick<StatsServiceServer, 'getStructureIndicators'> {
  return {
    getStructureIndicators: unary<GetStructureIndicatorsRequest, GetStructureIndicatorsResponse>(ctx, PERMISSIONS.stats, async (req, principal) => {
      if (req.country && !/^[A-Z]{2}$/.test(req.country)) throw new InvalidArgumentError('country', 'must be an ISO 3166-1 alpha-2 code');
      const exportFile = validExportFile(req.exportFile);
      const countries = ctx.registry
        .nodes()
        .map((n) => n.country)
        .filter((c) => !req.country || c === req.country);
      const active = ctx.registry.search({ ...(req.country ? { country: req.country } : {}), includeInactive: false, offset: 0, limit: 100_000 }).hits.map((h) => h.entry);
      const s = structureIndicators(active, countries, THEMES, ctx.exchange.clock.now());
      auditStats(ctx.exchange, { principal, at: ctx.exchange.clock.now(), table: 'structure', params: { country: req.country }, exportFile });
      return { indicators: s.indicators, themesUncovered: s.uncovered };
    }),
  };
}
