import { decodeOuter, KIND, parseAddress, UUID_V7, type Opened } from '../../envelope/index.js';
import type { RejectionCode } from '../../../keys/index.js';
import type { ExchangeDeps } from '../deps.js';
import { RateLimiter } from '../rate-limit.js';
import { sealReceiptFor, sha256, type Outgoing } from '../seal-for.js';
import type { NodeRejectionCode } from './verdict.js';

/**
 * The one builder of the inbox's signed replies: the acceptance of an envelope, the refusal
 * of a step, the rejection of a message that failed a check. Replies are sealed before the
 * transaction (sealing is asynchronous) and enqueued inside it, so a reply exists exactly
 * when what it answers was committed. Refusals and rejections to one claimed sender are
 * rate-limited (120 at once, 60 a minute): a flood of forged envelopes naming a peer cannot
 * make this node sign a flood of replies to it; the excess is only quarantined.
 */
export class Replies {
  readonly #deps: ExchangeDeps;
  readonly #limiter = new RateLimiter(60, 120);
  /** Receipts sent again for copies: a budget of their own, so a flood of forgeries cannot silence them. */
  readonly #resends = new RateLimiter(60, 120);

  constructor(deps: ExchangeDeps) {
    this.#deps = deps;
  }

  /** The signed answer to an opened envelope: accepted, or refused with `code`. */
  answer(opened: Opened, outcome: 'accepted' | NodeRejectionCode): Promise<Outgoing> {
    return sealReceiptFor(this.#deps, opened.senderCountry, {
      envelopeId: opened.header.id,
      envelopeSha256: opened.sha256,
      receivedAt: this.#deps.clock.now(),
      ...(outcome === 'accepted' ? { outcome: 'accepted' } : { outcome: 'rejected', reasonCode: outcome as RejectionCode }),
    });
  }

  /**
   * The signed rejection of bytes that failed a check, when they claim a sender that is an
   * active node of this network (never to an unknown party, never for a receipt, never
   * beyond the rate limit); undefined otherwise.
   */
  async rejection(bytes: Uint8Array, code: NodeRejectionCode, detail?: string): Promise<Outgoing | undefined> {
    const { deps } = { deps: this.#deps };
    const header = decodeOuter(bytes)?.header;
    const sender = header ? parseAddress(header.from)?.country : undefined;
    if (
      !header ||
      !sender ||
      header.networkId !== deps.networkId ||
      header.kind === KIND.receipt ||
      !UUID_V7.test(header.id) ||
      deps.trust.descriptor(sender)?.status !== 'active' ||
      !this.#limiter.allow(sender, deps.clock.now())
    ) {
      return undefined;
    }
    try {
      return await sealReceiptFor(deps, sender, {
        envelopeId: header.id,
        envelopeSha256: sha256(bytes),
        receivedAt: deps.clock.now(),
        outcome: 'rejected',
        reasonCode: code as RejectionCode,
        ...(code === 'ERR_CONTENT_INVALID' && detail ? { detail: detail.slice(0, 300) } : {}),
      });
    } catch (e) {
      deps.logger.warn({ err: e, sender }, 'cannot seal a rejection receipt');
      return undefined;
    }
  }

  /** Enqueues a reply inside the caller's transaction. A refusal beyond the sender's limit is not sent. */
  send(reply: Outgoing | undefined, refusal = false): boolean {
    if (!reply) return false;
    const { store, clock } = this.#deps;
    if (refusal && !this.#limiter.allow(reply.to, clock.now())) return false;
    store.enqueue({ envelopeId: reply.id, destination: reply.to, kind: KIND.receipt, bytes: reply.bytes, expectsReceipt: false, nextAttemptAt: clock.now() });
    return true;
  }

  /**
   * A stored reply (the first answer to an envelope), sent again for a re-sent copy: the same
   * bytes under a fresh outbox key, which the relay publishes as Nats-Msg-Id (docs/protocol.md
   * §14). Under the receipt's own id the broker would drop it whenever an earlier publish of it
   * lies inside the destination stream's duplicate window. Rate-limited per sender (its own
   * budget, apart from rejections), so replayed copies cannot make this node publish without bound.
   */
  resend(bytes: Uint8Array, to: string): boolean {
    const outer = decodeOuter(bytes);
    const now = this.#deps.clock.now();
    if (!outer || !this.#resends.allow(to, now)) return false;
    return this.send({ id: resendKey(outer.header.id, now), to, kind: KIND.receipt, bytes, sha256: sha256(bytes) });
  }
}

/** The outbox key (and Nats-Msg-Id) of a receipt published again: never the receipt's own id. */
export function resendKey(receiptId: string, now: number): string {
  return `${receiptId}.resent.${now}`;
}
