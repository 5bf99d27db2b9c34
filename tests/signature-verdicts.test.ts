import { describe, expect, it } from 'vitest';
import { type GetRequestResponse } from '../generated/enlace/v1/exchange.js';
import { transition, untilArrived, untilDelivered } from './_requests.js';
import { withFederation } from './_setup.js';
import { eventually, submitRequestOf, type Clients } from './_util.js';

/** "Verified" is a stored verdict computed from a signature check, never a constant (docs/protocol.md §20). */
describe('signature verdicts', () => {
  const { nodes, api } = withFederation(['AR', 'UY'], { transport: true, api: { ar: ['AR', 'focal_point'], uy: ['UY', 'focal_point'] } });

  const recheck = (c: Clients, id: string) => new Promise<GetRequestResponse>((res, rej) => c.exchange.getRequest({ id, recheckSignatures: true }, c.metadata, (e, r) => (e ? rej(e) : res(r))));

  async function delivered(): Promise<string> {
    const id = (await api.ar.submit(submitRequestOf())).request!.id;
    await untilDelivered(api.ar, id, 15_000, 'delivery');
    return id;
  }

  const uySigningKid = () => nodes.UY.deps.ring.sets.at(-1)!.signing.kid;

  it('stores the verdict of a receipt on arrival, with the key it was checked against, and returns that verdict', async () => {
    const id = await delivered();
    const { receipt } = await api.ar.get(id);
    expect(receipt!.signature).toMatchObject({ verified: true, keyId: uySigningKid(), detail: '' });
    expect(receipt!.signature!.checkedAt).toBeGreaterThan(0);
    expect(receipt!.signatureVerified).toBe(true);

    // The API reads the stored verdict: a verdict stored as "not verified" is shown as such.
    nodes.AR.deps.store.db.prepare('UPDATE receipts SET verified = 0, verdict_detail = ? WHERE request_id = ?').run('test', id);
    const after = await api.ar.get(id);
    expect(after.receipt!.signatureVerified).toBe(false);
    expect(after.receipt!.signature).toMatchObject({ verified: false, detail: 'test' });

    // A re-check computes it again from the stored envelope.
    const rechecked = await recheck(api.ar, id);
    expect(rechecked.receipt!.signature).toMatchObject({ verified: true, keyId: uySigningKid() });
    expect(rechecked.receipt!.signature!.checkedAt).toBeGreaterThanOrEqual(receipt!.signature!.checkedAt);
  });

  it('a stored receipt altered after arrival is "not verified" on re-check, with the reason', async () => {
    const id = await delivered();
    const db = nodes.AR.deps.store.db;
    const row = db.prepare('SELECT receipt_id, bytes FROM receipts WHERE request_id = ?').get(id) as { receipt_id: string; bytes: Buffer };
    const altered = Buffer.from(row.bytes);
    altered[altered.length - 20]! ^= 0x01;
    db.prepare('UPDATE receipts SET bytes = ? WHERE receipt_id = ?').run(altered, row.receipt_id);
    const got = await recheck(api.ar, id);
    expect(got.receipt!.signatureVerified).toBe(false);
    expect(got.receipt!.signature!.detail).toMatch(/^re-check failed: ERR_/);
    // The verdict is stored: a plain read afterwards says the same.
    expect((await api.ar.get(id)).receipt!.signatureVerified).toBe(false);
  });

  it('a stored record that no longer says what its envelope says is "not verified" on re-check', async () => {
    const id = await delivered();
    nodes.AR.deps.store.db.prepare("UPDATE receipts SET outcome = 'rejected' WHERE request_id = ?").run(id);
    const got = await recheck(api.ar, id);
    expect(got.receipt!.signature).toMatchObject({ verified: false, detail: 'the stored record differs from what its envelope says' });
  });

  it('stores the verdict of a step received from the other state, and re-checks it', async () => {
    const id = await delivered();
    await untilArrived(api.uy, id, 15_000, 'arrival at UY');
    const { eventId } = await transition(api.uy, { requestId: id, action: 'acknowledge' });
    const step = await eventually(async () => (await api.ar.get(id)).steps.find((s) => s.eventId === eventId), 15_000, 'the step at AR');
    expect(step.signature).toMatchObject({ verified: true, keyId: uySigningKid() });
    expect(step.seq).toBe(1);
    expect(step.state).toBe('ordered');
    // At UY, its own step carries no peer signature: nothing is claimed about it.
    expect((await api.uy.get(id)).steps.find((s) => s.eventId === eventId)!.signature).toBeUndefined();

    const db = nodes.AR.deps.store.db;
    const envelope = (db.prepare('SELECT envelope FROM transitions WHERE event_id = ?').get(eventId) as { envelope: Buffer }).envelope;
    const altered = Buffer.from(envelope);
    altered[altered.length - 30]! ^= 0x01;
    db.prepare('UPDATE transitions SET envelope = ? WHERE event_id = ?').run(altered, eventId);
    const got = await recheck(api.ar, id);
    expect(got.steps.find((s) => s.eventId === eventId)!.signature).toMatchObject({ verified: false });
    expect(got.steps.find((s) => s.eventId === eventId)!.signature!.detail).toMatch(/^re-check failed: ERR_/);
  });
});
