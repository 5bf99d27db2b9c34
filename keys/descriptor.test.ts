import { randomBytes } from 'node:crypto';
import { CompactSign } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { pinAnchor, type Anchor } from './anchor.js';
import { describeNode, DESCRIPTOR_TYP, signDescriptor, verifyDescriptor, type NodeDescriptor } from './descriptor.js';
import { b64u, fromB64u } from './encoding.js';
import type { EnlaceError } from './errors.js';
import { generateKeySetSecrets, keySetFromSecrets, signingKeyFromSeed } from './keyset.js';
import type { NodeKeyring } from './node-keys.js';
import { TrustStore } from './trust.js';

const NET = 'enlace-test';
const DAY = 86_400_000;
const T0 = 1_800_000_000_000;

let anchor: Anchor;
let ring: NodeKeyring;

async function newAnchor(networkId = NET): Promise<Anchor> {
  return { networkId, key: await signingKeyFromSeed(new Uint8Array(randomBytes(32))) };
}

async function newRing(country: string, ...createdAt: number[]): Promise<NodeKeyring> {
  return { country, sets: await Promise.all(createdAt.map((t) => keySetFromSecrets(generateKeySetSecrets(t)))) };
}

const pinned = (a: Anchor) => pinAnchor(a.networkId, a.key.jwk);
const certified = (r: NodeKeyring, opts: Partial<Parameters<typeof describeNode>[2]> = {}) => signDescriptor(describeNode(NET, r, { now: T0, validDays: 365, serial: 1, ...opts }), anchor);

/** Signs arbitrary descriptor content with the anchor, bypassing describeNode. */
function signRaw(content: unknown, header: Record<string, unknown> = { alg: 'EdDSA', kid: anchor.key.kid, typ: DESCRIPTOR_TYP }) {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(content))).setProtectedHeader(header as { alg: string }).sign(anchor.key.privateKey);
}

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return (e as EnlaceError).code;
  }
  return undefined;
}

async function rejection(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    return (e as EnlaceError).code;
  }
  return undefined;
}

beforeAll(async () => {
  anchor = await newAnchor();
  ring = await newRing('AR', T0);
});

describe('verifyDescriptor', () => {
  it('accepts a descriptor signed by the pinned anchor and returns its content', async () => {
    const descriptor = describeNode(NET, ring, { now: T0, validDays: 30, serial: 7 });
    const verified = await verifyDescriptor(await signDescriptor(descriptor, anchor), pinned(anchor));
    expect(verified).toEqual(descriptor);
    expect(verified.keys.map((k) => k.use)).toEqual(['sig', 'enc']);
    expect(verified.validUntil).toBe(T0 + 30 * DAY);
  });

  it('rejects a descriptor signed by another anchor', async () => {
    const other = await newAnchor();
    const jws = await signDescriptor(describeNode(NET, ring, { now: T0, validDays: 365, serial: 1 }), other);
    expect(await rejection(verifyDescriptor(jws, pinned(anchor)))).toBe('ERR_DESCRIPTOR_INVALID');
    // Same kid in the header, other key underneath: the signature check catches it.
    const forged = await signRaw(describeNode(NET, ring, { now: T0, validDays: 365, serial: 1 }));
    const [h, p] = forged.split('.');
    const otherSig = (await signDescriptor(describeNode(NET, ring, { now: T0, validDays: 365, serial: 1 }), other)).split('.')[2];
    expect(await rejection(verifyDescriptor(`${h}.${p}.${otherSig}`, pinned(anchor)))).toBe('ERR_DESCRIPTOR_INVALID');
  });

  it('rejects a tampered payload or signature', async () => {
    const jws = await certified(ring);
    const [h, p, s] = jws.split('.') as [string, string, string];
    const content = JSON.parse(new TextDecoder().decode(fromB64u(p))) as NodeDescriptor;
    const swapped = b64u(new TextEncoder().encode(JSON.stringify({ ...content, status: 'active', country: 'UY' })));
    expect(await rejection(verifyDescriptor(`${h}.${swapped}.${s}`, pinned(anchor)))).toBe('ERR_DESCRIPTOR_INVALID');
    const sig = fromB64u(s);
    sig[0]! ^= 1;
    expect(await rejection(verifyDescriptor(`${h}.${p}.${b64u(sig)}`, pinned(anchor)))).toBe('ERR_DESCRIPTOR_INVALID');
    expect(await rejection(verifyDescriptor('not a jws', pinned(anchor)))).toBe('ERR_DESCRIPTOR_INVALID');
  });

  it('rejects a descriptor for another network, even from the same anchor key', async () => {
    const sameKeyOtherNetwork: Anchor = { networkId: 'enlace-other', key: anchor.key };
    const jws = await signDescriptor(describeNode('enlace-other', ring, { now: T0, validDays: 365, serial: 1 }), sameKeyOtherNetwork);
    expect(await rejection(verifyDescriptor(jws, pinned(anchor)))).toBe('ERR_DESCRIPTOR_INVALID');
    expect(await rejection(signDescriptor(describeNode('enlace-other', ring, { now: T0, validDays: 365, serial: 1 }), anchor))).toBe('ERR_DESCRIPTOR_INVALID');
  });

  it('rejects keys whose kid is not their thumbprint, or whose curve does not fit their use', async () => {
    const good = describeNode(NET, ring, { now: T0, validDays: 365, serial: 1 });
    const [sig, enc] = good.keys as [NodeDescriptor['keys'][number], NodeDescriptor['keys'][number]];
    const wrongKid = { ...good, keys: [{ ...sig, kid: enc.kid }, enc] };
    const swappedUse = {
      ...good,
      keys: [
        { ...sig, use: 'enc' },
        { ...enc, use: 'sig' },
      ],
    };
    for (const bad of [wrongKid, swappedUse]) {
      expect(await rejection(verifyDescriptor(await signRaw(bad), pinned(anchor)))).toBe('ERR_DESCRIPTOR_INVALID');
    }
  });

  it('rejects a wrong typ, alg none and alg HS256', async () => {
    const content = describeNode(NET, ring, { now: T0, validDays: 365, serial: 1 });
    const wrongTyp = await signRaw(content, { alg: 'EdDSA', kid: anchor.key.kid, typ: 'JWT' });
    const body = b64u(new TextEncoder().encode(JSON.stringify(content)));
    const head = (alg: string) => b64u(new TextEncoder().encode(JSON.stringify({ alg, kid: anchor.key.kid, typ: DESCRIPTOR_TYP })));
    for (const jws of [wrongTyp, `${head('none')}.${body}.`, `${head('HS256')}.${body}.${b64u(new Uint8Array(32))}`]) {
      expect(await rejection(verifyDescriptor(jws, pinned(anchor)))).toBe('ERR_DESCRIPTOR_INVALID');
    }
  });

  it('rejects content outside the schema', async () => {
    const good = describeNode(NET, ring, { now: T0, validDays: 365, serial: 1 });
    for (const bad of [
      { ...good, v: 2 },
      { ...good, country: 'ar' },
      { ...good, status: 'unknown' },
      { ...good, keys: [good.keys[0]] },
    ]) {
      expect(await rejection(verifyDescriptor(await signRaw(bad), pinned(anchor)))).toBe('ERR_DESCRIPTOR_INVALID');
    }
  });
});

describe('TrustStore', () => {
  it('never lets an older serial replace a newer one', async () => {
    const trust = new TrustStore(pinned(anchor));
    const rotated = await newRing('AR', T0);
    await trust.add(await certified(ring, { serial: 5 }));
    expect(await rejection(trust.add(await certified(rotated, { serial: 4 })))).toBe('ERR_DESCRIPTOR_INVALID');
    expect(trust.descriptor('AR')!.serial).toBe(5);
    // The same serial again changes nothing, even with other content.
    await trust.add(await certified(rotated, { serial: 5 }));
    expect(trust.descriptor('AR')!.keys[0]!.kid).toBe(ring.sets[0]!.signing.kid);
    await trust.add(await certified(rotated, { serial: 6 }));
    expect(trust.descriptor('AR')!.keys[0]!.kid).toBe(rotated.sets[0]!.signing.kid);
    expect(trust.countries()).toEqual(['AR']);
  });

  it('refuses descriptors that do not chain to the anchor', async () => {
    const trust = new TrustStore(pinned(anchor));
    const other = await newAnchor();
    expect(await rejection(trust.add(await signDescriptor(describeNode(NET, ring, { now: T0, validDays: 1, serial: 1 }), other)))).toBe('ERR_DESCRIPTOR_INVALID');
    expect(trust.countries()).toEqual([]);
  });

  it('rejects every key of a suspended or revoked node', async () => {
    const kid = ring.sets[0]!.signing.kid;
    for (const status of ['suspended', 'revoked'] as const) {
      const trust = new TrustStore(pinned(anchor));
      await trust.add(await certified(ring, { status }));
      expect(codeOf(() => trust.verificationKey('AR', kid, T0 + 1))).toBe('ERR_KEY_REVOKED');
      expect(codeOf(() => trust.encryptionKeys('AR', T0 + 1))).toBe('ERR_UNKNOWN_NODE');
    }
  });

  it('rejects a revoked key while the other generation still works (rotation)', async () => {
    const both = await newRing('AR', T0, T0 + 10 * DAY);
    const [old, next] = both.sets as [(typeof both.sets)[0], (typeof both.sets)[0]];
    const trust = new TrustStore(pinned(anchor));
    await trust.add(await certified(both, { now: T0 + 10 * DAY }));
    const overlap = T0 + 20 * DAY;
    expect(trust.verificationKey('AR', old.signing.kid, overlap).asymmetricKeyType).toBe('ed25519');
    expect(trust.verificationKey('AR', next.signing.kid, overlap).asymmetricKeyType).toBe('ed25519');
    expect(trust.encryptionKeys('AR', overlap).map((k) => k.kid)).toEqual([next.encryption.kid, old.encryption.kid]);

    await trust.add(await certified(both, { now: T0 + 11 * DAY, serial: 2, revokedKids: [old.signing.kid, old.encryption.kid] }));
    expect(codeOf(() => trust.verificationKey('AR', old.signing.kid, overlap))).toBe('ERR_KEY_REVOKED');
    expect(trust.verificationKey('AR', next.signing.kid, overlap).asymmetricKeyType).toBe('ed25519');
    expect(trust.encryptionKeys('AR', overlap).map((k) => k.kid)).toEqual([next.encryption.kid]);
  });

  it('accepts a key only inside its validity window', async () => {
    const trust = new TrustStore(pinned(anchor));
    await trust.add(await certified(ring, { validDays: 30 }));
    const kid = ring.sets[0]!.signing.kid;
    expect(codeOf(() => trust.verificationKey('AR', kid, T0 - 1))).toBe('ERR_KEY_NOT_VALID');
    expect(codeOf(() => trust.verificationKey('AR', kid, T0))).toBeUndefined();
    expect(codeOf(() => trust.verificationKey('AR', kid, T0 + 30 * DAY - 1))).toBeUndefined();
    expect(codeOf(() => trust.verificationKey('AR', kid, T0 + 30 * DAY))).toBe('ERR_KEY_NOT_VALID');
    expect(codeOf(() => trust.encryptionKeys('AR', T0 + 31 * DAY))).toBe('ERR_UNKNOWN_NODE');
  });

  it('knows no key it was not given, and never an encryption key as a signing key', async () => {
    const trust = new TrustStore(pinned(anchor));
    await trust.add(await certified(ring));
    expect(codeOf(() => trust.verificationKey('AR', 'no-such-kid', T0 + 1))).toBe('ERR_UNKNOWN_KEY');
    expect(codeOf(() => trust.verificationKey('AR', ring.sets[0]!.encryption.kid, T0 + 1))).toBe('ERR_UNKNOWN_KEY');
    expect(codeOf(() => trust.verificationKey('UY', ring.sets[0]!.signing.kid, T0 + 1))).toBe('ERR_UNKNOWN_KEY');
    expect(codeOf(() => trust.encryptionKeys('UY', T0 + 1))).toBe('ERR_UNKNOWN_NODE');
  });
});
