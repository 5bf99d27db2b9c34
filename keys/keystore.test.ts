import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { b64u } from './encoding.js';
import type { EnlaceError } from './errors.js';
import { DEFAULT_KDF, decryptKeyFile, encryptKeyFile, newKeyFileKdf, parseKeyFile, readKeyFile, writeKeyFile, type KdfStrength } from './keystore.js';
import { createNodeKeys, loadNodeKeys, rotateNodeKeys } from './node-keys.js';

/** Real argon2id, with small limits so the suite stays fast; production uses DEFAULT_KDF. */
const FAST_KDF: KdfStrength = { opslimit: 1, memlimit: 1024 * 1024 };
const PASS = 'correct horse battery staple';
const secrets = { seed: 'c2VjcmV0LXNlZWQtYnl0ZXM', list: [1, 2, 3] };

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    return (e as EnlaceError).code;
  }
  return undefined;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'enlace-keystore-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('key files', () => {
  it('round-trips secrets through encrypt, write, read and decrypt', async () => {
    const file = await encryptKeyFile('node', secrets, { country: 'AR' }, PASS, FAST_KDF);
    expect(file.kdf).toMatchObject({ alg: 'argon2id13', opslimit: 1, memlimit: 1024 * 1024 });
    const path = join(dir, 'round-trip.keys.json');
    await writeKeyFile(path, file);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const text = await readFile(path, 'utf8');
    expect(text).not.toContain(secrets.seed);
    expect(await decryptKeyFile(await readKeyFile(path), PASS)).toEqual(secrets);
  });

  it('uses a fresh salt and nonce for every file', async () => {
    const a = await encryptKeyFile('node', secrets, {}, PASS, FAST_KDF);
    const b = await encryptKeyFile('node', secrets, {}, PASS, FAST_KDF);
    expect(a.kdf.salt).not.toBe(b.kdf.salt);
    expect(a.nonce).not.toBe(b.nonce);
    expect(a.ciphertext).not.toBe(b.ciphertext);
  });

  it('rejects a wrong passphrase with ERR_BAD_PASSPHRASE and a sentence that says so', async () => {
    const file = await encryptKeyFile('anchor', secrets, {}, PASS, FAST_KDF);
    await expect(decryptKeyFile(file, 'not the passphrase', 'anchor.key.json')).rejects.toMatchObject({
      code: 'ERR_BAD_PASSPHRASE',
      message: expect.stringContaining('passphrase does not open anchor.key.json'),
    });
  });

  it('rejects a tampered ciphertext, nonce, salt or KDF limit', async () => {
    const file = await encryptKeyFile('node', secrets, {}, PASS, FAST_KDF);
    const flip = (text: string) => {
      const bytes = Buffer.from(text, 'base64url');
      bytes[bytes.length >> 1]! ^= 0x01;
      return b64u(bytes);
    };
    for (const tampered of [
      { ...file, ciphertext: flip(file.ciphertext) },
      { ...file, nonce: flip(file.nonce) },
      { ...file, kdf: { ...file.kdf, salt: flip(file.kdf.salt) } },
      { ...file, kdf: { ...file.kdf, opslimit: 2 } },
    ]) {
      expect(await codeOf(decryptKeyFile(tampered, PASS))).toBe('ERR_BAD_PASSPHRASE');
    }
  });

  it('refuses files that are not Enlace key files', async () => {
    expect(() => parseKeyFile('{not json', 'x.json')).toThrow(expect.objectContaining({ code: 'ERR_KEYSTORE_FORMAT' }));
    const file = await encryptKeyFile('node', secrets, {}, PASS, FAST_KDF);
    for (const broken of [{ ...file, v: 2 }, { ...file, kind: 'other' }, { ...file, kdf: { ...file.kdf, alg: 'scrypt' } }, { v: 1 }]) {
      expect(() => parseKeyFile(JSON.stringify(broken), 'x.json')).toThrow(expect.objectContaining({ code: 'ERR_KEYSTORE_FORMAT' }));
    }
    const path = join(dir, 'garbage.json');
    await writeFile(path, 'garbage');
    expect(await codeOf(readKeyFile(path))).toBe('ERR_KEYSTORE_FORMAT');
    expect(await codeOf(readKeyFile(join(dir, 'missing.json')))).toBe('ERR_CONFIG');
  });

  it('refuses a passphrase shorter than 8 characters', async () => {
    expect(await codeOf(encryptKeyFile('node', secrets, {}, 'short', FAST_KDF))).toBe('ERR_CONFIG');
    expect(await codeOf(encryptKeyFile('node', secrets, {}, '1234567', FAST_KDF))).toBe('ERR_CONFIG');
    expect(await codeOf(encryptKeyFile('node', secrets, {}, '12345678', FAST_KDF))).toBeUndefined();
  });
});

describe('node key files', () => {
  it('creates, loads and rotates a keyring; the public section holds no secret', async () => {
    const path = join(dir, 'AR.keys.json');
    const created = await createNodeKeys(path, 'AR', PASS, 1_000, FAST_KDF);
    const loaded = await loadNodeKeys(path, PASS);
    expect(loaded.country).toBe('AR');
    expect(loaded.sets.map((s) => [s.signing.kid, s.encryption.kid])).toEqual(created.sets.map((s) => [s.signing.kid, s.encryption.kid]));
    const set = loaded.sets[0]!;
    expect(set.signing.kid).not.toBe(set.encryption.kid);
    const text = await readFile(path, 'utf8');
    for (const secret of [set.signing.seed, set.encryption.secretKey]) {
      expect(text).not.toContain(b64u(secret));
      expect(text).not.toContain(Buffer.from(secret).toString('base64'));
    }

    const rotated = await rotateNodeKeys(path, PASS, 2_000);
    expect(rotated.sets).toHaveLength(2);
    const reloaded = await loadNodeKeys(path, PASS);
    expect(reloaded.sets.map((s) => s.createdAt)).toEqual([1_000, 2_000]);
    expect(reloaded.sets[0]!.signing.kid).toBe(set.signing.kid);
    expect(reloaded.sets[1]!.signing.kid).not.toBe(set.signing.kid);
    expect(await codeOf(loadNodeKeys(path, 'wrong passphrase'))).toBe('ERR_BAD_PASSPHRASE');
  });

  it('refuses a country that is not an alpha-2 code', async () => {
    expect(await codeOf(createNodeKeys(join(dir, 'x.keys.json'), 'arg', PASS, 1, FAST_KDF))).toBe('ERR_INVALID_ARGUMENT');
  });
});

describe('the strength of new key files (ENLACE_KEY_KDF)', () => {
  it('is the default without the variable, the given limits with it, and refuses a malformed or too weak setting', async () => {
    expect(newKeyFileKdf({})).toEqual(DEFAULT_KDF);
    expect(newKeyFileKdf({ ENLACE_KEY_KDF: '3,268435456' })).toEqual({ opslimit: 3, memlimit: 268435456 });
    for (const bad of ['3', '0,1048576', '2,4096', '2,64MiB', 'fast']) expect(() => newKeyFileKdf({ ENLACE_KEY_KDF: bad }), bad).toThrow(/ENLACE_KEY_KDF/);
    // A file records the limits it was written with, and opens with them whatever the setting is now.
    const file = await encryptKeyFile('node', secrets, {}, PASS, { opslimit: 1, memlimit: 8192 });
    expect(file.kdf).toMatchObject({ opslimit: 1, memlimit: 8192 });
    expect(await decryptKeyFile(file, PASS)).toEqual(secrets);
  });
});
