import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { uuidv7 } from '../envelope/index.js';
import { CaseVault } from './case-vault.js';
import { openDb, type Db } from './db.js';
import { setPeerConsent, withdrawVictimIdentity } from './consent.js';
import { setLegalHold, setPeerErasure } from './erasure.js';
import { heldSteps, holdStep } from './steps.js';
import { Store } from './store.js';
import type { NewRequestRow, TransitionRow } from './types.js';

const T0 = 1_780_000_000_000;
const bytes = (s: string) => new TextEncoder().encode(s);

function requestOf(n: number, over: Partial<NewRequestRow> = {}): NewRequestRow {
  return {
    id: uuidv7(T0 + n),
    direction: 'outbound',
    fromAddr: 'AR',
    toAddr: 'UY',
    counterpart: 'UY',
    kind: 'nationality_verification',
    subject: `Case ${n}`,
    payload: bytes('{}'),
    payloadType: 'application/json',
    senderReference: `AR-REF-${n}`,
    status: 'delivered',
    failureReason: '',
    idempotencyKey: null,
    requestHash: null,
    envelope: bytes('envelope'),
    envelopeSha256: new Uint8Array(32).fill(n),
    createdAt: T0 + n,
    updatedAt: T0 + n,
    urgency: 'normal',
    stage: '',
    receivedAt: null,
    dueAt: null,
    pausedAt: null,
    ...over,
  };
}

function stepOf(requestId: string, note: string): TransitionRow {
  return {
    eventId: uuidv7(T0 + 500),
    requestId,
    origin: 'local',
    action: 'request_information',
    statusAfter: 'information_requested',
    stage: '',
    stageDate: '',
    note,
    response: null,
    responseType: '',
    actorRole: 'focal_point',
    at: T0 + 1_000,
    delivery: 'pending',
    reasonCode: '',
    envelope: bytes('step envelope'),
    envelopeSha256: new Uint8Array(32).fill(9),
    seq: 1,
    state: 'ordered',
    orderId: '',
    verdict: { verified: false, keyId: '', checkedAt: 0, detail: '' },
  };
}

let dir: string;
let path: string;
let db: Db;
let dataKey: Uint8Array;

async function openStore(): Promise<Store> {
  db = openDb(path);
  return new Store(db, await CaseVault.create(db, dataKey));
}

/** Every text and blob value in the tables that hold free text, as one string per cell. */
function cells(d: Db): string[] {
  const out: string[] = [];
  for (const table of ['requests', 'transitions', 'timeline']) {
    for (const row of d.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[]) {
      for (const v of Object.values(row)) out.push(v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : String(v));
    }
  }
  return out;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'enlace-free-text-'));
  path = join(dir, 'node.db');
  dataKey = new Uint8Array(randomBytes(32));
});

afterEach(async () => {
  if (db?.open) db.close();
  await rm(dir, { recursive: true, force: true });
});

describe('free text at rest', () => {
  it('seals the subject and the step note with the case key, readable back, nowhere in clear, in the file either', async () => {
    const store = await openStore();
    const r = requestOf(1, { subject: 'Paradero de Núñez Quispe' });
    store.insertRequest(r);
    store.insertTransition(stepOf(r.id, 'Send the passport of Núñez Quispe'));
    expect(store.getRequest(r.id)!.subject).toBe('Paradero de Núñez Quispe');
    expect(store.transitionsFor(r.id)[0]!.note).toBe('Send the passport of Núñez Quispe');
    expect(cells(db).filter((c) => c.includes('Quispe') || c.includes(Buffer.from('Quispe').toString('latin1')))).toEqual([]);
    store.close();
    expect((await readFile(path)).includes(Buffer.from('Quispe'))).toBe(false);
  });

  it('erasing the case leaves neither the subject nor the note readable, after a restart too', async () => {
    let store = await openStore();
    const r = requestOf(2, { subject: 'Paradero de Núñez Quispe' });
    store.insertRequest(r);
    store.insertTransition(stepOf(r.id, 'Mother: Rosa Quispe'));
    store.eraseCase(r.id, T0 + 2_000);
    expect(store.getRequest(r.id)).toMatchObject({ subject: '', erased: true });
    expect(store.transitionsFor(r.id)[0]!.note).toBe('');
    store.close();
    store = await openStore();
    expect(store.getRequest(r.id)!.subject).toBe('');
    expect(store.transitionsFor(r.id)[0]!.note).toBe('');
    expect(db.prepare('SELECT COUNT(*) AS n FROM requests WHERE subject_sealed IS NOT NULL').get()).toEqual({ n: 0 });
  });

  it('seals subjects and notes written in clear before (migration 10) when the node opens its store', async () => {
    db = openDb(path);
    const before = new Store(db);
    const r = requestOf(3, { subject: 'Búsqueda de Quispe' });
    before.insertRequest(r);
    before.insertTransition(stepOf(r.id, 'about Quispe'));
    db.prepare("INSERT INTO timeline (request_id, type, at, detail) VALUES (?, 'transition', ?, 'UY: request information')").run(r.id, T0);
    expect(cells(db).some((c) => c.includes('Quispe'))).toBe(true);
    before.close();
    const store = await openStore();
    expect(cells(db).filter((c) => c.includes('Quispe'))).toEqual([]);
    expect(store.getRequest(r.id)!.subject).toBe('Búsqueda de Quispe');
    expect(store.transitionsFor(r.id)[0]!.note).toBe('about Quispe');
  });
});

describe("the grounds people type about a case's protection", () => {
  /** Sets each of the four grounds on its own request (a hold and an erasure answer, a withdrawal kept under a ground and its answer). */
  function typeGrounds(store: Store): { held: string; answered: string } {
    const held = requestOf(6);
    const answered = requestOf(7);
    store.insertRequest(held);
    store.insertRequest(answered);
    setLegalHold(store, held.id, 'Causa 123/2026 contra Quispe', T0 + 1);
    withdrawVictimIdentity(store, store.getRequest(held.id)!, 'Orden del juez Quispe', T0 + 2);
    setPeerErasure(store, answered.id, 'legal_hold', 'Proceso penal de Quispe', T0 + 3);
    setPeerConsent(store, answered.id, 'legal_hold', 'Testigo Quispe', T0 + 4);
    return { held: held.id, answered: answered.id };
  }

  it('are sealed with the case key: read back on the request, nowhere in clear, in the file either; SQL still sees the hold', async () => {
    const store = await openStore();
    const ids = typeGrounds(store);
    expect(store.getRequest(ids.held)).toMatchObject({ legalHold: 'Causa 123/2026 contra Quispe', consentLegalGround: 'Orden del juez Quispe' });
    expect(store.getRequest(ids.answered)).toMatchObject({ peerErasureReason: 'Proceso penal de Quispe', peerConsentReason: 'Testigo Quispe' });
    expect(cells(db).filter((c) => c.includes('Quispe'))).toEqual([]);
    expect(db.prepare("SELECT COUNT(*) AS n FROM requests WHERE legal_hold <> ''").get()).toEqual({ n: 1 });
    store.close();
    expect((await readFile(path)).includes(Buffer.from('Quispe'))).toBe(false);
  });

  it('go with the case when it is erased', async () => {
    let store = await openStore();
    const ids = typeGrounds(store);
    setLegalHold(store, ids.held, '', T0 + 5);
    store.eraseCase(ids.held, T0 + 6);
    store.eraseCase(ids.answered, T0 + 6);
    store.close();
    store = await openStore();
    expect(store.getRequest(ids.held)).toMatchObject({ legalHold: '', consentLegalGround: '' });
    expect(store.getRequest(ids.answered)).toMatchObject({ peerErasureReason: '', peerConsentReason: '' });
    const sealed = 'legal_hold_sealed IS NOT NULL OR peer_erasure_reason_sealed IS NOT NULL OR consent_legal_ground_sealed IS NOT NULL OR peer_consent_reason_sealed IS NOT NULL';
    expect(db.prepare(`SELECT COUNT(*) AS n FROM requests WHERE ${sealed}`).get()).toEqual({ n: 0 });
  });

  it('written in clear before (migration 20) are sealed when the node opens its store', async () => {
    db = openDb(path);
    const r = requestOf(8);
    new Store(db).insertRequest(r);
    db.prepare("UPDATE requests SET legal_hold = 'Causa de Quispe', peer_consent_reason = 'Testigo Quispe' WHERE id = ?").run(r.id);
    db.close();
    const store = await openStore();
    expect(cells(db).filter((c) => c.includes('Quispe'))).toEqual([]);
    expect(store.getRequest(r.id)).toMatchObject({ legalHold: 'Causa de Quispe', peerConsentReason: 'Testigo Quispe' });
  });
});

describe('held steps', () => {
  it('seal the held body (it carries the note), give it back, and none once the case is erased', async () => {
    const store = await openStore();
    const r = requestOf(4);
    store.insertRequest(r);
    const held = {
      envelopeId: uuidv7(T0 + 9),
      requestId: r.id,
      seq: 3,
      sender: 'UY',
      bytes: bytes('envelope'),
      body: bytes('note: about Quispe'),
      senderKid: 'kid',
      acceptReply: bytes('a'),
      refuseReply: null,
      heldAt: T0,
    };
    holdStep(store, held);
    expect(Buffer.from((db.prepare('SELECT body FROM held_steps').get() as { body: Buffer }).body).includes(Buffer.from('Quispe'))).toBe(false);
    expect(heldSteps(store, r.id).map((h) => new TextDecoder().decode(h.body))).toEqual(['note: about Quispe']);
    store.eraseCase(r.id, T0 + 1);
    expect(heldSteps(store, r.id)).toEqual([]);
  });
});

describe('searching free text', () => {
  it('finds subjects by a word, accents and case aside, for content searches only, paged with the total', async () => {
    const store = await openStore();
    const ids = [1, 2, 3, 4, 5].map((n) => requestOf(n, { subject: n % 2 ? `Paradero de Núñez ${n}` : `Other case ${n}` }));
    for (const r of ids) store.insertRequest(r);
    const content = { text: 'nunez', searchContent: true };
    expect(store.countRequests(content)).toBe(3);
    const first = store.listRequests(content, { oldestFirst: false, limit: 2 });
    expect(first.map((r) => r.subject)).toEqual(['Paradero de Núñez 5', 'Paradero de Núñez 3']);
    const rest = store.listRequests(content, { oldestFirst: false, limit: 2, after: first.at(-1)!.seq });
    expect(rest.map((r) => r.subject)).toEqual(['Paradero de Núñez 1']);
    expect(store.listRequests(content, { oldestFirst: true, limit: 10 }).map((r) => r.id)).toEqual([ids[0]!.id, ids[2]!.id, ids[4]!.id]);
    // Metadata only: the subject is not searched; the reference, the type and the counterpart are.
    expect(store.countRequests({ text: 'nunez' })).toBe(0);
    expect(store.countRequests({ text: 'Núñez' })).toBe(0);
    expect(store.countRequests({ text: 'ar-ref-4' })).toBe(1);
    expect(store.countRequests({ text: 'uy nationality_verification' })).toBe(5);
    expect(store.countRequests({ text: 'ar-ref-4', searchContent: true })).toBe(1);
  });
});
