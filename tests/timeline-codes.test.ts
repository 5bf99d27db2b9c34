import { describe, expect, it } from 'vitest';
import { EventType, TransitionRequest } from '../generated/enlace/v1/exchange.js';
import { completeRequest } from '../services/requests/testkit.js';
import { withFederation } from './_setup.js';
import { eventually, submitRequestOf } from './_util.js';

/** Timeline events carry a code and parameters a client words in its user's language (issue 17 item 3). */
describe('timeline codes', () => {
  const { api } = withFederation(['AR', 'UY'], { transport: true, api: { ar: ['AR'], uy: ['UY', 'focal_point'] } });

  it('submitted, published, received, delivered and a step: each with its code, countries as codes and the whole key id', async () => {
    const sent = await api.ar.submit(submitRequestOf({ typed: completeRequest('nationality_verification'), payload: new Uint8Array(), payloadType: '' }));
    const id = sent.request!.id;
    const delivered = await eventually(
      async () => {
        const r = await api.ar.get(id);
        return r.timeline.some((e) => e.type === EventType.EVENT_TYPE_DELIVERED) ? r : undefined;
      },
      30_000,
      'delivery',
    );
    const words = (ts: typeof delivered.timeline) => ts.map((e) => [e.code, e.params]);
    const arKey = (await api.ar.get(id)).timeline.find((e) => e.code === 'delivered_to')?.params.key_id ?? '';
    expect(words(delivered.timeline)).toEqual([
      ['submitted_to', { country: 'UY' }],
      ['published_for', { country: 'UY' }],
      ['delivered_to', { country: 'UY', key_id: arKey }],
    ]);
    expect(arKey.length).toBeGreaterThan(16);
    const step = TransitionRequest.fromPartial({ requestId: id, action: 'acknowledge' });
    await new Promise((res, rej) => api.uy.exchange.transition(step, api.uy.metadata, (e, r) => (e ? rej(e) : res(r))));
    const received = await api.uy.get(id);
    expect(words(received.timeline)).toEqual([
      ['received_from', { country: 'AR', key_id: received.timeline[0]!.params.key_id }],
      ['step', { country: 'UY', action: 'acknowledge' }],
    ]);
    expect(received.timeline[0]!.params.key_id).toMatch(/^.{17,}$/);
    const stepped = await eventually(
      async () => {
        const r = await api.ar.get(id);
        return r.timeline.find((e) => e.code === 'step');
      },
      30_000,
      'the step at AR',
    );
    expect(stepped.params).toEqual({ country: 'UY', action: 'acknowledge' });
  });
});
