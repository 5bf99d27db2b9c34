import type { FastifyInstance } from 'fastify';
import { listNodes } from '../app/directory.js';
import { nodeInfo, quarantine } from '../app/network.js';
import { principalOf, type GatewayContext } from '../context.js';
import { networkPage } from '../ui/pages/network.js';
import { hasRole, SCREEN_ROLES } from '../ui/view.js';
import { requireUser, sendPage, viewOf } from '../web.js';

export function networkRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  app.get('/network', async (req, reply) => {
    const user = requireUser(req, SCREEN_ROLES.network);
    const p = principalOf(user);
    const v = viewOf(ctx, req);
    const [info, members, q] = await Promise.all([nodeInfo(ctx, p), listNodes(ctx, p), hasRole(v, SCREEN_ROLES.quarantine) ? quarantine(ctx, p) : Promise.resolve(undefined)]);
    return sendPage(reply, networkPage(v, { info, members, ...(q ? { quarantine: q } : {}) }));
  });

  app.get('/api/v1/network', async (req) => {
    const user = requireUser(req, SCREEN_ROLES.network);
    const info = await nodeInfo(ctx, principalOf(user));
    return {
      country: info.country,
      networkId: info.networkId,
      pendingOutbox: info.pendingOutbox,
      quarantined: user.roles.some((r) => (SCREEN_ROLES.quarantine as readonly string[]).includes(r)) ? info.quarantined : undefined,
      peers: info.peers.map((p) => ({ country: p.country, status: p.status, validUntil: Number(p.validUntil) })),
    };
  });
}
