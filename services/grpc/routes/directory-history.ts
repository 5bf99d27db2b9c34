import type { DirectoryServiceServer, HistoryRequest, HistoryResponse } from '../../../generated/enlace/v1/directory.js';
import { InvalidArgumentError } from '../../../keys/index.js';
import type { ApiContext } from '../context.js';
import { historyToProto } from '../directory-convert.js';
import { validCountry, validEntryId } from '../directory-validate.js';
import { PERMISSIONS, unary } from '../guard.js';

/** Newest first; the page token is the seq to continue below. */
export function directoryHistoryRoute(ctx: ApiContext): Pick<DirectoryServiceServer, 'history'> {
  return {
    history: unary<HistoryRequest, HistoryResponse>(ctx, PERMISSIONS.directoryRead, async (req) => {
      const country = validCountry(req.country, 'country')!;
      if (req.pageSize > 500) throw new InvalidArgumentError('page_size', 'must be at most 500');
      if (req.pageToken && !/^\d{1,15}$/.test(req.pageToken)) throw new InvalidArgumentError('page_token', 'is not a token returned by History');
      const limit = req.pageSize || 50;
      const records = ctx.registry.history(country, {
        ...(req.id ? { id: validEntryId(req.id) } : {}),
        ...(req.pageToken ? { beforeSeq: Number(req.pageToken) } : {}),
        limit: limit + 1,
      });
      const page = records.slice(0, limit);
      return { records: page.map(historyToProto), nextPageToken: records.length > limit ? String(page.at(-1)!.seq) : '' };
    }),
  };
}
