import type { DirectoryServiceServer } from '../../../generated/enlace/v1/directory.js';
import type { ApiContext } from '../context.js';
import { directoryExportRoute } from './directory-export.js';
import { directoryGetCountryRoute } from './directory-get-country.js';
import { directoryGetRoute } from './directory-get.js';
import { directoryHistoryRoute } from './directory-history.js';
import { directoryImportRoute } from './directory-import.js';
import { directoryListNodesRoute } from './directory-list-nodes.js';
import { directoryListRejectedRoute } from './directory-list-rejected.js';
import { directoryListThemesRoute } from './directory-list-themes.js';
import { directoryResolveRoute } from './directory-resolve.js';
import { directoryRetireRoute } from './directory-retire.js';
import { directorySearchRoute } from './directory-search.js';
import { directoryUpsertCountryRoute } from './directory-upsert-country.js';
import { directoryUpsertRoute } from './directory-upsert.js';

/** DirectoryService, one file per RPC (re-exported by routes/index.ts). */
export function directoryRoutes(ctx: ApiContext): DirectoryServiceServer {
  return {
    ...directorySearchRoute(ctx),
    ...directoryGetRoute(ctx),
    ...directoryUpsertRoute(ctx),
    ...directoryRetireRoute(ctx),
    ...directoryHistoryRoute(ctx),
    ...directoryListNodesRoute(ctx),
    ...directoryResolveRoute(ctx),
    ...directoryGetCountryRoute(ctx),
    ...directoryUpsertCountryRoute(ctx),
    ...directoryListThemesRoute(ctx),
    ...directoryListRejectedRoute(ctx),
    ...directoryImportRoute(ctx),
    ...directoryExportRoute(ctx),
  };
}
