/**
 * What the signed-record vectors share (scripts/vectors/registry.ts, stats.ts, descriptors.ts):
 * the states UY, AR and CL under the anchor of envelope-v1.json with their signed descriptors
 * and a trust store that holds them, and a JWS signed over hand-written segments, for the cases
 * of strict parsing that a JWS library refuses to produce.
 */
import { sign as edSign } from 'node:crypto';
import { describeNode, keySetFromSecrets, pinAnchor, signDescriptor, signingKeyFromSeed, TrustStore, type NodeKeySet, type SigningKey } from '../../keys/index.js';
import { DAY, NETWORK_ID, seed } from './envelope-kit.js';

export const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

/** A compact JWS whose `header` and `payload` are the exact texts signed. */
export function signSegments(header: string, payload: string, key: SigningKey): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${edSign(null, Buffer.from(input, 'ascii'), key.privateKey).toString('base64url')}`;
}

/**
 * `jws` with the unused low bits of its signature segment's last character flipped: the same
 * 64 signature bytes in a text that is not canonical base64url (§6 strict parsing).
 */
export function withTrailingBits(jws: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(jws.at(-1)!);
  return jws.slice(0, -1) + alphabet[(last & ~0b1111) | (~last & 0b1111)]!;
}

/** The states of the record vectors at time `now`; CL's generation 1 keys are revoked. */
export interface RecordWorld {
  anchor: SigningKey;
  UY: NodeKeySet;
  AR: NodeKeySet;
  CL1: NodeKeySet;
  CL2: NodeKeySet;
  descriptors: { UY: string; AR: string; CL: string };
  trust: TrustStore;
}

export async function recordWorld(now: number): Promise<RecordWorld> {
  const anchor = await signingKeyFromSeed(seed('anchor'));
  const set = (c: string, n: number, createdAt: number) => keySetFromSecrets({ createdAt, signingSeed: seed(`key ${c} ${n} signing`), encryptionSecret: seed(`key ${c} ${n} encryption`) });
  const UY = await set('UY', 1, now - 100 * DAY);
  const AR = await set('AR', 2, now - 30 * DAY);
  const CL1 = await set('CL', 1, now - 200 * DAY);
  const CL2 = await set('CL', 2, now - 20 * DAY);
  const signed = (country: string, sets: NodeKeySet[], revokedKids: string[] = []) =>
    signDescriptor(describeNode(NETWORK_ID, { country, sets }, { now: now - DAY, validDays: 365, serial: 1, revokedKids }), { networkId: NETWORK_ID, key: anchor });
  const descriptors = {
    UY: await signed('UY', [UY]),
    AR: await signed('AR', [AR]),
    CL: await signed('CL', [CL1, CL2], [CL1.signing.kid, CL1.encryption.kid]),
  };
  const trust = new TrustStore(pinAnchor(NETWORK_ID, anchor.jwk));
  for (const d of Object.values(descriptors)) await trust.add(d);
  return { anchor, UY, AR, CL1, CL2, descriptors, trust };
}

/** The anchor as a vector file publishes it. */
export const publishedAnchor = (anchor: SigningKey) => ({ kid: anchor.kid, publicJwk: { kty: 'OKP', crv: 'Ed25519', x: anchor.jwk.x } });
