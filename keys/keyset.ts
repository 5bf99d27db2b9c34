import { randomBytes, type KeyObject } from 'node:crypto';
import { ed25519PrivateKeyObject, publicJwk, type OkpPublicJwk } from './jwk.js';
import { getSodium } from './sodium.js';

/** One generation of a node's keys: Ed25519 for signing, X25519 for encryption, never derived from each other. */
export interface NodeKeySet {
  createdAt: number;
  signing: { kid: string; publicKey: Uint8Array; seed: Uint8Array; privateKey: KeyObject; jwk: OkpPublicJwk };
  encryption: { kid: string; publicKey: Uint8Array; secretKey: Uint8Array; jwk: OkpPublicJwk };
}

/** The raw secret material of a key set, as stored (encrypted) in a key file. */
export interface KeySetSecrets {
  createdAt: number;
  signingSeed: Uint8Array;
  encryptionSecret: Uint8Array;
}

/**
 * Builds a key set from its secrets. Seeds come from node:crypto (libsodium-wrappers'
 * randombytes is slow on Node 20); the two keys are independent random values.
 *
 * @example const set = await keySetFromSecrets(generateKeySetSecrets(Date.now()));
 */
export async function keySetFromSecrets(secrets: KeySetSecrets): Promise<NodeKeySet> {
  const sodium = await getSodium();
  const sign = sodium.crypto_sign_seed_keypair(secrets.signingSeed);
  const encPublic = sodium.crypto_scalarmult_base(secrets.encryptionSecret);
  const signJwk = publicJwk('Ed25519', sign.publicKey);
  const encJwk = publicJwk('X25519', encPublic);
  return {
    createdAt: secrets.createdAt,
    signing: {
      kid: signJwk.kid!,
      publicKey: sign.publicKey,
      seed: secrets.signingSeed,
      privateKey: ed25519PrivateKeyObject(secrets.signingSeed, sign.publicKey),
      jwk: signJwk,
    },
    encryption: { kid: encJwk.kid!, publicKey: encPublic, secretKey: secrets.encryptionSecret, jwk: encJwk },
  };
}

export function generateKeySetSecrets(createdAt: number): KeySetSecrets {
  return {
    createdAt,
    signingSeed: new Uint8Array(randomBytes(32)),
    encryptionSecret: new Uint8Array(randomBytes(32)),
  };
}

/** An Ed25519 signing key pair alone (the network trust anchor). */
export interface SigningKey {
  kid: string;
  publicKey: Uint8Array;
  seed: Uint8Array;
  privateKey: KeyObject;
  jwk: OkpPublicJwk;
}

export async function signingKeyFromSeed(seed: Uint8Array): Promise<SigningKey> {
  const sodium = await getSodium();
  const pair = sodium.crypto_sign_seed_keypair(seed);
  const jwk = publicJwk('Ed25519', pair.publicKey);
  return { kid: jwk.kid!, publicKey: pair.publicKey, seed, privateKey: ed25519PrivateKeyObject(seed, pair.publicKey), jwk };
}
