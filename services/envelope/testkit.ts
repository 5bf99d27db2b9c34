import { TrustStore, currentKeySet, describeNode, generateKeySetSecrets, keySetFromSecrets, pinAnchor, signDescriptor, signingKeyFromSeed, type Anchor, type NodeKeyring } from '../../keys/index.js';
import { randomBytes } from 'node:crypto';
import type { OpenContext } from './open.js';
import type { SealRecipient } from './seal.js';

/**
 * In-memory network for unit tests and benchmarks: an anchor, node keyrings and a
 * trust store per node, without key files (the CLI tests cover those).
 */
export interface TestNetwork {
  networkId: string;
  anchor: Anchor;
  rings: Map<string, NodeKeyring>;
  trust: TrustStore;
}

export async function testNetwork(countries: string[], now: number, networkId = 'enlace-test'): Promise<TestNetwork> {
  const anchor: Anchor = { networkId, key: await signingKeyFromSeed(new Uint8Array(randomBytes(32))) };
  const trust = new TrustStore(pinAnchor(networkId, anchor.key.jwk));
  const rings = new Map<string, NodeKeyring>();
  for (const country of countries) {
    const ring: NodeKeyring = { country, sets: [await keySetFromSecrets(generateKeySetSecrets(now - 1000))] };
    rings.set(country, ring);
    await trust.add(await signDescriptor(describeNode(networkId, ring, { now, validDays: 365, serial: 1 }), anchor));
  }
  return { networkId, anchor, rings, trust };
}

export function recipientOf(net: TestNetwork, country: string, address = country): SealRecipient {
  const set = currentKeySet(net.rings.get(country)!);
  return { address, keyId: set.encryption.kid, publicKey: set.encryption.publicKey };
}

export function signerOf(net: TestNetwork, country: string) {
  const set = currentKeySet(net.rings.get(country)!);
  return { kid: set.signing.kid, privateKey: set.signing.privateKey };
}

export function openContextOf(net: TestNetwork, country: string, now: number): OpenContext {
  const ring = net.rings.get(country)!;
  return {
    networkId: net.networkId,
    me: {
      country,
      encryptionKeys: new Map(ring.sets.map((s) => [s.encryption.kid, { publicKey: s.encryption.publicKey, secretKey: s.encryption.secretKey }])),
    },
    keys: net.trust,
    now,
  };
}
