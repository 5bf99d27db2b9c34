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

export interface TemplateSummary {
  id: string;
  name: string;
  kind: string;
  toCountry: string;
  updatedAt: number;
}

/** A template's name: 1 to 60 characters, no control characters. */
export const TEMPLATE_NAME = /^[^\x00-\x1f\x7f]{1,60}$/;

export interface DraftSummary {
  id: string;
  kind: string;
  toCountry: string;
  updatedAt: number;
}

type Row = { id: string; user_id: number; kind: string; to_country: string; nonce: Buffer; sealed: Buffer; updated_at: number; template_name: string | null };

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
    const owned = id && Drafts.isId(id) && this.#row(userId, id)?.template_name === null ? id : undefined;
    const draftId = owned ?? (id && Drafts.isId(id) && !this.#exists(id) ? id : randomUUID());
    const { nonce, sealed, kind, toCountry } = this.#seal(userId, draftId, values);
    this.#db
      .prepare(
        `INSERT INTO drafts (id, user_id, kind, to_country, nonce, sealed, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, to_country = excluded.to_country, nonce = excluded.nonce, sealed = excluded.sealed, updated_at = excluded.updated_at
        WHERE drafts.user_id = excluded.user_id`,
      )
      .run(draftId, userId, kind, toCountry, nonce, sealed, now, now);
    return { id: draftId, updatedAt: now };
  }

  /** The values sealed to (author, id), and the type and destination kept in clear for the lists. */
  #seal(userId: number, id: string, values: DraftValues): { nonce: Buffer; sealed: Buffer; kind: string; toCountry: string } {
    const plain = new TextEncoder().encode(JSON.stringify(values));
    if (plain.byteLength > MAX_DRAFT_BYTES) throw new RangeError('draft too large');
    const s = this.#sodium;
    const nonce = s.randombytes_buf(s.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    const sealed = s.crypto_aead_xchacha20poly1305_ietf_encrypt(plain, this.#ad(userId, id), null, nonce, this.#key);
    const text = (k: string): string => (typeof values[k] === 'string' ? values[k].slice(0, 40) : '');
    return { nonce: Buffer.from(nonce), sealed: Buffer.from(sealed), kind: text('kind'), toCountry: text('toCountry') };
  }

  /** The values of one of `userId`'s drafts; undefined for a draft that is not theirs (or gone). */
  get(userId: number, id: string): DraftValues | undefined {
    const r = this.#row(userId, id);
    if (!r) return undefined;
    const plain = this.#sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, new Uint8Array(r.sealed), this.#ad(userId, id), new Uint8Array(r.nonce), this.#key);
    return JSON.parse(new TextDecoder().decode(plain)) as DraftValues;
  }

  list(userId: number): DraftSummary[] {
    const rows = this.#db.prepare('SELECT id, kind, to_country, updated_at FROM drafts WHERE user_id = ? AND template_name IS NULL ORDER BY updated_at DESC LIMIT 200').all(userId) as Row[];
    return rows.map((r) => ({ id: r.id, kind: r.kind, toCountry: r.to_country, updatedAt: r.updated_at }));
  }

  /**
   * Saves the form as `userId`'s template `name` (one of the same name is replaced): sealed like
   * a draft, under an id of its own, so that the draft being typed goes on as it was.
   */
  saveTemplate(userId: number, name: string, values: DraftValues, now: number): { id: string } {
    if (!TEMPLATE_NAME.test(name)) throw new RangeError('template name');
    const { draft: _draft, idem: _idem, templateName: _name, ...kept } = values;
    const existing = this.#db.prepare('SELECT id FROM drafts WHERE user_id = ? AND template_name = ?').get(userId, name) as { id: string } | undefined;
    const id = existing?.id ?? randomUUID();
    const { nonce, sealed, kind, toCountry } = this.#seal(userId, id, kept);
    this.#db
      .prepare(
        `INSERT INTO drafts (id, user_id, kind, to_country, nonce, sealed, created_at, updated_at, template_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, to_country = excluded.to_country, nonce = excluded.nonce, sealed = excluded.sealed, updated_at = excluded.updated_at
        WHERE drafts.user_id = excluded.user_id`,
      )
      .run(id, userId, kind, toCountry, nonce, sealed, now, now, name);
    return { id };
  }

  templates(userId: number): TemplateSummary[] {
    const rows = this.#db
      .prepare('SELECT id, template_name, kind, to_country, updated_at FROM drafts WHERE user_id = ? AND template_name IS NOT NULL ORDER BY template_name LIMIT 200')
      .all(userId) as Row[];
    return rows.map((r) => ({ id: r.id, name: r.template_name!, kind: r.kind, toCountry: r.to_country, updatedAt: r.updated_at }));
  }

  /** The name of one of `userId`'s templates; undefined for a draft or someone else's. */
  templateName(userId: number, id: string): string | undefined {
    return this.#row(userId, id)?.template_name ?? undefined;
  }

  /** Deletes one of `userId`'s drafts (never a template: sending a request started from one keeps it). */
  delete(userId: number, id: string): boolean {
    return this.#db.prepare('DELETE FROM drafts WHERE id = ? AND user_id = ? AND template_name IS NULL').run(id, userId).changes > 0;
  }

  deleteTemplate(userId: number, id: string): boolean {
    return this.#db.prepare('DELETE FROM drafts WHERE id = ? AND user_id = ? AND template_name IS NOT NULL').run(id, userId).changes > 0;
  }

  #row(userId: number, id: string): Row | undefined {
    if (!Drafts.isId(id)) return undefined;
    return this.#db.prepare('SELECT * FROM drafts WHERE id = ? AND user_id = ?').get(id, userId) as Row | undefined;
  }

  #exists(id: string): boolean {
    return this.#db.prepare('SELECT 1 FROM drafts WHERE id = ?').get(id) !== undefined;
  }
}
