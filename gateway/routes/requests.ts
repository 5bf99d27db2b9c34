import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Direction } from '../../generated/enlace/v1/exchange.js';
import { REQUEST_KINDS } from '../app/codes.js';
import { box, getRequest, type BoxFilter } from '../app/requests.js';
import { destinations, nodeInfo } from '../app/network.js';
import { principalOf, type GatewayContext } from '../context.js';
import { GatewayError } from '../errors.js';
import { requestDetailPage } from '../ui/pages/request-detail.js';
import { LIST_STATUSES, requestsListPage } from '../ui/pages/requests-list.js';
import { SCREEN_ROLES } from '../ui/view.js';
import { parseInput } from '../validate.js';
import { requireUser, sendPage, viewOf } from '../web.js';

const filterSchema = z.object({
  status: z.enum(LIST_STATUSES).or(z.literal('')).optional(),
  counterpart: z.string().regex(/^([A-Z]{2})?$/).optional(),
  kind: z.enum(REQUEST_KINDS).or(z.literal('')).optional(),
  q: z.string().max(200).optional(),
  unread: z.literal('1').optional(),
});

export const requestIdSchema = z.object({ id: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'error.pageNotFound') });

export function boxFilter(req: FastifyRequest): BoxFilter {
  const q = parseInput(filterSchema, req.query);
  const f: BoxFilter = {};
  if (q.status) f.status = q.status;
  if (q.counterpart) f.counterpart = q.counterpart;
  if (q.kind) f.kind = q.kind;
  if (q.q) f.q = q.q;
  if (q.unread) f.unread = true;
  return f;
}

export function requestRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  for (const name of ['inbox', 'outbox'] as const) {
    app.get(`/${name}`, async (req, reply) => {
      const user = requireUser(req, SCREEN_ROLES.requests);
      const p = principalOf(user);
      const filter = boxFilter(req);
      const [data, info] = await Promise.all([box(ctx, p, name === 'inbox' ? Direction.DIRECTION_INBOUND : Direction.DIRECTION_OUTBOUND, filter), nodeInfo(ctx, p)]);
      return sendPage(reply, requestsListPage(viewOf(ctx, req), { box: name, data, filter, counterparts: destinations(info) }));
    });
  }

  app.get('/requests/:id', async (req, reply) => {
    const user = requireUser(req, SCREEN_ROLES.requests);
    const { id } = parseInput(requestIdSchema, req.params);
    const res = await getRequest(ctx, principalOf(user), id).catch((e: unknown) => {
      if (e instanceof GatewayError && e.code === 'ERR_INVALID_ARGUMENT') throw new GatewayError('ERR_NOT_FOUND', 'error.pageNotFound');
      throw e;
    });
    if (res.request?.direction === Direction.DIRECTION_INBOUND) ctx.users.markRead(id, user.id, ctx.now());
    const v = viewOf(ctx, req);
    const q = req.query as Record<string, unknown>;
    return sendPage(reply, requestDetailPage(v, res, q.sent ? { notice: v.t('compose.sent') } : {}));
  });
}
