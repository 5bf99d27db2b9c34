import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Receipt, receiptOutcomeToJSON } from '../generated/enlace/v1/envelope.js';
import { EnvelopeRejectedError, REJECTION_CODES, TrustStore, b64u, ed25519PrivateKeyObject, fromB64u, getSodium, pinAnchor, type OkpPublicJwk } from '../keys/index.js';
import { decodeOuter, open, readReceipt, seal, type OpenContext } from '../services/envelope/index.js';
import { VECTORS_PATH, buildVectors } from '../scripts/gen-vectors.js';

interface PrivateJwk {
  kty: 'OKP';
  crv: 'Ed25519' | 'X25519';
  x: string;
  d: string;
}

interface VectorCase {
  name: string;
  description: string;
  valid: boolean;
  error?: string;
  recipient: string;
  maxBytes?: number;
  envelope: string;
  expected?: {
    header: Record<string, unknown>;
    body: string;
    sha256: string;
    intermediate?: { headerBytes: string; jws: string; contentKey: string; ephemeralSecrets: string[] };
    receipt?: { envelopeId: string; envelopeSha256: string; receivedAt: number; outcome: string; reasonCode: string };
  };
}

interface VectorFile {
  networkId: string;
  now: number;
  defaultMaxBytes: number;
  anchor: { kid: string; publicJwk: OkpPublicJwk };
  nodes: Record<string, { generations: { signing: { kid: string; privateJwk: PrivateJwk }; encryption: { kid: string; privateJwk: PrivateJwk } }[] }>;
  descriptors: Record<string, string>;
  cases: VectorCase[];
}

// The committed file itself, never a copy: the spec and the code are tested against the same bytes.
const text = readFileSync(VECTORS_PATH, 'utf8');
const vectors = JSON.parse(text) as VectorFile;

const sha256 = (bytes: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(bytes).digest());

let trust: TrustStore;

beforeAll(async () => {
  const anchor = pinAnchor(vectors.networkId, vectors.anchor.publicJwk);
  expect(anchor.kid).toBe(vectors.anchor.kid);
  trust = new TrustStore(anchor);
  for (const jws of Object.values(vectors.descriptors)) await trust.add(jws);
});

async function contextFor(c: VectorCase): Promise<OpenContext> {
  const sodium = await getSodium();
  const node = vectors.nodes[c.recipient];
  if (!node) throw new Error(`no keys for ${c.recipient}`);
  const encryptionKeys = new Map(
    node.generations.map((g) => {
      const secretKey = fromB64u(g.encryption.privateJwk.d);
      const publicKey = fromB64u(g.encryption.privateJwk.x);
      expect(b64u(sodium.crypto_scalarmult_base(secretKey))).toBe(g.encryption.privateJwk.x);
      return [g.encryption.kid, { publicKey, secretKey }] as const;
    }),
  );
  return {
    networkId: vectors.networkId,
    me: { country: c.recipient, encryptionKeys },
    keys: trust,
    now: vectors.now,
    maxBytes: c.maxBytes ?? vectors.defaultMaxBytes,
  };
}

describe('envelope v1 test vectors (tests/vectors/envelope-v1.json)', () => {
  it('has what the issue asks for', () => {
    const valid = vectors.cases.filter((c) => c.valid);
    expect(valid.length).toBeGreaterThanOrEqual(5);
    expect(vectors.cases.filter((c) => !c.valid).length).toBeGreaterThanOrEqual(12);
    expect(valid.some((c) => (c.expected!.header.to as unknown[]).length === 2)).toBe(true);
    expect(valid.some((c) => c.expected!.receipt)).toBe(true);
    expect(new Set(vectors.cases.map((c) => c.name)).size).toBe(vectors.cases.length);
  });

  it('covers every rejection code except ERR_REPLAY, which the inbox detects', () => {
    const codes = new Set(vectors.cases.filter((c) => !c.valid).map((c) => c.error));
    const missing = REJECTION_CODES.filter((code) => code !== 'ERR_REPLAY' && !codes.has(code));
    expect(missing).toEqual([]);
    for (const code of codes) expect(REJECTION_CODES as readonly (string | undefined)[]).toContain(code);
  });

  it('keeps two-recipient envelopes openable by both recipients', () => {
    const byBytes = new Map<string, Set<string>>();
    for (const c of vectors.cases.filter((v) => v.valid)) {
      byBytes.set(c.envelope, (byBytes.get(c.envelope) ?? new Set()).add(c.recipient));
    }
    expect([...byBytes.values()].some((recipients) => recipients.size === 2)).toBe(true);
  });

  for (const c of vectors.cases) {
    if (c.valid) {
      it(`opens valid case ${c.name}`, async () => {
        const bytes = fromB64u(c.envelope);
        const opened = await open(bytes, await contextFor(c));
        const expected = c.expected!;
        // Vectors written before lane fields (§24) carry none: they open with lane_seq 0, unordered.
        expect({ ...opened.header, to: opened.header.to.map((r) => ({ ...r })) }).toEqual({ laneSeq: 0, laneEpoch: '', ...expected.header });
        expect(b64u(opened.body)).toBe(expected.body);
        expect(b64u(opened.sha256)).toBe(expected.sha256);
        if (expected.receipt) {
          const r = Receipt.decode(opened.body);
          expect({
            envelopeId: r.envelopeId,
            envelopeSha256: b64u(r.envelopeSha256),
            receivedAt: r.receivedAt,
            outcome: receiptOutcomeToJSON(r.outcome),
            reasonCode: r.reasonCode,
          }).toEqual(expected.receipt);
          expect(readReceipt(opened.body)?.envelopeId).toBe(expected.receipt.envelopeId);
          // The receipt names an envelope of another case, by id and by the SHA-256 of its exact bytes.
          const target = vectors.cases.find((v) => b64u(sha256(fromB64u(v.envelope))) === expected.receipt!.envelopeSha256);
          expect(target).toBeDefined();
          expect(decodeOuter(fromB64u(target!.envelope))?.header.id).toBe(expected.receipt.envelopeId);
        }
      });
    } else {
      it(`rejects invalid case ${c.name} with ${c.error}`, async () => {
        const err = await open(fromB64u(c.envelope), await contextFor(c)).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(EnvelopeRejectedError);
        expect((err as EnvelopeRejectedError).code).toBe(c.error);
      });
    }
  }

  it('seal reproduces every valid envelope from its intermediate values', async () => {
    const keys = Object.values(vectors.nodes).flatMap((n) => n.generations);
    for (const c of vectors.cases.filter((v) => v.valid)) {
      const h = c.expected!.header as {
        networkId: string;
        id: string;
        from: string;
        to: { address: string; keyId: string }[];
        kind: string;
        createdAt: number;
        expiresAt: number;
        senderKeyId: string;
      };
      const i = c.expected!.intermediate!;
      const signing = keys.find((g) => g.signing.kid === h.senderKeyId)!.signing;
      const sealed = await seal({
        networkId: h.networkId,
        id: h.id,
        from: h.from,
        to: h.to.map((r) => ({ ...r, publicKey: fromB64u(keys.find((g) => g.encryption.kid === r.keyId)!.encryption.privateJwk.x) })),
        kind: h.kind,
        body: fromB64u(c.expected!.body),
        signer: { kid: signing.kid, privateKey: ed25519PrivateKeyObject(fromB64u(signing.privateJwk.d), fromB64u(signing.privateJwk.x)) },
        now: h.createdAt,
        expiresAt: h.expiresAt,
        fixedRandom: { contentKey: fromB64u(i.contentKey), nonce: decodeOuter(fromB64u(c.envelope))!.envelope.nonce, ephemeral: i.ephemeralSecrets.map(fromB64u), idRandom: new Uint8Array(10) },
      });
      expect(b64u(sealed.headerBytes), c.name).toBe(i.headerBytes);
      expect(b64u(sealed.bytes), c.name).toBe(c.envelope);
    }
  });

  it('regenerates byte for byte', async () => {
    expect(await buildVectors()).toBe(text);
  });
});
