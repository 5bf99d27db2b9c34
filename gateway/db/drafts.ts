import { hkdfSync, randomUUID } from 'node:crypto';
import { getSodium, type Sodium } from '../../keys/index.js';
import { UUID } from '../../services/vocabulary.js';
import type { GatewayDb } from './open.js';

/**
 * Requests being written, saved as the person types (issue 17: nothing typed is lost). A
 * draft is case content: its values are sealed (XChaCha20-Poly1305, a key derived from the
 * gateway's secret key, the author and the draft id as associated data) and only its author
 * reads it. The type and destination stay in clear, for the list of drafts.
 */

export type DraftValues = Record<string, string | string[]>;

export interface DraftSummary {
  id: string;
  kind: string;
  toCountry: string;
  updatedAt: number;
}

type Row = { id: string; user_id: number; kind: string; to_country: string; nonce: Buffer; sealed: Buffer; updated_at: number };

const MAX_DRAFT_BYTES = 256 * 1024;

export class Drafts {
  readonly #db: GatewayDb;
  readonly #key: Uint8Array;
  readonly #sodium: Sodium;

  private constructor(db: GatewayDb, key: Uint8Array, sodium: Sodium) {
    this.#db = db;
    this.#key = key;
    this.#sodium = sodium;
  }

  /** `secret`: the gateway's own secret key; the drafts key is derived from it and never stored. */
  static async create(db: GatewayDb, secret: Uint8Array): Promise<Drafts> {
    const key = new Uint8Array(hkdfSync('sha256', secret, 'enlace-gateway', 'drafts v1', 32));
    return new Drafts(db, key, await getSodium());
  }

  static isId(id: unknown): id is string {
    return typeof id === 'string' && UUID.test(id);
  }

  #ad(userId: number, id: string): Uint8Array {
    return new TextEncoder().encode(`draft:${userId}:${id}`);
  }

  /** Saves (or replaces) a draft of `userId`; a draft id that is someone else's starts a new draft. */
  save(userId: number, id: string | undefined, values: DraftValues, now: number): { id: string; updatedAt: number } {
    const owned = id && Drafts.isId(id) && this.#row(userId, id) ? id : undefined;
    const draftId = owned ?? (id && Drafts.isId(id) && !this.#exists(id) ? id : randomUUID());
    const plain = new TextEncoder().encode(JSON.stringify(values));
    if (plain.byteLength > MAX_DRAFT_BYTES) throw new RangeError('draft too large');
    const s = this.#sodium;
    const nonce = s.randombytes_buf(s.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    const sealed = s.crypto_aead_xchacha20poly1305_ietf_encrypt(plain, this.#ad(userId, draftId), null, nonce, this.#key);
    const text = (k: string): string => (typeof values[k] === 'string' ? values[k].slice(0, 40) : '');
    this.#db
      .prepare(
        `INSERT INTO drafts (id, user_id, kind, to_country, nonce, sealed, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, to_country = excluded.to_country, nonce = excluded.nonce, sealed = excluded.sealed, updated_at = excluded.updated_at
        WHERE drafts.user_id = excluded.user_id`,
      )
      .run(draftId, userId, text('kind'), text('toCountry'), Buffer.from(nonce), Buffer.from(sealed), now, now);
    return { id: draftId, updatedAt: now };
  }

  /** The values of one of `userId`'s drafts; undefined for a draft that is not theirs (or gone). */
  get(userId: number, id: string): DraftValues | undefined {
    const r = this.#row(userId, id);
    if (!r) return undefined;
    const plain = this.#sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, new Uint8Array(r.sealed), this.#ad(userId, id), new Uint8Array(r.nonce), this.#key);
    return JSON.parse(new TextDecoder().decode(plain)) as DraftValues;
  }

  list(userId: number): DraftSummary[] {
    const rows = this.#db.prepare('SELECT id, kind, to_country, updated_at FROM drafts WHERE user_id = ? ORDER BY updated_at DESC LIMIT 200').all(userId) as Row[];
    return rows.map((r) => ({ id: r.id, kind: r.kind, toCountry: r.to_country, updatedAt: r.updated_at }));
  }

  delete(userId: number, id: string): boolean {
    return this.#db.prepare('DELETE FROM drafts WHERE id = ? AND user_id = ?').run(id, userId).changes > 0;
  }

  #row(userId: number, id: string): Row | undefined {
    if (!Drafts.isId(id)) return undefined;
    return this.#db.prepare('SELECT * FROM drafts WHERE id = ? AND user_id = ?').get(id, userId) as Row | undefined;
  }

  #exists(id: string): boolean {
    return this.#db.prepare('SELECT 1 FROM drafts WHERE id = ?').get(id) !== undefined;
  }
}
