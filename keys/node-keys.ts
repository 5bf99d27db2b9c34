import { z } from 'zod';
import { b64u, fromB64u } from './encoding.js';
import { EnlaceError } from './errors.js';
import { generateKeySetSecrets, keySetFromSecrets, type NodeKeySet } from './keyset.js';
import { decryptKeyFile, encryptKeyFile, readKeyFile, writeKeyFile, type KdfStrength } from './keystore.js';

/** All key generations a node holds, oldest first; the newest one signs. */
export interface NodeKeyring {
  country: string;
  sets: NodeKeySet[];
}

const secretsSchema = z.object({
  country: z.string(),
  sets: z.array(z.object({ createdAt: z.number(), signingSeed: z.string(), encryptionSecret: z.string() })).min(1),
});

export function currentKeySet(ring: NodeKeyring): NodeKeySet {
  return ring.sets[ring.sets.length - 1]!;
}

export function assertCountry(country: string, field = 'country'): string {
  if (!/^[A-Z]{2}$/.test(country)) {
    throw new EnlaceError('ERR_INVALID_ARGUMENT', `${field} must be an ISO 3166-1 alpha-2 code in capitals, like AR`);
  }
  return country;
}

function publicInfo(ring: NodeKeyring): Record<string, unknown> {
  return {
    country: ring.country,
    keys: ring.sets.map((s) => ({ createdAt: s.createdAt, signing: s.signing.jwk, encryption: s.encryption.jwk })),
  };
}

async function save(path: string, ring: NodeKeyring, passphrase: string, kdf?: KdfStrength): Promise<void> {
  const secrets = {
    country: ring.country,
    sets: ring.sets.map((s) => ({
      createdAt: s.createdAt,
      signingSeed: b64u(s.signing.seed),
      encryptionSecret: b64u(s.encryption.secretKey),
    })),
  };
  await writeKeyFile(path, await encryptKeyFile('node', secrets, publicInfo(ring), passphrase, kdf));
}

/**
 * Creates a node key file with one fresh key generation, encrypted under the passphrase.
 *
 * @example const ring = await createNodeKeys('.data/AR/keys/node.keys.json', 'AR', pass, Date.now());
 */
export async function createNodeKeys(path: string, country: string, passphrase: string, now: number, kdf?: KdfStrength): Promise<NodeKeyring> {
  assertCountry(country);
  const ring: NodeKeyring = { country, sets: [await keySetFromSecrets(generateKeySetSecrets(now))] };
  await save(path, ring, passphrase, kdf);
  return ring;
}

/** Adds a new key generation (rotation); the old one stays so that both verify during the overlap. */
export async function rotateNodeKeys(path: string, passphrase: string, now: number): Promise<NodeKeyring> {
  const ring = await loadNodeKeys(path, passphrase);
  ring.sets.push(await keySetFromSecrets(generateKeySetSecrets(now)));
  await save(path, ring, passphrase);
  return ring;
}

/**
 * Loads and decrypts a node key file.
 *
 * @example const ring = await loadNodeKeys(path, process.env.ENLACE_KEY_PASSPHRASE!);
 */
export async function loadNodeKeys(path: string, passphrase: string): Promise<NodeKeyring> {
  const file = await readKeyFile(path);
  if (file.kind !== 'node') throw new EnlaceError('ERR_KEYSTORE_FORMAT', `${path} holds ${file.kind} keys, not node keys`);
  const parsed = secretsSchema.safeParse(await decryptKeyFile(file, passphrase, path));
  if (!parsed.success) throw new EnlaceError('ERR_KEYSTORE_FORMAT', `${path} has unreadable key material`);
  const sets = await Promise.all(
    parsed.data.sets.map((s) =>
      keySetFromSecrets({
        createdAt: s.createdAt,
        signingSeed: fromB64u(s.signingSeed),
        encryptionSecret: fromB64u(s.encryptionSecret),
      }),
    ),
  );
  return { country: parsed.data.country, sets };
}
