import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { b64u, fromB64u } from './encoding.js';

export type OkpCurve = 'Ed25519' | 'X25519';

export interface OkpPublicJwk {
  kty: 'OKP';
  crv: OkpCurve;
  x: string;
  kid?: string;
}

export function publicJwk(crv: OkpCurve, publicKey: Uint8Array): OkpPublicJwk {
  const jwk: OkpPublicJwk = { kty: 'OKP', crv, x: b64u(publicKey) };
  return { ...jwk, kid: thumbprint(jwk) };
}

/**
 * RFC 7638 JWK thumbprint (SHA-256, base64url) of an OKP key: the hash of
 * `{"crv":…,"kty":"OKP","x":…}` with members in that order and no whitespace.
 *
 * @example thumbprint({ kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' })
 *   // 'kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k'
 */
export function thumbprint(jwk: Pick<OkpPublicJwk, 'crv' | 'x'>): string {
  const canonical = `{"crv":"${jwk.crv}","kty":"OKP","x":"${jwk.x}"}`;
  return createHash('sha256').update(canonical).digest('base64url');
}

export function ed25519PrivateKeyObject(seed: Uint8Array, publicKey: Uint8Array): KeyObject {
  return createPrivateKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: b64u(publicKey), d: b64u(seed) },
    format: 'jwk',
  });
}

export function ed25519PublicKeyObject(publicKey: Uint8Array): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64u(publicKey) }, format: 'jwk' });
}

export function rawPublicKey(jwk: OkpPublicJwk): Uint8Array {
  const raw = fromB64u(jwk.x);
  if (raw.byteLength !== 32) throw new TypeError(`${jwk.crv} public key must be 32 bytes`);
  return raw;
}
