import type { ListCasesRequest, ListCasesResponse } from '../../../generated/enlace/v1/cases.js';
import type { ExchangeServiceServer } from '../../../generated/enlace/v1/exchange.js';
import { InvalidArgumentError } from '../../../keys/index.js';
import { findCases } from '../../exchange/index.js';
import type { ApiContext } from '../context.js';
import { caseToProto, viewerOf } from '../convert.js';
import { PERMISSIONS, unary } from '../guard.js';
import { validIds } from '../validate-links.js';

export function listCasesRoute(ctx: ApiContext): Pick<ExchangeServiceServer, 'listCases'> {
  return {
    listCases: unary<ListCasesRequest, ListCasesResponse>(ctx, PERMISSIONS.readRequests, async (req, principal) => {
      if (req.pageSize > 500) throw new InvalidArgumentError('page_size', 'must be at most 500');
      if (req.owner && !/^[A-Z]{2}$/.test(req.owner)) throw new InvalidArgumentError('owner', 'must be an ISO 3166-1 alpha-2 code in capitals');
      if (req.text.length > 200) throw new InvalidArgumentError('text', 'must have at most 200 characters');
      if (req.pageToken && !/^\d{1,9}$/.test(req.pageToken)) throw new InvalidArgumentError('page_token', 'is not a token returned by ListCases');
      const offset = Number(req.pageToken || '0');
      const limit = req.pageSize || 50;
      const ids = validIds(req.ids, 'case');
      const { rows, total } = findCases(ctx.exchange, { text: req.text, owner: req.owner, ids }, { offset, limit });
      const viewer = viewerOf(ctx, principal);
      return { cases: rows.map((c) => caseToProto(c, viewer)), nextPageToken: offset + rows.length < total ? String(offset + rows.length) : '', totalCount: total };
    }),
  };
}
