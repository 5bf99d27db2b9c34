/**
 * A token bucket per key: at most `burst` events at once, refilled at `perMinute`.
 * Used to bound the signed rejections a node sends to one claimed sender, so that a flood
 * of forged envelopes naming a peer cannot make this node sign a flood of replies to it.
 */
export class RateLimiter {
  readonly #perMinute: number;
  readonly #burst: number;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(perMinute: number, burst = perMinute) {
    this.#perMinute = perMinute;
    this.#burst = burst;
  }

  allow(key: string, now: number): boolean {
    const b = this.#buckets.get(key) ?? { tokens: this.#burst, at: now };
    b.tokens = Math.min(this.#burst, b.tokens + ((now - b.at) / 60_000) * this.#perMinute);
    b.at = now;
    const ok = b.tokens >= 1;
    if (ok) b.tokens -= 1;
    this.#buckets.set(key, b);
    return ok;
  }
}
