import type { JsMsg } from '@nats-io/jetstream';
import { decodeOuter } from '../../envelope/index.js';
import type { ExchangeDeps } from '../deps.js';
import { dropHeld, heldReady, holdOnLane, isStorageFault, laneApplied, laneNext, skipStaleGaps, type HeldEnvelope } from '../../store/index.js';
import { partIdOf, partsApplied, stageParts } from '../attachment-parts.js';
import { commitInParts } from '../parts.js';
import { apply, quarantine, type ApplyContext } from './apply.js';
import { classify } from './classify.js';
import { laneKey, lanePosition, type LanePosition } from './lanes.js';
import { Replies } from './replies.js';
import type { Verdict } from './verdict.js';

/** Plaintext of fetched attachments held at once before a commit; a batch holding more is committed in parts. */
const MAX_PREPARED_ATTACHMENT_BYTES = 64 * 1024 * 1024;

interface Item {
  msg: JsMsg;
  verdict: Verdict;
}

type Outcome = 'applied' | 'retry';

/** Held envelopes classified again per release round, at most. */
const RELEASE_BATCH = 32;
/** How often lanes are checked for gaps past their wait (docs/protocol.md §24.4) and for held envelopes whose turn came. */
const LANE_CHECK_MS = 5_000;

/**
 * Applies batches from the node's inbox stream in two halves: `classify` decides what each
 * message is (verification, content checks, replies sealed in advance; no writes), then one
 * SQLite transaction applies the whole batch (`apply`: request, step or receipt, with its
 * permanent de-duplication record and its reply in the outbox), and only then are the
 * messages acknowledged to JetStream. Timeline events are published by the store after
 * the commit. Envelopes on a sender's lane are applied in lane order (docs/protocol.md §24):
 * one ahead of its turn is held in the store (and acknowledged) until the ones before it are
 * applied, then released.
 */
export class Inbox {
  readonly #deps: ExchangeDeps;
  readonly #replies: Replies;
  readonly #afterCommit: () => void;

  constructor(deps: ExchangeDeps, afterCommit: () => void) {
    this.#deps = deps;
    this.#replies = new Replies(deps);
    this.#afterCommit = afterCommit;
  }

  #timer: NodeJS.Timeout | undefined;

  /** Checks the lanes every few seconds: held envelopes whose turn came, gaps waited out. */
  start(): void {
    this.#timer ??= setInterval(() => void this.releaseHeld().catch((e: unknown) => this.#deps.logger.error({ err: e }, 'cannot release held envelopes; retried at the next check')), LANE_CHECK_MS);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async handle(messages: JsMsg[]): Promise<void> {
    // Attachment parts first: a lane carries a request's parts before the request, so once they are kept its envelope finds them.
    const parts = messages.filter((m) => partIdOf(m) !== undefined);
    if (parts.length > 0 && !stageParts(this.#deps, parts)) {
      for (const msg of messages) if (!parts.includes(msg)) msg.nak(1_000);
      return;
    }
    const batch = parts.length > 0 ? messages.filter((m) => partIdOf(m) === undefined) : messages;
    for (const m of batch) this.#deps.clockHealth?.observeMessage(m.subject, m.data, m.info.timestampNanos / 1e6);
    const weight = ({ verdict: v }: Item) => (v.type === 'request' ? v.attachments.reduce((n, f) => n + f.content.byteLength, 0) : 0);
    const prepare = async (msg: JsMsg): Promise<Item> => ({ msg, verdict: await classify(this.#deps, this.#replies, msg.data, msg.subject) });
    const left = await commitInParts(batch, prepare, weight, MAX_PREPARED_ATTACHMENT_BYTES, (items) => this.#commit(items));
    for (const msg of left) msg.nak(1_000);
    if (left.length < batch.length) await this.releaseHeld();
  }

  /**
   * Applies prepared items in one transaction, then acks them; false (all redelivered later)
   * when the commit fails; throws a storage fault (nothing acknowledged).
   */
  async #commit(items: Item[]): Promise<boolean> {
    const ctx: ApplyContext = { deps: this.#deps, replies: this.#replies, discard: [] };
    const { store, logger } = this.#deps;
    let outcomes: Outcome[];
    try {
      outcomes = store.tx(() => this.#applyInLaneOrder(ctx, items));
    } catch (e) {
      // The store cannot write: nothing is acknowledged, and the consumer stops until it can
      // (NationalNode waits on StorageHealth, then redelivers from a fresh consumer in stream order).
      if (isStorageFault(e)) throw e;
      logger.error({ err: e }, 'inbox commit failed; messages will be redelivered');
      for (const item of items) item.msg.nak(1_000);
      return false;
    }
    items.forEach((item, i) => (outcomes[i] === 'retry' ? item.msg.nak(2_000) : item.msg.ack()));
    // Committed attachments are in the store now: their parts can go (expiry removes what a crash leaves).
    if (ctx.discard.length > 0) partsApplied(this.#deps, ctx.discard);
    this.#afterCommit();
    return true;
  }

  /**
   * A message whose application threw (a defect, not the message's fault as far as the checks
   * can tell): redelivered a few times, then kept in quarantine so that it is never retried forever.
   */
  #unappliable(ctx: ApplyContext, bytes: Uint8Array, subject: string, deliveries: number, e: unknown): Outcome {
    this.#deps.logger.error({ err: e, subject, deliveries }, 'cannot apply an inbound envelope');
    if (deliveries < MAX_DELIVERIES) return 'retry';
    quarantine(ctx, bytes, 'ERR_INTERNAL', undefined);
    return 'applied';
  }

  /** One message in its own savepoint: one that cannot be applied never holds the others back. */
  #applyOne(ctx: ApplyContext, verdict: Verdict, bytes: Uint8Array, subject: string, deliveries: number): Outcome {
    try {
      return this.#deps.store.tx(() => apply(ctx, verdict, bytes));
    } catch (e) {
      if (isStorageFault(e)) throw e;
      return this.#unappliable(ctx, bytes, subject, deliveries, e);
    }
  }

  /**
   * Applies a batch inside the caller's transaction, each lane in its order (§24.2): an envelope
   * at its lane's next position is applied and lets the next one of the batch follow; one behind
   * it (a copy, or a position given up earlier) is applied as it comes; one ahead of it waits in
   * the batch, and is held in the store if the batch does not bring its turn. A copy counts
   * like the first: a copy at the next position moves the lane on (a store written before this
   * rule may hold an envelope accepted without its lane moving), and a second copy of a waiting
   * envelope in the same batch is acknowledged with it, never applied ahead of its turn.
   */
  #applyInLaneOrder(ctx: ApplyContext, items: Item[]): Outcome[] {
    const { store, clock } = this.#deps;
    const outcomes: Outcome[] = new Array<Outcome>(items.length);
    const waiting = new Map<string, Map<number, number>>();
    const positions = items.map((item) => lanePosition(this.#deps, item.msg.data, item.msg.subject));
    const run = (i: number, at: LanePosition): void => {
      const item = items[i]!;
      const turn = at.seq === laneNext(store, at.sender, at.epoch);
      outcomes[i] = this.#applyOne(ctx, item.verdict, item.msg.data, item.msg.subject, item.msg.info.deliveryCount);
      if (!turn || outcomes[i] !== 'applied') return;
      laneApplied(store, at.sender, at.epoch, at.seq, clock.now());
      const after = waiting.get(laneKey(at))?.get(at.seq + 1);
      if (after === undefined) return;
      waiting.get(laneKey(at))!.delete(at.seq + 1);
      run(after, positions[after]!);
    };
    items.forEach((item, i) => {
      const at = positions[i];
      if (!at) {
        outcomes[i] = this.#applyOne(ctx, item.verdict, item.msg.data, item.msg.subject, item.msg.info.deliveryCount);
        return;
      }
      const lane = waiting.get(laneKey(at)) ?? new Map<number, number>();
      waiting.set(laneKey(at), lane);
      if (at.seq <= laneNext(store, at.sender, at.epoch)) {
        run(i, at);
        return;
      }
      const first = lane.get(at.seq);
      if (first === undefined) lane.set(at.seq, i);
      // The same envelope twice in one batch (a re-send under another message id): the one waiting stands for both.
      else if (decodeId(items[first]!.msg.data) === decodeId(item.msg.data)) outcomes[i] = 'applied';
      // Another envelope claiming a waiting position: redelivered, and applied once the position is settled.
      else outcomes[i] = 'retry';
    });
    for (const lane of waiting.values()) {
      for (const i of lane.values()) {
        const { msg } = items[i]!;
        const at = positions[i]!;
        store.tx(() => holdOnLane(store, { ...at, envelopeId: decodeId(msg.data), subject: msg.subject, bytes: msg.data, heldAt: clock.now() }));
        outcomes[i] = 'applied';
      }
    }
    return outcomes;
  }

  #releasing: Promise<number> | undefined;

  /**
   * Applies held envelopes whose turn has come, lane by lane in order, after moving lanes whose
   * gap was waited out past it (§24.4). Returns how many were released; one pass at a time.
   */
  releaseHeld(): Promise<number> {
    if (this.#releasing) {
      this.#releaseAgain = true;
      return this.#releasing;
    }
    this.#releasing = (async () => {
      let released = 0;
      do {
        this.#releaseAgain = false;
        released += await this.#release();
      } while (this.#releaseAgain);
      return released;
    })().finally(() => (this.#releasing = undefined));
    return this.#releasing;
  }

  #releaseAgain = false;

  async #release(): Promise<number> {
    const { store, clock, logger, settings } = this.#deps;
    let released = 0;
    for (;;) {
      const moved = store.tx(() => skipStaleGaps(store, clock.now() - settings.laneGapMs));
      for (const m of moved)
        logger.warn({ sender: m.sender, epoch: m.epoch, from: m.from, to: m.to }, 'lane positions given up: not received within the lane gap wait; the held envelopes after them are applied');
      const ready = heldReady(store, RELEASE_BATCH);
      if (ready.length === 0) return released;
      const prepared = await Promise.all(ready.map(async (h) => ({ h, verdict: await classify(this.#deps, this.#replies, h.bytes, h.subject, h.heldAt) })));
      const ctx: ApplyContext = { deps: this.#deps, replies: this.#replies, discard: [] };
      const progress = store.tx(() => prepared.reduce((n, { h, verdict }) => n + this.#releaseOne(ctx, h, verdict), 0));
      if (ctx.discard.length > 0) partsApplied(this.#deps, ctx.discard);
      if (progress === 0) return released;
      released += progress;
      this.#afterCommit();
    }
  }

  /** Applies one held envelope if it is still its lane's turn; 1 when it left the hold. */
  #releaseOne(ctx: ApplyContext, h: HeldEnvelope, verdict: Verdict): number {
    const { store, clock } = this.#deps;
    const next = laneNext(store, h.sender, h.epoch);
    if (h.seq > next) return 0;
    if (this.#applyOne(ctx, verdict, h.bytes, h.subject, 1) !== 'applied') return 0;
    dropHeld(store, h.sender, h.epoch, h.seq);
    if (h.seq === next) laneApplied(store, h.sender, h.epoch, h.seq, clock.now());
    return 1;
  }
}

function decodeId(bytes: Uint8Array): string {
  return decodeOuter(bytes)?.header.id ?? '';
}

/** Deliveries of a message that cannot be applied before it goes to quarantine. */
const MAX_DELIVERIES = 5;
