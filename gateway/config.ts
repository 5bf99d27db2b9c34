import { isAbsolute, join, resolve } from 'node:path';
import { EnlaceError } from '../keys/index.js';

/** A gateway's configuration, sectioned; built by gatewayEnvToCfg or directly by tests. */
export interface GatewayConfig {
  /** The node this gateway serves: its country, data folder and gRPC address. */
  node: { country: string; dataDir: string; grpc: string };
  http: { host: string; port: number; secureCookies: boolean };
  auth: {
    sessionTtlSeconds: number;
    /** Strength of new password hashes: interactive (production) or min (tests only). */
    passwordStrength: 'interactive' | 'moderate' | 'min';
    loginLimit: { perIp: number; perUser: number; windowMs: number };
  };
  /** Users to create on first start when absent (demo); a JSON file of {username, roles, password}. */
  seedUsersFile?: string;
  log: { level: string };
}

export type Env = Readonly<Record<string, string | undefined>>;

export function gatewayPaths(cfg: GatewayConfig) {
  return {
    db: join(cfg.node.dataDir, 'gateway.db'),
    sessionKey: join(cfg.node.dataDir, 'keys', 'gateway-session.key'),
    apiIssuer: join(cfg.node.dataDir, 'keys', 'api-issuer.key.json'),
  };
}

export const DEFAULT_AUTH: GatewayConfig['auth'] = {
  sessionTtlSeconds: 30 * 60,
  passwordStrength: 'interactive',
  loginLimit: { perIp: 20, perUser: 5, windowMs: 15 * 60_000 },
};

/**
 * Variables: ENLACE_COUNTRY, ENLACE_DATA_DIR, ENLACE_NODE_GRPC (the node's host:port),
 * ENLACE_GATEWAY_LISTEN (host:port, port 0 picks one), ENLACE_GATEWAY_SECURE_COOKIES (1 behind
 * HTTPS), ENLACE_GATEWAY_SEED_USERS, ENLACE_LOG_LEVEL. The passphrase comes separately.
 */
export function gatewayEnvToCfg(env: Env, cwd: string): GatewayConfig {
  const country = env.ENLACE_COUNTRY ?? '';
  if (!/^[A-Z]{2}$/.test(country)) {
    throw new EnlaceError('ERR_CONFIG', "ENLACE_COUNTRY must be the node's ISO 3166-1 alpha-2 code in capitals, like AR");
  }
  const path = (p: string) => (isAbsolute(p) ? p : resolve(cwd, p));
  const hostPort = (name: string, text: string) => {
    const m = /^(.+):(\d{1,5})$/.exec(text);
    if (!m || Number(m[2]) > 65535) throw new EnlaceError('ERR_CONFIG', `${name} must be host:port, like 127.0.0.1:8080 (got "${text}")`);
    return { host: m[1]!, port: Number(m[2]) };
  };
  const grpc = env.ENLACE_NODE_GRPC ?? '127.0.0.1:50051';
  hostPort('ENLACE_NODE_GRPC', grpc);
  const listen = hostPort('ENLACE_GATEWAY_LISTEN', env.ENLACE_GATEWAY_LISTEN ?? '127.0.0.1:8080');
  const cfg: GatewayConfig = {
    node: { country, dataDir: path(env.ENLACE_DATA_DIR ?? join('.data', country)), grpc },
    http: { ...listen, secureCookies: env.ENLACE_GATEWAY_SECURE_COOKIES === '1' },
    auth: DEFAULT_AUTH,
    log: { level: env.ENLACE_LOG_LEVEL ?? 'info' },
  };
  if (env.ENLACE_GATEWAY_SEED_USERS) cfg.seedUsersFile = path(env.ENLACE_GATEWAY_SEED_USERS);
  return cfg;
}
