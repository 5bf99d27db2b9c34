import type { DirectoryServiceServer, GetRequest, GetResponse } from '../../../generated/enlace/v1/directory.js';
import { EnlaceError } from '../../../keys/index.js';
import type { ApiContext } from '../context.js';
import { entryToProto } from '../directory-convert.js';
import { validCountry, validEntryId } from '../directory-validate.js';
import { PERMISSIONS, unary } from '../guard.js';

export function directoryGetRoute(ctx: ApiContext): Pick<DirectoryServiceServer, 'get'> {
  return {
    get: unary<GetRequest, GetResponse>(ctx, PERMISSIONS.directoryRead, async (req) => {
      const country = validCountry(req.country, 'country')!;
      const id = validEntryId(req.id);
      const entry = ctx.registry.contact(country, id);
      if (!entry) throw new EnlaceError('ERR_NOT_FOUND', `no contact point ${country}/${id} in the registry`);
      return { entry: entryToProto(entry, ctx.registry.isActive(entry)) };
    }),
  };
}
