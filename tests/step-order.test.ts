import { describe, expect, it } from 'vitest';
import { StatusUpdate } from '../generated/enlace/v1/envelope.js';
import { RequestStatus } from '../generated/enlace/v1/exchange.js';
import { KIND, open, readReceipt } from '../services/envelope/index.js';
import { sealFor } from '../services/exchange/index.js';
import type { NationalNode } from '../services/index.js';
import { withFederation } from './_setup.js';
import { requestBody, statusUpdate } from './_messages.js';
import { untilArrived, untilDelivered } from './_requests.js';
import { eventually, submitRequestOf } from './_util.js';

/**
 * The shared timeline's rules on the receiving side (docs/protocol.md §19), driven with
 * envelopes signed by the real node keys and published to the other node's inbox the way a
 * node publishes, in an order no honest node would produce.
 */
describe('step order, declined proposals, refused steps, id collisions', () => {
  const { nodes, api } = withFederation(['AR', 'UY'], { transport: true, api: { ar: ['AR', 'integrator'], uy: ['UY', 'integrator'] } });

  async function arrived(): Promise<string> {
    const id = (await api.ar.submit(submitRequestOf())).request!.id;
    await untilDelivered(api.ar, id, 15_000, 'delivery');
    await untilArrived(api.uy, id, 15_000, 'arrival at UY');
    return id;
  }

  /** Signs a step as `from` (with its real keys) and publishes it to the other node's inbox. */
  async function send(from: NationalNode, to: string, u: StatusUpdate): Promise<string> {
    const out = await sealFor(from.deps, to, KIND.status, StatusUpdate.encode(u).finish());
    await from.deps.transport.publish(to, out.id, out.bytes);
    return out.id;
  }

  const quarantined = (node: NationalNode, id: string) =>
    node.deps.store.db.prepare('SELECT code, rejection_receipt_id FROM quarantine WHERE envelope_id = ?').all(id) as { code: string; rejection_receipt_id: string }[];

  it('applies the requested state steps by position: a later one waits for the earlier, a taken position is refused', async () => {
    const id = await arrived();
    const second = await send(nodes.UY, 'AR', statusUpdate(id, { action: 'start', status: 'in_progress', seq: 2 }));
    // The second step waits: nothing changes until the first arrives (seen through the held-steps table).
    await eventually(
      () => ((nodes.AR.deps.store.db.prepare('SELECT COUNT(*) AS n FROM held_steps WHERE envelope_id = ?').get(second) as { n: number }).n === 1 ? true : undefined),
      10_000,
      'the second step held',
    );
    expect((await api.ar.get(id)).request!.status).toBe(RequestStatus.REQUEST_STATUS_DELIVERED);

    await send(nodes.UY, 'AR', statusUpdate(id, { action: 'acknowledge', status: 'acknowledged', seq: 1 }));
    const both = await eventually(
      async () => {
        const got = await api.ar.get(id);
        return got.request!.status === RequestStatus.REQUEST_STATUS_IN_PROGRESS ? got : undefined;
      },
      10_000,
      'both steps applied in order',
    );
    expect(both.steps.map((s) => [s.seq, s.action, s.by, s.state])).toEqual([
      [1, 'acknowledge', 'UY', 'ordered'],
      [2, 'start', 'UY', 'ordered'],
    ]);

    const taken = await send(nodes.UY, 'AR', statusUpdate(id, { action: 'complete', status: 'completed', seq: 2 }));
    const q = await eventually(() => quarantined(nodes.AR, taken)[0], 10_000, 'the step on a taken position quarantined');
    expect(q.code).toBe('ERR_INVALID_TRANSITION');
    // Answered with a signed refusal, which reaches UY (which never sent it: unmatched there).
    expect(q.rejection_receipt_id).not.toBe('');
    expect((await api.ar.get(id)).request!.status).toBe(RequestStatus.REQUEST_STATUS_IN_PROGRESS);
  });

  it('refuses a step of the requested state that the machine does not allow, without changing anything', async () => {
    const id = await arrived();
    const wrong = await send(nodes.UY, 'AR', statusUpdate(id, { action: 'withdraw', status: 'withdrawn', seq: 1 }));
    const q = await eventually(() => quarantined(nodes.AR, wrong)[0], 10_000, 'refused step quarantined');
    expect(q.code).toBe('ERR_INVALID_TRANSITION');
    const got = await api.ar.get(id);
    expect(got.request!.status).toBe(RequestStatus.REQUEST_STATUS_DELIVERED);
    expect(got.steps).toHaveLength(0);
  });

  it('declines a proposal the request has moved past, at the requested node, and answers with a signed refusal', async () => {
    const id = await arrived();
    await new Promise<void>((res, rej) =>
      api.uy.exchange.transition(
        { requestId: id, action: 'complete', note: '', response: new Uint8Array(), responseType: '', stage: '', stageDate: '', typedResponse: undefined },
        api.uy.metadata,
        (e) => (e ? rej(e) : res()),
      ),
    );
    // A withdraw signed by AR that UY receives after it completed (as if AR had not yet heard of it).
    const late = await send(nodes.AR, 'UY', statusUpdate(id, { action: 'withdraw', status: 'withdrawn', seq: 0, actorRole: 'focal_point' }));
    const declined = await eventually(async () => (await api.uy.get(id)).steps.find((s) => s.eventId === late), 10_000, 'the declined proposal at UY');
    expect(declined.state).toBe('declined');
    expect(declined.by).toBe('AR');
    expect(declined.seq).toBe(0);
    expect((await api.uy.get(id)).request!.status).toBe(RequestStatus.REQUEST_STATUS_COMPLETED);
    // The refusal reaches AR, signed; AR never proposed this one, so it keeps the receipt aside as unmatched.
    const q = await eventually(() => nodes.AR.deps.store.listQuarantine(50).find((x) => x.code === 'ERR_RECEIPT_UNMATCHED'), 10_000, 'the refusal at AR');
    expect(q.fromAddr).toBe('UY');
  });

  /** The signed rejections AR received about envelopes it never sent, opened: what UY said. */
  async function rejectionsAtAr() {
    const ctx = {
      networkId: nodes.AR.deps.networkId,
      me: { country: 'AR', encryptionKeys: new Map(nodes.AR.deps.ring.sets.map((s) => [s.encryption.kid, s.encryption])) },
      keys: nodes.AR.deps.trust,
      now: Date.now(),
    };
    const out = [];
    for (const q of nodes.AR.deps.store.listQuarantine(200).filter((x) => x.code === 'ERR_RECEIPT_UNMATCHED')) {
      out.push(readReceipt((await open(q.bytes, ctx)).body)!);
    }
    return out;
  }

  it('checks a peer like a client: an oversized subject is quarantined and answered with a signed rejection naming the rule', async () => {
    const body = requestBody({ subject: 'x'.repeat(60_014), payload: new TextEncoder().encode('{}'), senderReference: 'AR-oversized' });
    const forged = await sealFor(nodes.AR.deps, 'UY', KIND.request, body);
    await nodes.AR.deps.transport.publish('UY', forged.id, forged.bytes);
    const q = await eventually(() => quarantined(nodes.UY, forged.id)[0], 10_000, 'the oversized request quarantined at UY');
    expect(q.code).toBe('ERR_CONTENT_INVALID');
    expect(q.rejection_receipt_id).not.toBe('');
    expect(nodes.UY.deps.store.getRequest(forged.id)).toBeUndefined();
    const said = await eventually(async () => (await rejectionsAtAr()).find((r) => r.envelopeId === forged.id), 10_000, 'the rejection at AR');
    expect(said).toMatchObject({ outcome: 'rejected', reasonCode: 'ERR_CONTENT_INVALID', detail: 'subject must have 1 to 200 characters' });
  });

  it('quarantines a step dated beyond the clock tolerance, with a signed rejection naming the rule', async () => {
    const id = await arrived();
    const future = await send(nodes.UY, 'AR', statusUpdate(id, { action: 'acknowledge', status: 'acknowledged', seq: 1, at: Date.now() + 5 * 365 * 86_400_000 }));
    const q = await eventually(() => quarantined(nodes.AR, future)[0], 10_000, 'the future step quarantined at AR');
    expect(q.code).toBe('ERR_CONTENT_INVALID');
    expect(q.rejection_receipt_id).not.toBe('');
    const got = await api.ar.get(id);
    expect(got.steps).toHaveLength(0);
    expect(got.request!.status).toBe(RequestStatus.REQUEST_STATUS_DELIVERED);
  });

  it('an envelope that reuses the id of one of the receiver own requests is rejected once, and others are not held up', async () => {
    const own = (await api.ar.submit(submitRequestOf({ senderReference: 'own-request' }))).request!.id;
    const body = requestBody({ subject: 'Collision', payload: new TextEncoder().encode('{}'), senderReference: 'UY-collision' });
    const colliding = await sealFor(nodes.UY.deps, 'AR', KIND.request, body, { id: own });
    await nodes.UY.deps.transport.publish('AR', colliding.id, colliding.bytes);
    const after = (await api.uy.submit(submitRequestOf({ toCountry: 'AR', senderReference: 'after-collision' }))).request!.id;
    await untilArrived(api.ar, after, 15_000, 'the next request from UY at AR');
    const q = await eventually(() => quarantined(nodes.AR, own)[0], 10_000, 'the collision quarantined');
    expect(q.code).toBe('ERR_REPLAY');
    expect(q.rejection_receipt_id).not.toBe('');
    expect(quarantined(nodes.AR, own)).toHaveLength(1);
    // AR's own request is untouched.
    expect((await api.ar.get(own)).request!.senderReference).toBe('own-request');
  });
});
