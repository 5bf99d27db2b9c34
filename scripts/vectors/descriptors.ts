/**
 * tests/vectors/descriptors-v1.json: node descriptors (docs/protocol.md §4.2-§4.4, §4.7) under
 * the anchor of envelope-v1.json: verification (valid, wrong anchor, wrong network, ...), the
 * key check of each accepted one at given times (expired, revoked, suspended), and the serial
 * rule as a sequence. Deterministic: keys from fixed labels, Ed25519 signatures, a fixed clock.
 */
import { CompactSign } from 'jose';
import {
  DESCRIPTOR_TYP,
  describeNode,
  EnlaceError,
  keySetFromSecrets,
  signingKeyFromSeed,
  TrustStore,
  pinAnchor,
  type NodeDescriptor,
  type NodeKeySet,
  type PinnedAnchor,
  type SigningKey,
} from '../../keys/index.js';
import { DAY, NETWORK_ID, NOW, seed, utf8 } from './envelope-kit.js';
import { publishedAnchor, signSegments, withTrailingBits } from './record-kit.js';

interface KeyCheck {
  kid: string;
  at: number;
  expected: 'ok' | 'ERR_UNKNOWN_KEY' | 'ERR_KEY_REVOKED' | 'ERR_KEY_NOT_VALID';
  note: string;
}

/** What the cases are written with: the pinned anchor and another, UY's two key generations, a descriptor of UY changed by `over`, a signer (the anchor unless told) and the list the cases are added to. */
interface DescriptorKit {
  anchor: SigningKey;
  other: SigningKey;
  pinned: PinnedAnchor;
  set: (n: number, createdAt: number) => Promise<NodeKeySet>;
  g1: NodeKeySet;
  g2: NodeKeySet;
  describe: (over?: Partial<NodeDescriptor> & { sets?: NodeKeySet[]; revokedKids?: string[] }) => NodeDescriptor;
  sign: (payload: unknown, key?: SigningKey, header?: Record<string, unknown>) => Promise<string>;
  /** Checks that `descriptor` is accepted or refused as the case says and that each key check gives its `expected`, and adds the case. */
  add: (name: string, section: string, description: string, descriptor: string, checks?: KeyCheck[]) => Promise<void>;
  cases: unknown[];
}

export async function buildDescriptorVectors(): Promise<string> {
  const kit = await descriptorKit();
  await keyCheckCases(kit);
  await signatureCases(kit);
  await strictParsingCases(kit);
  const steps = await serialSequence(kit);
  return descriptorFile(kit, steps);
}

async function descriptorKit(): Promise<DescriptorKit> {
  const anchor = await signingKeyFromSeed(seed('anchor'));
  const other = await signingKeyFromSeed(seed('other anchor'));
  const set = (n: number, createdAt: number) => keySetFromSecrets({ createdAt, signingSeed: seed(`key UY ${n} signing`), encryptionSecret: seed(`key UY ${n} encryption`) });
  const g1 = await set(1, NOW - 100 * DAY);
  const g2 = await set(2, NOW - 10 * DAY);
  const describe = (over: Partial<NodeDescriptor> & { sets?: (typeof g1)[]; revokedKids?: string[] } = {}) => {
    const { sets, revokedKids, ...rest } = over;
    return { ...describeNode(NETWORK_ID, { country: 'UY', sets: sets ?? [g1] }, { now: NOW - DAY, validDays: 365, serial: 1, revokedKids }), ...rest };
  };
  const sign = (payload: unknown, key: SigningKey = anchor, header: Record<string, unknown> = { alg: 'EdDSA', kid: key.kid, typ: DESCRIPTOR_TYP }) =>
    new CompactSign(utf8(typeof payload === 'string' ? payload : JSON.stringify(payload))).setProtectedHeader(header as { alg: string }).sign(key.privateKey);

  const pinned = pinAnchor(NETWORK_ID, anchor.jwk);
  const cases: unknown[] = [];
  const add: DescriptorKit['add'] = async (name, section, description, descriptor, checks = []) => {
    const trust = new TrustStore(pinned);
    const error = await trust.add(descriptor).then(
      () => undefined,
      (e: unknown) => {
        if (e instanceof EnlaceError) return e.code;
        throw e;
      },
    );
    for (const c of checks) {
      let got = 'ok';
      try {
        trust.verificationKey('UY', c.kid, c.at);
      } catch (e) {
        got = (e as EnlaceError).code;
      }
      if (got !== c.expected) throw new Error(`descriptor vector ${name}: key check ${c.note} gives ${got}, not ${c.expected}`);
    }
    cases.push({ name, section, description, descriptor, valid: error === undefined, ...(error ? { error } : {}), ...(checks.length ? { keyChecks: checks } : {}) });
  };
  return { anchor, other, pinned, set, g1, g2, describe, sign, add, cases };
}

/** §4.2 and §4.4: accepted descriptors and the key check of each at given times (window, expiry, revoked node or key). */
async function keyCheckCases({ set, g1, g2, describe, sign, add }: DescriptorKit): Promise<void> {
  const validUntil = g1.createdAt + 365 * DAY;

  await add('valid', '§4.2, §4.4', 'UY, one generation, active, serial 1.', await sign(describe()), [
    { kid: g1.signing.kid, at: NOW, expected: 'ok', note: 'the signing key now' },
    { kid: g1.signing.kid, at: g1.createdAt, expected: 'ok', note: 'at notBefore (inclusive)' },
    { kid: g1.signing.kid, at: g1.createdAt - 1, expected: 'ERR_KEY_NOT_VALID', note: 'one ms before notBefore' },
    { kid: g1.signing.kid, at: validUntil, expected: 'ERR_KEY_NOT_VALID', note: 'at notAfter = validUntil (exclusive)' },
    { kid: g1.encryption.kid, at: NOW, expected: 'ERR_UNKNOWN_KEY', note: 'an encryption key is not a signing key' },
    { kid: g2.signing.kid, at: NOW, expected: 'ERR_UNKNOWN_KEY', note: 'a key the descriptor does not list' },
  ]);
  const oldSet = await set(1, NOW - 400 * DAY);
  await add(
    'expired',
    '§4.2, §4.4',
    'A descriptor whose window (and its only key) ended 35 days before now: it verifies, its key does not pass the check now.',
    await sign(describe({ sets: [oldSet] })),
    [
      { kid: oldSet.signing.kid, at: NOW, expected: 'ERR_KEY_NOT_VALID', note: 'now, after validUntil' },
      { kid: oldSet.signing.kid, at: NOW - 100 * DAY, expected: 'ok', note: 'inside the window' },
    ],
  );
  await add('revoked-node', '§4.4, §4.7', 'status "revoked": it verifies; every key check fails with ERR_KEY_REVOKED, at any time.', await sign(describe({ status: 'revoked' })), [
    { kid: g1.signing.kid, at: NOW, expected: 'ERR_KEY_REVOKED', note: 'now' },
    { kid: g1.signing.kid, at: validUntil + DAY, expected: 'ERR_KEY_REVOKED', note: 'revocation is checked before the window' },
  ]);
  await add('suspended-node', '§4.4, §4.7', 'status "suspended": treated like a revoked node.', await sign(describe({ status: 'suspended' })), [
    { kid: g1.signing.kid, at: NOW, expected: 'ERR_KEY_REVOKED', note: 'now' },
  ]);
  await add(
    'revoked-key',
    '§4.4, §4.7',
    'Two generations; generation 1 keys revoked, generation 2 active.',
    await sign(describe({ sets: [g1, g2], serial: 2, revokedKids: [g1.signing.kid, g1.encryption.kid] })),
    [
      { kid: g1.signing.kid, at: NOW, expected: 'ERR_KEY_REVOKED', note: 'generation 1' },
      { kid: g2.signing.kid, at: NOW, expected: 'ok', note: 'generation 2' },
    ],
  );
}

/** §4.2 rules 1-5: the wrong signer, header, network, payload or keys. */
async function signatureCases({ anchor, other, g2, describe, sign, add }: DescriptorKit): Promise<void> {
  await add('wrong-anchor', '§4.2 rule 1', "Signed by another anchor key, with that key's kid.", await sign(describe(), other), []);
  await add(
    'anchor-kid-other-key',
    '§4.2 rule 2',
    "The pinned anchor's kid in the header, signed by another key.",
    await sign(describe(), other, { alg: 'EdDSA', kid: anchor.kid, typ: DESCRIPTOR_TYP }),
    [],
  );
  await add('wrong-typ', '§4.2 rule 1', 'typ "JWT".', await sign(describe(), anchor, { alg: 'EdDSA', kid: anchor.kid, typ: 'JWT' }), []);
  const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', kid: anchor.kid, typ: DESCRIPTOR_TYP })).toString('base64url')}.${Buffer.from(JSON.stringify(describe())).toString('base64url')}.`;
  await add('alg-none', '§4.2 rule 2', 'alg "none", no signature.', unsigned, []);
  await add('wrong-network', '§4.2 rule 4', 'networkId "enlace-other", signed by the pinned anchor.', await sign(describe({ networkId: 'enlace-other' })), []);
  await add('not-a-descriptor', '§4.2 rule 3', 'The payload is JSON without the descriptor members.', await sign({ v: 1, hello: 'world' }), []);
  const badKid = describe();
  badKid.keys = badKid.keys.map((k, i) => (i === 0 ? { ...k, kid: g2.signing.kid } : k));
  await add('kid-not-thumbprint', '§4.2 rule 5', "The signing key's kid is another key's thumbprint.", await sign(badKid), []);
  const badUse = describe();
  badUse.keys = badUse.keys.map((k) => (k.use === 'enc' ? { ...k, use: 'sig' as const } : k));
  await add('use-crv-mismatch', '§4.2 rule 5', 'An X25519 key listed with use "sig".', await sign(badUse), []);
}

/** The profile of §6 applies to descriptors (§4.2): one reading for every reader. */
async function strictParsingCases({ anchor, other, g1, describe, add }: DescriptorKit): Promise<void> {
  const byText = (header: string, payload: string) => signSegments(header, payload, anchor);
  const validHeader = JSON.stringify({ alg: 'EdDSA', kid: anchor.kid, typ: DESCRIPTOR_TYP });
  await add('by-text', '§4.2', 'The valid descriptor signed over hand-built segments (checks the helper the cases below use).', byText(validHeader, JSON.stringify(describe())), [
    { kid: g1.signing.kid, at: NOW, expected: 'ok', note: 'the signing key now' },
  ]);
  await add(
    'duplicate-alg',
    '§4.2, §6 strict parsing',
    'Header {"alg":"none","kid":…,"typ":…,"alg":"EdDSA"}, signed by the anchor: a last-wins reader sees EdDSA and accepts it; the profile refuses duplicate members.',
    byText(`{"alg":"none","kid":"${anchor.kid}","typ":"${DESCRIPTOR_TYP}","alg":"EdDSA"}`, JSON.stringify(describe())),
  );
  await add(
    'duplicate-kid-escaped',
    '§4.2, §6 strict parsing',
    'Header with "kid" twice, once written "\\u006bid" (the same name after unescaping), signed by the anchor.',
    byText(`{"alg":"EdDSA","kid":"${other.kid}","typ":"${DESCRIPTOR_TYP}","\\u006bid":"${anchor.kid}"}`, JSON.stringify(describe())),
  );
  const revokedThenActive = JSON.stringify(describe({ status: 'revoked' })).replace('"status":"revoked"', '"status":"revoked","status":"active"');
  await add(
    'payload-duplicate-status',
    '§4.2 rule 3, §6 strict parsing',
    'Payload with "status":"revoked","status":"active", signed by the anchor: a last-wins reader takes a revoked node for an active one.',
    byText(validHeader, revokedThenActive),
  );
  const good = byText(validHeader, JSON.stringify(describe()));
  await add(
    'signature-trailing-bits',
    '§4.2, §6 strict parsing',
    "The valid descriptor with the unused low bits of the signature segment's last character set: the same 64 bytes, a non-canonical text.",
    withTrailingBits(good),
  );
  await add('signature-padded', '§4.2, §6 strict parsing', 'The valid descriptor with "==" after the signature segment.', `${good}==`);
}

/** §4.3: one country, four descriptors in this order; the serial held after each. */
async function serialSequence({ pinned, g1, g2, describe, sign }: DescriptorKit): Promise<unknown[]> {
  const trust = new TrustStore(pinned);
  const steps: unknown[] = [];
  const s1 = await sign(describe({ serial: 1 }));
  const s2 = await sign(describe({ sets: [g1, g2], serial: 2, revokedKids: [g1.signing.kid, g1.encryption.kid] }));
  for (const [jws, note] of [
    [s1, 'serial 1: accepted'],
    [s2, 'serial 2 (revokes generation 1): replaces serial 1'],
    [s1, 'serial 1 again: older, rejected; the revocation stays'],
    [s2, 'serial 2 again: same serial, ignored'],
  ] as const) {
    const error = await trust.add(jws).then(
      () => undefined,
      (e: unknown) => (e as EnlaceError).code,
    );
    steps.push({ note, descriptor: jws, ...(error ? { error } : { accepted: true }), heldSerial: trust.descriptor('UY')!.serial });
  }

  return steps;
}

function descriptorFile({ anchor, other, cases }: DescriptorKit, steps: unknown[]): string {
  return (
    JSON.stringify(
      {
        description: 'Enlace node descriptor vectors, version 1 (docs/protocol.md §4). Generated by scripts/gen-vectors.ts (npm run vectors); do not edit.',
        warning: 'TEST ONLY. The anchor is the one of envelope-v1.json; its private key is public.',
        format: {
          case: 'pin `anchor` for `networkId` and verify `descriptor` (§4.2). valid=false: rejected with `error`. valid=true: accepted, then each `keyChecks` entry is KeyCheck("UY", kid, at) of §4.4 with result `expected`.',
          serialSequence:
            'verify the descriptors in order into one trust store (§4.3): each is accepted, or rejected with `error` (an equal serial is accepted without effect); `heldSerial` is the serial held after it.',
        },
        networkId: NETWORK_ID,
        now: NOW,
        anchor: publishedAnchor(anchor),
        otherAnchor: { ...publishedAnchor(other), note: 'not pinned: signs the wrong-anchor cases' },
        cases,
        serialSequence: { section: '§4.3', steps },
      },
      null,
      2,
    ) + '\n'
  );
}
