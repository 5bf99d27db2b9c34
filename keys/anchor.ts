import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { b64u, fromB64u } from './encoding.js';
import { EnlaceError } from './errors.js';
import { ed25519PublicKeyObject, rawPublicKey, thumbprint, type OkpPublicJwk } from './jwk.js';
import { signingKeyFromSeed, type SigningKey } from './keyset.js';
import { decryptKeyFile, encryptKeyFile, readKeyFile, writeKeyFile, type KdfStrength } from './keystore.js';
import type { KeyObject } from 'node:crypto';

/** The network trust anchor: an Ed25519 key that certifies node descriptors. */
export interface Anchor {
  networkId: string;
  key: SigningKey;
}

/** What every node pins: the anchor's public key and the network it speaks for. */
export interface PinnedAnchor {
  networkId: string;
  kid: string;
  jwk: OkpPublicJwk;
  publicKey: KeyObject;
}

const pinnedSchema = z.object({
  v: z.literal(1),
  networkId: z.string().min(1),
  jwk: z.object({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: z.string(), kid: z.string().optional() }),
});

export function assertNetworkId(networkId: string): string {
  if (!/^[a-z0-9][a-z0-9.-]{0,62}$/.test(networkId)) {
    throw new EnlaceError('ERR_INVALID_ARGUMENT', 'networkId must be 1-63 lower-case letters, digits, dots or hyphens');
  }
  return networkId;
}

export function pinAnchor(networkId: string, jwk: OkpPublicJwk): PinnedAnchor {
  const kid = thumbprint(jwk);
  return { networkId, kid, jwk: { ...jwk, kid }, publicKey: ed25519PublicKeyObject(rawPublicKey(jwk)) };
}

export async function createAnchor(path: string, networkId: string, passphrase: string, kdf?: KdfStrength): Promise<Anchor> {
  assertNetworkId(networkId);
  const key = await signingKeyFromSeed(new Uint8Array(randomBytes(32)));
  const file = await encryptKeyFile('anchor', { networkId, seed: b64u(key.seed) }, { networkId, jwk: key.jwk }, passphrase, kdf);
  await writeKeyFile(path, file);
  return { networkId, key };
}

export async function loadAnchor(path: string, passphrase: string): Promise<Anchor> {
  const file = await readKeyFile(path);
  if (file.kind !== 'anchor') throw new EnlaceError('ERR_KEYSTORE_FORMAT', `${path} holds ${file.kind} keys, not an anchor`);
  const secrets = z.object({ networkId: z.string(), seed: z.string() }).safeParse(await decryptKeyFile(file, passphrase, path));
  if (!secrets.success) throw new EnlaceError('ERR_KEYSTORE_FORMAT', `${path} has unreadable anchor material`);
  return { networkId: secrets.data.networkId, key: await signingKeyFromSeed(fromB64u(secrets.data.seed)) };
}

/** Writes the public anchor file that nodes pin (`anchor.pub.json`). */
export async function writePinnedAnchor(path: string, anchor: Anchor): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const body = { v: 1, networkId: anchor.networkId, jwk: anchor.key.jwk };
  await writeFile(path, JSON.stringify(body, null, 2) + '\n');
}

export async function readPinnedAnchor(path: string): Promise<PinnedAnchor> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new EnlaceError('ERR_CONFIG', `cannot read the pinned anchor ${path}`, { cause: e });
  }
  const parsed = pinnedSchema.safeParse(data);
  if (!parsed.success) throw new EnlaceError('ERR_CONFIG', `${path} is not an anchor public key file`);
  return pinAnchor(parsed.data.networkId, parsed.data.jwk);
}
