import { isAbsolute, join, resolve } from 'node:path';
import { EnlaceError } from '../keys/index.js';
import { DEFAULT_EXCHANGE_SETTINGS, type ExchangeSettings } from './exchange/index.js';
import type { NatsTls } from './transport/index.js';

/**
 * TLS of the node's gRPC server: its certificate chain and key, and, when `clientCaFile` is
 * set, the CA whose client certificates it requires (national case systems, the gateway).
 */
export interface GrpcTls {
  certFile: string;
  keyFile: string;
  clientCaFile?: string;
}

/** A node's configuration, sectioned; built by envToCfg or directly by tests. */
export interface NodeConfig {
  node: {
    country: string;
    dataDir: string;
    /** Folder with anchor.pub.json and descriptors/<CC>.jws. */
    trustDir: string;
  };
  /**
   * `user` authenticates this state's node to NATS (its password is a secret). `tls` or,
   * explicitly, `plaintext` (logged as a warning); `replicas` of the streams the node creates.
   */
  nats: { servers: string[]; user?: string; tls?: NatsTls; plaintext?: boolean; replicas?: number; laneBacklog?: number };
  /**
   * `tls` or, explicitly, `plaintext` (logged as a warning); `loopback`: a second, plaintext
   * listener on a loopback address only, for a gateway on the same host (logged as a warning).
   */
  grpc: { host: string; port: number; tls?: GrpcTls; plaintext?: boolean; loopback?: { host: string; port: number } };
  exchange: ExchangeSettings;
  log: { level: string };
  /** Registry options; absent = defaults (no demo directory). */
  registry?: { demoDirectory: boolean };
  /** Network statistics (docs/protocol.md §27.3): the suppression threshold the network agreed; absent = 5. */
  stats?: { threshold: number };
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
  'ENLACE_CLOCK_SKEW_WARN',
  'ENLACE_RESEND_AFTER',
  'ENLACE_RESEND_MAX',
  'ENLACE_LANE_GAP',
  'ENLACE_LOG_LEVEL',
  'ENLACE_NATS_USER',
  'ENLACE_NATS_PASSWORD_FILE',
  'ENLACE_DEMO_DIRECTORY',
  'ENLACE_RETENTION',
  'ENLACE_NATS_CA',
  'ENLACE_NATS_CERT',
  'ENLACE_NATS_KEY',
  'ENLACE_NATS_PLAINTEXT',
  'ENLACE_STREAM_REPLICAS',
  'ENLACE_LANE_BACKLOG',
  'ENLACE_GRPC_TLS_CERT',
  'ENLACE_GRPC_TLS_KEY',
  'ENLACE_GRPC_CLIENT_CA',
  'ENLACE_GRPC_PLAINTEXT',
  'ENLACE_GRPC_LOOPBACK_LISTEN',
  'ENLACE_STATS_THRESHOLD',
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
    throw new EnlaceError('ERR_CONFIG', "ENLACE_COUNTRY must be the node's ISO 3166-1 alpha-2 code in capitals, like AR");
  }
  const path = (p: string) => (isAbsolute(p) ? p : resolve(cwd, p));
  const dataDir = path(env.ENLACE_DATA_DIR ?? join('.data', country));
  const trustDir = path(env.ENLACE_TRUST_DIR ?? join(dataDir, 'trust'));
  const listen = env.ENLACE_GRPC_LISTEN ?? '127.0.0.1:50051';
  const m = /^(.+):(\d{1,5})$/.exec(listen);
  if (!m || Number(m[2]) > 65535) throw new EnlaceError('ERR_CONFIG', `ENLACE_GRPC_LISTEN must be host:port, like 127.0.0.1:50051 (got "${listen}")`);
  const servers = (env.ENLACE_NATS_URL ?? 'nats://127.0.0.1:4222')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const exchange: ExchangeSettings = { ...DEFAULT_EXCHANGE_SETTINGS };
  if (env.ENLACE_DELIVERY_HORIZON) exchange.deliveryHorizonMs = parseDuration('ENLACE_DELIVERY_HORIZON', env.ENLACE_DELIVERY_HORIZON);
  if (env.ENLACE_ENVELOPE_TTL) exchange.envelopeTtlMs = parseDuration('ENLACE_ENVELOPE_TTL', env.ENLACE_ENVELOPE_TTL);
  if (env.ENLACE_CLOCK_SKEW_WARN) exchange.clockSkewWarnMs = parseDuration('ENLACE_CLOCK_SKEW_WARN', env.ENLACE_CLOCK_SKEW_WARN);
  if (env.ENLACE_RETENTION) exchange.retentionMs = env.ENLACE_RETENTION === 'off' ? 0 : parseDuration('ENLACE_RETENTION', env.ENLACE_RETENTION);
  if (env.ENLACE_NATS_PASSWORD_FILE && !env.ENLACE_NATS_USER) {
    throw new EnlaceError('ERR_CONFIG', 'ENLACE_NATS_PASSWORD_FILE is set but ENLACE_NATS_USER is not: set both, or neither');
  }
  Object.assign(exchange, retryTimingFromEnv(env, exchange));
  if (exchange.envelopeTtlMs <= exchange.deliveryHorizonMs) {
    throw new EnlaceError('ERR_CONFIG', 'ENLACE_ENVELOPE_TTL must be longer than ENLACE_DELIVERY_HORIZON, or envelopes would expire while still being retried');
  }
  const nats: NodeConfig['nats'] = { servers, ...(env.ENLACE_NATS_USER ? { user: env.ENLACE_NATS_USER } : {}), ...natsTransportFromEnv(env, path) };
  if (env.ENLACE_STREAM_REPLICAS) nats.replicas = positiveInt('ENLACE_STREAM_REPLICAS', env.ENLACE_STREAM_REPLICAS, 5);
  if (env.ENLACE_LANE_BACKLOG) nats.laneBacklog = positiveInt('ENLACE_LANE_BACKLOG', env.ENLACE_LANE_BACKLOG, 10_000_000);
  return {
    node: { country, dataDir, trustDir },
    nats,
    grpc: { host: m[1]!, port: Number(m[2]), ...grpcTransportFromEnv(env, path), ...loopbackFromEnv(env) },
    exchange,
    log: { level: env.ENLACE_LOG_LEVEL ?? 'info' },
    registry: { demoDirectory: env.ENLACE_DEMO_DIRECTORY === '1' },
    ...(env.ENLACE_STATS_THRESHOLD ? { stats: { threshold: positiveInt('ENLACE_STATS_THRESHOLD', env.ENLACE_STATS_THRESHOLD, 1000) } } : {}),
  };
}

/**
 * ENLACE_RESEND_AFTER, ENLACE_RESEND_MAX (the sender's re-send of an unanswered envelope, doubling
 * from the first to the longest interval) and ENLACE_LANE_GAP (how long a receiver waits for a
 * missing lane position, docs/protocol.md §24.4), checked together: every problem in one sentence.
 */
function retryTimingFromEnv(env: Env, d: ExchangeSettings): Pick<ExchangeSettings, 'resendAfterMs' | 'resendMaxMs' | 'laneGapMs'> {
  const problems: string[] = [];
  const read = (name: string, fallback: number): number => {
    const text = env[name];
    if (!text) return fallback;
    try {
      const ms = parseDuration(name, text);
      if (ms > 0) return ms;
      problems.push(`${name} must be longer than 0 (got "${text}")`);
    } catch (e) {
      problems.push((e as Error).message);
    }
    return Number.NaN;
  };
  const t = { resendAfterMs: read('ENLACE_RESEND_AFTER', d.resendAfterMs), resendMaxMs: read('ENLACE_RESEND_MAX', d.resendMaxMs), laneGapMs: read('ENLACE_LANE_GAP', d.laneGapMs) };
  if (t.resendMaxMs < t.resendAfterMs) problems.push('ENLACE_RESEND_MAX (the longest re-send interval) must be at least ENLACE_RESEND_AFTER (the first)');
  if (t.laneGapMs <= t.resendMaxMs) problems.push('ENLACE_LANE_GAP must be longer than ENLACE_RESEND_MAX, so that a missing envelope is re-sent before the receiver gives its position up');
  if (problems.length > 0) throw new EnlaceError('ERR_CONFIG', problems.join('; '));
  return t;
}

function positiveInt(name: string, text: string, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new EnlaceError('ERR_CONFIG', `${name} must be a whole number from 1 to ${max} (got "${text}")`);
  return n;
}

const on = (v: string | undefined) => v === '1' || v === 'true';

/** NATS TLS (ENLACE_NATS_CA, optional ENLACE_NATS_CERT and ENLACE_NATS_KEY) or, explicitly, ENLACE_NATS_PLAINTEXT=1. */
function natsTransportFromEnv(env: Env, path: (p: string) => string): { tls: NatsTls } | { plaintext: true } {
  const { ENLACE_NATS_CA: ca, ENLACE_NATS_CERT: cert, ENLACE_NATS_KEY: key } = env;
  if (!!cert !== !!key) throw new EnlaceError('ERR_CONFIG', "ENLACE_NATS_CERT and ENLACE_NATS_KEY go together (the node's client certificate and its key): set both, or neither");
  if (on(env.ENLACE_NATS_PLAINTEXT)) {
    if (ca) throw new EnlaceError('ERR_CONFIG', 'ENLACE_NATS_CA and ENLACE_NATS_PLAINTEXT contradict each other: TLS to NATS, or plaintext, not both');
    return { plaintext: true };
  }
  if (!ca) throw new EnlaceError('ERR_CONFIG', 'set ENLACE_NATS_CA to the network CA certificate (TLS to NATS), or ENLACE_NATS_PLAINTEXT=1 to connect without TLS (not for production)');
  return { tls: { caFile: path(ca), ...(cert && key ? { certFile: path(cert), keyFile: path(key) } : {}) } };
}

/** gRPC TLS (ENLACE_GRPC_TLS_CERT and ENLACE_GRPC_TLS_KEY, optional ENLACE_GRPC_CLIENT_CA) or, explicitly, ENLACE_GRPC_PLAINTEXT=1. */
function grpcTransportFromEnv(env: Env, path: (p: string) => string): { tls: GrpcTls } | { plaintext: true } {
  const { ENLACE_GRPC_TLS_CERT: cert, ENLACE_GRPC_TLS_KEY: key, ENLACE_GRPC_CLIENT_CA: clientCa } = env;
  if (on(env.ENLACE_GRPC_PLAINTEXT)) {
    if (cert || key || clientCa)
      throw new EnlaceError('ERR_CONFIG', 'ENLACE_GRPC_PLAINTEXT contradicts ENLACE_GRPC_TLS_CERT, ENLACE_GRPC_TLS_KEY and ENLACE_GRPC_CLIENT_CA: TLS or plaintext, not both');
    return { plaintext: true };
  }
  if (!cert || !key)
    throw new EnlaceError(
      'ERR_CONFIG',
      "set ENLACE_GRPC_TLS_CERT and ENLACE_GRPC_TLS_KEY (the node's gRPC server certificate and key), or ENLACE_GRPC_PLAINTEXT=1 to serve without TLS (not for production)",
    );
  return { tls: { certFile: path(cert), keyFile: path(key), ...(clientCa ? { clientCaFile: path(clientCa) } : {}) } };
}

/** ENLACE_GRPC_LOOPBACK_LISTEN: host:port on 127.0.0.0/8 or ::1 only; plaintext never leaves the host. */
function loopbackFromEnv(env: Env): { loopback: { host: string; port: number } } | Record<string, never> {
  const text = env.ENLACE_GRPC_LOOPBACK_LISTEN;
  if (!text) return {};
  const m = /^(.+):(\d{1,5})$/.exec(text);
  const host = m?.[1]?.replace(/^\[(.*)\]$/, '$1') ?? '';
  if (!m || Number(m[2]) > 65535 || !(/^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1')) {
    throw new EnlaceError('ERR_CONFIG', `ENLACE_GRPC_LOOPBACK_LISTEN must be a loopback host:port, like 127.0.0.1:50061 (got "${text}")`);
  }
  return { loopback: { host: m[1]!, port: Number(m[2]) } };
}
