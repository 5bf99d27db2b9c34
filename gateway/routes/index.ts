import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../context.js';
import { GatewayError } from '../errors.js';
import { accountRoutes, pendingStep } from './account.js';
import { apiRoutes } from './api.js';
import { auditRoutes } from './audit.js';
import { authRoutes } from './auth.js';
import { caseRoutes } from './cases.js';
import { composeRoutes } from './compose.js';
import { directoryRoutes } from './directory.js';
import { draftRoutes } from './drafts.js';
import { eventRoutes } from './events.js';
import { extraditionRoutes } from './extradition.js';
import { letterRoutes } from './letter.js';
import { networkRoutes } from './network.js';
import { notificationRoutes } from './notifications.js';
import { requestRoutes } from './requests.js';
import { staticRoutes } from './static.js';
import { statisticsRoutes } from './statistics.js';
import { templateRoutes } from './templates.js';
import { userRoutes } from './users.js';

/** Routes (method and pattern) that open while a one-time password waits to be changed; with TOTP to set up, also those. */
const OPEN_WHILE_PASSWORD = new Set(['GET /account', 'POST /account/password', 'POST /logout', 'GET /lang/:lang', 'GET /static/:file', 'GET /favicon.ico', 'GET /login', 'GET /']);
const OPEN_WHILE_TOTP = new Set([...OPEN_WHILE_PASSWORD, 'POST /account/totp/start', 'POST /account/totp/confirm']);

export async function registerRoutes(app: FastifyInstance, ctx: GatewayContext): Promise<void> {
  // A one-time password (set by an admin) opens nothing but the change-password form, on every
  // route and method: pages, forms, the JSON API and the event stream. The same holds for a
  // content role without the TOTP the configuration requires.
  app.addHook('preHandler', async (req, reply) => {
    const user = req.enlace.user;
    const step = user && pendingStep(ctx, user);
    if (!step) return undefined;
    const route = `${req.method === 'HEAD' ? 'GET' : req.method} ${req.routeOptions.url ?? ''}`;
    if ((step === 'password' ? OPEN_WHILE_PASSWORD : OPEN_WHILE_TOTP).has(route)) return undefined;
    if (req.method === 'GET' && !req.url.startsWith('/api/') && req.routeOptions.url !== '/events') return reply.redirect('/account');
    throw new GatewayError('ERR_PERMISSION_DENIED', step === 'password' ? 'account.mustChange' : 'account.mustEnrol');
  });
  staticRoutes(app);
  authRoutes(app, ctx);
  accountRoutes(app, ctx);
  requestRoutes(app, ctx);
  letterRoutes(app, ctx);
  composeRoutes(app, ctx);
  draftRoutes(app, ctx);
  templateRoutes(app, ctx);
  directoryRoutes(app, ctx);
  extraditionRoutes(app, ctx);
  caseRoutes(app, ctx);
  networkRoutes(app, ctx);
  userRoutes(app, ctx);
  auditRoutes(app, ctx);
  statisticsRoutes(app, ctx);
  eventRoutes(app, ctx);
  notificationRoutes(app, ctx);
  apiRoutes(app, ctx);
}
