import type { Principal } from '../services/index.js';
import type { LoginLimiter } from './auth/rate-limit.js';
import type { SessionTokens } from './auth/session.js';
import type { GatewayConfig } from './config.js';
import type { GatewayDb } from './db/open.js';
import type { User, Users } from './db/users.js';
import type { Logger } from './logger.js';
import type { NodeClient } from './node/client.js';

/** Everything the routes use, built once by Gateway.create. */
export interface GatewayContext {
  cfg: GatewayConfig;
  country: string;
  logger: Logger;
  db: GatewayDb;
  users: Users;
  sessions: SessionTokens;
  limiter: LoginLimiter;
  node: NodeClient;
  timeZone: string;
  now: () => number;
}

/** The identity the node sees for a person: their username at this gateway and exactly their roles. */
export function principalOf(user: Pick<User, 'username' | 'roles'>): Principal {
  return { subject: `gateway:${user.username}`, roles: [...user.roles] };
}
