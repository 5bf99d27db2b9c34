import { randomBytes } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { b64u, fromB64u } from './encoding.js';
import { EnlaceError } from './errors.js';
import { makePrivateDir, PRIVATE_FILE_MODE } from './file-modes.js';
import { deriveKey } from './kdf.js';
import { getSodium } from './sodium.js';

/**
 * Encrypted key files. Format (JSON, version 1):
 * `{ v: 1, kind, kdf: { alg: "argon2id13", opslimit, memlimit, salt }, nonce, ciphertext, public }`
 * where ciphertext = crypto_secretbox_easy(JSON of the secrets, nonce, key) and
 * key = crypto_pwhash(32, passphrase, salt, opslimit, memlimit, ALG_ARGON2ID13).
 * `public` is clear-text information (public JWKs) for `enlace keys show`.
 */
const keyFileSchema = z.object({
  v: z.literal(1),
  kind: z.enum(['node', 'anchor', 'api-issuer', 'data-key']),
  kdf: z.object({
    alg: z.literal('argon2id13'),
    opslimit: z.number().int().positive(),
    memlimit: z.number().int().positive(),
    salt: z.string(),
  }),
  nonce: z.string(),
  ciphertext: z.string(),
  public: z.record(z.string(), z.unknown()),
});

export type KeyFile = z.infer<typeof keyFileSchema>;

export interface KdfStrength {
  opslimit: number;
  memlimit: number;
}

/** argon2id "interactive" limits (2 passes, 64 MiB): a node restarts in well under a second. */
export const DEFAULT_KDF: KdfStrength = { opslimit: 2, memlimit: 64 * 1024 * 1024 };

/**
 * The strength of key files written from now on: DEFAULT_KDF, or `ENLACE_KEY_KDF=<opslimit>,<memlimit bytes>`
 * (a stronger setting for an operator's hardware; the test suite sets a weak one so that each
 * test's fresh network is quick to make). A file keeps the limits it was written with.
 */
export function newKeyFileKdf(env: NodeJS.ProcessEnv = process.env): KdfStrength {
  const raw = env.ENLACE_KEY_KDF;
  if (!raw) return DEFAULT_KDF;
  const m = /^(\d+),(\d+)$/.exec(raw.trim());
  const [opslimit, memlimit] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  if (opslimit < 1 || memlimit < 8192)
    throw new EnlaceError('ERR_CONFIG', `ENLACE_KEY_KDF must be "<opslimit>,<memlimit in bytes>" with opslimit at least 1 and memlimit at least 8192 (given "${raw}")`);
  return { opslimit, memlimit };
}

export async function encryptKeyFile(kind: KeyFile['kind'], secrets: unknown, publicInfo: Record<string, unknown>, passphrase: string, kdf: KdfStrength = newKeyFileKdf()): Promise<KeyFile> {
  if (passphrase.length < 8) throw new EnlaceError('ERR_CONFIG', 'the key passphrase must have at least 8 characters');
  const sodium = await getSodium();
  const salt = new Uint8Array(randomBytes(sodium.crypto_pwhash_SALTBYTES));
  const nonce = new Uint8Array(randomBytes(sodium.crypto_secretbox_NONCEBYTES));
  const key = await deriveKey(passphrase, salt, kdf.opslimit, kdf.memlimit);
  const plain = new TextEncoder().encode(JSON.stringify(secrets));
  const ciphertext = sodium.crypto_secretbox_easy(plain, nonce, key);
  sodium.memzero(key);
  return {
    v: 1,
    kind,
    kdf: { alg: 'argon2id13', opslimit: kdf.opslimit, memlimit: kdf.memlimit, salt: b64u(salt) },
    nonce: b64u(nonce),
    ciphertext: b64u(ciphertext),
    public: publicInfo,
  };
}

export function parseKeyFile(json: string, source: string): KeyFile {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    throw new EnlaceError('ERR_KEYSTORE_FORMAT', `${source} is not JSON; expected an Enlace key file`);
  }
  const parsed = keyFileSchema.safeParse(data);
  if (!parsed.success) throw new EnlaceError('ERR_KEYSTORE_FORMAT', `${source} is not an Enlace key file (version 1)`);
  return parsed.data;
}

/** Decrypts a key file; a wrong passphrase gives ERR_BAD_PASSPHRASE with a sentence saying so. */
export async function decryptKeyFile(file: KeyFile, passphrase: string, source = 'the key file'): Promise<unknown> {
  const sodium = await getSodium();
  const key = await deriveKey(passphrase, fromB64u(file.kdf.salt), file.kdf.opslimit, file.kdf.memlimit);
  let plain: Uint8Array;
  try {
    plain = sodium.crypto_secretbox_open_easy(fromB64u(file.ciphertext), fromB64u(file.nonce), key);
  } catch {
    throw new EnlaceError('ERR_BAD_PASSPHRASE', `the passphrase does not open ${source}: check ENLACE_KEY_PASSPHRASE or the passphrase file`);
  } finally {
    sodium.memzero(key);
  }
  return JSON.parse(new TextDecoder().decode(plain));
}

/** Writes a key file readable by its owner only (0600, in folders created 0700). */
export async function writeKeyFile(path: string, file: KeyFile): Promise<void> {
  makePrivateDir(dirname(path));
  await writeFile(path, JSON.stringify(file, null, 2) + '\n', { mode: PRIVATE_FILE_MODE });
  if (process.platform !== 'win32') await chmod(path, PRIVATE_FILE_MODE);
}

export async function readKeyFile(path: string): Promise<KeyFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new EnlaceError('ERR_CONFIG', `cannot read the key file ${path}`, { cause: e });
  }
  return parseKeyFile(text, path);
}
