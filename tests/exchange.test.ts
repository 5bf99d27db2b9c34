import { describe, expect, it } from 'vitest';
import { Direction, RequestStatus } from '../generated/enlace/v1/exchange.js';
import { withFederation } from './_setup.js';
import { eventually, submitRequestOf } from './_util.js';

describe('exchange between two nodes', () => {
  const { api } = withFederation(['AR', 'UY', 'BR'], { nodes: ['AR', 'UY'], transport: true, api: { ar: ['AR'], uy: ['UY', 'focal_point'] } });

  it('delivers AR to UY with a verified receipt visible on both sides', async () => {
    const res = await api.ar.submit(submitRequestOf());
    expect(res.created).toBe(true);
    expect(res.request!.status).toBe(RequestStatus.REQUEST_STATUS_SUBMITTED);
    const id = res.request!.id;

    const delivered = await eventually(
      async () => {
        const got = await api.ar.get(id);
        return got.request!.status === RequestStatus.REQUEST_STATUS_DELIVERED ? got : undefined;
      },
      20_000,
      'DELIVERED at AR',
    );
    expect(delivered.receipt).toBeDefined();
    expect(delivered.receipt!.signerCountry).toBe('UY');
    expect(delivered.receipt!.outcome).toBe('accepted');
    expect(delivered.receipt!.signatureVerified).toBe(true);
    expect(delivered.timeline.map((t) => t.type)).toEqual(expect.arrayContaining([1, 2, 3]));

    const atUy = await api.uy.get(id);
    expect(atUy.request!.direction).toBe(Direction.DIRECTION_INBOUND);
    expect(atUy.request!.status).toBe(RequestStatus.REQUEST_STATUS_RECEIVED);
    expect(atUy.request!.from).toBe('AR');
    expect(atUy.request!.senderReference).toBe('AR-2026-0001');
    expect(JSON.parse(new TextDecoder().decode(atUy.request!.payload))).toEqual({ names: ['M. R.'], purpose: 'identification' });
  });
});
