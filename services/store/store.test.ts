import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { uuidv7 } from '../envelope/index.js';
import { CaseVault } from './case-vault.js';
import { openDb, type Db } from './db.js';
import { Store } from './store.js';
import type { NewRequestRow, ReceiptRow, TransitionRow, Verdict } from './types.js';

const T0 = 1_780_000_000_000;
const UNCHECKED: Verdict = { verified: false, keyId: '', checkedAt: 0, detail: '' };
const VERIFIED: Verdict = { verified: true, keyId: 'kid-uy', checkedAt: T0 + 5, detail: '' };
const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const sha = (n: number) => new Uint8Array(32).fill(n);

function requestOf(over: Partial<NewRequestRow> = {}): NewRequestRow {
  return {
    id: uuidv7(T0),
    direction: 'outbound',
    fromAddr: 'AR',
    toAddr: 'UY',
    counterpart: 'UY',
    kind: 'nationality_verification',
    subject: 'Verify nationality of a presumed victim',
    payload: bytes('{"names":["M. R."]}'),
    payloadType: 'application/json',
    senderReference: 'AR-2026-0001',
    status: 'submitted',
    failureReason: '',
    idempotencyKey: null,
    requestHash: null,
    envelope: bytes('sealed envelope bytes'),
    envelopeSha256: sha(1),
    createdAt: T0,
    updatedAt: T0,
    urgency: 'normal',
    stage: '',
    receivedAt: null,
    dueAt: null,
    pausedAt: null,
    ...over,
  };
}

function transitionOf(requestId: string, over: Partial<TransitionRow> = {}): TransitionRow {
  return {
    eventId: uuidv7(T0),
    requestId,
    origin: 'local',
    action: 'acknowledge',
    statusAfter: 'acknowledged',
    stage: '',
    stageDate: '',
    note: 'seen',
    response: null,
    responseType: '',
    actorRole: 'focal_point',
    at: T0 + 1_000,
    delivery: 'pending',
    reasonCode: '',
    envelope: bytes('step envelope'),
    envelopeSha256: sha(2),
    seq: 1,
    state: 'ordered',
    orderId: '',
    verdict: UNCHECKED,
    ...over,
  };
}

function receiptOf(r: { id: string; envelopeSha256: Uint8Array }, over: Partial<ReceiptRow> = {}): ReceiptRow {
  return {
    receiptId: uuidv7(T0 + 5),
    requestId: r.id,
    signerCountry: 'UY',
    signerKid: 'kid-uy',
    outcome: 'accepted',
    reasonCode: '',
    receivedAt: T0 + 4,
    envelopeSha256: r.envelopeSha256,
    matchesSent: true,
    bytes: bytes('receipt bytes'),
    storedAt: T0 + 5,
    verdict: VERIFIED,
    ...over,
  };
}

function outboxOf(envelopeId: string, destination: string, nextAttemptAt = T0) {
  return { envelopeId, destination, kind: 'request', bytes: bytes(envelopeId), expectsReceipt: true, nextAttemptAt };
}

let dir: string;
let path: string;
let db: Db;
let dataKey: Uint8Array;
let store: Store;

/** A Store as a node opens it: the SQLite file, migrations, a vault with the data key. */
async function openStore(): Promise<Store> {
  db = openDb(path);
  return new Store(db, await CaseVault.create(db, dataKey));
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'enlace-store-'));
  path = join(dir, 'node.db');
  dataKey = new Uint8Array(randomBytes(32));
  store = await openStore();
});

afterEach(async () => {
  store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('requests', () => {
  it('stores a request with its contents sealed by the case vault and reads them back', async () => {
    const r = requestOf();
    store.insertRequest(r);
    const got = store.getRequest(r.id)!;
    expect(text(got.payload)).toBe('{"names":["M. R."]}');
    expect(got.erased).toBe(false);
    expect(got).toMatchObject({ id: r.id, direction: 'outbound', counterpart: 'UY', status: 'submitted', subject: r.subject });
    expect(got.seq).toBeGreaterThan(0);

    const raw = db.prepare('SELECT payload, sealed FROM requests WHERE id = ?').get(r.id) as { payload: Buffer; sealed: number };
    expect(raw.sealed).toBe(1);
    expect(raw.payload.toString('utf8')).not.toContain('M. R.');

    store.close();
    store = await openStore();
    expect(text(store.getRequest(r.id)!.payload)).toBe('{"names":["M. R."]}');
  });

  it('finds a request by idempotency key, and none for an unknown id', () => {
    const r = requestOf({ idempotencyKey: 'case-77-first-try' });
    store.insertRequest(r);
    expect(store.byIdempotencyKey('case-77-first-try')!.id).toBe(r.id);
    expect(store.byIdempotencyKey('never-used-key')).toBeUndefined();
    expect(store.getRequest(uuidv7(T0))).toBeUndefined();
    expect(() => store.insertRequest({ ...requestOf(), idempotencyKey: 'case-77-first-try' })).toThrow(/UNIQUE/);
  });

  it('keeps a request unreadable to a vault with another data key', async () => {
    const r = requestOf();
    store.insertRequest(r);
    store.close();
    db = openDb(path);
    const other = new Store(db, await CaseVault.create(db, new Uint8Array(randomBytes(32))));
    expect(() => other.getRequest(r.id)).toThrow();
    store = other;
  });

  it('changes status and lifecycle', () => {
    const r = requestOf();
    store.insertRequest(r);
    store.setStatus(r.id, 'failed', 'ERR_DELIVERY_HORIZON', T0 + 5);
    expect(store.getRequest(r.id)).toMatchObject({ status: 'failed', failureReason: 'ERR_DELIVERY_HORIZON', updatedAt: T0 + 5 });
    store.setLifecycle(r.id, 'in_progress', 'hearing', T0 + 6);
    expect(store.getRequest(r.id)).toMatchObject({ status: 'in_progress', stage: 'hearing', updatedAt: T0 + 6 });
    expect(() => store.setStatus(r.id, 'lost' as never, '', T0)).toThrow(/CHECK/);
  });
});

describe('transitions', () => {
  it('keeps steps in time order, with their responses sealed and readable back', async () => {
    const r = requestOf();
    store.insertRequest(r);
    const late = transitionOf(r.id, { eventId: uuidv7(T0 + 2), seq: 2, at: T0 + 3_000, action: 'complete', statusAfter: 'completed', response: bytes('the answer'), responseType: 'application/json' });
    const early = transitionOf(r.id, { eventId: uuidv7(T0 + 1), at: T0 + 1_000 });
    store.insertTransition(late);
    store.insertTransition(early);
    expect(store.transitionsFor(r.id).map((t) => t.eventId)).toEqual([early.eventId, late.eventId]);
    expect(text(store.getTransition(late.eventId)!.response!)).toBe('the answer');
    expect(store.getTransition(early.eventId)!.response).toBeNull();
    const raw = db.prepare('SELECT response FROM transitions WHERE event_id = ?').get(late.eventId) as { response: Buffer };
    expect(raw.response.toString('utf8')).not.toContain('the answer');

    store.setTransitionDelivery(early.eventId, 'rejected', 'ERR_INVALID_TRANSITION');
    expect(store.getTransition(early.eventId)).toMatchObject({ delivery: 'rejected', reasonCode: 'ERR_INVALID_TRANSITION' });
    expect(store.getTransition(uuidv7(T0))).toBeUndefined();
  });

  it('refuses a step for a request it does not have', () => {
    expect(() => store.insertTransition(transitionOf(uuidv7(T0)))).toThrow(/FOREIGN KEY/);
  });
});

describe('outbox', () => {
  it('hands out due envelopes in order, and never lets a later one overtake an unpublished earlier one to the same destination', () => {
    const [uy1, uy2, br1, uy3] = [uuidv7(T0), uuidv7(T0 + 1), uuidv7(T0 + 2), uuidv7(T0 + 3)];
    store.enqueue(outboxOf(uy1, 'UY'));
    store.enqueue(outboxOf(uy2, 'UY'));
    store.enqueue(outboxOf(br1, 'BR'));
    store.enqueue(outboxOf(uy3, 'UY', T0 + 10_000));
    expect(store.outboxCount()).toBe(4);
    expect(store.dueOutbox(T0, 100).map((o) => o.envelopeId)).toEqual([uy1, uy2, br1]);
    expect(store.dueOutbox(T0, 2).map((o) => o.envelopeId)).toEqual([uy1, uy2]);

    // uy1's first publish fails: it waits for its retry, and uy2 behind it waits too; BR is not held up.
    store.markPublishFailed(uy1, T0 + 1_000, 'maximum messages exceeded');
    expect(store.dueOutbox(T0 + 1, 100).map((o) => o.envelopeId)).toEqual([br1]);
    expect(store.nextOutboxDue()).toBe(T0);
    // Its retry is due: both again, in order.
    expect(store.dueOutbox(T0 + 1_000, 100).map((o) => o.envelopeId)).toEqual([uy1, uy2, br1]);

    // Once uy1 is published (and waits for its receipt), later envelopes may pass it.
    store.markPublished(uy1, T0 + 1_000, T0 + 60_000);
    const due = store.dueOutbox(T0 + 10_000, 100);
    expect(due.map((o) => o.envelopeId)).toEqual([uy2, br1, uy3]);
    expect(store.dueOutbox(T0 + 60_000, 100).find((o) => o.envelopeId === uy1)!.attempts).toBe(1);

    expect(store.deleteOutbox(uy1)).toBe(true);
    expect(store.deleteOutbox(uy1)).toBe(false);
    expect(store.outboxCount()).toBe(3);
  });

  it('moves re-send times back with a clock set back, keeping each delay, and leaves the rest alone', () => {
    const [sent, failed, earlier] = [uuidv7(T0), uuidv7(T0 + 1), uuidv7(T0 + 2)];
    [sent, failed, earlier].forEach((id) => store.enqueue(outboxOf(id, 'UY')));
    store.markPublished(sent, T0 + 1_000, T0 + 3_000); // re-send 2 s after its publish
    store.markPublishFailed(failed, T0 + 1_250, 'timeout');
    store.markPublished(earlier, T0 - 140_000, T0 + 60_000); // published before the time the clock is set back to
    const back = T0 - 132_000; // the clock is set 132 s back
    expect(store.retimeFuturePublishes(back)).toBe(1);
    const due = (at: number) => store.dueOutbox(at, 10).map((o) => o.envelopeId);
    expect(due(back + 1_999)).toEqual([]);
    expect(due(back + 2_000)).toEqual([sent]);
    expect(store.retimeFuturePublishes(back + 2_000)).toBe(0);
    expect(due(T0 + 60_000)).toEqual([sent, failed, earlier]);
  });

  it('keeps the first copy of an envelope enqueued twice', () => {
    const id = uuidv7(T0);
    store.enqueue(outboxOf(id, 'UY'));
    store.enqueue({ ...outboxOf(id, 'BR'), bytes: bytes('other') });
    const [only] = store.dueOutbox(T0, 10);
    expect(store.outboxCount()).toBe(1);
    expect(only).toMatchObject({ envelopeId: id, destination: 'UY', expectsReceipt: true, attempts: 0 });
    expect(text(only!.bytes)).toBe(id);
  });
});

describe('de-duplication, receipts, quarantine', () => {
  it('records an accepted envelope id once and for all', () => {
    const id = uuidv7(T0);
    expect(store.getDedup(id)).toBeUndefined();
    store.insertDedup(id, sha(7), 'AR', 'request', T0, bytes('receipt'));
    const seen = store.getDedup(id)!;
    expect(seen.sha256).toEqual(sha(7));
    expect(text(seen.receiptBytes!)).toBe('receipt');
    expect(() => store.insertDedup(id, sha(8), 'AR', 'request', T0 + 1, null)).toThrow(/UNIQUE|PRIMARY KEY/);
    store.recordDuplicate(id, T0 + 2);
    expect(store.getDedup(id)!.sha256).toEqual(sha(7));
    const other = uuidv7(T0 + 1);
    store.insertDedup(other, sha(9), 'UY', 'receipt', T0, null);
    expect(store.getDedup(other)!.receiptBytes).toBeNull();
  });

  it('stores a receipt once per receipt id', () => {
    const r = requestOf();
    store.insertRequest(r);
    const receipt = receiptOf(r);
    expect(store.insertReceipt(receipt)).toBe(true);
    expect(store.insertReceipt({ ...receipt, outcome: 'rejected', matchesSent: false })).toBe(false);
    const later = receiptOf(r, { receiptId: uuidv7(T0 + 6), outcome: 'rejected', reasonCode: 'ERR_DECRYPT', matchesSent: false, storedAt: T0 + 6, verdict: UNCHECKED });
    store.insertReceipt(later);
    const got = store.receiptsFor(r.id);
    expect(got.map((x) => [x.receiptId, x.outcome, x.matchesSent, x.verdict.verified])).toEqual([
      [receipt.receiptId, 'accepted', true, true],
      [later.receiptId, 'rejected', false, false],
    ]);
    expect(got[0]!.verdict).toEqual(VERIFIED);
    expect(text(got[0]!.bytes)).toBe('receipt bytes');
    expect(got[1]!.reasonCode).toBe('ERR_DECRYPT');
    expect(store.receiptsFor(uuidv7(T0))).toEqual([]);
  });

  it('keeps quarantined messages, newest first', () => {
    expect(store.quarantineCount()).toBe(0);
    for (const [i, code] of ['ERR_DECRYPT', 'ERR_REPLAY', 'ERR_RECEIPT_UNMATCHED'].entries()) {
      store.quarantine({ receivedAt: T0 + i, code, envelopeId: `id-${i}`, fromAddr: 'AR', kind: 'request', sha256: sha(i), bytes: bytes(`bytes-${i}`), rejectionReceiptId: '' });
    }
    expect(store.quarantineCount()).toBe(3);
    const listed = store.listQuarantine(2);
    expect(listed.map((q) => q.code)).toEqual(['ERR_RECEIPT_UNMATCHED', 'ERR_REPLAY']);
    expect(text(listed[1]!.bytes)).toBe('bytes-1');
    expect(listed[1]!.sha256).toEqual(sha(1));
  });
});

describe('transactions', () => {
  it('tx rolls back everything it wrote when it throws: request, outbox row, de-duplication row', () => {
    const r = requestOf();
    expect(() =>
      store.tx(() => {
        store.insertRequest(r);
        store.addTimeline(r.id, 'submitted', T0, 'to UY');
        store.enqueue(outboxOf(r.id, 'UY'));
        store.insertDedup(r.id, sha(3), 'AR', 'request', T0, null);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(store.getRequest(r.id)).toBeUndefined();
    expect(store.timeline(r.id)).toEqual([]);
    expect(store.outboxCount()).toBe(0);
    expect(store.dueOutbox(T0, 10)).toEqual([]);
    expect(store.getDedup(r.id)).toBeUndefined();
  });

  it('tx commits everything when it returns', () => {
    const r = requestOf();
    const out = store.tx(() => {
      store.insertRequest(r);
      store.enqueue(outboxOf(r.id, 'UY'));
      store.insertDedup(r.id, sha(3), 'AR', 'request', T0, null);
      return 'done';
    });
    expect(out).toBe('done');
    expect(store.getRequest(r.id)).toBeDefined();
    expect(store.outboxCount()).toBe(1);
    expect(store.getDedup(r.id)).toBeDefined();
  });

  it('a request rolled back and written again stays readable after a restart', async () => {
    const r = requestOf();
    expect(() =>
      store.tx(() => {
        store.insertRequest(r);
        throw new Error('commit failed');
      }),
    ).toThrow('commit failed');
    // The same envelope is applied again (JetStream redelivers it after a failed commit).
    store.insertRequest(r);
    expect(text(store.getRequest(r.id)!.payload)).toBe('{"names":["M. R."]}');
    store.close();
    store = await openStore();
    const got = store.getRequest(r.id)!;
    expect(got.erased).toBe(false);
    expect(text(got.payload)).toBe('{"names":["M. R."]}');
  });

  it('group commits calls of one turn together, and a failing call rolls back only itself', async () => {
    const [a, b, c] = [requestOf({ id: uuidv7(T0) }), requestOf({ id: uuidv7(T0 + 1) }), requestOf({ id: uuidv7(T0 + 2) })];
    const write = (r: typeof a, fail: boolean) => () => {
      store.insertRequest(r);
      store.enqueue(outboxOf(r.id, 'UY'));
      if (fail) throw new Error(`no ${r.id}`);
      return r.id;
    };
    const results = await Promise.allSettled([store.group(write(a, false)), store.group(write(b, true)), store.group(write(c, false))]);
    expect(results.map((x) => x.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[0] as PromiseFulfilledResult<string>).value).toBe(a.id);
    expect(((results[1] as PromiseRejectedResult).reason as Error).message).toBe(`no ${b.id}`);
    expect(store.getRequest(a.id)).toBeDefined();
    expect(store.getRequest(b.id)).toBeUndefined();
    expect(store.getRequest(c.id)).toBeDefined();
    expect(store.dueOutbox(T0, 10).map((o) => o.envelopeId)).toEqual([a.id, c.id]);
    // Durable, not only visible on this connection.
    store.close();
    store = await openStore();
    expect(store.getRequest(a.id)).toBeDefined();
    expect(store.getRequest(c.id)).toBeDefined();
    expect(store.getRequest(b.id)).toBeUndefined();
  });
});

describe('erasing a case', () => {
  it('destroys contents, responses and envelopes for good, and keeps hashes, receipts and timeline as evidence', async () => {
    const r = requestOf();
    const kept = requestOf({ id: uuidv7(T0 + 9), payload: bytes('another case') });
    store.insertRequest(r);
    store.insertRequest(kept);
    const step = transitionOf(r.id, { response: bytes('victim answer') });
    store.insertTransition(step);
    store.addTimeline(r.id, 'submitted', T0, 'to UY');
    store.insertReceipt(receiptOf(r));

    store.eraseCase(r.id, T0 + 100);
    const check = (s: Store) => {
      const got = s.getRequest(r.id)!;
      expect(got.erased).toBe(true);
      expect(got.payload.byteLength).toBe(0);
      expect(got.envelope.byteLength).toBe(0);
      expect(got.envelopeSha256).toEqual(r.envelopeSha256);
      expect(got.updatedAt).toBe(T0 + 100);
      const t = s.getTransition(step.eventId)!;
      expect(t.response).toBeNull();
      expect(t.envelope.byteLength).toBe(0);
      expect(t.envelopeSha256).toEqual(step.envelopeSha256);
      expect(s.receiptsFor(r.id)).toHaveLength(1);
      expect(s.timeline(r.id).map((x) => x.type)).toEqual(['submitted']);
      expect(s.vault!.isErased(r.id)).toBe(true);
      expect(text(s.getRequest(kept.id)!.payload)).toBe('another case');
    };
    check(store);
    store.close();
    store = await openStore();
    check(store);
    // Nothing can be written back into an erased case.
    expect(store.vault!.seal(r.id, bytes('again'))).toBeUndefined();
  });
});
