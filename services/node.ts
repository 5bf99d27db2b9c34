import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import { assertPrivateFiles, currentKeySet, EnlaceError, loadNodeKeys, readPinnedAnchor, sqliteFiles, TrustStore } from '../keys/index.js';
import { loadOrCreateIssuer, type TokenIssuer } from './auth/index.js';
import { nodePaths, type NodeConfig, type NodeSecrets } from './config.js';
import {
  announceOrderedProposals,
  ClockHealth,
  HorizonWatch,
  Inbox,
  Relay,
  RequestEvents,
  RESEND_WINDOW_MS,
  RetentionWatch,
  systemClock,
  type CalendarSource,
  type Clock,
  type ExchangeDeps,
} from './exchange/index.js';
import { DEFAULT_CALENDAR } from './requests/deadlines.js';
import { SERVICE_NAMES, startGrpcServer, type GrpcHandle } from './grpc/index.js';
import { createLogger } from './logger.js';
import { Registry } from './registry/index.js';
import { NetworkStats } from './stats/index.js';
import { CaseVault, isStorageFault, loadOrCreateDataKey, openDb, StorageHealth, Store } from './store/index.js';
import { classifyNatsError, LANE_STUCK_MS, Transport } from './transport/index.js';

export const NODE_VERSION = '0.1.0';

/** How often a consuming node checks that the broker still has its inbox stream and consumer. */
const INBOX_CHECK_MS = 1_000;

export interface NodeOverrides {
  clock?: Clock;
  logger?: Logger;
}

/** Loads the pinned anchor and every descriptor file that verifies against it. */
export async function loadTrust(cfg: NodeConfig, logger: Logger): Promise<TrustStore> {
  const paths = nodePaths(cfg);
  const trust = new TrustStore(await readPinnedAnchor(paths.anchor));
  let files: string[];
  try {
    files = (await readdir(paths.descriptors)).filter((f) => f.endsWith('.jws')).sort();
  } catch {
    throw new EnlaceError('ERR_CONFIG', `no descriptors folder at ${paths.descriptors}: put anchor-certified descriptors (enlace keys certify) there`);
  }
  for (const f of files) {
    try {
      await trust.add((await readFile(join(paths.descriptors, f), 'utf8')).trim());
    } catch (e) {
      logger.error({ err: e, file: f }, 'descriptor rejected; that node is not trusted');
    }
  }
  return trust;
}

/** Service levels and working-day calendars as the registry's country profiles publish them (defaults where a state published none). */
function calendarsOf(registry: Registry): CalendarSource {
  return {
    serviceLevels: (country) => registry.profile(country)?.data.serviceLevels ?? [],
    calendar: (country) => {
      const c = registry.profile(country)?.data.calendar;
      return c ? { timeZone: c.timeZone, workingDays: c.workingDays, holidays: c.holidays.map((h) => h.date) } : DEFAULT_CALENDAR;
    },
  };
}

/**
 * A national node: SQLite store, JetStream transport, outbox relay, inbox, delivery
 * horizon and gRPC API. `create` loads and checks everything (its key and database files
 * must be private to its user, ERR_FILE_PERMISSIONS otherwise); `start` opens the doors;
 * `destroy` aborts, drains, then closes NATS and SQLite.
 */
export class NationalNode {
  readonly cfg: NodeConfig;
  readonly deps: ExchangeDeps;
  readonly issuer: TokenIssuer;
  readonly registry: Registry;
  /** Network statistics: this node's aggregate records and the others' (docs/protocol.md §27). */
  readonly stats: NetworkStats;
  readonly #relay: Relay;
  readonly #inbox: Inbox;
  readonly #horizon: HorizonWatch;
  readonly retention: RetentionWatch;
  /** Whether the store can write; health is NOT_SERVING and the inbox waits while it cannot. */
  readonly storage: StorageHealth;
  readonly #abort = new AbortController();
  #grpc: GrpcHandle | undefined;
  #consuming: Promise<void> | undefined;

  private constructor(cfg: NodeConfig, deps: ExchangeDeps, issuer: TokenIssuer, registry: Registry) {
    this.cfg = cfg;
    this.deps = deps;
    this.issuer = issuer;
    this.registry = registry;
    this.stats = new NetworkStats({ ...deps, publish: (q, jws) => registry.publishStats(q, jws), ...(cfg.stats ? { threshold: cfg.stats.threshold } : {}) });
    registry.onStats((c, q, jws, revision) => this.stats.onValue(c, q, jws, revision));
    this.#relay = new Relay(deps);
    this.#inbox = new Inbox(deps, () => {
      this.#relay.kick();
      this.#announce();
    });
    this.#horizon = new HorizonWatch(deps);
    this.retention = new RetentionWatch(deps);
    this.storage = new StorageHealth(deps.store, deps.logger);
  }

  static async create(cfg: NodeConfig, secrets: NodeSecrets, overrides: NodeOverrides = {}): Promise<NationalNode> {
    const country = cfg.node.country;
    const logger = overrides.logger ?? createLogger(cfg.log.level, country);
    if (!cfg.nats.tls && !cfg.nats.plaintext) throw new EnlaceError('ERR_CONFIG', 'NATS needs TLS (the network CA) or an explicit plaintext setting');
    if (!cfg.grpc.tls && !cfg.grpc.plaintext) throw new EnlaceError('ERR_CONFIG', 'gRPC needs TLS (a server certificate) or an explicit plaintext setting');
    const paths = nodePaths(cfg);
    assertPrivateFiles([paths.nodeKeys, paths.apiIssuer, paths.dataKey, ...sqliteFiles(paths.db)]);
    const trust = await loadTrust(cfg, logger);
    const ring = await loadNodeKeys(paths.nodeKeys, secrets.passphrase);
    if (ring.country !== country) throw new EnlaceError('ERR_CONFIG', `${paths.nodeKeys} holds keys of ${ring.country}, not ${country}`);
    const own = trust.descriptor(country);
    const signingKid = currentKeySet(ring).signing.kid;
    if (!own) throw new EnlaceError('ERR_CONFIG', `no valid descriptor for ${country} in ${paths.descriptors}: certify this node with 'enlace keys certify'`);
    if (!own.keys.some((k) => k.kid === signingKid)) {
      throw new EnlaceError('ERR_CONFIG', `the descriptor of ${country} does not certify this node's current signing key ${signingKid}: certify it again`);
    }
    const issuer = await loadOrCreateIssuer(paths.apiIssuer, country, secrets.passphrase);
    const db = openDb(paths.db);
    const store = new Store(db, await CaseVault.create(db, await loadOrCreateDataKey(paths.dataKey, secrets.passphrase)));
    const clock = overrides.clock ?? systemClock;
    const transport = new Transport({
      servers: cfg.nats.servers,
      networkId: trust.networkId,
      country,
      name: `enlace-node-${country}`,
      logger,
      ...(cfg.nats.user ? { user: cfg.nats.user, password: secrets.natsPassword ?? '' } : {}),
      ...(cfg.nats.tls ? { tls: cfg.nats.tls } : {}),
      ...(cfg.nats.replicas ? { replicas: cfg.nats.replicas } : {}),
      ...(cfg.nats.laneBacklog ? { laneBacklog: cfg.nats.laneBacklog } : {}),
    });
    const registry = await Registry.create({ networkId: trust.networkId, country, ring, trust, store, transport, clock, logger }, { demoDirectory: cfg.registry?.demoDirectory ?? false });
    const deps: ExchangeDeps = {
      networkId: trust.networkId,
      country,
      ring,
      trust,
      store,
      transport,
      events: new RequestEvents(store),
      clock,
      logger,
      settings: cfg.exchange,
      calendars: calendarsOf(registry),
      clockHealth: new ClockHealth({ clock, logger, networkId: trust.networkId, country, ...(cfg.exchange.clockSkewWarnMs ? { thresholdMs: cfg.exchange.clockSkewWarnMs } : {}) }),
    };
    return new NationalNode(cfg, deps, issuer, registry);
  }

  get grpcPort(): number {
    if (!this.#grpc) throw new Error('the node is not started');
    return this.#grpc.port;
  }

  get grpcAddress(): string {
    return `${this.cfg.grpc.host}:${this.grpcPort}`;
  }

  /** The plaintext loopback listener (host:port), when the configuration asks for one. */
  get loopbackAddress(): string | undefined {
    const port = this.#grpc?.loopbackPort;
    return port === undefined ? undefined : `${this.cfg.grpc.loopback!.host}:${port}`;
  }

  async start(): Promise<void> {
    const { logger } = this.deps;
    this.#grpc = await startGrpcServer(
      { exchange: this.deps, issuer: this.issuer, kickRelay: () => this.#relay.kick(), version: NODE_VERSION, logger, registry: this.registry, stats: this.stats },
      this.cfg.grpc.host,
      this.cfg.grpc.port,
      this.cfg.grpc.tls,
      this.cfg.grpc.loopback,
    );
    if (!this.cfg.nats.tls) logger.warn({ nats: this.cfg.nats.servers }, 'NATS without TLS (plaintext set explicitly): broker password and traffic metadata cross the network in clear');
    if (!this.cfg.grpc.tls) logger.warn({ grpc: this.grpcAddress }, 'gRPC without TLS (plaintext set explicitly): bearer tokens and case content cross the network in clear');
    if (this.loopbackAddress) logger.warn({ grpc: this.loopbackAddress }, 'gRPC also in plaintext on a loopback address (ENLACE_GRPC_LOOPBACK_LISTEN), for a gateway on this host');
    this.#healthFollowsStorage();
    this.#resendAfterServerChange();
    this.#unpublishedDueNow();
    this.#relay.start();
    this.#announce();
    this.#horizon.start();
    this.#inbox.start();
    this.retention.start();
    this.#consuming = this.#consumeForever();
    this.registry.start();
    this.registry
      .ready()
      .then(() => this.stats.start())
      .catch((e: unknown) => logger.warn({ err: e }, 'registry not ready: aggregate statistics not published'));
    logger.info({ grpc: this.grpcAddress, network: this.deps.networkId }, 'node started');
  }

  /** Resolves once connected to NATS with the inbox stream and consumer in place. */
  async waitForTransport(): Promise<void> {
    while (!this.#abort.signal.aborted && !this.#transportReady) await new Promise((r) => setTimeout(r, 20));
  }

  #transportReady = false;
  #announcing: Promise<void> | undefined;
  #announceAgain = false;

  /** Sends the ordering steps of accepted proposals (services/exchange/orders.ts); one pass at a time. */
  #announce(): void {
    if (this.#announcing) {
      this.#announceAgain = true;
      return;
    }
    this.#announcing = (async () => {
      do {
        this.#announceAgain = false;
        if ((await announceOrderedProposals(this.deps)) > 0) this.#relay.kick();
      } while (this.#announceAgain && !this.#abort.signal.aborted);
    })()
      .catch((e: unknown) => this.deps.logger.error({ err: e }, 'cannot announce ordered proposals; retried after the next commit'))
      .finally(() => (this.#announcing = undefined));
  }

  /** gRPC health: NOT_SERVING for every service while the store cannot write. */
  #healthFollowsStorage(): void {
    const set = (writable: boolean) => {
      for (const s of ['', ...SERVICE_NAMES]) this.#grpc?.health.setStatus(s, writable ? 'SERVING' : 'NOT_SERVING');
    };
    this.storage.onChange(set);
    if (!this.storage.writable) set(false);
  }

  async #consumeForever(): Promise<void> {
    const { transport, logger, country } = this.deps;
    const signal = this.#abort.signal;
    while (!signal.aborted) {
      try {
        await transport.connect();
        if (signal.aborted) return;
        if (!Number.isNaN(this.#droppedAt) && Date.now() - this.#droppedAt < LANE_STUCK_MS) {
          // Back after a drop: the consumers that still hold nothing in flight are kept (a cluster
          // electing leaders answers nothing for seconds), the others created afresh. Past
          // LANE_STUCK_MS of trying, they are all created afresh below.
          await transport.refreshConsumers();
        } else {
          if (this.#transportReady && !this.#inboxLost && !(await transport.inboxPresent())) this.#brokerLostInbox();
          const created = await transport.ensureInbox(country);
          // Not there at start: the broker lost it while the node was down (or this is the first start, with nothing to re-send).
          if (created && !this.#transportReady) this.#inboxMissingAtStart();
          const before = this.deps.clock.now();
          // A lane for every state the node knows, so that their first messages need not wait to be discovered.
          await transport.resetConsumers(this.deps.trust.countries());
          const after = this.deps.clock.now();
          // The consumers' creation time is the broker's clock between `before` and `after`: a first clock reading at start.
          this.deps.clockHealth?.observeBroker(before, transport.consumersCreatedAt, after);
        }
        this.#droppedAt = Number.NaN;
        this.#transportReady = true;
        this.#inboxLost = false;
        this.#relay.kick();
        await this.#consumeWhileInboxExists(signal);
      } catch (e) {
        if (signal.aborted) return;
        if (isStorageFault(e) && !this.storage.writable) {
          // Nothing of the failed batch was acknowledged; a fresh consumer redelivers it in stream order.
          logger.warn('inbox paused until the store can write');
          await this.storage.whenWritable(signal);
          continue;
        }
        // The broker lost the inbox (again, perhaps right after it was created): re-created on the next turn, and noticed once.
        if (classifyNatsError(e) === 'stream-not-found') {
          this.#droppedAt = Number.NaN;
          if (!this.#inboxLost && (await transport.inboxStreamGone().catch(() => true))) this.#brokerLostInbox();
        }
        logger.warn({ err: e }, 'inbox consumer interrupted; retrying');
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  /**
   * Consumes until `signal` aborts, the connection comes back after a drop, or the broker turns
   * out to have lost the inbox stream or consumer (checked every second: a consumer that is gone
   * never ends nats.js's consume).
   */
  async #consumeWhileInboxExists(signal: AbortSignal): Promise<void> {
    const { transport, logger } = this.deps;
    const consuming = new AbortController();
    const stop = () => consuming.abort();
    signal.addEventListener('abort', stop, { once: true });
    // Back after a drop: the caller refreshes the lane consumers (Transport.onReconnect).
    const offReconnect = transport.onReconnect(() => {
      logger.info('connected to the broker again: the inbox lane consumers that held messages in flight are created afresh, so that those come again now, not after the ack wait');
      this.#droppedAt = Date.now();
      consuming.abort();
    });
    const watch = (async () => {
      while (!consuming.signal.aborted) {
        // Stopping does not wait out the check's interval.
        await delay(INBOX_CHECK_MS, undefined, { signal: consuming.signal }).catch(() => {});
        if (consuming.signal.aborted || !transport.connected) continue;
        const present = await transport.inboxPresent().catch(() => true);
        if (!present) {
          this.#brokerLostInbox();
          consuming.abort();
        }
      }
    })();
    try {
      await transport.consume((batch) => this.#inbox.handle(batch), consuming.signal);
    } finally {
      consuming.abort();
      offReconnect();
      signal.removeEventListener('abort', stop);
      await watch;
    }
  }

  /**
   * A broker that restarted (or a server of the cluster that died) may have lost what it
   * acknowledged in the moments before: messages still in its write buffer. Everything this node
   * published in the RESEND_WINDOW_MS before the connection dropped, and that no receipt has
   * answered yet, goes again now instead of after the re-send interval; the broker's duplicate
   * window and the receiver drop the copies of what was not lost.
   */
  #resendAfterServerChange(): void {
    const { transport, store, clock, logger } = this.deps;
    const off = transport.onServerChange((disconnectedAt) => {
      // The drop is timed by the system clock; the outbox by the node's (which may be set off for a test).
      const since = clock.now() - (Date.now() - disconnectedAt) - RESEND_WINDOW_MS;
      try {
        const n = store.resendPublishedSince(since, clock.now());
        if (n > 0) logger.info({ resent: n }, 'connected to another broker process than before the drop: re-sending what was published just before it, in case the old one lost it');
        this.#relay.kick();
      } catch (e) {
        // A store that cannot write (disk full) leaves the entries to the re-send interval.
        logger.warn({ err: e }, 'cannot mark the envelopes published before the drop for re-sending; they go at the re-send interval');
      }
    });
    this.#abort.signal.addEventListener('abort', off, { once: true });
  }

  /**
   * Everything the outbox holds unpublished goes at start. Its times were set by the clock of
   * the last run: a clock set back since (an NTP step, a corrected skew) would otherwise hold
   * those envelopes back by as much. Published ones keep their re-send delays, counted from now
   * when their publish is later than now (the same step).
   */
  #unpublishedDueNow(): void {
    try {
      const now = this.deps.clock.now();
      const n = this.deps.store.unpublishedDueNow(now);
      if (n > 0) this.deps.logger.info({ envelopes: n }, 'unpublished envelopes from the last run are sent now');
      const later = this.deps.store.retimeFuturePublishes(now);
      if (later > 0) this.deps.logger.warn({ envelopes: later }, "the clock is behind the last run's publishes (set back?): their re-send delays now count from this start");
    } catch (e) {
      // A store that cannot write (disk full) leaves them to their times.
      this.deps.logger.warn({ err: e }, 'cannot make the unpublished envelopes due now; they go at their times');
    }
  }

  /** When consuming stopped because the connection came back after a drop (system clock; NaN otherwise), until the consumers are refreshed. */
  #droppedAt = Number.NaN;

  /** Set from noticing a lost inbox until it exists again (one notice per loss). */
  #inboxLost = false;

  /**
   * The inbox stream was not on the broker when the node started: receipts owed to it went with
   * it, so everything not yet acknowledged goes again now instead of at the re-send interval.
   */
  #inboxMissingAtStart(): void {
    const { store, clock, logger } = this.deps;
    try {
      const n = store.resendUnacknowledged(clock.now());
      if (n === 0) return;
      logger.warn(
        { resent: n },
        "this node's inbox stream was not on the broker at start (its store was lost while the node was down?): created again, and everything not yet acknowledged is re-sent",
      );
      this.#relay.kick();
    } catch (e) {
      // A store that cannot write (disk full) leaves the entries to the re-send interval.
      logger.warn({ err: e }, 'cannot mark the envelopes without a receipt for re-sending; they go at the re-send interval');
    }
  }

  /** How many times this node found that the broker had lost its inbox stream or a lane consumer, since it started. */
  get inboxLossesNoticed(): number {
    return this.#inboxLosses;
  }

  #inboxLosses = 0;

  /** The broker lost its store: whatever it held unacknowledged is gone, so everything not yet answered by a receipt goes again. */
  #brokerLostInbox(): void {
    this.#inboxLost = true;
    this.#inboxLosses++;
    const n = this.deps.store.resendUnacknowledged(this.deps.clock.now());
    this.deps.logger.warn({ resent: n }, "the broker lost this node's inbox stream or consumer (its store was lost?): re-creating them and re-sending everything not yet acknowledged");
    this.#relay.kick();
  }

  /** What `destroy` is waiting for (empty before it starts and once it is done), for a shutdown that takes too long to say where it is. */
  stopStep = '';

  async destroy(): Promise<void> {
    this.#abort.abort();
    this.storage.stop();
    this.#horizon.stop();
    this.#inbox.stop();
    this.retention.stop();
    this.stopStep = 'closing the gRPC server';
    await this.#grpc?.close();
    this.stopStep = 'stopping the relay';
    await this.#relay.stop();
    this.stopStep = 'finishing the announcement of ordered proposals';
    await this.#announcing;
    this.stopStep = 'stopping the inbox consumer';
    await Promise.race([this.#consuming, new Promise((r) => setTimeout(r, 2_000))]);
    this.stats.stop();
    this.stopStep = 'stopping the registry';
    await this.registry.destroy();
    this.stopStep = 'closing the NATS connection';
    await this.deps.transport.close();
    this.deps.store.close();
    this.stopStep = '';
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.destroy();
  }
}
