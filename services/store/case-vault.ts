import { randomBytes } from 'node:crypto';
import { access } from 'node:fs/promises';
import { z } from 'zod';
import { b64u, decryptKeyFile, EnlaceError, encryptKeyFile, fromB64u, getSodium, readKeyFile, writeKeyFile, type Sodium } from '../../keys/index.js';
import type { Db } from './db.js';

/** Loads the node's data key (created on first start, encrypted with the key passphrase). */
export async function loadOrCreateDataKey(path: string, passphrase: string): Promise<Uint8Array> {
  const exists = await access(path).then(
    () => true,
    () => false,
  );
  if (!exists) {
    const key = new Uint8Array(randomBytes(32));
    await writeKeyFile(path, await encryptKeyFile('data-key', { key: b64u(key) }, { purpose: 'wraps the per-case keys of victim data' }, passphrase));
    return key;
  }
  const file = await readKeyFile(path);
  if (file.kind !== 'data-key') throw new EnlaceError('ERR_KEYSTORE_FORMAT', `${path} is not a data key file`);
  const parsed = z.object({ key: z.string() }).safeParse(await decryptKeyFile(file, passphrase, path));
  if (!parsed.success) throw new EnlaceError('ERR_KEYSTORE_FORMAT', `${path} has unreadable key material`);
  return fromB64u(parsed.data.key);
}

/**
 * Per-case encryption at rest. Each request has its own random key, wrapped with the
 * node's data key; contents are XChaCha20-Poly1305 with the request id as associated
 * data. Destroying a case key makes that case's contents unreadable for good.
 *
 * A key is created in the transaction that first seals with it, so the ciphertext and
 * its key row commit or roll back together. The cache holds only committed rows: inside
 * a transaction a key is read from the database (which sees the transaction's own rows)
 * and never remembered, because a rollback, of the whole transaction or of one savepoint,
 * would leave a cached key whose row does not exist.
 */
export class CaseVault {
  readonly #db: Db;
  readonly #sodium: Sodium;
  readonly #dataKey: Uint8Array;
  /** request id → key, or null when destroyed; committed rows only. */
  readonly #cache = new Map<string, Uint8Array | null>();
  readonly #s;

  private constructor(db: Db, sodium: Sodium, dataKey: Uint8Array) {
    this.#db = db;
    this.#sodium = sodium;
    this.#dataKey = dataKey;
    this.#s = {
      get: db.prepare('SELECT wrapped, nonce FROM case_keys WHERE request_id = ?'),
      insert: db.prepare('INSERT INTO case_keys (request_id, wrapped, nonce, created_at) VALUES (?, ?, ?, ?)'),
      destroy: db.prepare('UPDATE case_keys SET wrapped = NULL, destroyed_at = ? WHERE request_id = ?'),
      insertDestroyed: db.prepare('INSERT INTO case_keys (request_id, wrapped, nonce, created_at, destroyed_at) VALUES (?, NULL, ?, ?, ?)'),
    };
  }

  static async create(db: Db, dataKey: Uint8Array): Promise<CaseVault> {
    return new CaseVault(db, await getSodium(), dataKey);
  }

  /** Remembers a key only when what the connection sees is committed (no transaction open). */
  #remember(requestId: string, key: Uint8Array | null): void {
    if (this.#db.inTransaction) return;
    if (this.#cache.size > 10_000) this.#cache.clear();
    this.#cache.set(requestId, key);
  }

  /** The case key, null when destroyed, undefined when the case has none (and `create` is false). */
  #key(requestId: string, create: boolean): Uint8Array | null | undefined {
    const cached = this.#cache.get(requestId);
    if (cached !== undefined) return cached;
    const row = this.#s.get.get(requestId) as { wrapped: Buffer | null; nonce: Buffer } | undefined;
    let key: Uint8Array | null;
    if (row) {
      key = row.wrapped ? this.#sodium.crypto_secretbox_open_easy(row.wrapped, row.nonce, this.#dataKey) : null;
    } else if (create) {
      key = new Uint8Array(randomBytes(32));
      const nonce = new Uint8Array(randomBytes(24));
      const wrapped = this.#sodium.crypto_secretbox_easy(key, nonce, this.#dataKey);
      this.#s.insert.run(requestId, Buffer.from(wrapped), Buffer.from(nonce), Date.now());
    } else {
      return undefined;
    }
    this.#remember(requestId, key);
    return key;
  }

  /** Encrypts under the case's key; undefined when the case was erased (nothing is kept). */
  seal(requestId: string, plain: Uint8Array): Uint8Array | undefined {
    if (plain.byteLength === 0) return plain;
    const key = this.#key(requestId, true);
    if (!key) return undefined;
    const nonce = new Uint8Array(randomBytes(24));
    const ct = this.#sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plain, new TextEncoder().encode(requestId), null, nonce, key);
    const out = new Uint8Array(24 + ct.byteLength);
    out.set(nonce, 0);
    out.set(ct, 24);
    return out;
  }

  /** The plaintext, or undefined when the case key was destroyed. */
  open(requestId: string, sealed: Uint8Array): Uint8Array | undefined {
    if (sealed.byteLength === 0) return this.isErased(requestId) ? undefined : sealed;
    const key = this.#key(requestId, false);
    if (!key) return undefined;
    return this.#sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, sealed.subarray(24), new TextEncoder().encode(requestId), sealed.subarray(0, 24), key);
  }

  /** Destroys the case key (recording the destruction even for a case that had no content). */
  destroy(requestId: string, at: number): void {
    this.#cache.delete(requestId);
    const updated = this.#s.destroy.run(at, requestId).changes;
    if (updated === 0) this.#s.insertDestroyed.run(requestId, Buffer.alloc(24), at, at);
    this.#remember(requestId, null);
  }

  isErased(requestId: string): boolean {
    return this.#key(requestId, false) === null;
  }
}
