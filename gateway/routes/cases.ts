import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { UUID } from '../../services/envelope/wire.js';
import { UUID_V7 } from '../../services/vocabulary.js';
import { getCase, listCases, requestsByIds, type CaseFilter } from '../app/cases.js';
import { destinations, nodeInfo } from '../app/network.js';
import { principalOf, type GatewayContext } from '../context.js';
import { GatewayError } from '../errors.js';
import { casePage, casesListPage, sentPage } from '../ui/pages/cases.js';
import { SCREEN_ROLES } from '../ui/view.js';
import { parseInput } from '../validate.js';
import { requireUser, sendPage, viewOf } from '../web.js';

const casesQuery = z.object({
  q: z.string().max(100).optional(),
  owner: z
    .string()
    .regex(/^([A-Z]{2})?$/)
    .optional(),
  before: z
    .string()
    .regex(/^[\w-]{1,100}$/)
    .optional(),
});

const sentQuery = z.object({ id: z.union([z.string().regex(UUID_V7), z.array(z.string().regex(UUID_V7)).max(10)]), override: z.literal('1').optional() });

/** Cases (docs/protocol.md §25.2): the list, one case with its requests and timeline, and the result of a send to several states. */
export function caseRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  app.get('/cases', async (req, reply) => {
    const user = requireUser(req, SCREEN_ROLES.requests);
    const p = principalOf(user);
    const q = parseInput(casesQuery, req.query);
    const filter: CaseFilter = { ...(q.q ? { q: q.q } : {}), ...(q.owner ? { owner: q.owner } : {}), ...(q.before ? { before: q.before } : {}) };
    const [data, info] = await Promise.all([listCases(ctx, p, filter), nodeInfo(ctx, p)]);
    return sendPage(reply, casesListPage(viewOf(ctx, req), { data, filter, owners: [ctx.country, ...destinations(info)] }));
  });

  app.get('/cases/:id', async (req, reply) => {
    const user = requireUser(req, SCREEN_ROLES.requests);
    const id = (req.params as { id?: unknown }).id;
    if (typeof id !== 'string' || !UUID.test(id)) throw new GatewayError('ERR_NOT_FOUND', 'error.pageNotFound');
    const res = await getCase(ctx, principalOf(user), id).catch((e: unknown) => {
      if (e instanceof GatewayError && e.code === 'ERR_INVALID_ARGUMENT') throw new GatewayError('ERR_NOT_FOUND', 'error.pageNotFound');
      throw e;
    });
    return sendPage(reply, casePage(viewOf(ctx, req), res));
  });

  app.get('/sent', async (req, reply) => {
    const user = requireUser(req, SCREEN_ROLES.compose);
    const q = parseInput(sentQuery, req.query);
    const ids = Array.isArray(q.id) ? q.id : [q.id];
    // A list of what was just sent (country, subject, status): listed, not read one by one (no content read is audited).
    const requests = await requestsByIds(ctx, principalOf(user), ids);
    if (requests.length === 0) throw new GatewayError('ERR_NOT_FOUND', 'error.pageNotFound');
    return sendPage(reply, sentPage(viewOf(ctx, req), { requests, override: q.override === '1' }));
  });
}
