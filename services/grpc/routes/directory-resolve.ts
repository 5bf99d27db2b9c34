import type { DirectoryServiceServer, ResolveRequest, ResolveResponse } from '../../../generated/enlace/v1/directory.js';
import { EnlaceError, InvalidArgumentError } from '../../../keys/index.js';
import type { ApiContext } from '../context.js';
import { entryToProto } from '../directory-convert.js';
import { validCountry, validRequestKind, validTheme } from '../directory-validate.js';
import { PERMISSIONS, unary } from '../guard.js';

export function directoryResolveRoute(ctx: ApiContext): Pick<DirectoryServiceServer, 'resolve'> {
  return {
    resolve: unary<ResolveRequest, ResolveResponse>(ctx, PERMISSIONS.directoryRead, async (req) => {
      const country = validCountry(req.country, 'country')!;
      const kind = validRequestKind(req.requestKind);
      const theme = validTheme(req.theme);
      if (!kind && !theme) throw new InvalidArgumentError('request_kind', 'or theme is required');
      const found = ctx.registry.resolve(kind ?? '', country, theme ? { theme } : {});
      if (found.length === 0) {
        throw new EnlaceError('ERR_REGISTRY_UNRESOLVED', `no active contact point of ${country} for ${kind ?? theme}${kind && theme ? ` (${theme})` : ''}`);
      }
      return { candidates: found.map((e) => entryToProto(e, true)), address: `${found[0]!.country}/${found[0]!.id}` };
    }),
  };
}
