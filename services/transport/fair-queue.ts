interface Lane<T> {
  items: { item: T; size: number }[];
  bytes: number;
  /** Bytes the lane may still take in its current turn. */
  deficit: number;
  /** Whether its current turn has begun (its quantum added). */
  inTurn: boolean;
}

/**
 * Queues per lane, served by deficit round robin over bytes (Shreedhar and Varghese, 1995):
 * each turn a lane may take `quantum` more bytes, plus what it did not use last turn, so over
 * time every lane with a backlog gets the same bytes whatever the size of its messages, and a
 * lane with one small message waits for at most one turn of each other lane. Order within a
 * lane is kept. A lane that runs empty loses its credit.
 *
 * @example
 * const q = new FairQueue<string>(1024);
 * q.push('AR', 'a1', 3000); q.push('AR', 'a2', 3000); q.push('BR', 'b1', 10);
 * q.take(10, Infinity); // ['b1', 'a1', 'a2']: AR's first turn (1024 bytes) is too short for a1, BR's is enough for b1
 */
export class FairQueue<T> {
  readonly #quantum: number;
  readonly #lanes = new Map<string, Lane<T>>();
  /** Lanes holding items, in the order of their turns; the first one is being served. */
  readonly #active: string[] = [];

  constructor(quantum: number) {
    if (!(quantum > 0)) throw new RangeError('the quantum must be a positive number of bytes');
    this.#quantum = quantum;
  }

  push(lane: string, item: T, size: number): void {
    let l = this.#lanes.get(lane);
    if (!l) this.#lanes.set(lane, (l = { items: [], bytes: 0, deficit: 0, inTurn: false }));
    if (l.items.length === 0) this.#active.push(lane);
    l.items.push({ item, size });
    l.bytes += size;
  }

  /** Bytes waiting in `lane`. */
  bytes(lane: string): number {
    return this.#lanes.get(lane)?.bytes ?? 0;
  }

  /** Items waiting in all lanes. */
  get length(): number {
    let n = 0;
    for (const l of this.#lanes.values()) n += l.items.length;
    return n;
  }

  /**
   * The next items in fair order: at most `maxItems`, and at most `maxBytes` unless the first
   * item alone is larger. A lane whose turn is cut short by the limits goes on with it next time.
   */
  take(maxItems: number, maxBytes: number): T[] {
    const out: T[] = [];
    let bytes = 0;
    while (out.length < maxItems && this.#active.length > 0) {
      const name = this.#active[0]!;
      const lane = this.#lanes.get(name)!;
      if (!lane.inTurn) {
        lane.deficit += this.#quantum;
        lane.inTurn = true;
      }
      const head = lane.items[0]!;
      if (head.size > lane.deficit) {
        lane.inTurn = false;
        this.#active.push(this.#active.shift()!);
        continue;
      }
      if (out.length > 0 && bytes + head.size > maxBytes) break;
      lane.items.shift();
      lane.bytes -= head.size;
      lane.deficit -= head.size;
      bytes += head.size;
      out.push(head.item);
      if (lane.items.length === 0) {
        lane.deficit = 0;
        lane.inTurn = false;
        this.#active.shift();
      }
    }
    return out;
  }

  /** Empties every lane, handing back what was waiting. */
  drain(): T[] {
    const out: T[] = [];
    for (const l of this.#lanes.values()) out.push(...l.items.map((x) => x.item));
    this.#lanes.clear();
    this.#active.length = 0;
    return out;
  }
}
