import { Direction, EventType } from '../../generated/enlace/v1/exchange.js';
import type { BenchClient, Seen } from './clients.js';

/** When one request passed each point, on the measuring process's clock (performance.now()). */
interface Marks {
  submitAt?: number;
  acceptedAt?: number;
  receivedAt?: number;
  deliveredAt?: number;
}

/**
 * Follows requests by sender reference through the receiver's WatchRequests ('received')
 * and the sender's ('delivered'). Events may come before the submit call returns, so
 * marks are kept by reference, whatever their order.
 */
export class Tracker {
  readonly #marks = new Map<string, Marks>();
  readonly #waiters = new Map<string, () => void>();
  readonly #stops: (() => void)[] = [];
  received = 0;
  delivered = 0;

  static async attach(sender: BenchClient, receiver: BenchClient): Promise<Tracker> {
    const t = new Tracker();
    t.#stops.push(await sender.watch(Direction.DIRECTION_OUTBOUND, (s) => t.#onSender(s)));
    t.#stops.push(await receiver.watch(Direction.DIRECTION_INBOUND, (s) => t.#onReceiver(s)));
    return t;
  }

  /** Watches the receiver again, after it restarted. */
  async reattachReceiver(receiver: BenchClient): Promise<void> {
    this.#stops.push(await receiver.watch(Direction.DIRECTION_INBOUND, (s) => this.#onReceiver(s)));
  }

  #mark(ref: string): Marks {
    let m = this.#marks.get(ref);
    if (!m) this.#marks.set(ref, (m = {}));
    return m;
  }

  #onSender(s: Seen): void {
    if (s.type !== EventType.EVENT_TYPE_DELIVERED) return;
    const m = this.#mark(s.senderReference);
    if (m.deliveredAt !== undefined) return;
    m.deliveredAt = s.at;
    this.delivered++;
    const wake = this.#waiters.get(s.senderReference);
    if (wake) {
      this.#waiters.delete(s.senderReference);
      wake();
    }
  }

  #onReceiver(s: Seen): void {
    if (s.type !== EventType.EVENT_TYPE_RECEIVED) return;
    const m = this.#mark(s.senderReference);
    if (m.receivedAt !== undefined) return;
    m.receivedAt = s.at;
    this.received++;
  }

  submitting(ref: string): void {
    this.#mark(ref).submitAt = performance.now();
  }

  accepted(ref: string): void {
    this.#mark(ref).acceptedAt = performance.now();
  }

  /** Resolves when the sender reports `ref` delivered (its receipt arrived). */
  delivery(ref: string): Promise<void> {
    if (this.#marks.get(ref)?.deliveredAt !== undefined) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.set(ref, resolve));
  }

  marks(ref: string): Marks | undefined {
    return this.#marks.get(ref);
  }

  /** Latencies in ms of the given references: submit to accepted, to received, to delivered. */
  latencies(refs: readonly string[]): { accepted: number[]; received: number[]; delivered: number[] } {
    const out = { accepted: [] as number[], received: [] as number[], delivered: [] as number[] };
    for (const ref of refs) {
      const m = this.#marks.get(ref);
      if (m?.submitAt === undefined) continue;
      if (m.acceptedAt !== undefined) out.accepted.push(m.acceptedAt - m.submitAt);
      if (m.receivedAt !== undefined) out.received.push(m.receivedAt - m.submitAt);
      if (m.deliveredAt !== undefined) out.delivered.push(m.deliveredAt - m.submitAt);
    }
    return out;
  }

  stop(): void {
    for (const s of this.#stops.splice(0)) s();
  }
}
