import { describe, expect, it } from 'vitest';
import { Envelope, EnvelopeHeader } from '../../../generated/enlace/v1/envelope.js';
import type { NewOutbox } from '../../store/index.js';
import type { ExchangeDeps } from '../deps.js';
import { Replies, resendKey } from './replies.js';

/** A stored receipt: only its header matters to `resend`. */
function receiptBytes(id: string): Uint8Array {
  const header = EnvelopeHeader.encode({
    version: 1,
    networkId: 'n',
    id,
    from: 'UY',
    to: [{ address: 'AR', keyId: 'k' }],
    kind: 'receipt',
    createdAt: 1,
    expiresAt: 2,
    senderKeyId: 's',
    laneSeq: 0,
    laneEpoch: '',
  }).finish();
  return Envelope.encode({ header, nonce: new Uint8Array(24), ciphertext: new Uint8Array(1), sealedKeys: [new Uint8Array(80)] }).finish();
}

describe('Replies.resend (protocol §14: a receipt sent again gets a fresh Nats-Msg-Id)', () => {
  it('enqueues the same bytes under a key that is never the receipt id, one per re-sent copy', () => {
    const queued: NewOutbox[] = [];
    let now = 1_000;
    const deps = { store: { enqueue: (o: NewOutbox) => queued.push(o) }, clock: { now: () => now } } as unknown as ExchangeDeps;
    const replies = new Replies(deps);
    const id = '019bc17d-b640-70cc-8849-0ac85c4e9d94';
    const bytes = receiptBytes(id);
    expect(replies.resend(bytes, 'AR')).toBe(true);
    now += 10;
    expect(replies.resend(bytes, 'AR')).toBe(true);
    expect(queued.map((o) => o.envelopeId)).toEqual([resendKey(id, 1_000), resendKey(id, 1_010)]);
    expect(queued.every((o) => o.envelopeId !== id && o.bytes === bytes && o.kind === 'receipt' && !o.expectsReceipt && o.destination === 'AR')).toBe(true);
  });

  it('is rate-limited per sender, on a budget of its own', () => {
    const queued: NewOutbox[] = [];
    let now = 0;
    const replies = new Replies({ store: { enqueue: (o: NewOutbox) => queued.push(o) }, clock: { now: () => now++ } } as unknown as ExchangeDeps);
    const bytes = receiptBytes('019bc17d-b640-70cc-8849-0ac85c4e9d94');
    for (let i = 0; i < 500; i++) replies.resend(bytes, 'AR');
    expect(queued.length).toBeLessThan(200);
    expect(queued.length).toBeGreaterThanOrEqual(120);
  });
});
