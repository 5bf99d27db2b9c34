import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { currentKeySet } from '../keys/index.js';
import { decodeOuter, KIND, seal } from '../services/envelope/index.js';
import type { NationalNode } from '../services/index.js';
import { withFederation } from './_setup.js';
import { requestBody, statusUpdateBytes } from './_messages.js';
import { clientsFor, eventually, submitRequestOf } from './_util.js';

/**
 * Per-sender order (docs/protocol.md §24) at a real receiving node: envelopes signed with
 * AR's real keys on a lane epoch of the test's own, published to UY's inbox out of lane order
 * the way a broker may deliver them after redeliveries.
 */
describe('per-sender order: lanes', () => {
  const net = withFederation(['AR', 'UY'], { transport: true });

  const proposal = (requestId: string, action: string, status: string): Uint8Array => statusUpdateBytes(requestId, { action, status, note: 'the victim was found' });

  /** Seals as AR (its real keys) at `seq` of `epoch` on the lane AR->UY. */
  async function onLane(kind: string, body: Uint8Array, seq: number, epoch: string): Promise<{ id: string; bytes: Uint8Array }> {
    const now = Date.now();
    const recipient = net.nodes.AR.deps.trust.encryptionKeys('UY', now)[0]!;
    const signer = currentKeySet(net.nodes.AR.deps.ring).signing;
    const sealed = await seal({
      networkId: net.nodes.AR.deps.networkId,
      from: 'AR',
      to: [{ address: 'UY', keyId: recipient.kid, publicKey: recipient.publicKey }],
      kind,
      body,
      signer: { kid: signer.kid, privateKey: signer.privateKey },
      now,
      lane: { seq, epoch },
    });
    return { id: sealed.header.id, bytes: sealed.bytes };
  }

  const publish = (e: { id: string; bytes: Uint8Array }) => net.nodes.AR.deps.transport.publish('UY', e.id, e.bytes);
  const held = (node: NationalNode, epoch: string) => (node.deps.store.db.prepare('SELECT seq FROM lanes_held WHERE epoch = ? ORDER BY seq').all(epoch) as { seq: number }[]).map((r) => r.seq);
  const next = (node: NationalNode, epoch: string) => (node.deps.store.db.prepare('SELECT next_seq FROM lanes_in WHERE epoch = ?').get(epoch) as { next_seq: number } | undefined)?.next_seq;
  /** The order in which UY applied envelopes: the rowid of their permanent de-duplication record. */
  const appliedOrder = (node: NationalNode, ids: string[]) =>
    (node.deps.store.db.prepare(`SELECT envelope_id FROM inbox_dedup WHERE envelope_id IN (${ids.map(() => '?').join(',')}) ORDER BY rowid`).all(...ids) as { envelope_id: string }[]).map(
      (r) => r.envelope_id,
    );
  const epochOf = () => randomBytes(16).toString('hex');

  it('applies a lane in its order: later envelopes are held, a step before its request waits, and the gap filled releases them', async () => {
    const epoch = epochOf();
    const request = await onLane(KIND.request, requestBody({ senderReference: 'lane-1' }), 1, epoch);
    const withdraw = await onLane(KIND.status, proposal(request.id, 'withdraw', 'withdrawn'), 2, epoch);
    const other = await onLane(KIND.request, requestBody({ senderReference: 'lane-3' }), 3, epoch);
    await publish(other);
    await publish(withdraw);
    // A copy of a held envelope (the sender re-sends what has no receipt) is held once.
    await publish(other);
    await eventually(() => (held(net.nodes.UY, epoch).join() === '2,3' ? true : undefined), 15_000, 'positions 2 and 3 held at UY');
    // The independent request at position 3 is not applied ahead of position 1 either.
    expect(net.nodes.UY.deps.store.getRequest(other.id)).toBeUndefined();
    expect(net.nodes.UY.deps.store.getRequest(request.id)).toBeUndefined();

    await publish(request);
    await eventually(() => (net.nodes.UY.deps.store.getRequest(other.id) ? true : undefined), 15_000, 'position 3 applied');
    expect(appliedOrder(net.nodes.UY, [request.id, withdraw.id, other.id])).toEqual([request.id, withdraw.id, other.id]);
    // The withdrawal waited for its request and was applied, not refused.
    expect(net.nodes.UY.deps.store.getRequest(request.id)!.status).toBe('withdrawn');
    expect(held(net.nodes.UY, epoch)).toEqual([]);
    expect(next(net.nodes.UY, epoch)).toBe(4);
  });

  it('keeps held envelopes through a restart of the receiver and applies them once the gap fills', async () => {
    const epoch = epochOf();
    const first = await onLane(KIND.request, requestBody({ senderReference: 'restart-1' }), 1, epoch);
    const second = await onLane(KIND.request, requestBody({ senderReference: 'restart-2' }), 2, epoch);
    const third = await onLane(KIND.request, requestBody({ senderReference: 'restart-3' }), 3, epoch);
    await publish(third);
    await publish(second);
    await eventually(() => (held(net.nodes.UY, epoch).join() === '2,3' ? true : undefined), 15_000, 'positions 2 and 3 held at UY');

    await net.restart('UY');
    await net.nodes.UY.waitForTransport();
    expect(held(net.nodes.UY, epoch)).toEqual([2, 3]);
    expect(net.nodes.UY.deps.store.getRequest(second.id)).toBeUndefined();

    await publish(first);
    await eventually(() => (net.nodes.UY.deps.store.getRequest(third.id) ? true : undefined), 15_000, 'position 3 applied after the restart');
    expect(appliedOrder(net.nodes.UY, [first.id, second.id, third.id])).toEqual([first.id, second.id, third.id]);
    expect(held(net.nodes.UY, epoch)).toEqual([]);
  });

  it('applies two copies of a position ahead of its turn, in one batch, once and in its turn', async () => {
    const epoch = epochOf();
    const first = await onLane(KIND.request, requestBody({ senderReference: 'twice-1' }), 1, epoch);
    const second = await onLane(KIND.request, requestBody({ senderReference: 'twice-2' }), 2, epoch);
    // Published while UY is stopped, so that its lane consumer fetches them in one pull: an
    // envelope of another epoch (the reader hands it over alone, and the next three gather while
    // it is applied), position 2, the same envelope again under another message id (a re-send
    // the broker's duplicate window did not catch), then position 1.
    const before = await onLane(KIND.request, requestBody({ senderReference: 'twice-0' }), 1, epochOf());
    await net.fed.stopNode('UY');
    await publish(before);
    await publish(second);
    await net.nodes.AR.deps.transport.publish('UY', `${second.id}.again`, second.bytes);
    await publish(first);
    const uy = await net.restart('UY');
    await uy.waitForTransport();
    await eventually(() => (next(uy, epoch) === 3 ? true : undefined), 15_000, 'the lane at position 3');
    // Before the rule, the second copy was applied at once, ahead of position 1.
    expect(appliedOrder(uy, [first.id, second.id])).toEqual([first.id, second.id]);
    expect(held(uy, epoch)).toEqual([]);
  });

  it('moves a lane on when a copy of an envelope accepted without moving it comes at its position', async () => {
    const epoch = epochOf();
    const [first, second, third] = await Promise.all([1, 2, 3].map((seq) => onLane(KIND.request, requestBody({ senderReference: `stalled-${seq}` }), seq, epoch)));
    await publish(first!);
    await publish(second!);
    const uy = net.nodes.UY;
    await eventually(() => (next(uy, epoch) === 3 ? true : undefined), 15_000, 'positions 1 and 2 applied');
    // The state an out-of-turn application left before the rule: position 2 accepted, the lane still waiting for it.
    uy.deps.store.db.prepare('UPDATE lanes_in SET next_seq = 2 WHERE epoch = ?').run(epoch);
    await publish(third!);
    await eventually(() => (held(uy, epoch).join() === '3' ? true : undefined), 15_000, 'position 3 held behind position 2');
    // The sender re-sends position 2 (no receipt came): a copy, which now takes the lane on and releases position 3.
    await net.nodes.AR.deps.transport.publish('UY', `${second!.id}.resent`, second!.bytes);
    await eventually(() => (uy.deps.store.getRequest(third!.id) ? true : undefined), 15_000, 'position 3 applied after the copy of 2');
    expect(next(uy, epoch)).toBe(4);
    expect(held(uy, epoch)).toEqual([]);
  });

  it('gives a missing position up after the lane gap wait, applies what followed it, and applies the late one when it comes', async () => {
    await net.restart('UY', { settings: { laneGapMs: 500 } });
    await net.nodes.UY.waitForTransport();
    const epoch = epochOf();
    const lost = await onLane(KIND.request, requestBody({ senderReference: 'gap-1' }), 1, epoch);
    const after = await onLane(KIND.request, requestBody({ senderReference: 'gap-2' }), 2, epoch);
    await publish(after);
    await eventually(() => (net.nodes.UY.deps.store.getRequest(after.id) ? true : undefined), 20_000, 'position 2 applied once the gap was given up');
    expect(next(net.nodes.UY, epoch)).toBe(3);
    expect(net.nodes.UY.deps.store.getRequest(lost.id)).toBeUndefined();
    // Behind the lane now: applied as it comes (late, never lost).
    await publish(lost);
    await eventually(() => (net.nodes.UY.deps.store.getRequest(lost.id) ? true : undefined), 15_000, 'the late position 1 applied');
    expect(next(net.nodes.UY, epoch)).toBe(3);
  });

  it('numbers what a node sends on each lane from 1, contiguously, in commit order', async () => {
    const ar = await clientsFor(net.nodes.AR, ['integrator']);
    try {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await ar.submit(submitRequestOf({ senderReference: `numbered-${i}` }))).request!.id);
      const headers = ids.map((id) => decodeOuter(net.nodes.AR.deps.store.getRequest(id)!.envelope)!.header);
      const seqs = headers.map((h) => h.laneSeq);
      const first = seqs[0]!;
      expect(first).toBeGreaterThan(0);
      expect(seqs).toEqual([first, first + 1, first + 2, first + 3, first + 4]);
      expect(new Set(headers.map((h) => h.laneEpoch)).size).toBe(1);
    } finally {
      ar.close();
    }
  });
});
