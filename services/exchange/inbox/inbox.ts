import type { JsMsg } from '@nats-io/jetstream';
import type { ExchangeDeps } from '../deps.js';
import { isStorageFault } from '../../store/index.js';
import { partIdOf, partsApplied, stageParts } from '../attachment-parts.js';
import { commitInParts } from '../parts.js';
import { apply, quarantine, type ApplyContext } from './apply.js';
import { classify } from './classify.js';
import { Replies } from './replies.js';
import type { Verdict } from './verdict.js';

/** Plaintext of fetched attachments held at once before a commit; a batch holding more is committed in parts. */
const MAX_PREPARED_ATTACHMENT_BYTES = 64 * 1024 * 1024;

interface Item {
  msg: JsMsg;
  verdict: Verdict;
}

/**
 * Applies batches from the node's inbox stream in two halves: `classify` decides what each
 * message is (verification, content checks, replies sealed in advance; no writes), then one
 * SQLite transaction applies the whole batch (`apply`: request, step or receipt, with its
 * permanent de-duplication record and its reply in the outbox), and only then are the
 * messages acknowledged to JetStream. Timeline events are published by the store after
 * the commit.
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
  }

  /**
   * Applies prepared items in one transaction, then acks them; false (all redelivered later)
   * when the commit fails; throws a storage fault (nothing acknowledged).
   */
  async #commit(items: Item[]): Promise<boolean> {
    const ctx: ApplyContext = { deps: this.#deps, replies: this.#replies, discard: [] };
    const { store, logger } = this.#deps;
    let outcomes: ('applied' | 'retry')[];
    try {
      // Each message in its own savepoint: one that cannot be applied never holds the others back.
      outcomes = store.tx(() =>
        items.map((item) => {
          try {
            return store.tx(() => apply(ctx, item.verdict, item.msg.data));
          } catch (e) {
            if (isStorageFault(e)) throw e;
            return this.#unappliable(ctx, item, e);
          }
        }),
      );
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
  #unappliable(ctx: ApplyContext, item: Item, e: unknown): 'applied' | 'retry' {
    const deliveries = item.msg.info.deliveryCount;
    this.#deps.logger.error({ err: e, subject: item.msg.subject, deliveries }, 'cannot apply an inbound envelope');
    if (deliveries < MAX_DELIVERIES) return 'retry';
    quarantine(ctx, item.msg.data, 'ERR_INTERNAL', undefined);
    return 'applied';
  }
}

/** Deliveries of a message that cannot be applied before it goes to quarantine. */
const MAX_DELIVERIES = 5;
