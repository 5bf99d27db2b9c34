import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit.js';

describe('RateLimiter', () => {
  it('allows a burst, then the refill rate, per key', () => {
    const r = new RateLimiter(60, 3);
    const t = 1_000_000;
    expect([r.allow('AR', t), r.allow('AR', t), r.allow('AR', t), r.allow('AR', t)]).toEqual([true, true, true, false]);
    expect(r.allow('UY', t)).toBe(true);
    expect(r.allow('AR', t + 999)).toBe(false);
    expect(r.allow('AR', t + 1_000)).toBe(true);
    expect(r.allow('AR', t + 10 * 60_000)).toBe(true);
  });
});
