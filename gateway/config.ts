import { isAbsolute, join, resolve } from 'node:path';
import { EnlaceError } from '../keys/index.js';
import type { LoginLimitSettings } from './auth/rate-limit.js';
import type { MailConfig } from './notifications/mailer.js';

/** A gateway's configuration, sectioned; built by gatewayEnvToCfg or directly by tests. */
export interface GatewayConfig {
  /**
   * The node this gateway serves: its country, data folder and gRPC address; `grpcCa`, the
   * network CA file its TLS certificate is checked against (without it the gateway speaks
   * plaintext, which the node accepts only on a loopback listener).
   */
  node: { country: string; dataDir: string; grpc: string; grpcCa?: string };
  http: {
    host: string;
    port: number;
    /** Served over HTTPS (directly or behind the proxy below): Secure cookies, HSTS, https:// origin. */
    secureCookies: boolean;
    /**
     * Addresses (or CIDR ranges) of the reverse proxies in front of the gateway: only from them
     * are X-Forwarded-For and X-Forwarded-Proto believed. A request that arrives through one
     * with X-Forwarded-Proto https gets HSTS and Secure cookies too.
     */
    trustedProxies?: string[];
  };
  auth: {
    /** A session ends after this long without a request. */
    sessionIdleSeconds: number;
    /** A session ends this long after sign-in, however active. */
    sessionMaxSeconds: number;
    /** Strength of new password hashes: interactive (production) or min (tests only). */
    passwordStrength: 'interactive' | 'moderate' | 'min';
    loginLimit: LoginLimitSettings;
    /** Focal points and prosecutors must sign in with a TOTP code (gatewayEnvToCfg: on unless ENLACE_GATEWAY_TOTP=optional). */
    requireTotpForContent: boolean;
  };
  /** Users to create on first start when absent (demo); a JSON file of {username, roles, password}. */
  seedUsersFile?: string;
  /** The node holds the demo's generated population (npm start): the statistics page says the figures are fictional. */
  demoData?: boolean;
  /** In-app notifications: deadlines are looked at every `scanSeconds`; e-mail only with `mail`. */
  notifications?: { scanSeconds?: number; mail?: MailConfig };
  log: { level: string };
}

/** How often deadlines are scanned for due-soon and overdue notifications, unless configured. */
export const DEFAULT_NOTIFY_SCAN_SECONDS = 600;

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/**
 * ENLACE_SMTP_HOST (no host, no e-mail), ENLACE_SMTP_PORT (587, or 465 with TLS),
 * ENLACE_SMTP_TLS (starttls, the default; tls; or none, for a relay on this machine only),
 * ENLACE_SMTP_FROM, ENLACE_SMTP_USER (the password comes with the secrets:
 * ENLACE_SMTP_PASSWORD_FILE), ENLACE_GATEWAY_PUBLIC_URL (the link in each e-mail).
 */
function mailFromEnv(env: Env): MailConfig | undefined {
  const host = env.ENLACE_SMTP_HOST ?? '';
  if (!host) return undefined;
  const tls = env.ENLACE_SMTP_TLS ?? 'starttls';
  if (tls !== 'tls' && tls !== 'starttls' && tls !== 'none') throw new EnlaceError('ERR_CONFIG', `ENLACE_SMTP_TLS must be tls, starttls or none (got "${tls}")`);
  if (tls === 'none' && !LOOPBACK.test(host)) throw new EnlaceError('ERR_CONFIG', 'ENLACE_SMTP_TLS=none is only accepted for a relay on this machine (127.0.0.1, ::1 or localhost)');
  const port = Number(env.ENLACE_SMTP_PORT ?? (tls === 'tls' ? 465 : 587));
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new EnlaceError('ERR_CONFIG', `ENLACE_SMTP_PORT must be a port number (got "${env.ENLACE_SMTP_PORT}")`);
  const from = env.ENLACE_SMTP_FROM ?? '';
  if (!/^[^\s@<>]+@[^\s@<>]+$/.test(from) && !/^[^<>]*<[^\s@<>]+@[^\s@<>]+>$/.test(from))
    throw new EnlaceError('ERR_CONFIG', 'ENLACE_SMTP_FROM must be the sender address of notification e-mail, like enlace@example.gov');
  const publicUrl = env.ENLACE_GATEWAY_PUBLIC_URL ?? '';
  if (!/^https?:\/\/[^\s/]+/.test(publicUrl))
    throw new EnlaceError('ERR_CONFIG', 'ENLACE_GATEWAY_PUBLIC_URL must be the address people open the gateway at (https://...), for the link in notification e-mail');
  return { host, port, tls, from, publicUrl, ...(env.ENLACE_SMTP_USER ? { user: env.ENLACE_SMTP_USER } : {}) };
}

export type Env = Readonly<Record<string, string | undefined>>;

export function gatewayPaths(cfg: GatewayConfig) {
  return {
    db: join(cfg.node.dataDir, 'gateway.db'),
    sessionKey: join(cfg.node.dataDir, 'keys', 'gateway-session.key'),
    apiIssuer: join(cfg.node.dataDir, 'keys', 'api-issuer.key.json'),
  };
}

/** Defaults of a gateway built in code (tests); gatewayEnvToCfg starts from these and turns TOTP on. */
export const DEFAULT_AUTH: GatewayConfig['auth'] = {
  sessionIdleSeconds: 30 * 60,
  sessionMaxSeconds: 12 * 3600,
  passwordStrength: 'interactive',
  loginLimit: { perIp: 20, perUser: 5, windowMs: 15 * 60_000, maxAccountDelayMs: 4_000, maxAddressDelayMs: 30_000 },
  requireTotpForContent: false,
};

/**
 * Variables: ENLACE_COUNTRY, ENLACE_DATA_DIR, ENLACE_NODE_GRPC (the node's host:port),
 * ENLACE_NODE_GRPC_CA (the CA file of the node's TLS certificate; TLS to the node when set),
 * ENLACE_GATEWAY_LISTEN (host:port, port 0 picks one), ENLACE_GATEWAY_SECURE_COOKIES (1 when
 * served over HTTPS), ENLACE_GATEWAY_TRUSTED_PROXIES (comma-separated addresses or CIDRs),
 * ENLACE_GATEWAY_SESSION_IDLE_MINUTES (30), ENLACE_GATEWAY_SESSION_MAX_HOURS (12),
 * ENLACE_GATEWAY_TOTP (required, the default, or optional), ENLACE_GATEWAY_SEED_USERS,
 * ENLACE_GATEWAY_DEMO_DATA (1: the node holds npm start's fictional population),
 * ENLACE_GATEWAY_NOTIFY_SCAN_SECONDS (600), the ENLACE_SMTP_* of mailFromEnv,
 * ENLACE_LOG_LEVEL. The passphrase comes separately.
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
  const positive = (name: string, fallback: number) => {
    const text = env[name];
    if (text === undefined || text === '') return fallback;
    const n = Number(text);
    if (!Number.isFinite(n) || n <= 0) throw new EnlaceError('ERR_CONFIG', `${name} must be a positive number (got "${text}")`);
    return n;
  };
  const idle = positive('ENLACE_GATEWAY_SESSION_IDLE_MINUTES', DEFAULT_AUTH.sessionIdleSeconds / 60) * 60;
  const max = positive('ENLACE_GATEWAY_SESSION_MAX_HOURS', DEFAULT_AUTH.sessionMaxSeconds / 3600) * 3600;
  if (idle > max) throw new EnlaceError('ERR_CONFIG', 'ENLACE_GATEWAY_SESSION_IDLE_MINUTES must not be longer than ENLACE_GATEWAY_SESSION_MAX_HOURS');
  const totp = env.ENLACE_GATEWAY_TOTP ?? 'required';
  if (totp !== 'required' && totp !== 'optional') throw new EnlaceError('ERR_CONFIG', `ENLACE_GATEWAY_TOTP must be required or optional (got "${totp}")`);
  const proxies = (env.ENLACE_GATEWAY_TRUSTED_PROXIES ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const cfg: GatewayConfig = {
    node: { country, dataDir: path(env.ENLACE_DATA_DIR ?? join('.data', country)), grpc },
    http: { ...listen, secureCookies: env.ENLACE_GATEWAY_SECURE_COOKIES === '1', ...(proxies.length ? { trustedProxies: proxies } : {}) },
    auth: { ...DEFAULT_AUTH, sessionIdleSeconds: idle, sessionMaxSeconds: max, requireTotpForContent: totp === 'required' },
    log: { level: env.ENLACE_LOG_LEVEL ?? 'info' },
  };
  const mail = mailFromEnv(env);
  cfg.notifications = { scanSeconds: positive('ENLACE_GATEWAY_NOTIFY_SCAN_SECONDS', DEFAULT_NOTIFY_SCAN_SECONDS), ...(mail ? { mail } : {}) };
  if (env.ENLACE_GATEWAY_SEED_USERS) cfg.seedUsersFile = path(env.ENLACE_GATEWAY_SEED_USERS);
  if (env.ENLACE_GATEWAY_DEMO_DATA === '1') cfg.demoData = true;
  if (env.ENLACE_NODE_GRPC_CA) cfg.node.grpcCa = path(env.ENLACE_NODE_GRPC_CA);
  return cfg;
}
