import type { DirectoryServiceServer, GetCountryRequest, GetCountryResponse } from '../../../generated/enlace/v1/directory.js';
import { EnlaceError } from '../../../keys/index.js';
import type { ApiContext } from '../context.js';
import { profileToProto } from '../directory-convert.js';
import { validCountry } from '../directory-validate.js';
import { PERMISSIONS, unary } from '../guard.js';

export function directoryGetCountryRoute(ctx: ApiContext): Pick<DirectoryServiceServer, 'getCountry'> {
  return {
    getCountry: unary<GetCountryRequest, GetCountryResponse>(ctx, PERMISSIONS.directoryRead, async (req) => {
      const country = validCountry(req.country, 'country')!;
      const p = ctx.registry.profile(country);
      if (!p) throw new EnlaceError('ERR_NOT_FOUND', `${country} has not published its practical information`);
      return { profile: profileToProto(p.data), version: p.version, updatedAt: p.updatedAt, updatedBy: p.updatedBy };
    }),
  };
}
