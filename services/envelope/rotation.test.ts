import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  EnlaceError,
  EnvelopeRejectedError,
  describeNode,
  generateKeySetSecrets,
  keySetFromSecrets,
  signDescriptor,
  signingKeyFromSeed,
  type NodeKeySet,
  type NodeKeyring,
  type NodeStatus,
} from '../../keys/index.js';
import { open, seal } from './index.js';
import { openContextOf, recipientOf, testNetwork, type TestNetwork } from './testkit.js';

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const DAY = 86_400_000;
const body = new TextEncoder().encode('rotation');

let net: TestNetwork;
let ar: NodeKeyring;
let gen1: NodeKeySet;

beforeEach(async () => {
  net = await testNetwork(['AR', 'UY'], T0);
  ar = net.rings.get('AR')!;
  gen1 = ar.sets[0]!;
});

async function certify(opts: { serial: number; validDays: number; status?: NodeStatus; revokedKids?: string[] }): Promise<string> {
  const jws = await signDescriptor(describeNode(net.networkId, ar, { now: T0, ...opts }), net.anchor);
  await net.trust.add(jws);
  return jws;
}

async function rotate(at: number): Promise<NodeKeySet> {
  const set = await keySetFromSecrets(generateKeySetSecrets(at));
  ar.sets.push(set);
  return set;
}

/** Seals from AR to UY with the given key generation; opens at UY at `openAt`; returns the outcome. */
async function sendWith(set: NodeKeySet, sealAt: number, openAt: number, expiresAt = sealAt + 7 * DAY): Promise<string> {
  const { bytes } = await seal({
    networkId: net.networkId,
    from: 'AR',
    to: [recipientOf(net, 'UY')],
    kind: 'request',
    body,
    signer: { kid: set.signing.kid, privateKey: set.signing.privateKey },
    now: sealAt,
    expiresAt,
  });
  try {
    await open(bytes, openContextOf(net, 'UY', openAt));
    return 'accepted';
  } catch (e) {
    if (e instanceof EnvelopeRejectedError) return e.code;
    throw e;
  }
}

describe('key rotation', () => {
  it('accepts old and new keys during the overlap and only the new one after the old notAfter', async () => {
    // gen1 valid [T0-1s, T0+30d-1s), gen2 valid [T0+20d, T0+50d): the overlap is 10 days.
    const gen2 = await rotate(T0 + 20 * DAY);
    await certify({ serial: 2, validDays: 30 });

    expect(await sendWith(gen2, T0 + 10 * DAY, T0 + 10 * DAY)).toBe('ERR_KEY_NOT_VALID');
    expect(await sendWith(gen1, T0 + 25 * DAY, T0 + 25 * DAY)).toBe('accepted');
    expect(await sendWith(gen2, T0 + 25 * DAY, T0 + 25 * DAY)).toBe('accepted');

    expect(await sendWith(gen1, T0 + 31 * DAY, T0 + 31 * DAY)).toBe('ERR_KEY_NOT_VALID');
    expect(await sendWith(gen2, T0 + 31 * DAY, T0 + 31 * DAY)).toBe('accepted');
    // Sealed during the overlap but opened after the old key ended: the key must still be valid now.
    expect(await sendWith(gen1, T0 + 25 * DAY, T0 + 31 * DAY, T0 + 40 * DAY)).toBe('ERR_KEY_NOT_VALID');
  });

  it('offers both encryption keys during the overlap, newest first, and the node opens either', async () => {
    const gen2 = await rotate(T0 + 20 * DAY);
    await certify({ serial: 2, validDays: 30 });
    expect(net.trust.encryptionKeys('AR', T0 + 25 * DAY).map((k) => k.kid)).toEqual([gen2.encryption.kid, gen1.encryption.kid]);
    expect(net.trust.encryptionKeys('AR', T0 + 31 * DAY).map((k) => k.kid)).toEqual([gen2.encryption.kid]);

    const uy = net.rings.get('UY')!.sets[0]!;
    for (const target of [gen1, gen2]) {
      const { bytes } = await seal({
        networkId: net.networkId,
        from: 'UY',
        to: [{ address: 'AR', keyId: target.encryption.kid, publicKey: target.encryption.publicKey }],
        kind: 'request',
        body,
        signer: { kid: uy.signing.kid, privateKey: uy.signing.privateKey },
        now: T0 + 25 * DAY,
      });
      expect((await open(bytes, openContextOf(net, 'AR', T0 + 25 * DAY))).body).toEqual(body);
    }
  });
});

describe('revocation', () => {
  it('rejects a revoked key once a descriptor with a higher serial says so; an older serial never comes back', async () => {
    const gen2 = await rotate(T0 + DAY);
    const serial2 = await certify({ serial: 2, validDays: 365 });
    expect(await sendWith(gen1, T0 + 2 * DAY, T0 + 2 * DAY)).toBe('accepted');

    await certify({ serial: 3, validDays: 365, revokedKids: [gen1.signing.kid, gen1.encryption.kid] });
    expect(await sendWith(gen1, T0 + 2 * DAY, T0 + 2 * DAY)).toBe('ERR_KEY_REVOKED');
    expect(await sendWith(gen2, T0 + 2 * DAY, T0 + 2 * DAY)).toBe('accepted');
    expect(net.trust.encryptionKeys('AR', T0 + 2 * DAY).map((k) => k.kid)).toEqual([gen2.encryption.kid]);

    const older = await net.trust.add(serial2).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(older).toBeInstanceOf(EnlaceError);
    expect((older as EnlaceError).code).toBe('ERR_DESCRIPTOR_INVALID');
    expect(net.trust.descriptor('AR')?.serial).toBe(3);
    expect(await sendWith(gen1, T0 + 2 * DAY, T0 + 2 * DAY)).toBe('ERR_KEY_REVOKED');
  });

  it('rejects every key of a suspended or revoked node, and accepts again when re-activated', async () => {
    await certify({ serial: 2, validDays: 365, status: 'suspended' });
    expect(await sendWith(gen1, T0, T0)).toBe('ERR_KEY_REVOKED');
    expect(() => net.trust.encryptionKeys('AR', T0)).toThrow(EnlaceError);
    await certify({ serial: 3, validDays: 365 });
    expect(await sendWith(gen1, T0, T0)).toBe('accepted');
    await certify({ serial: 4, validDays: 365, status: 'revoked' });
    expect(await sendWith(gen1, T0, T0)).toBe('ERR_KEY_REVOKED');
  });

  it('ignores descriptors that do not chain to the pinned anchor', async () => {
    const impostor = { networkId: net.networkId, key: await signingKeyFromSeed(new Uint8Array(randomBytes(32))) };
    const forged = await signDescriptor(describeNode(net.networkId, ar, { now: T0, validDays: 365, serial: 9, status: 'revoked' }), impostor);
    await expect(net.trust.add(forged)).rejects.toMatchObject({ code: 'ERR_DESCRIPTOR_INVALID' });
    expect(net.trust.descriptor('AR')?.serial).toBe(1);
    expect(await sendWith(gen1, T0, T0)).toBe('accepted');
  });
});
