/**
 * tests/vectors/registry-v1.json: registry records (docs/protocol.md §17.2-§17.4) under the
 * anchor of envelope-v1.json. `records`: one record checked alone at a log position (steps 1-6
 * of §17.4: valid, strict JWS parsing, signature, wrong country, revoked key, payload rules).
 * `chains`: records offered in order to one country's log (steps 7-9: appended, duplicate,
 * waiting for a gap, fork, rollback of an entry, wrong link, dated before its predecessor).
 * Deterministic: keys from fixed labels, Ed25519 signatures, a fixed clock.
 */
import { createHash, sign as edSign } from 'node:crypto';
import { CompactSign } from 'jose';
import {
  DESCRIPTOR_TYP,
  describeNode,
  EnlaceError,
  keySetFromSecrets,
  pinAnchor,
  signingKeyFromSeed,
  TrustStore,
  type ErrorCode,
  type NodeDescriptor,
  type NodeKeySet,
  type SigningKey,
} from '../../keys/index.js';
import {
  GENESIS_PREV,
  placeRecord,
  RECORD_TYP,
  recordHash,
  verifyRecord,
  type ChainView,
  type ContactPoint,
  type EntryType,
  type RecordPayload,
  type VerifiedRecord,
} from '../../services/registry/index.js';

const NETWORK_ID = 'enlace-vectors';
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const MIN = 60_000;
const DAY = 86_400_000;
const seed = (label: string): Uint8Array => new Uint8Array(createHash('sha256').update(`enlace test vector ${label}`).digest());
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** The outcome of offering a record to a log, as the vectors write it. */
type Outcome = 'appended' | 'duplicate' | 'waits' | ErrorCode;

/** A log held in memory: what placeRecord needs (§17.4 steps 7-9). */
export class MemoryLog implements ChainView {
  readonly #records = new Map<string, { seq: number; hash: string; at: number }[]>();
  readonly #entries = new Map<string, { version: number; status: 'active' | 'retired' }>();
  head(country: string) {
    return this.#records.get(country)?.at(-1);
  }
  hashAt(country: string, seq: number) {
    return this.#records.get(country)?.[seq - 1]?.hash;
  }
  entry(country: string, type: EntryType, id: string) {
    return this.#entries.get(`${country}/${type}/${id}`);
  }
  append(rec: VerifiedRecord): void {
    const { country, seq, at } = rec.payload;
    const log = this.#records.get(country) ?? [];
    log.push({ seq, hash: rec.hash, at });
    this.#records.set(country, log);
    for (const c of rec.payload.changes) this.#entries.set(`${country}/${c.type}/${c.id}`, { version: c.version, status: c.op === 'retire' ? 'retired' : 'active' });
  }
}

/** Offers one record to `log` as a node does: verify (§17.4 1-6), then place (7-9). */
export async function offer(log: MemoryLog, trust: TrustStore, jws: string, where: { country: string; seq: number }, now: number): Promise<Outcome> {
  try {
    const rec = await verifyRecord(jws, where, { networkId: trust.networkId, trust, now });
    const placed = placeRecord(log, rec);
    if (placed.kind === 'append') log.append(rec);
    return placed.kind === 'append' ? 'appended' : placed.kind === 'duplicate' ? 'duplicate' : 'waits';
  } catch (e) {
    if (e instanceof EnlaceError) return e.code === 'ERR_UNKNOWN_NODE' ? 'waits' : e.code;
    throw e;
  }
}

function contact(id: string, over: Partial<ContactPoint> = {}): ContactPoint {
  return {
    id,
    country: 'UY',
    authority: { es: 'Ministerio del Interior', en: 'Ministry of the Interior' },
    unit: { es: 'Dirección Nacional de Identificación Civil' },
    themes: ['victim_identification'],
    requestKinds: ['nationality_verification'],
    languages: ['es', 'pt'],
    roleTitle: 'Jefa del Departamento de Verificación de Identidad',
    person: 'Sofía Barreiro',
    email: 'verificacion@dnic-uy.example',
    phone: '+59825550202',
    available247: false,
    timeZone: 'America/Montevideo',
    officeHours: [{ days: [1, 2, 3, 4, 5], open: '09:30', close: '16:30' }],
    address: '',
    validFrom: '2025-01-01',
    validUntil: '',
    notes: '',
    lastVerified: '2025-11-14',
    ...over,
  };
}

export async function buildRegistryVectors(): Promise<string> {
  const anchor = await signingKeyFromSeed(seed('anchor'));
  const set = (c: string, n: number, createdAt: number) => keySetFromSecrets({ createdAt, signingSeed: seed(`key ${c} ${n} signing`), encryptionSecret: seed(`key ${c} ${n} encryption`) });
  const UY = await set('UY', 1, NOW - 100 * DAY);
  const AR = await set('AR', 2, NOW - 30 * DAY);
  const CL1 = await set('CL', 1, NOW - 200 * DAY);
  const CL2 = await set('CL', 2, NOW - 20 * DAY);
  const signDescriptor = (d: NodeDescriptor) =>
    new CompactSign(new TextEncoder().encode(JSON.stringify(d))).setProtectedHeader({ alg: 'EdDSA', kid: anchor.kid, typ: DESCRIPTOR_TYP }).sign(anchor.privateKey);
  const describe = (country: string, sets: NodeKeySet[], revokedKids: string[] = []) => describeNode(NETWORK_ID, { country, sets }, { now: NOW - DAY, validDays: 365, serial: 1, revokedKids });
  const descriptors = {
    UY: await signDescriptor(describe('UY', [UY])),
    AR: await signDescriptor(describe('AR', [AR])),
    CL: await signDescriptor(describe('CL', [CL1, CL2], [CL1.signing.kid, CL1.encryption.kid])),
  };
  const pinned = pinAnchor(NETWORK_ID, anchor.jwk);
  const trust = new TrustStore(pinned);
  for (const d of Object.values(descriptors)) await trust.add(d);

  const signer = (s: NodeKeySet): SigningKey => s.signing;
  /** A record over hand-built segments: `header` and `payload` are the exact texts signed. */
  const byText = (header: string, payload: string, key: SigningKey) => {
    const input = `${b64(header)}.${b64(payload)}`;
    return `${input}.${edSign(null, Buffer.from(input, 'ascii'), key.privateKey).toString('base64url')}`;
  };
  const headerOf = (key: SigningKey) => JSON.stringify({ alg: 'EdDSA', kid: key.kid, typ: RECORD_TYP });
  const record = (payload: RecordPayload, key: SigningKey = signer(UY), header = headerOf(key)) => byText(header, JSON.stringify(payload), key);
  const payload = (over: Partial<RecordPayload> = {}): RecordPayload => ({
    v: 1,
    networkId: NETWORK_ID,
    country: 'UY',
    seq: 1,
    prev: GENESIS_PREV,
    at: NOW - 10 * MIN,
    by: 'm.olivera',
    changes: [{ op: 'upsert', type: 'contact', id: 'dnic', version: 1, entry: contact('dnic') }],
    ...over,
  });

  const records: unknown[] = [];
  async function add(name: string, section: string, description: string, jws: string, at: { country: string; seq: number }, expected: string) {
    const got = await offer(new MemoryLog(), trust, jws, at, NOW);
    if (got !== expected) throw new Error(`registry vector ${name}: ${got}, not ${expected}`);
    records.push({
      name,
      section,
      description,
      key: `log.${at.country}.${String(at.seq).padStart(12, '0')}`,
      record: jws,
      valid: expected === 'appended',
      ...(expected === 'appended' ? {} : { expected }),
    });
  }
  const at1 = { country: 'UY', seq: 1 };
  const valid = record(payload());
  await add('valid', '§17.2, §17.4', 'Record 1 of UY: one contact point, signed by UY.', valid, at1, 'appended');
  await add('wrong-typ', '§17.4 step 1', 'typ "JWT".', record(payload(), signer(UY), JSON.stringify({ alg: 'EdDSA', kid: UY.signing.kid, typ: 'JWT' })), at1, 'ERR_REGISTRY_MALFORMED');
  await add(
    'alg-none',
    '§17.4 step 1',
    'alg "none" and an empty signature.',
    `${b64(JSON.stringify({ alg: 'none', kid: UY.signing.kid, typ: RECORD_TYP }))}.${b64(JSON.stringify(payload()))}.`,
    at1,
    'ERR_REGISTRY_SIGNATURE',
  );
  await add(
    'crit',
    '§17.4 step 1',
    'A crit member, correctly signed.',
    record(payload(), signer(UY), JSON.stringify({ alg: 'EdDSA', kid: UY.signing.kid, typ: RECORD_TYP, b64: true, crit: ['b64'] })),
    at1,
    'ERR_REGISTRY_SIGNATURE',
  );
  await add(
    'duplicate-alg',
    '§17.4 step 1, §6 strict parsing',
    'Header {"alg":"none","kid":…,"typ":…,"alg":"EdDSA"}, signed by UY: a last-wins reader accepts it.',
    record(payload(), signer(UY), `{"alg":"none","kid":"${UY.signing.kid}","typ":"${RECORD_TYP}","alg":"EdDSA"}`),
    at1,
    'ERR_REGISTRY_MALFORMED',
  );
  await add(
    'duplicate-kid-escaped',
    '§17.4 step 1, §6 strict parsing',
    'Header with "kid" (AR\'s key) and "\\u006bid" (UY\'s key), signed by UY.',
    record(payload(), signer(UY), `{"alg":"EdDSA","kid":"${AR.signing.kid}","typ":"${RECORD_TYP}","\\u006bid":"${UY.signing.kid}"}`),
    at1,
    'ERR_REGISTRY_MALFORMED',
  );
  const last = valid.at(-1)!;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const flipped = alphabet[(alphabet.indexOf(last) & ~0b1111) | (~alphabet.indexOf(last) & 0b1111)]!;
  await add(
    'signature-trailing-bits',
    '§17.4 step 1, §6 strict parsing',
    "The valid record with the unused low bits of the signature segment's last character set (the same 64 bytes).",
    valid.slice(0, -1) + flipped,
    at1,
    'ERR_REGISTRY_MALFORMED',
  );
  await add('signature-padded', '§17.4 step 1, §6 strict parsing', 'The valid record with "==" after the signature segment.', `${valid}==`, at1, 'ERR_REGISTRY_MALFORMED');
  await add(
    'payload-duplicate-member',
    '§17.4 step 4',
    'Payload with "by":"intruder","by":"m.olivera", signed by UY: a last-wins reader records another author.',
    byText(headerOf(signer(UY)), JSON.stringify(payload()).replace('"by":"m.olivera"', '"by":"intruder","by":"m.olivera"'), signer(UY)),
    at1,
    'ERR_REGISTRY_MALFORMED',
  );
  const [h, p, s] = valid.split('.') as [string, string, string];
  await add(
    'bad-signature',
    '§17.4 step 3',
    'The valid record\'s payload with "m.olivera" changed to "m.oliverb", the signature kept.',
    `${h}.${b64(Buffer.from(p, 'base64url').toString('utf8').replace('m.olivera', 'm.oliverb'))}.${s}`,
    at1,
    'ERR_REGISTRY_SIGNATURE',
  );
  await add('signed-by-other-country', '§17.4 step 2', "In UY's log, signed by AR's key (AR's kid).", record(payload(), signer(AR)), at1, 'ERR_REGISTRY_WRONG_COUNTRY');
  await add('unknown-key', '§17.4 step 2', 'Signed by a key no descriptor lists.', record(payload(), await signingKeyFromSeed(seed('stranger signing'))), at1, 'ERR_REGISTRY_SIGNATURE');
  await add(
    'no-descriptor-yet',
    '§17.4 step 2',
    "In MX's log: no descriptor of MX is held, so the record waits (neither accepted nor rejected).",
    record(payload({ country: 'MX' }), await signingKeyFromSeed(seed('key MX 1 signing'))),
    { country: 'MX', seq: 1 },
    'waits',
  );
  await add('wrong-network', '§17.4 step 4', 'networkId "enlace-other".', record(payload({ networkId: 'enlace-other' })), at1, 'ERR_REGISTRY_MALFORMED');
  await add('about-other-country', '§17.4 step 4', 'country "AR" in UY\'s log, signed by UY.', record(payload({ country: 'AR' })), at1, 'ERR_REGISTRY_WRONG_COUNTRY');
  await add('seq-differs-from-key', '§17.4 step 4', 'seq 2 stored at log.UY.000000000001.', record(payload({ seq: 2 })), at1, 'ERR_REGISTRY_MALFORMED');
  await add('dated-in-future', '§17.4 step 4', 'at = now + 6 minutes.', record(payload({ at: NOW + 6 * MIN })), at1, 'ERR_REGISTRY_MALFORMED');
  await add('not-a-record', '§17.4 step 4', 'changes is empty.', record(payload({ changes: [] })), at1, 'ERR_REGISTRY_MALFORMED');
  await add(
    'revoked-key',
    '§17.4 step 5',
    "Signed by CL's generation 1 key, revoked in CL's descriptor.",
    record(
      payload({
        country: 'CL',
        changes: [{ op: 'upsert', type: 'contact', id: 'fiscalia', version: 1, entry: contact('fiscalia', { country: 'CL', phone: '+56225550100', timeZone: 'America/Santiago' }) }],
      }),
      signer(CL1),
    ),
    { country: 'CL', seq: 1 },
    'ERR_REGISTRY_REVOKED',
  );
  await add(
    'before-key',
    '§17.4 step 5',
    "Dated before UY's key's notBefore.",
    record(payload({ at: UY.createdAt - MIN, changes: [{ op: 'upsert', type: 'contact', id: 'dnic', version: 1, entry: contact('dnic', { lastVerified: '' }) }] })),
    at1,
    'ERR_REGISTRY_REVOKED',
  );
  await add(
    'entry-of-other-country',
    '§17.4 step 6',
    "A contact point of AR in UY's record.",
    record(payload({ changes: [{ op: 'upsert', type: 'contact', id: 'dnic', version: 1, entry: contact('dnic', { country: 'AR' }) }] })),
    at1,
    'ERR_REGISTRY_WRONG_COUNTRY',
  );
  await add(
    'entry-twice',
    '§17.4 step 6',
    'One record changes contact "dnic" twice.',
    record(payload({ changes: [payload().changes[0]!, { ...payload().changes[0]!, version: 2 }] })),
    at1,
    'ERR_REGISTRY_MALFORMED',
  );
  await add(
    'entry-invalid',
    '§17.4 step 6, §17.5',
    'The contact point\'s e-mail is "not-an-address".',
    record(payload({ changes: [{ op: 'upsert', type: 'contact', id: 'dnic', version: 1, entry: contact('dnic', { email: 'not-an-address' }) }] })),
    at1,
    'ERR_REGISTRY_MALFORMED',
  );

  // §17.4 steps 7-9: one log per chain, records offered in order.
  const r1 = valid;
  const r2 = record(
    payload({ seq: 2, prev: recordHash(r1), at: NOW - 8 * MIN, changes: [{ op: 'upsert', type: 'contact', id: 'dnic', version: 2, entry: contact('dnic', { phone: '+59825550203' }) }] }),
  );
  const r3 = record(payload({ seq: 3, prev: recordHash(r2), at: NOW - 6 * MIN, changes: [{ op: 'retire', type: 'contact', id: 'dnic', version: 3, reason: 'unit merged' }] }));
  const fork2 = record(
    payload({ seq: 2, prev: recordHash(r1), at: NOW - 8 * MIN, changes: [{ op: 'upsert', type: 'contact', id: 'dnic', version: 2, entry: contact('dnic', { email: 'desvio@intruso.example' }) }] }),
  );
  const rollback3 = record(payload({ seq: 3, prev: recordHash(r2), at: NOW - 6 * MIN, changes: [{ op: 'upsert', type: 'contact', id: 'dnic', version: 1, entry: contact('dnic') }] }));
  const badLink3 = record(payload({ seq: 3, prev: recordHash(r1), at: NOW - 6 * MIN, changes: [{ op: 'retire', type: 'contact', id: 'dnic', version: 3, reason: 'unit merged' }] }));
  const earlier3 = record(payload({ seq: 3, prev: recordHash(r2), at: NOW - 9 * MIN, changes: [{ op: 'retire', type: 'contact', id: 'dnic', version: 3, reason: 'unit merged' }] }));
  const retireUnknown3 = record(payload({ seq: 3, prev: recordHash(r2), at: NOW - 6 * MIN, changes: [{ op: 'retire', type: 'contact', id: 'otra', version: 1, reason: 'never existed' }] }));
  const firstNotGenesis = record(payload({ prev: recordHash(r2) }));

  const chains: unknown[] = [];
  async function chain(name: string, section: string, description: string, steps: [number, string, string][]) {
    const log = new MemoryLog();
    const out = [];
    for (const [seq, jws, expected] of steps) {
      const got = await offer(log, trust, jws, { country: 'UY', seq }, NOW);
      if (got !== expected) throw new Error(`registry chain ${name}, seq ${seq}: ${got}, not ${expected}`);
      out.push({ key: `log.UY.${String(seq).padStart(12, '0')}`, record: jws, expected, hash: recordHash(jws) });
    }
    chains.push({ name, section, description, steps: out });
  }
  await chain('valid', '§17.3, §17.4 steps 7, 9', 'Three records linked by prev; record 2 offered again is a duplicate.', [
    [1, r1, 'appended'],
    [2, r2, 'appended'],
    [3, r3, 'appended'],
    [2, r2, 'duplicate'],
  ]);
  await chain('gap', '§17.4 step 8', 'Record 3 before record 2 waits; after record 2 it is appended.', [
    [1, r1, 'appended'],
    [3, r3, 'waits'],
    [2, r2, 'appended'],
    [3, r3, 'appended'],
  ]);
  await chain('forked', '§17.4 step 7', 'A different record 2 (same prev, another e-mail) after record 2 was accepted: a fork.', [
    [1, r1, 'appended'],
    [2, r2, 'appended'],
    [2, fork2, 'ERR_REGISTRY_CHAIN'],
  ]);
  await chain('rolled-back-entry', '§17.4 step 9', 'Record 3 sets contact "dnic" back to version 1 after version 2: an older version never replaces a newer one.', [
    [1, r1, 'appended'],
    [2, r2, 'appended'],
    [3, rollback3, 'ERR_REGISTRY_STALE'],
  ]);
  await chain('wrong-link', '§17.4 step 9', "Record 3's prev is the hash of record 1.", [
    [1, r1, 'appended'],
    [2, r2, 'appended'],
    [3, badLink3, 'ERR_REGISTRY_CHAIN'],
  ]);
  await chain('dated-before-previous', '§17.4 step 9', 'Record 3 is dated one minute before record 2.', [
    [1, r1, 'appended'],
    [2, r2, 'appended'],
    [3, earlier3, 'ERR_REGISTRY_CHAIN'],
  ]);
  await chain('retire-unknown', '§17.4 step 9', 'Record 3 retires a contact point never created.', [
    [1, r1, 'appended'],
    [2, r2, 'appended'],
    [3, retireUnknown3, 'ERR_REGISTRY_MALFORMED'],
  ]);
  await chain('first-not-genesis', '§17.3, §17.4 step 9', 'Record 1 whose prev is not "".', [[1, firstNotGenesis, 'ERR_REGISTRY_CHAIN']]);

  return (
    JSON.stringify(
      {
        description: 'Enlace registry record vectors, version 1 (docs/protocol.md §17). Generated by scripts/gen-vectors.ts (npm run vectors); do not edit.',
        warning: 'TEST ONLY. The anchor is the one of envelope-v1.json; its private key is public.',
        format: {
          trust: "pin `anchor` for `networkId` and accept every descriptor of `descriptors` (§4.2); CL's generation 1 keys are revoked.",
          records:
            'with an empty log, offer `record` found at `key` at time `now` (§17.4 steps 1-9). valid=true: appended. Otherwise `expected` is the rejection code, or "waits" (held, neither accepted nor rejected).',
          chains:
            'one empty log per chain; offer each step\'s `record` at its `key` in order, at time `now`; the outcome is `expected`: "appended", "duplicate", "waits" or a rejection code (a rejected record changes nothing). `hash` is the chain hash of §17.3.',
        },
        networkId: NETWORK_ID,
        now: NOW,
        anchor: { kid: anchor.kid, publicJwk: { kty: 'OKP', crv: 'Ed25519', x: anchor.jwk.x } },
        descriptors,
        records,
        chains,
      },
      null,
      2,
    ) + '\n'
  );
}
