import type { DirectoryServiceServer, RetireRequest, RetireResponse } from '../../../generated/enlace/v1/directory.js';
import type { ApiContext } from '../context.js';
import { entryToProto } from '../directory-convert.js';
import { validCountry, validEntryId } from '../directory-validate.js';
import { PERMISSIONS, unary } from '../guard.js';

export function directoryRetireRoute(ctx: ApiContext): Pick<DirectoryServiceServer, 'retire'> {
  return {
    retire: unary<RetireRequest, RetireResponse>(ctx, PERMISSIONS.directoryWrite, async (req, principal) => {
      const country = validCountry(req.country, 'country')!;
      const entry = await ctx.registry.retireContact(country, validEntryId(req.id), principal.subject, req.reason, req.expectedVersion);
      return { entry: entryToProto(entry, ctx.registry.isActive(entry)) };
    }),
  };
}
