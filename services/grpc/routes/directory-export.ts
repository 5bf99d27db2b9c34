import type { DirectoryServiceServer, ExportRequest, ExportResponse } from '../../../generated/enlace/v1/directory.js';
import type { ApiContext } from '../context.js';
import { validCountry, validFormat } from '../directory-validate.js';
import { PERMISSIONS, unary } from '../guard.js';

export function directoryExportRoute(ctx: ApiContext): Pick<DirectoryServiceServer, 'export'> {
  return {
    export: unary<ExportRequest, ExportResponse>(ctx, PERMISSIONS.directoryRead, async (req) => {
      const format = validFormat(req.format);
      const country = validCountry(req.country, 'country', true) ?? ctx.registry.country;
      return {
        content: new TextEncoder().encode(ctx.registry.exportDirectory(format, country, req.includeRetired)),
        mediaType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json',
      };
    }),
  };
}
