import type { FastifyInstance } from 'fastify';
import { stages } from '../app/lifecycle.js';
import { extraditions } from '../app/requests.js';
import { principalOf, type GatewayContext } from '../context.js';
import { extraditionPage } from '../ui/pages/extradition.js';
import { SCREEN_ROLES } from '../ui/view.js';
import { requireUser, sendPage, viewOf } from '../web.js';

export function extraditionRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  app.get('/extradition', async (req, reply) => {
    const user = requireUser(req, SCREEN_ROLES.extradition);
    const { requests, total } = await extraditions(ctx, principalOf(user));
    return sendPage(reply, extraditionPage(viewOf(ctx, req), { requests, total, stages: stages(), now: ctx.now() }));
  });
}
