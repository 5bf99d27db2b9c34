import type { DirectoryServiceServer, UpsertRequest, UpsertResponse } from '../../../generated/enlace/v1/directory.js';
import { InvalidArgumentError } from '../../../keys/index.js';
import type { ApiContext } from '../context.js';
import { contactFromProto, entryToProto } from '../directory-convert.js';
import { PERMISSIONS, unary } from '../guard.js';

export function directoryUpsertRoute(ctx: ApiContext): Pick<DirectoryServiceServer, 'upsert'> {
  return {
    upsert: unary<UpsertRequest, UpsertResponse>(ctx, PERMISSIONS.directoryWrite, async (req, principal) => {
      if (!req.contact) throw new InvalidArgumentError('contact', 'is required');
      const entry = await ctx.registry.upsertContact(contactFromProto(req.contact), principal.subject, req.expectedVersion);
      return { entry: entryToProto(entry, ctx.registry.isActive(entry)) };
    }),
  };
}
