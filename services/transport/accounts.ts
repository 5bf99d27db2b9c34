import { EnlaceError } from '../../keys/index.js';
import {
  foreignApiPrefix,
  inboxLanes,
  inboxSubject,
  NETWORK_ACCOUNT,
  NETWORK_USER,
  registryKeySubject,
  registryLogKeys,
  registryNodeKey,
  registryStatsKeys,
  registryStream,
  stateAccount,
} from './names.js';

/** JetStream limits of one state's account: what one state may take of the broker's disk. */
export interface AccountLimits {
  maxFileBytes: number;
  maxMemBytes: number;
  maxStreams: number;
  maxConsumers: number;
}

export interface BrokerPlan {
  networkId: string;
  countries: readonly string[];
  /**
   * The password of `user` as it goes into the config: a variable reference such as
   * `$NATS_PASSWORD_AR` (deploy: the server reads it from its environment) or a quoted literal (tests).
   */
  password: (user: string) => string;
  limits?: Partial<AccountLimits>;
}

/**
 * The default per-state limits: 8 GiB of file storage (replicas count: an R3 inbox of 1 GiB takes 3), the inbox stream and
 * room (as many streams as states, plus two), and consumers for the inbox: one per lane, so 64 or the states plus 8 if more.
 */
export function defaultLimits(countries: number): AccountLimits {
  return { maxFileBytes: 8 * 1024 ** 3, maxMemBytes: 64 * 1024 ** 2, maxStreams: countries + 2, maxConsumers: Math.max(64, countries + 8) };
}

const q = (s: string) => JSON.stringify(s);

/** A service one account exports to exactly the accounts listed. */
const exportTo = (subject: string, accounts: readonly string[]) => `{ service: ${q(subject)}, accounts: [${accounts.join(', ')}] }`;

/** A service imported from `account`, under `to` when given (the JetStream API, so it never meets the account's own). */
const importFrom = (account: string, subject: string, to?: string) => `{ service: { account: ${account}, subject: ${q(subject)} }${to ? `, to: ${q(to)}` : ''} }`;

const api = (call: string, stream: string) => `$JS.API.${call}.${stream}`;
const foreignApi = (account: string, call: string, stream: string) => `${foreignApiPrefix(account)}.${call}.${stream}`;

/**
 * The `accounts { ... }` block of nats-server's configuration for a network: one account
 * per state and one for the network (the registry bucket). What crosses an account
 * boundary is only what is exported here, to the one account that needs it:
 * - lane `inbox.<to>.from.<from>` of each inbox, exported by `<to>` to `<from>` only (a
 *   service, so the JetStream acknowledgement comes back to the sender and nothing else does);
 *   (attachments travel on the same lane, in parts before their request: docs/protocol.md §18.4);
 * - the registry: stream info and direct get to every state, `node.<CC>` and `log.<CC>.>`
 *   to `<CC>` only.
 * Nothing else is exported: not `_INBOX`, not `$JS.FC`, not consumer, purge or delete calls.
 */
export function brokerAccounts(plan: BrokerPlan): string {
  const { networkId, countries } = plan;
  const limits = { ...defaultLimits(countries.length), ...plan.limits };
  const js = `jetstream: { max_file: ${limits.maxFileBytes}, max_mem: ${limits.maxMemBytes}, max_streams: ${limits.maxStreams}, max_consumers: ${limits.maxConsumers} }`;
  const reg = registryStream(networkId);
  const states = countries.map(stateAccount);
  const lines: string[] = ['accounts {'];

  lines.push(`  ${NETWORK_ACCOUNT} {`);
  lines.push(`    jetstream: { max_file: ${1024 ** 3}, max_mem: ${64 * 1024 ** 2}, max_streams: 2, max_consumers: 64 }`);
  lines.push(`    users: [ { user: ${NETWORK_USER}, password: ${plan.password(NETWORK_USER)} } ]`);
  lines.push('    exports: [');
  lines.push(`      ${exportTo(api('STREAM.INFO', reg), states)}`);
  lines.push(`      ${exportTo(api('DIRECT.GET', reg), states)}`);
  for (const c of countries) {
    lines.push(`      ${exportTo(registryKeySubject(networkId, registryNodeKey(c)), [stateAccount(c)])}`);
    lines.push(`      ${exportTo(registryKeySubject(networkId, registryLogKeys(c)), [stateAccount(c)])}`);
    lines.push(`      ${exportTo(registryKeySubject(networkId, registryStatsKeys(c)), [stateAccount(c)])}`);
  }
  lines.push('    ]');
  lines.push('  }');

  for (const me of countries) {
    const peers = countries.filter((c) => c !== me);
    lines.push(`  ${stateAccount(me)} {`);
    lines.push(`    ${js}`);
    // A state cannot write into its own inbox under another's name either: its lanes come only from imports.
    lines.push(`    users: [ { user: ${me}, password: ${plan.password(me)}, permissions: { publish: { deny: [${q(inboxLanes(networkId, me).replace(/\*$/, '>'))}] } } } ]`);
    lines.push('    exports: [');
    for (const p of peers) {
      const to = [stateAccount(p)];
      lines.push(`      ${exportTo(inboxSubject(networkId, me, p), to)}`);
    }
    lines.push('    ]');
    lines.push('    imports: [');
    for (const p of peers) {
      const acc = stateAccount(p);
      lines.push(`      ${importFrom(acc, inboxSubject(networkId, p, me))}`);
    }
    lines.push(`      ${importFrom(NETWORK_ACCOUNT, api('STREAM.INFO', reg), foreignApi(NETWORK_ACCOUNT, 'STREAM.INFO', reg))}`);
    lines.push(`      ${importFrom(NETWORK_ACCOUNT, api('DIRECT.GET', reg), foreignApi(NETWORK_ACCOUNT, 'DIRECT.GET', reg))}`);
    lines.push(`      ${importFrom(NETWORK_ACCOUNT, registryKeySubject(networkId, registryNodeKey(me)))}`);
    lines.push(`      ${importFrom(NETWORK_ACCOUNT, registryKeySubject(networkId, registryLogKeys(me)))}`);
    lines.push(`      ${importFrom(NETWORK_ACCOUNT, registryKeySubject(networkId, registryStatsKeys(me)))}`);
    lines.push('    ]');
    lines.push('  }');
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

/** TLS of the client port: the server's certificate and key, the network CA, and whether client certificates are required. */
export interface BrokerTls {
  cert: string;
  key: string;
  ca: string;
  verifyClients?: boolean;
}

export interface ServerConfigOptions {
  listen: string;
  storeDir: string;
  serverName?: string;
  maxFileStore?: string;
  /** `sync_interval: always` (nats-server 2.10 or later). */
  syncAlways?: boolean;
  tls?: BrokerTls;
  /** Cluster block (routes, with TLS between the servers when `tls` is given), for a multi-server test or deployment. */
  cluster?: { name: string; listen: string; routes: string[]; tls?: BrokerTls };
  /** Lines put as they are after the JetStream block (an `include`, a comment). */
  extra?: string[];
}

/** Bytes of a nats-server size: "50G", "512MB", "1T" or a plain number of bytes. */
export function storeSizeBytes(size: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]?)B?$/i.exec(size.trim());
  if (!m) throw new EnlaceError('ERR_CONFIG', `max_file_store must be a size like 50G or 512M (got "${size}")`);
  const unit = { '': 0, K: 1, M: 2, G: 3, T: 4 }[m[2]!.toUpperCase() as '' | 'K' | 'M' | 'G' | 'T'];
  return Math.floor(Number(m[1]) * 1024 ** unit);
}

/** The file storage the accounts of `plan` reserve on a server: the network's 1 GiB and each state's limit. */
export function reservedFileBytes(plan: BrokerPlan): number {
  const limits = { ...defaultLimits(plan.countries.length), ...plan.limits };
  return 1024 ** 3 + plan.countries.length * limits.maxFileBytes;
}

const gib = (bytes: number) => `${Math.round((bytes / 1024 ** 3) * 10) / 10} GiB`;

/**
 * A whole nats-server configuration: listener, JetStream, TLS, cluster and the accounts of `plan`.
 * Refuses (ERR_CONFIG) a plan whose accounts reserve more file storage than `max_file_store`:
 * nats-server would not start with it ("insufficient storage resources available").
 */
export function brokerConfig(opts: ServerConfigOptions, plan: BrokerPlan): string {
  const store = opts.maxFileStore ?? '50G';
  const reserved = reservedFileBytes(plan);
  if (reserved > storeSizeBytes(store))
    throw new EnlaceError(
      'ERR_CONFIG',
      `the ${plan.countries.length} states' accounts reserve ${gib(reserved)} of JetStream file storage, more than the server's max_file_store of ${store}: nats-server would not start. Lower the per-state limit or raise max_file_store (and the disk) to at least ${gib(reserved)}`,
    );
  const lines: string[] = [`listen: ${opts.listen}`];
  // Passwords are a variable (deploy) or a quoted literal (tests); server_name may be a variable too.
  if (opts.serverName) lines.push(`server_name: ${opts.serverName}`);
  lines.push('jetstream {', `  store_dir: ${q(opts.storeDir)}`, `  max_file_store: ${store}`);
  if (opts.syncAlways) lines.push('  sync_interval: always');
  lines.push('}');
  if (opts.tls) {
    lines.push(
      'tls {',
      `  cert_file: ${q(opts.tls.cert)}`,
      `  key_file: ${q(opts.tls.key)}`,
      `  ca_file: ${q(opts.tls.ca)}`,
      `  verify: ${opts.tls.verifyClients ? 'true' : 'false'}`,
      '  timeout: 5',
      '}',
    );
  }
  if (opts.cluster) {
    lines.push('cluster {', `  name: ${opts.cluster.name}`, `  listen: ${opts.cluster.listen}`, `  routes: [${opts.cluster.routes.map(q).join(', ')}]`);
    const t = opts.cluster.tls;
    if (t) lines.push('  tls {', `    cert_file: ${q(t.cert)}`, `    key_file: ${q(t.key)}`, `    ca_file: ${q(t.ca)}`, '    verify: true', '    timeout: 5', '  }');
    lines.push('}');
  }
  lines.push(...(opts.extra ?? []));
  return lines.join('\n') + '\n' + brokerAccounts(plan);
}
