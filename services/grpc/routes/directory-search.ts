import type { DirectoryServiceServer, SearchRequest, SearchResponse } from '../../../generated/enlace/v1/directory.js';
import { InvalidArgumentError } from '../../../keys/index.js';
import type { ApiContext } from '../context.js';
import { entryToProto } from '../directory-convert.js';
import { validCountry, validLanguage, validPage, validRequestKind, validTheme } from '../directory-validate.js';
import { PERMISSIONS, unary } from '../guard.js';

export function directorySearchRoute(ctx: ApiContext): Pick<DirectoryServiceServer, 'search'> {
  return {
    search: unary<SearchRequest, SearchResponse>(ctx, PERMISSIONS.directoryRead, async (req) => {
      const page = validPage(req.pageSize, req.pageToken, { size: 20, max: 200 });
      if (req.text.length > 200) throw new InvalidArgumentError('text', 'must have at most 200 characters');
      const { hits, total } = ctx.registry.search({
        theme: validTheme(req.theme),
        country: validCountry(req.country, 'country', true),
        language: validLanguage(req.language),
        requestKind: validRequestKind(req.requestKind),
        text: req.text.trim() || undefined,
        includeInactive: req.includeInactive,
        offset: page.offset,
        limit: page.limit,
      });
      const next = page.offset + hits.length;
      return {
        hits: hits.map((h) => ({ entry: entryToProto(h.entry, ctx.registry.isActive(h.entry)), score: h.score })),
        nextPageToken: next < total ? String(next) : '',
        total,
      };
    }),
  };
}
