import { GatewayError } from '../errors.js';

export interface LoginLimitSettings {
  /** Failures from one address before delays start. */
  perIp: number;
  /** Failures on one account (from anywhere) before delays start. */
  perUser: number;
  /** A counter is forgotten this long after its last failure. */
  windowMs: number;
  /** Longest wait an account's failures impose: what an outsider can cost the owner. */
  maxAccountDelayMs: number;
  /** Longest wait an address's failures impose on that address. */
  maxAddressDelayMs: number;
}

interface Counter {
  failures: number;
  last: number;
}

const FIRST_DELAY_MS = 500;

/**
 * Sign-in throttling with growing delays instead of a lockout. Past `perUser` failures on an
 * account, the next attempt on it must wait 0.5 s, then 1 s, 2 s... up to `maxAccountDelayMs`
 * after the last failure; the same per address up to `maxAddressDelayMs`. An attempt made
 * during a wait is refused without checking the password and without counting. So an outsider
 * who types wrong passwords all day keeps the owner out for at most `maxAccountDelayMs` at a
 * time, and a browser that signed in to this account before (device cookie) skips the account
 * wait altogether: only its own address's counter applies to it.
 */
export class LoginLimiter {
  readonly #s: LoginLimitSettings;
  readonly #counters = new Map<string, Counter>();

  constructor(s: LoginLimitSettings) {
    this.#s = s;
  }

  #keys(ip: string, username: string, knownDevice: boolean): { key: string; free: number; cap: number }[] {
    const keys = [{ key: `ip:${ip}`, free: this.#s.perIp, cap: this.#s.maxAddressDelayMs }];
    if (!knownDevice) keys.push({ key: `user:${username.toLowerCase()}`, free: this.#s.perUser, cap: this.#s.maxAccountDelayMs });
    return keys;
  }

  #counter(key: string, now: number): Counter | undefined {
    const c = this.#counters.get(key);
    if (c && now - c.last >= this.#s.windowMs) {
      this.#counters.delete(key);
      return undefined;
    }
    return c;
  }

  /** Milliseconds still to wait before an attempt is allowed (0: now). */
  waitMs(ip: string, username: string, now: number, knownDevice = false): number {
    let wait = 0;
    for (const { key, free, cap } of this.#keys(ip, username, knownDevice)) {
      const c = this.#counter(key, now);
      if (!c || c.failures < free) continue;
      const delay = Math.min(cap, FIRST_DELAY_MS * 2 ** Math.min(20, c.failures - free));
      wait = Math.max(wait, c.last + delay - now);
    }
    return Math.max(0, wait);
  }

  /** Throws ERR_RATE_LIMITED with the seconds to wait while a delay runs. */
  check(ip: string, username: string, now: number, knownDevice = false): void {
    const wait = this.waitMs(ip, username, now, knownDevice);
    if (wait > 0) throw new GatewayError('ERR_RATE_LIMITED', 'login.wait', { params: { seconds: Math.max(1, Math.ceil(wait / 1000)) } });
  }

  fail(ip: string, username: string, now: number, knownDevice = false): void {
    for (const { key } of this.#keys(ip, username, knownDevice)) {
      const c = this.#counter(key, now);
      this.#counters.set(key, { failures: (c?.failures ?? 0) + 1, last: now });
    }
    if (this.#counters.size > 100_000) for (const k of [...this.#counters.keys()].slice(0, 50_000)) this.#counters.delete(k);
  }

  /** A right password clears the account's counter (not the address's: one's own account must not clear a spraying address). */
  succeed(username: string): void {
    this.#counters.delete(`user:${username.toLowerCase()}`);
  }
}
