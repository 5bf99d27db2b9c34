import { ROLES, type Principal, type Role } from '../services/index.js';
import type { LoginLimiter } from './auth/rate-limit.js';
import type { RoleGrants } from './db/grants.js';
import type { SessionStore } from './db/sessions.js';
import type { GatewayConfig } from './config.js';
import type { GatewayDb } from './db/open.js';
import type { User, Users } from './db/users.js';
import type { Logger } from './logger.js';
import type { NodeClient } from './node/client.js';
import type { Drafts } from './db/drafts.js';
import type { NotificationStore } from './notifications/store.js';

/** Everything the routes use, built once by Gateway.create. */
export interface GatewayContext {
  cfg: GatewayConfig;
  country: string;
  logger: Logger;
  db: GatewayDb;
  users: Users;
  sessions: SessionStore;
  grants: RoleGrants;
  /** Signs the device cookie (a browser that signed in to an account before). */
  deviceKey: Uint8Array;
  limiter: LoginLimiter;
  /** Requests being written, sealed, read by their author only. */
  drafts: Drafts;
  /** What happened to requests, for the people who should act (gateway/notifications). */
  notifications: NotificationStore;
  node: NodeClient;
  timeZone: string;
  now: () => number;
}

/** The identity the node sees for a person: their username at this gateway and exactly their roles. */
export function principalOf(user: Pick<User, 'username' | 'roles'>): Principal {
  // user_admin is the gateway's own: the node has no such role.
  return { subject: `gateway:${user.username}`, roles: user.roles.filter((r) => (ROLES as readonly string[]).includes(r)) as Role[] };
}
