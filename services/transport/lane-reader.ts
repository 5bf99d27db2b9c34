import type { Consumer, JsMsg } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import { FairQueue } from './fair-queue.js';

/** Bytes a lane is served per turn of the round robin between lanes (deficit round robin). */
export const LANE_QUANTUM_BYTES = 1024 ** 2;
/** Bytes of one batch handed to the inbox (one message may exceed it alone). */
export const INBOX_BATCH_BYTES = 4 * 1024 ** 2;
/** Messages of one batch handed to the inbox. */
const INBOX_BATCH_MESSAGES = 256;
/**
 * Bytes a lane asks the broker for at once, and below which its buffer is topped up: what is
 * delivered waits here for its turn, so this bounds memory and the wait before the ack (30 s).
 */
const LANE_PULL_BYTES = 4 * 1024 ** 2;
/** Messages a lane asks for at once, whatever their size. */
const LANE_PULL_MESSAGES = 64;
/** Size assumed for a lane's messages before it has delivered any: an attachment part. */
const FIRST_MESSAGE_BYTES = 512 * 1024;
/**
 * Lifetime of one pull request (heartbeats every half of it). With nats.js's 30 s default,
 * killing the server a node was connected to on a 3-server cluster stopped that node's inbox
 * for about 32 s while the consumer's leader moved (tests/nats-cluster-failover.test.ts).
 */
const PULL_EXPIRES_MS = 2_000;
/** Wait before a lane asks again after a failed pull (a reconnect, a consumer leader moving). */
const PULL_RETRY_MS = 250;
/**
 * How long a lane's pulls may fail in a row, the connection up, before the reader gives up on its
 * consumers (run rejects with LaneStuckError, and the node creates them afresh). On a 3-server
 * cluster a consumer created while a server was dead and another catching up could stay without a
 * leader, every pull missing its heartbeats, for minutes (tests/nats-cluster-failover.test.ts);
 * a leader moving normally takes 4 to 9 s.
 */
export const LANE_STUCK_MS = 10_000;
/** How often the reader looks for lanes that have messages but no consumer yet (a state that joined). */
const DISCOVER_MS = 500;

/** A lane's pulls kept failing for LANE_STUCK_MS with the connection up: its consumer answers nothing. */
export class LaneStuckError extends Error {
  constructor(
    readonly sender: string,
    failingForMs: number,
  ) {
    super(`the inbox lane consumer for ${sender} has answered no pull for ${Math.round(failingForMs / 1000)} s with the connection up`);
    this.name = 'LaneStuckError';
  }
}

interface LaneState {
  consumer: Consumer;
  /** The largest message of its last pull, to size the next one. */
  largest: number;
  /** Wakes the lane's pull loop when its buffer has room again. */
  room: (() => void) | undefined;
}

/**
 * Reads an inbox one consumer per sender lane and hands the handler batches in fair order
 * (FairQueue, by bytes): a backlog on one lane never holds back the messages of another for
 * more than a quantum per turn. Each lane pulls only while its buffer is below LANE_PULL_BYTES.
 * Order within a lane is the stream's; the handler acknowledges each message after committing it.
 */
export class LaneReader {
  readonly #handler: (batch: JsMsg[]) => Promise<void>;
  readonly #logger: Logger;
  readonly #stop = new AbortController();
  readonly #queue = new FairQueue<JsMsg>(LANE_QUANTUM_BYTES);
  readonly #lanes = new Map<string, LaneState>();
  readonly #pulls: Promise<void>[] = [];
  readonly #connected: () => boolean;
  #wake: (() => void) | undefined;
  #stuck: LaneStuckError | undefined;

  /** `connected`: whether the connection to the broker is up (pulls failing while it is down are not a stuck consumer). */
  constructor(handler: (batch: JsMsg[]) => Promise<void>, signal: AbortSignal, logger: Logger, connected: () => boolean = () => true) {
    this.#handler = handler;
    this.#logger = logger;
    this.#connected = connected;
    if (signal.aborted) this.#stop.abort();
    else signal.addEventListener('abort', () => this.#halt(), { once: true });
  }

  /** Starts reading `sender`'s lane through `consumer` (once per lane). */
  addLane(sender: string, consumer: Consumer): void {
    if (this.#lanes.has(sender) || this.#stop.signal.aborted) return;
    const lane: LaneState = { consumer, largest: FIRST_MESSAGE_BYTES, room: undefined };
    this.#lanes.set(sender, lane);
    this.#pulls.push(this.#pull(sender, lane));
  }

  /**
   * Hands batches to the handler until the signal aborts (then resolves once the batch in hand
   * is done), the handler throws (then rejects with its error) or a lane is stuck (rejects
   * with LaneStuckError); `discover` runs every
   * DISCOVER_MS meanwhile. Messages taken but not handled are left unacknowledged: a fresh
   * consumer delivers them again.
   */
  async run(discover: () => Promise<void>): Promise<void> {
    const finding = this.#discoverEvery(discover);
    try {
      while (!this.#stop.signal.aborted) {
        const batch = this.#queue.take(INBOX_BATCH_MESSAGES, INBOX_BATCH_BYTES);
        if (batch.length === 0) {
          await new Promise<void>((resolve) => (this.#wake = resolve));
          continue;
        }
        this.#makeRoom();
        await this.#handler(batch);
      }
      if (this.#stuck) throw this.#stuck;
    } finally {
      this.#halt();
      await finding;
      await Promise.all(this.#pulls);
    }
  }

  /** One lane: pulls while its buffer has room, in stream order. */
  async #pull(sender: string, lane: LaneState): Promise<void> {
    const stop = this.#stop.signal;
    let failingSince = Number.NaN;
    while (!stop.aborted) {
      if (this.#queue.bytes(sender) >= LANE_PULL_BYTES) {
        await new Promise<void>((resolve) => (lane.room = resolve));
        continue;
      }
      const max = Math.max(1, Math.min(LANE_PULL_MESSAGES, Math.floor(LANE_PULL_BYTES / lane.largest)));
      try {
        const messages = await lane.consumer.fetch({ max_messages: max, expires: PULL_EXPIRES_MS });
        const close = () => void messages.close();
        if (stop.aborted) close();
        stop.addEventListener('abort', close, { once: true });
        let largest = 0;
        try {
          for await (const m of messages) {
            const size = m.data.byteLength;
            largest = Math.max(largest, size);
            this.#queue.push(sender, m, size);
            this.#wake?.();
            this.#wake = undefined;
          }
        } finally {
          stop.removeEventListener('abort', close);
        }
        if (largest > 0) lane.largest = largest;
        failingSince = Number.NaN;
      } catch (e) {
        if (stop.aborted) return;
        this.#logger.debug({ err: e, sender }, 'inbox lane pull failed; asking again');
        const now = Date.now();
        if (!this.#connected()) failingSince = Number.NaN;
        else if (Number.isNaN(failingSince)) failingSince = now;
        else if (now - failingSince >= LANE_STUCK_MS) {
          this.#stuck = new LaneStuckError(sender, now - failingSince);
          this.#halt();
          return;
        }
        await new Promise((r) => setTimeout(r, PULL_RETRY_MS));
      }
    }
  }

  async #discoverEvery(discover: () => Promise<void>): Promise<void> {
    const stop = this.#stop.signal;
    while (!stop.aborted) {
      await discover().catch((e: unknown) => this.#logger.debug({ err: e }, 'cannot look for new inbox lanes; trying again'));
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(t);
          stop.removeEventListener('abort', done);
          resolve();
        };
        const t = setTimeout(done, DISCOVER_MS);
        stop.addEventListener('abort', done, { once: true });
      });
    }
  }

  /** Wakes the lanes whose buffers fell below the pull size. */
  #makeRoom(): void {
    for (const [sender, lane] of this.#lanes) {
      if (lane.room && this.#queue.bytes(sender) < LANE_PULL_BYTES) {
        lane.room();
        lane.room = undefined;
      }
    }
  }

  #halt(): void {
    this.#stop.abort();
    this.#wake?.();
    for (const lane of this.#lanes.values()) lane.room?.();
  }
}
