/**
 * tests/vectors/registry-v1.json: registry records (docs/protocol.md §17.2-§17.4) under the
 * anchor of envelope-v1.json. `records`: one record checked alone at a log position (steps 1-6
 * of §17.4: valid, strict JWS parsing, signature, wrong country, revoked key, payload rules).
 * `chains`: records offered in order to one country's log (steps 7-9: appended, duplicate,
 * waiting for a gap, fork, rollback of an entry, wrong link, dated before its predecessor).
 * Deterministic: keys from fixed labels, Ed25519 signatures, a fixed clock.
 */
import { signingKeyFromSeed, type SigningKey } from '../../keys/index.js';
import { GENESIS_PREV, RECORD_TYP, recordHash, type RecordPayload } from '../../services/registry/index.js';
import { MIN, NETWORK_ID, NOW, seed } from './envelope-kit.js';
import { b64, publishedAnchor, recordWorld, signSegments, withTrailingBits, type RecordWorld } from './record-kit.js';
import { contact, MemoryLog, offer } from './registry-log.js';

/** What the cases are written with: the states, a record signed by UY unless told, and the list they are added to. */
interface RegistryKit {
  world: RecordWorld;
  headerOf: (key: SigningKey) => string;
  record: (payload: RecordPayload, key?: SigningKey, header?: string) => string;
  payload: (over?: Partial<RecordPayload>) => RecordPayload;
  /** Checks that offering `jws` at `at` to an empty log gives `expected`, and adds the case. */
  add: (name: string, section: string, description: string, jws: string, at: { country: string; seq: number }, expected: string) => Promise<void>;
  records: unknown[];
}

export async function buildRegistryVectors(): Promise<string> {
  const kit = registryKit(await recordWorld(NOW));
  const valid = await jwsCases(kit);
  await signerCases(kit, valid);
  await payloadCases(kit);
  await keyAndEntryCases(kit);
  const chains = await chainCases(kit, valid);
  return registryFile(kit.world, kit.records, chains);
}

function registryKit(world: RecordWorld): RegistryKit {
  const headerOf = (key: SigningKey) => JSON.stringify({ alg: 'EdDSA', kid: key.kid, typ: RECORD_TYP });
  const record = (payload: RecordPayload, key: SigningKey = world.UY.signing, header = headerOf(key)) => signSegments(header, JSON.stringify(payload), key);
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
  const add: RegistryKit['add'] = async (name, section, description, jws, at, expected) => {
    const got = await offer(new MemoryLog(), world.trust, jws, at, NOW);
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
  };
  return { world, headerOf, record, payload, add, records };
}

const at1 = { country: 'UY', seq: 1 };

/** §17.4 step 1 and the strict parsing of §6: the valid record, then headers and segments a lenient reader would take. Returns the valid record. */
async function jwsCases({ world, record, payload, headerOf, add }: RegistryKit): Promise<string> {
  const { UY, AR } = world;
  const valid = record(payload());
  await add('valid', '§17.2, §17.4', 'Record 1 of UY: one contact point, signed by UY.', valid, at1, 'appended');
  await add('wrong-typ', '§17.4 step 1', 'typ "JWT".', record(payload(), UY.signing, JSON.stringify({ alg: 'EdDSA', kid: UY.signing.kid, typ: 'JWT' })), at1, 'ERR_REGISTRY_MALFORMED');
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
    record(payload(), UY.signing, JSON.stringify({ alg: 'EdDSA', kid: UY.signing.kid, typ: RECORD_TYP, b64: true, crit: ['b64'] })),
    at1,
    'ERR_REGISTRY_SIGNATURE',
  );
  await add(
    'duplicate-alg',
    '§17.4 step 1, §6 strict parsing',
    'Header {"alg":"none","kid":…,"typ":…,"alg":"EdDSA"}, signed by UY: a last-wins reader accepts it.',
    record(payload(), UY.signing, `{"alg":"none","kid":"${UY.signing.kid}","typ":"${RECORD_TYP}","alg":"EdDSA"}`),
    at1,
    'ERR_REGISTRY_MALFORMED',
  );
  await add(
    'duplicate-kid-escaped',
    '§17.4 step 1, §6 strict parsing',
    'Header with "kid" (AR\'s key) and "\\u006bid" (UY\'s key), signed by UY.',
    record(payload(), UY.signing, `{"alg":"EdDSA","kid":"${AR.signing.kid}","typ":"${RECORD_TYP}","\\u006bid":"${UY.signing.kid}"}`),
    at1,
    'ERR_REGISTRY_MALFORMED',
  );
  await add(
    'signature-trailing-bits',
    '§17.4 step 1, §6 strict parsing',
    "The valid record with the unused low bits of the signature segment's last character set (the same 64 bytes).",
    withTrailingBits(valid),
    at1,
    'ERR_REGISTRY_MALFORMED',
  );
  await add('signature-padded', '§17.4 step 1, §6 strict parsing', 'The valid record with "==" after the signature segment.', `${valid}==`, at1, 'ERR_REGISTRY_MALFORMED');
  await add(
    'payload-duplicate-member',
    '§17.4 step 4',
    'Payload with "by":"intruder","by":"m.olivera", signed by UY: a last-wins reader records another author.',
    signSegments(headerOf(UY.signing), JSON.stringify(payload()).replace('"by":"m.olivera"', '"by":"intruder","by":"m.olivera"'), UY.signing),
    at1,
    'ERR_REGISTRY_MALFORMED',
  );
  return valid;
}

/** §17.4 steps 2-3: a signature that does not verify, another state's key, an unknown key, a state with no descriptor yet. */
async function signerCases({ world, record, payload, add }: RegistryKit, valid: string): Promise<void> {
  const { AR } = world;
  const [h, p, s] = valid.split('.') as [string, string, string];
  await add(
    'bad-signature',
    '§17.4 step 3',
    'The valid record\'s payload with "m.olivera" changed to "m.oliverb", the signature kept.',
    `${h}.${b64(Buffer.from(p, 'base64url').toString('utf8').replace('m.olivera', 'm.oliverb'))}.${s}`,
    at1,
    'ERR_REGISTRY_SIGNATURE',
  );
  await add('signed-by-other-country', '§17.4 step 2', "In UY's log, signed by AR's key (AR's kid).", record(payload(), AR.signing), at1, 'ERR_REGISTRY_WRONG_COUNTRY');
  await add('unknown-key', '§17.4 step 2', 'Signed by a key no descriptor lists.', record(payload(), await signingKeyFromSeed(seed('stranger signing'))), at1, 'ERR_REGISTRY_SIGNATURE');
  await add(
    'no-descriptor-yet',
    '§17.4 step 2',
    "In MX's log: no descriptor of MX is held, so the record waits (neither accepted nor rejected).",
    record(payload({ country: 'MX' }), await signingKeyFromSeed(seed('key MX 1 signing'))),
    { country: 'MX', seq: 1 },
    'waits',
  );
}

/** §17.4 step 4: the payload's own rules. */
async function payloadCases({ record, payload, add }: RegistryKit): Promise<void> {
  await add('wrong-network', '§17.4 step 4', 'networkId "enlace-other".', record(payload({ networkId: 'enlace-other' })), at1, 'ERR_REGISTRY_MALFORMED');
  await add('about-other-country', '§17.4 step 4', 'country "AR" in UY\'s log, signed by UY.', record(payload({ country: 'AR' })), at1, 'ERR_REGISTRY_WRONG_COUNTRY');
  await add('seq-differs-from-key', '§17.4 step 4', 'seq 2 stored at log.UY.000000000001.', record(payload({ seq: 2 })), at1, 'ERR_REGISTRY_MALFORMED');
  await add('dated-in-future', '§17.4 step 4', 'at = now + 6 minutes.', record(payload({ at: NOW + 6 * MIN })), at1, 'ERR_REGISTRY_MALFORMED');
  await add('not-a-record', '§17.4 step 4', 'changes is empty.', record(payload({ changes: [] })), at1, 'ERR_REGISTRY_MALFORMED');
}

/** §17.4 steps 5-6: a revoked key, a key not yet valid, and the entries a record may carry. */
async function keyAndEntryCases({ world, record, payload, add }: RegistryKit): Promise<void> {
  const { UY, CL1 } = world;
  await add(
    'revoked-key',
    '§17.4 step 5',
    "Signed by CL's generation 1 key, revoked in CL's descriptor.",
    record(
      payload({
        country: 'CL',
        changes: [{ op: 'upsert', type: 'contact', id: 'fiscalia', version: 1, entry: contact('fiscalia', { country: 'CL', phone: '+56225550100', timeZone: 'America/Santiago' }) }],
      }),
      CL1.signing,
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
}

/** §17.4 steps 7-9: one log per chain, records offered in order. */
async function chainCases({ world, record, payload }: RegistryKit, valid: string): Promise<unknown[]> {
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
      const got = await offer(log, world.trust, jws, { country: 'UY', seq }, NOW);
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

  return chains;
}

function registryFile(world: RecordWorld, records: unknown[], chains: unknown[]): string {
  const { anchor, descriptors } = world;
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
        anchor: publishedAnchor(anchor),
        descriptors,
        records,
        chains,
      },
      null,
      2,
    ) + '\n'
  );
}
