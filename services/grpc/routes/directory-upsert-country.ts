import type { DirectoryServiceServer, UpsertCountryRequest, UpsertCountryResponse } from '../../../generated/enlace/v1/directory.js';
import { InvalidArgumentError } from '../../../keys/index.js';
import type { ApiContext } from '../context.js';
import { profileFromProto, profileToProto } from '../directory-convert.js';
import { PERMISSIONS, unary } from '../guard.js';

export function directoryUpsertCountryRoute(ctx: ApiContext): Pick<DirectoryServiceServer, 'upsertCountry'> {
  return {
    upsertCountry: unary<UpsertCountryRequest, UpsertCountryResponse>(ctx, PERMISSIONS.directoryWrite, async (req, principal) => {
      if (!req.profile) throw new InvalidArgumentError('profile', 'is required');
      const p = await ctx.registry.upsertProfile(profileFromProto(req.profile), principal.subject, req.expectedVersion);
      return { profile: profileToProto(p.data), version: p.version };
    }),
  };
}
