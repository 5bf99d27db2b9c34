import { describe, expect, it } from 'vitest';
import { RequestStatus } from '../generated/enlace/v1/exchange.js';
import { REQUEST_TYPE_CODES } from '../services/requests/index.js';
import { completeRequest, completeResponse } from '../services/requests/testkit.js';
import { current } from './_fixtures.js';
import { transition } from './_requests.js';
import { withFederation } from './_setup.js';
import { clientsForIssuer, eventually, submitRequestOf, TestClock } from './_util.js';

/** The kind as a subject word; the mla fixtures tag their persons' names with "mla", which a subject must not repeat. */
const subjectWord = (kind: string) => (kind === 'mla' ? 'mutual legal assistance' : kind);

describe('every request type, end to end with its response', () => {
  const uyClock = new TestClock();
  const { nodes, api } = withFederation(['AR', 'UY'], {
    start: { UY: { clock: uyClock, settings: { retentionMs: 30 * 86_400_000 } } },
    transport: true,
    api: { ar: ['AR', 'prosecutor'], uy: ['UY', 'focal_point'] },
  });

  it.each(REQUEST_TYPE_CODES.map((k) => [k]))('%s: AR sends the typed form, UY answers, AR reads the typed answer', async (kind) => {
    const sent = await api.ar.submit(
      submitRequestOf({ kind, subject: `Typed ${subjectWord(kind)}`, payload: new Uint8Array(), payloadType: '', typed: current(completeRequest(kind)), senderReference: `type-${kind}` }),
    );
    const id = sent.request!.id;
    const arrived = await eventually(async () => (await api.uy.get(id).catch(() => undefined))?.request, 15_000, `${kind} at UY`);
    expect(arrived.kind).toBe(kind);
    expect(arrived.typed?.body).toBeDefined();
    await transition(api.uy, { requestId: id, action: 'complete', typedResponse: current(completeResponse(kind)) });
    const done = await eventually(
      async () => {
        const got = await api.ar.get(id);
        return got.request!.status === RequestStatus.REQUEST_STATUS_COMPLETED ? got : undefined;
      },
      15_000,
      `${kind} completed at AR`,
    );
    expect(done.steps.at(-1)!.response?.body).toBeDefined();
    expect(done.receipt?.signatureVerified).toBe(true);
  });

  it('finds requests by words of the subject and by extradition stage', async () => {
    expect((await api.ar.list({ text: 'typed EXTRADITION' })).requests.map((r) => r.kind)).toEqual(['extradition']);
    expect((await api.ar.list({ text: '100%_' })).requests).toHaveLength(0);
    const ext = (await api.ar.list({ kind: 'extradition' })).requests[0]!;
    expect((await api.ar.list({ stage: 'surrendered' })).requests.map((r) => r.id)).not.toContain(ext.id);
  });

  it('erases the contents of cases final for longer than the retention period, keeping the timeline', async () => {
    const before = (await api.uy.list({ status: RequestStatus.REQUEST_STATUS_COMPLETED })).requests;
    expect(before.length).toBe(REQUEST_TYPE_CODES.length);
    expect(await nodes.UY.retention.check()).toBe(0);
    uyClock.advance(31 * 86_400_000);
    const later = await clientsForIssuer(nodes.UY.issuer, nodes.UY.grpcAddress, ['focal_point'], uyClock.now());
    try {
      expect(await nodes.UY.retention.check()).toBe(REQUEST_TYPE_CODES.length);
      const got = await later.get(before[0]!.id);
      expect(got.request!.erased).toBe(true);
      expect(got.request!.typed).toBeUndefined();
      expect(got.timeline.length).toBeGreaterThan(2);
      expect(got.timeline.some((t) => /retention period/.test(t.detail))).toBe(true);
    } finally {
      later.close();
    }
  });
});
