import type { ExchangeServiceServer } from '../../../generated/enlace/v1/exchange.js';
import type { NodeServiceServer } from '../../../generated/enlace/v1/node.js';
import type { StatsServiceServer } from '../../../generated/enlace/v1/stats.js';
import type { ApiContext } from '../context.js';
import { eraseCaseRoute } from './erase-case.js';
import { getAttachmentRoute } from './get-attachment.js';
import { getCaseRoute } from './get-case.js';
import { getNodeInfoRoute } from './get-node-info.js';
import { getRequestRoute } from './get-request.js';
import { listAuditRoute } from './list-audit.js';
import { listCasesRoute } from './list-cases.js';
import { listQuarantineRoute } from './list-quarantine.js';
import { listRequestsRoute } from './list-requests.js';
import { setLegalHoldRoute } from './set-legal-hold.js';
import { getCountsRoute } from './stats-get-counts.js';
import { getNetworkFiguresRoute } from './stats-get-network.js';
import { getProcessIndicatorsRoute } from './stats-get-process.js';
import { getStructureIndicatorsRoute } from './stats-get-structure.js';
import { submitRequestRoute } from './submit-request.js';
import { transitionRoute } from './transition.js';
import { watchRequestsRoute } from './watch-requests.js';
import { withdrawConsentRoute } from './withdraw-consent.js';

export { directoryRoutes } from './directory.js';

export function exchangeRoutes(ctx: ApiContext): ExchangeServiceServer {
  return {
    ...submitRequestRoute(ctx),
    ...getRequestRoute(ctx),
    ...listRequestsRoute(ctx),
    ...watchRequestsRoute(ctx),
    ...transitionRoute(ctx),
    ...eraseCaseRoute(ctx),
    ...getAttachmentRoute(ctx),
    ...setLegalHoldRoute(ctx),
    ...withdrawConsentRoute(ctx),
    ...listCasesRoute(ctx),
    ...getCaseRoute(ctx),
  };
}

export function nodeRoutes(ctx: ApiContext): NodeServiceServer {
  return { ...getNodeInfoRoute(ctx), ...listQuarantineRoute(ctx), ...listAuditRoute(ctx) };
}

export function statsRoutes(ctx: ApiContext): StatsServiceServer {
  return { ...getCountsRoute(ctx), ...getProcessIndicatorsRoute(ctx), ...getStructureIndicatorsRoute(ctx), ...getNetworkFiguresRoute(ctx) };
}
