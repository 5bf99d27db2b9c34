import { describe, expect, it } from 'vitest';
import { RequestStatus } from '../generated/enlace/v1/exchange.js';
import { withFederation } from './_setup.js';
import { eventually, submitRequestOf, TestClock, type Clients } from './_util.js';

const AHEAD_MS = 10 * 60_000;

/** The offset of `source` in GetNodeInfo, once measured. */
async function offsetOf(c: Clients, source: string): Promise<number | undefined> {
  const r = (await c.info()).clockOffsets.find((o) => o.source === source);
  return r ? Number(r.offsetMs) : undefined;
}

describe('clock health: AR runs 10 minutes ahead', () => {
  const clock = new TestClock();
  clock.advance(AHEAD_MS);
  // AR's client has a token from AR's own (skewed) clock, as a case system beside it would get.
  const { api } = withFederation(['AR', 'UY'], { start: { AR: { clock } }, transport: true, api: { ar: ['AR', 'operator'], uy: ['UY'] } });

  it('measures its own offset against the broker at start and flags it in GetNodeInfo', async () => {
    const own = await eventually(() => offsetOf(api.ar, 'broker'), 10_000, 'AR measured against the broker');
    expect(Math.abs(own - AHEAD_MS)).toBeLessThan(5_000);
    const info = await api.ar.info();
    expect(info.clockSkewed).toBe(true);
    expect(Number(info.clockSkewThresholdMs)).toBe(120_000);
    const uyOwn = await eventually(() => offsetOf(api.uy, 'broker'), 10_000, 'UY measured against the broker');
    expect(Math.abs(uyOwn)).toBeLessThan(5_000);
  });

  it('a request refused for time says so on its timeline with the measured offset, and the peer sees the skew', async () => {
    const res = await api.ar.submit(submitRequestOf({ senderReference: 'clock-1', idempotencyKey: 'clock-health-1' }));
    const id = res.request!.id;
    const got = await eventually(
      async () => {
        const r = await api.ar.get(id);
        return r.request?.status === RequestStatus.REQUEST_STATUS_FAILED ? r : undefined;
      },
      20_000,
      'the rejection receipt at AR',
    );
    const line = got.timeline.map((t) => t.detail).find((d) => d.includes('ERR_NOT_YET_VALID'));
    expect(line).toBeDefined();
    expect(line).toContain('refused for its time');
    // Measured, not configured: within 5 s of the 10 minutes (the broker's time reaches the node a little late on a busy machine).
    expect(line).toMatch(/this node's clock is (9 min 5[5-9] s|10 min( [0-5] s)?) ahead of the broker's/);

    const peer = await eventually(() => offsetOf(api.uy, 'AR'), 10_000, 'UY measured AR');
    expect(Math.abs(peer - AHEAD_MS)).toBeLessThan(5_000);
    expect((await api.uy.info()).clockSkewed).toBe(true);
  });
});
