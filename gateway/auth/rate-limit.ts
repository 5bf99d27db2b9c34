import { GatewayError } from '../errors.js';

/**
 * Failed logins counted per IP and per username over a sliding window. Past the limit, every
 * attempt (even with the right password) is refused until the oldest failure leaves the window.
 */
export class LoginLimiter {
  readonly #perIp: number;
  readonly #perUser: number;
  readonly #windowMs: number;
  readonly #failures = new Map<string, number[]>();

  constructor(opts: { perIp: number; perUser: number; windowMs: number }) {
    this.#perIp = opts.perIp;
    this.#perUser = opts.perUser;
    this.#windowMs = opts.windowMs;
  }

  #recent(key: string, now: number): number[] {
    const list = (this.#failures.get(key) ?? []).filter((t) => now - t < this.#windowMs);
    if (list.length === 0) this.#failures.delete(key);
    else this.#failures.set(key, list);
    return list;
  }

  /** Throws ERR_RATE_LIMITED with the minutes to wait when either counter is full. */
  check(ip: string, username: string, now: number): void {
    for (const [key, limit] of [[`ip:${ip}`, this.#perIp], [`user:${username.toLowerCase()}`, this.#perUser]] as const) {
      const list = this.#recent(key, now);
      if (list.length >= limit) {
        const waitMs = list[0]! + this.#windowMs - now;
        throw new GatewayError('ERR_RATE_LIMITED', 'login.rateLimited', { params: { minutes: Math.max(1, Math.ceil(waitMs / 60_000)) } });
      }
    }
  }

  fail(ip: string, username: string, now: number): void {
    for (const key of [`ip:${ip}`, `user:${username.toLowerCase()}`]) this.#failures.set(key, [...this.#recent(key, now), now]);
  }

  succeed(username: string): void {
    this.#failures.delete(`user:${username.toLowerCase()}`);
  }
}
