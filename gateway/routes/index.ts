import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../context.js';
import { apiRoutes } from './api.js';
import { authRoutes } from './auth.js';
import { composeRoutes } from './compose.js';
import { directoryRoutes } from './directory.js';
import { eventRoutes } from './events.js';
import { extraditionRoutes } from './extradition.js';
import { networkRoutes } from './network.js';
import { requestRoutes } from './requests.js';
import { staticRoutes } from './static.js';
import { userRoutes } from './users.js';

const OPEN_WHILE_MUST_CHANGE = /^\/(account|logout|login|lang\/|static\/|favicon)/;

export async function registerRoutes(app: FastifyInstance, ctx: GatewayContext): Promise<void> {
  // A password set by an admin is for one sign-in only: until it is changed, only the account page opens.
  app.addHook('preHandler', async (req, reply) => {
    if (req.enlace.user?.mustChangePassword && req.method === 'GET' && !OPEN_WHILE_MUST_CHANGE.test(req.url)) {
      return reply.redirect('/account');
    }
    return undefined;
  });
  staticRoutes(app);
  authRoutes(app, ctx);
  requestRoutes(app, ctx);
  composeRoutes(app, ctx);
  directoryRoutes(app, ctx);
  extraditionRoutes(app, ctx);
  networkRoutes(app, ctx);
  userRoutes(app, ctx);
  eventRoutes(app, ctx);
  apiRoutes(app, ctx);
}
