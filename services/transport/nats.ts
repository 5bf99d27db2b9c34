import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  RetentionPolicy,
  StorageType,
  jetstream,
  jetstreamManager,
  type ConsumerInfo,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import { connect, ConnectionError, headers as natsHeaders, nanos, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import { classifyNatsError } from './errors.js';
import { LaneReader } from './lane-reader.js';
import { ATTACHMENT_PART_HEADER, inboxLanes, inboxStream, inboxSubject, isLaneConsumer, laneConsumer, senderOfSubject, SINGLE_INBOX_CONSUMER } from './names.js';
import { setTimeout as delay } from 'node:timers/promises';

/** How long closing waits for the connection to drain before it closes it outright. */
const DRAIN_TIMEOUT_MS = 5_000;
/**
 * Timeout of the questions asked again half a second later when unanswered (a lane consumer's
 * state after a reconnect): a cluster electing a leader answers none, and 5 s per question
 * would hold delivery back by as much past the election.
 */
const PROBE_TIMEOUT_MS = 1_000;
/** How many times a "stream not found" for the inbox is asked again before it counts as lost. */
const STREAM_RECHECKS = 2;

/** How long a publish waits for the broker's acknowledgement unless told otherwise. */
export const PUBLISH_TIMEOUT_MS = 5_000;

/** How one envelope (or attachment part) is published. */
export interface PublishOptions {
  /** The bytes are a part of an attachment's ciphertext (docs/protocol.md §18.4). */
  part?: boolean;
  /** Nats-Msg-Id, when it is not the envelope id (a re-send, §14). */
  msgId?: string;
  /** How long to wait for the broker's acknowledgement (PUBLISH_TIMEOUT_MS). */
  timeoutMs?: number;
}

/** TLS to the broker: the network CA the server's certificate must chain to, and an optional client certificate. */
export interface NatsTls {
  caFile: string;
  certFile?: string;
  keyFile?: string;
}

/** Messages one sender may leave unread in a lane of this node's inbox; past it the broker refuses (the sender retries). */
export const DEFAULT_LANE_BACKLOG = 10_000;
/** Bytes the whole inbox stream may hold. */
export const DEFAULT_INBOX_MAX_BYTES = 1024 ** 3;

export interface TransportOptions {
  servers: string[];
  networkId: string;
  country: string;
  name: string;
  logger: Logger;
  user?: string;
  password?: string;
  /** TLS to the broker; absent only when the configuration says plaintext explicitly. */
  tls?: NatsTls;
  /** Duplicate window of the inbox stream (the broker's de-dup; the node's own is permanent). */
  duplicateWindowMs?: number;
  /** Per-lane backlog limit of the inbox stream (messages per sender). */
  laneBacklog?: number;
  /** Size limit of the inbox stream in bytes. */
  inboxMaxBytes?: number;
  /** Replicas of the streams this node creates (3 on a 3-server cluster). */
  replicas?: number;
}

export interface InboundBatch {
  messages: JsMsg[];
}

/**
 * JetStream transport. It carries and buffers ciphertext; the node, not the broker,
 * guarantees delivery (docs/architecture.md §4.1). Connecting keeps trying until the server answers.
 */
export class Transport {
  readonly #opts: TransportOptions;
  #nc: NatsConnection | undefined;
  #js: JetStreamClient | undefined;
  #jsm: JetStreamManager | undefined;
  /** The same API with PROBE_TIMEOUT_MS, for questions asked again soon when unanswered. */
  #probe: JetStreamManager | undefined;
  readonly #ensured = new Set<string>();
  /** The lane consumers of this node's inbox, by sender, as the broker created them. */
  readonly #lanes = new Map<string, ConsumerInfo>();
  /**
   * Lane consumers this node deleted, or asked the broker to delete, and has not created again:
   * a reset that failed midway leaves them "not found", by the node's own doing, not a lost store
   * (on a cluster electing a leader, a delete can even be carried out while its answer times out).
   */
  readonly #deleted = new Set<string>();
  /** The broker's clock when it created the first lane consumer of the last reset (ms since the epoch). */
  #consumersCreatedAt = Number.NaN;
  #connecting: Promise<void> | undefined;
  #closed = false;
  #online = false;
  /** The id of the server process last connected to, and when the connection to it dropped. */
  #serverId: string | undefined;
  #disconnectedAt = Number.NaN;
  /** Rejects when the connection drops (and is then replaced): see `publish`. */
  #dropped = droppedSignal();
  readonly #serverChanged = new Set<(disconnectedAt: number) => void>();
  readonly #reconnectListeners = new Set<() => void>();

  constructor(opts: TransportOptions) {
    this.#opts = opts;
  }

  /** The country this transport is the node of (its account's state). */
  get country(): string {
    return this.#opts.country;
  }

  /** Replicas of the streams this node creates. */
  get replicas(): number {
    return this.#opts.replicas ?? 1;
  }

  /** True while the connection to the server is up (false between a disconnect and the reconnect). */
  get connected(): boolean {
    return this.#online && !!this.#nc && !this.#nc.isClosed();
  }

  /**
   * Connects, waiting for the first connection if the server is not up yet. A setup that failed is
   * not kept as the answer: the next call tries again (a failure kept for good would leave the
   * node's relay, inbox and registry waiting on it until the process restarted).
   */
  connect(): Promise<void> {
    this.#connecting ??= this.#open().catch((e: unknown) => {
      this.#connecting = undefined;
      throw e;
    });
    return this.#connecting;
  }

  async #open(): Promise<void> {
    const nc = await connect({
      servers: this.#opts.servers,
      name: this.#opts.name,
      ...(this.#opts.user ? { user: this.#opts.user, pass: this.#opts.password ?? '' } : {}),
      ...(this.#opts.tls ? { tls: { ...this.#opts.tls } } : {}),
      waitOnFirstConnect: true,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      reconnectJitter: 100,
      pingInterval: 5_000,
    });
    if (this.#closed) {
      await nc.close();
      return;
    }
    this.#nc = nc;
    this.#js = jetstream(nc, { timeout: 5_000 });
    // No API check here: it is a request to the broker, and JetStream may not answer yet (a server
    // restarting, recovering its store). Every call after this one reports such a failure itself.
    this.#jsm = await jetstreamManager(nc, { timeout: 5_000, checkAPI: false });
    this.#probe = await jetstreamManager(nc, { timeout: PROBE_TIMEOUT_MS, checkAPI: false });
    this.#online = true;
    this.#serverId = nc.info?.server_id;
    void (async () => {
      for await (const s of nc.status()) {
        if (s.type === 'disconnect') {
          this.#online = false;
          this.#disconnectedAt = Date.now();
          const dropped = this.#dropped;
          this.#dropped = droppedSignal();
          dropped.reject(new ConnectionError('the connection to the broker dropped before the publish was acknowledged'));
          // Warn level, like the end of the episode below: an operator (and a failed fault run) sees when the broker was out of reach.
          this.#opts.logger.warn({ status: s.type }, 'lost the connection to the broker; reconnecting');
        } else if (s.type === 'reconnect') {
          this.#online = true;
          this.#opts.logger.warn({ status: s.type, afterMs: Number.isNaN(this.#disconnectedAt) ? 0 : Date.now() - this.#disconnectedAt }, 'connected to the broker again');
          this.#reconnected(nc.info?.server_id);
        } else if (s.type === 'error') {
          this.#opts.logger.warn({ status: s.type, err: { message: s.error.message } }, 'broker connection error');
        } else if (s.type === 'staleConnection' || s.type === 'slowConsumer') {
          this.#opts.logger.warn({ status: s.type }, 'broker connection trouble');
        } else this.#opts.logger.debug({ status: s.type }, 'nats status');
      }
    })().catch((e: unknown) => this.#opts.logger.error({ err: e }, 'the broker connection status stopped; connected may be stale'));
  }

  /**
   * Called with the time the connection dropped whenever the client comes back to another server
   * process than the one it left: a broker restarted (kill -9 included) or another server of the
   * cluster. A restarted server may have lost what it acknowledged just before it died (messages
   * still in its write buffer), so the node re-sends what it published shortly before.
   */
  onServerChange(listener: (disconnectedAt: number) => void): () => void {
    this.#serverChanged.add(listener);
    return () => this.#serverChanged.delete(listener);
  }

  /**
   * Called whenever the client comes back after a drop, to the same server process or another.
   * Messages the server handed to a pull request during the drop went nowhere, and their consumer
   * waits out its ack wait (30 s) before it delivers them again; the node creates those lane
   * consumers afresh instead (`refreshConsumers`), which delivers them at once and in stream order.
   */
  onReconnect(listener: () => void): () => void {
    this.#reconnectListeners.add(listener);
    return () => this.#reconnectListeners.delete(listener);
  }

  #reconnected(serverId: string | undefined): void {
    const before = this.#serverId;
    this.#serverId = serverId;
    const at = Number.isNaN(this.#disconnectedAt) ? Date.now() : this.#disconnectedAt;
    const changed = before !== undefined && serverId !== undefined && before !== serverId;
    const listeners = [...(changed ? [...this.#serverChanged].map((l) => () => l(at)) : []), ...this.#reconnectListeners];
    for (const listener of listeners) {
      try {
        listener();
      } catch (e) {
        this.#opts.logger.warn({ err: e }, 'a listener of the reconnection failed');
      }
    }
  }

  /** The NATS connection once connected (waits like `connect`), for the registry's key-value bucket. */
  async connection(): Promise<NatsConnection> {
    await this.connect();
    if (!this.#nc) throw new Error('the NATS connection is closed');
    return this.#nc;
  }

  /**
   * Creates (or brings up to date) this node's inbox stream, in its own account: every lane
   * `from.<sender>`, work-queue retention, at most `laneBacklog` unread messages per lane
   * (new ones refused past it, so one sender cannot crowd out the others). Another
   * country's stream lives in that country's account: nothing to do for it. Idempotent.
   * True when the stream was not on the broker and this call created it.
   */
  async ensureInbox(country: string): Promise<boolean> {
    if (country !== this.#opts.country) return false;
    const name = inboxStream(this.#opts.networkId, country);
    if (this.#ensured.has(name)) return false;
    const jsm = this.#requireJsm();
    const config = {
      name,
      subjects: [inboxLanes(this.#opts.networkId, country)],
      storage: StorageType.File,
      retention: RetentionPolicy.Workqueue,
      duplicate_window: nanos(this.#opts.duplicateWindowMs ?? 120_000),
      max_msg_size: 9 * 1024 * 1024,
      max_msgs_per_subject: this.#opts.laneBacklog ?? DEFAULT_LANE_BACKLOG,
      max_bytes: this.#opts.inboxMaxBytes ?? DEFAULT_INBOX_MAX_BYTES,
      discard: DiscardPolicy.New,
      discard_new_per_subject: true,
      num_replicas: this.#opts.replicas ?? 1,
    };
    const existing = await jsm.streams.info(name).catch((e: unknown) => {
      if (classifyNatsError(e) !== 'stream-not-found') throw e;
      return undefined;
    });
    if (!existing) await jsm.streams.add(config);
    else await jsm.streams.update(name, config);
    this.#ensured.add(name);
    return !existing;
  }

  /**
   * Creates the inbox's lane consumers afresh: one per sender in `senders` and per lane holding
   * messages (more are added while consuming, as lanes turn up). The stream has work-queue
   * retention, so it holds exactly the messages never acknowledged; fresh consumers deliver
   * them in stream order at once, instead of after the ack wait of consumers whose reader
   * crashed (which would reorder them). Anything committed but not acknowledged before a
   * crash comes again and is dropped by the node's permanent de-duplication.
   */
  async resetConsumers(senders: readonly string[] = []): Promise<void> {
    await this.#forgetInboxIfLost(this.#resetConsumers(senders));
  }

  async #resetConsumers(senders: readonly string[]): Promise<void> {
    const jsm = this.#requireJsm();
    const stream = inboxStream(this.#opts.networkId, this.#opts.country);
    this.#consumersCreatedAt = Number.NaN;
    // The lanes this node read, by name, as well as the listing: a cluster's listing leaves out a
    // consumer without a leader (scripts/nats-consumer-quorum.ts), so deleting only what it listed
    // kept such a consumer, and adding one of its name again did not make it afresh (inferred from a
    // campaign failover whose five resets all stayed leaderless). Deleted and created, it leads again.
    const names = new Set([...this.#lanes.values()].map((c) => c.name));
    for await (const c of jsm.consumers.list(stream)) if (isLaneConsumer(c.name) || c.name === SINGLE_INBOX_CONSUMER) names.add(c.name);
    for (const name of names) await this.#deleteConsumer(name);
    this.#lanes.clear();
    const lanes = new Set([...senders, ...(await this.#lanesWithMessages())]);
    for (const sender of [...lanes].sort()) if (sender !== this.#opts.country) await this.#addLaneConsumer(sender);
  }

  /**
   * After a reconnect: keeps every lane consumer that answers with nothing delivered and
   * unacknowledged, and creates afresh only the others (what the broker handed to a pull during
   * the drop went nowhere and would wait out the ack wait) and those the broker answers "not
   * found" for. On a 3-server cluster, deleting and creating every consumer while the cluster
   * elected new leaders held delivery back by up to 14 s of requests waiting out their 5 s
   * timeout (tests/nats-cluster-failover.test.ts). The consumers are asked at once, each with a
   * PROBE_TIMEOUT_MS timeout: a consumer whose leader is being elected makes this reject, and the
   * node asks again half a second later.
   */
  async refreshConsumers(): Promise<void> {
    await this.#forgetInboxIfLost(this.#refreshConsumers());
  }

  async #refreshConsumers(): Promise<void> {
    const jsm = this.#requireJsm();
    const probe = this.#probe ?? jsm;
    const stream = inboxStream(this.#opts.networkId, this.#opts.country);
    await Promise.all(
      [...this.#lanes].map(async ([sender, kept]) => {
        const info = await probe.consumers.info(stream, kept.name).catch((e: unknown) => {
          if (classifyNatsError(e) !== 'consumer-not-found') throw e;
          return undefined;
        });
        if (info?.num_ack_pending === 0) {
          this.#lanes.set(sender, info);
          return;
        }
        if (info) await this.#deleteConsumer(kept.name);
        await this.#addLaneConsumer(sender);
      }),
    );
  }

  /** Deletes a lane consumer of the inbox; one already gone is fine. Until it is created again, `inboxPresent` does not count it lost. */
  async #deleteConsumer(name: string): Promise<void> {
    this.#deleted.add(name);
    await this.#requireJsm()
      .consumers.delete(inboxStream(this.#opts.networkId, this.#opts.country), name)
      .catch((e: unknown) => {
        if (classifyNatsError(e) !== 'consumer-not-found') throw e;
      });
  }

  /** Senders whose lane of this node's inbox holds messages (the broker's per-subject counts). */
  async #lanesWithMessages(): Promise<string[]> {
    const { networkId, country } = this.#opts;
    const info = await this.#requireJsm().streams.info(inboxStream(networkId, country), { subjects_filter: inboxLanes(networkId, country) });
    return Object.keys(info.state.subjects ?? {})
      .map((s) => senderOfSubject(networkId, country, s))
      .filter((s): s is string => s !== undefined);
  }

  async #addLaneConsumer(sender: string): Promise<void> {
    const { networkId, country } = this.#opts;
    const info = await this.#requireJsm().consumers.add(inboxStream(networkId, country), {
      durable_name: laneConsumer(sender),
      filter_subject: inboxSubject(networkId, country, sender),
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(30_000),
      max_deliver: -1,
      max_ack_pending: 1_000,
    });
    this.#deleted.delete(info.name);
    if (Number.isNaN(this.#consumersCreatedAt)) this.#consumersCreatedAt = Date.parse(info.created.replace(/(\.\d{3})\d+/, '$1'));
    this.#lanes.set(sender, info);
  }

  /**
   * Whether the broker still has this node's inbox stream and every lane consumer. False after
   * it lost them (its store deleted, a restart without it), by `classifyNatsError` (JetStream API
   * code 10059) or a lane consumer the broker answers "not found" for (10014); the next `ensureInbox` then creates the stream again.
   */
  async inboxPresent(): Promise<boolean> {
    const stream = inboxStream(this.#opts.networkId, this.#opts.country);
    if (await this.#inboxGone(stream)) {
      this.#ensured.delete(stream);
      return false;
    }
    return true;
  }

  /**
   * Whether the inbox stream is gone, after an answer said it does not exist: asked again up to
   * STREAM_RECHECKS times, a second apart; any answer that finds it says it is not. A campaign's
   * cluster failover once counted a lost inbox that was still there, most likely a server that had
   * just restarted answering before it caught up (inferred, not read in a log). No answer counts as
   * gone: re-sending what has no receipt yet costs copies that the receiver drops, not requests.
   */
  async inboxStreamGone(): Promise<boolean> {
    const stream = inboxStream(this.#opts.networkId, this.#opts.country);
    for (let i = 0; i < STREAM_RECHECKS; i++) {
      await delay(1_000);
      const found = await this.#requireJsm()
        .streams.info(stream)
        .then(
          () => true,
          () => false,
        );
      if (found) return false;
    }
    this.#ensured.delete(stream);
    return true;
  }

  async #inboxGone(stream: string): Promise<boolean> {
    const jsm = this.#requireJsm();
    const lost = (e: unknown) => {
      const failure = classifyNatsError(e);
      if (failure !== 'stream-not-found' && failure !== 'consumer-not-found') throw e;
      return true;
    };
    const names = new Set<string>();
    try {
      for await (const c of jsm.consumers.list(stream)) names.add(c.name);
    } catch (e) {
      if (classifyNatsError(e) === 'stream-not-found') return this.inboxStreamGone();
      return lost(e);
    }
    // A cluster's listing leaves out a consumer whose leader is being elected (a server died): only
    // the consumer's own "not found" says it is gone; any other answer (a timeout) is not a loss,
    // so the question gets the probe's short timeout. A consumer this node deleted itself is not asked.
    for (const c of this.#lanes.values()) {
      if (names.has(c.name) || this.#deleted.has(c.name)) continue;
      const gone = await (this.#probe ?? jsm).consumers
        .info(stream, c.name)
        .then(() => false, lost)
        .catch(() => false);
      if (gone) return true;
    }
    return false;
  }

  /** When the broker created the inbox's lane consumers at the last reset, by the broker's clock (ms since the epoch; NaN when it created none). */
  get consumersCreatedAt(): number {
    return this.#consumersCreatedAt;
  }

  /**
   * Publishes envelope bytes on this node's lane of `destination`'s inbox with Nats-Msg-Id =
   * `msgId` (the envelope id unless it is a re-send, docs/protocol.md §14); with `part`, the
   * bytes are that part of an attachment's ciphertext, marked by ATTACHMENT_PART_HEADER
   * (§18.4), and `envelopeId` is the part's id. It waits `timeoutMs` for the broker's
   * acknowledgement (PUBLISH_TIMEOUT_MS unless told).
   *
   * A publish still waiting for the broker's acknowledgement when the connection drops fails at
   * once ('connection'). nats.js would keep it waiting across the reconnect for an answer the dead
   * server never sends: 5 s of timeout that held the relay's next pass back even when the server
   * the node reconnected to led the stream. Published again, a copy is dropped by the stream's
   * de-duplication (Nats-Msg-Id) and, past its window, by the receiver.
   */
  async publish(destination: string, envelopeId: string, bytes: Uint8Array, opts: PublishOptions = {}): Promise<void> {
    const { part = false, msgId = envelopeId, timeoutMs = PUBLISH_TIMEOUT_MS } = opts;
    const js = this.#requireJs();
    const dropped = this.#dropped.promise;
    let hdrs;
    if (part) {
      hdrs = natsHeaders();
      hdrs.set(ATTACHMENT_PART_HEADER, envelopeId);
    }
    const acknowledged = js.publish(inboxSubject(this.#opts.networkId, destination, this.#opts.country), bytes, {
      msgID: msgId,
      ...(hdrs ? { headers: hdrs } : {}),
      expect: { streamName: inboxStream(this.#opts.networkId, destination) },
      timeout: timeoutMs,
    });
    // The loser of the race below still settles; its rejection is already reported or moot.
    acknowledged.catch(() => {});
    await Promise.race([acknowledged, dropped]);
  }

  /**
   * Reads this node's inbox, one consumer per sender lane, and hands over batches in fair order
   * by bytes (LaneReader: deficit round robin between lanes, stream order within each) while
   * the previous batch is being applied; the handler acks each message itself, after the node
   * has committed it. A lane that turns up while consuming (a state that joined) gets its
   * consumer within a second. Resolves when `signal` aborts; rejects with the handler's error.
   */
  async consume(handler: (batch: JsMsg[]) => Promise<void>, signal: AbortSignal): Promise<void> {
    await this.#forgetInboxIfLost(this.#consume(handler, signal));
  }

  /**
   * `work`, except that a failure saying the inbox stream does not exist (the broker lost it,
   * perhaps again right after it was created) makes the next `ensureInbox` create it instead of
   * trusting that it did before.
   */
  async #forgetInboxIfLost(work: Promise<void>): Promise<void> {
    try {
      await work;
    } catch (e) {
      if (classifyNatsError(e) === 'stream-not-found') this.#ensured.delete(inboxStream(this.#opts.networkId, this.#opts.country));
      throw e;
    }
  }

  async #consume(handler: (batch: JsMsg[]) => Promise<void>, signal: AbortSignal): Promise<void> {
    const js = this.#requireJs();
    const reader = new LaneReader(handler, signal, this.#opts.logger, () => this.connected);
    const attach = () => {
      for (const [sender, info] of this.#lanes) reader.addLane(sender, js.consumers.getConsumerFromInfo(info));
    };
    attach();
    await reader.run(async () => {
      for (const sender of await this.#lanesWithMessages()) if (!this.#lanes.has(sender) && sender !== this.#opts.country) await this.#addLaneConsumer(sender);
      attach();
    });
  }

  #requireJs(): JetStreamClient {
    if (!this.#js) throw new Error('NATS is not connected yet');
    return this.#js;
  }

  #requireJsm(): JetStreamManager {
    if (!this.#jsm) throw new Error('NATS is not connected yet');
    return this.#jsm;
  }

  async close(): Promise<void> {
    this.#closed = true;
    const nc = this.#nc;
    this.#nc = undefined;
    if (nc && !nc.isClosed()) {
      // A drain waits for the server to answer; one that does not (it is paused, or gone mid-drain) must not hold the shutdown.
      const drained = nc.drain().then(
        () => true,
        () => false,
      );
      if (!(await Promise.race([drained, delay(DRAIN_TIMEOUT_MS, false, { ref: false })]))) await nc.close().catch(() => {});
    }
  }
}

/** A promise that rejects when told to; whether anyone waits on it or not, its rejection is never an unhandled one. */
function droppedSignal(): { promise: Promise<never>; reject: (e: Error) => void } {
  let reject: (e: Error) => void = () => {};
  const promise = new Promise<never>((_, r) => (reject = r));
  promise.catch(() => {});
  return { promise, reject };
}
