import { describe, expect, it } from 'vitest';
import { EnlaceError } from '../keys/index.js';
import { envToCfg } from './config.js';
import { DEFAULT_EXCHANGE_SETTINGS } from './exchange/index.js';

const base = { ENLACE_COUNTRY: 'AR', ENLACE_NATS_PLAINTEXT: '1', ENLACE_GRPC_PLAINTEXT: '1' };

function configError(env: Record<string, string>): EnlaceError {
  try {
    envToCfg({ ...base, ...env }, '/tmp');
  } catch (e) {
    if (e instanceof EnlaceError) return e;
    throw e;
  }
  throw new Error('expected a configuration error');
}

describe('re-send and lane gap settings (ENLACE_RESEND_AFTER, ENLACE_RESEND_MAX, ENLACE_LANE_GAP; protocol §24.4)', () => {
  it('keeps the defaults when unset: 5 minutes, 2 hours, 4 hours', () => {
    const { exchange } = envToCfg(base, '/tmp');
    expect([exchange.resendAfterMs, exchange.resendMaxMs, exchange.laneGapMs]).toEqual([5 * 60_000, 2 * 3600_000, 4 * 3600_000]);
    expect(exchange.laneGapMs).toBe(DEFAULT_EXCHANGE_SETTINGS.laneGapMs);
  });

  it('takes durations an operator writes', () => {
    const { exchange } = envToCfg({ ...base, ENLACE_RESEND_AFTER: '30s', ENLACE_RESEND_MAX: '10m', ENLACE_LANE_GAP: '1h' }, '/tmp');
    expect([exchange.resendAfterMs, exchange.resendMaxMs, exchange.laneGapMs]).toEqual([30_000, 600_000, 3600_000]);
  });

  it('refuses a lane gap wait that is not longer than the longest re-send interval, naming both variables', () => {
    const e = configError({ ENLACE_RESEND_MAX: '6h' });
    expect(e.code).toBe('ERR_CONFIG');
    expect(e.message).toContain('ENLACE_LANE_GAP must be longer than ENLACE_RESEND_MAX');
  });

  it('reports every problem at once', () => {
    const unreadable = configError({ ENLACE_RESEND_AFTER: 'soon', ENLACE_RESEND_MAX: '0s', ENLACE_LANE_GAP: '1m' }).message.split('; ');
    expect(unreadable).toHaveLength(2);
    expect(unreadable[0]).toContain('ENLACE_RESEND_AFTER must be a duration');
    expect(unreadable[1]).toContain('ENLACE_RESEND_MAX must be longer than 0');
    const contradictory = configError({ ENLACE_RESEND_AFTER: '4h', ENLACE_RESEND_MAX: '3h', ENLACE_LANE_GAP: '2h' }).message.split('; ');
    expect(contradictory).toHaveLength(2);
    expect(contradictory[0]).toContain('ENLACE_RESEND_MAX (the longest re-send interval) must be at least ENLACE_RESEND_AFTER');
    expect(contradictory[1]).toContain('ENLACE_LANE_GAP must be longer than ENLACE_RESEND_MAX');
  });
});
