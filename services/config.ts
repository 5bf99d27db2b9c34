import { isAbsolute, join, resolve } from 'node:path';
import { EnlaceError } from '../keys/index.js';
import { DEFAULT_EXCHANGE_SETTINGS, type ExchangeSettings } from './exchange/index.js';

/** A node's configuration, sectioned; built by envToCfg or directly by tests. */
export interface NodeConfig {
  node: {
    country: string;
    dataDir: string;
    /** Folder with anchor.pub.json and descriptors/<CC>.jws. */
    trustDir: string;
  };
  /** `user` authenticates this state's node to NATS (its password is a secret). */
  nats: { servers: string[]; user?: string };
  grpc: { host: string; port: number };
  exchange: ExchangeSettings;
  log: { level: string };
  /** Registry options; absent = defaults (no demo directory). */
  registry?: { demoDirectory: boolean };
}

/** Secrets and key sources, kept apart from the config so that it can be logged. */
export interface NodeSecrets {
  passphrase: string;
  natsPassword?: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

/** Every environment variable a node reads (README, Configuration; checked against docker-compose.yml). */
export const NODE_ENV_VARIABLES = [
  'ENLACE_COUNTRY',
  'ENLACE_DATA_DIR',
  'ENLACE_TRUST_DIR',
  'ENLACE_NATS_URL',
  'ENLACE_GRPC_LISTEN',
  'ENLACE_KEY_PASSPHRASE',
  'ENLACE_KEY_PASSPHRASE_FILE',
  'ENLACE_DELIVERY_HORIZON',
  'ENLACE_ENVELOPE_TTL',
  'ENLACE_LOG_LEVEL',
  'ENLACE_NATS_USER',
  'ENLACE_NATS_PASSWORD_FILE',
  'ENLACE_DEMO_DIRECTORY',
  'ENLACE_RETENTION',
] as const;

/** The one place that reads process.env. */
export function readEnv(): Env {
  return { ...process.env };
}

const DURATION = /^(\d+)(ms|s|m|h|d)$/;
const UNIT: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDuration(name: string, text: string): number {
  const m = DURATION.exec(text.trim());
  if (!m) throw new EnlaceError('ERR_CONFIG', `${name} must be a duration like 90s, 30m, 72h or 7d (got "${text}")`);
  return Number(m[1]) * UNIT[m[2]!]!;
}

export function nodePaths(cfg: NodeConfig) {
  return {
    db: join(cfg.node.dataDir, 'node.db'),
    nodeKeys: join(cfg.node.dataDir, 'keys', `${cfg.node.country}.keys.json`),
    apiIssuer: join(cfg.node.dataDir, 'keys', 'api-issuer.key.json'),
    dataKey: join(cfg.node.dataDir, 'keys', 'data.key.json'),
    anchor: join(cfg.node.trustDir, 'anchor.pub.json'),
    descriptors: join(cfg.node.trustDir, 'descriptors'),
  };
}

/** Reads the NATS password from ENLACE_NATS_PASSWORD_FILE, if one is configured. */
export async function natsPasswordFromEnv(env: Env, readFile: (p: string) => Promise<string>): Promise<string | undefined> {
  const file = env.ENLACE_NATS_PASSWORD_FILE;
  if (!file) return undefined;
  try {
    return (await readFile(file)).replace(/\r?\n$/, '');
  } catch {
    throw new EnlaceError('ERR_CONFIG', `cannot read the NATS password file ${file} (ENLACE_NATS_PASSWORD_FILE)`);
  }
}

/** Reads the passphrase from ENLACE_KEY_PASSPHRASE_FILE or ENLACE_KEY_PASSPHRASE. */
export async function passphraseFromEnv(env: Env, readFile: (p: string) => Promise<string>): Promise<string> {
  const file = env.ENLACE_KEY_PASSPHRASE_FILE;
  if (file) {
    try {
      return (await readFile(file)).replace(/\r?\n$/, '');
    } catch {
      throw new EnlaceError('ERR_CONFIG', `cannot read the passphrase file ${file} (ENLACE_KEY_PASSPHRASE_FILE)`);
    }
  }
  const value = env.ENLACE_KEY_PASSPHRASE;
  if (!value) {
    throw new EnlaceError('ERR_CONFIG', 'no key passphrase: set ENLACE_KEY_PASSPHRASE or ENLACE_KEY_PASSPHRASE_FILE');
  }
  return value;
}

/**
 * Applies defaults and rejects what is missing or contradictory, with a sentence a person
 * understands. Variables: see the configuration table in README.md.
 */
export function envToCfg(env: Env, cwd: string): NodeConfig {
  const country = env.ENLACE_COUNTRY ?? '';
  if (!/^[A-Z]{2}$/.test(country)) {
    throw new EnlaceError('ERR_CONFIG', 'ENLACE_COUNTRY must be the node\'s ISO 3166-1 alpha-2 code in capitals, like AR');
  }
  const path = (p: string) => (isAbsolute(p) ? p : resolve(cwd, p));
  const dataDir = path(env.ENLACE_DATA_DIR ?? join('.data', country));
  const trustDir = path(env.ENLACE_TRUST_DIR ?? join(dataDir, 'trust'));
  const listen = env.ENLACE_GRPC_LISTEN ?? '127.0.0.1:50051';
  const m = /^(.+):(\d{1,5})$/.exec(listen);
  if (!m || Number(m[2]) > 65535) throw new EnlaceError('ERR_CONFIG', `ENLACE_GRPC_LISTEN must be host:port, like 127.0.0.1:50051 (got "${listen}")`);
  const servers = (env.ENLACE_NATS_URL ?? 'nats://127.0.0.1:4222').split(',').map((s) => s.trim()).filter(Boolean);
  const exchange: ExchangeSettings = { ...DEFAULT_EXCHANGE_SETTINGS };
  if (env.ENLACE_DELIVERY_HORIZON) exchange.deliveryHorizonMs = parseDuration('ENLACE_DELIVERY_HORIZON', env.ENLACE_DELIVERY_HORIZON);
  if (env.ENLACE_ENVELOPE_TTL) exchange.envelopeTtlMs = parseDuration('ENLACE_ENVELOPE_TTL', env.ENLACE_ENVELOPE_TTL);
  if (env.ENLACE_RETENTION) exchange.retentionMs = env.ENLACE_RETENTION === 'off' ? 0 : parseDuration('ENLACE_RETENTION', env.ENLACE_RETENTION);
  if (env.ENLACE_NATS_PASSWORD_FILE && !env.ENLACE_NATS_USER) {
    throw new EnlaceError('ERR_CONFIG', 'ENLACE_NATS_PASSWORD_FILE is set but ENLACE_NATS_USER is not: set both, or neither');
  }
  if (exchange.envelopeTtlMs <= exchange.deliveryHorizonMs) {
    throw new EnlaceError('ERR_CONFIG', 'ENLACE_ENVELOPE_TTL must be longer than ENLACE_DELIVERY_HORIZON, or envelopes would expire while still being retried');
  }
  return {
    node: { country, dataDir, trustDir },
    nats: env.ENLACE_NATS_USER ? { servers, user: env.ENLACE_NATS_USER } : { servers },
    grpc: { host: m[1]!, port: Number(m[2]) },
    exchange,
    log: { level: env.ENLACE_LOG_LEVEL ?? 'info' },
    registry: { demoDirectory: env.ENLACE_DEMO_DIRECTORY === '1' },
  };
}
