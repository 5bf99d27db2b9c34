import { createHash } from 'node:crypto';
import type { Db } from './db.js';
import { preparedPer } from './rows.js';
import type { Store } from './store.js';

/** One attachment in clear, as the node handles it in memory. */
export interface AttachmentFile {
  id: string;
  fileName: string;
  mediaType: string;
  content: Uint8Array;
}

/** What a request's attachment is; `fileName` is undefined once the case was erased. */
export interface AttachmentMeta {
  id: string;
  fileName: string | undefined;
  mediaType: string;
  size: number;
  /** SHA-256 of the file in clear; undefined for rows stored before migration 17, or once erased. */
  sha256: Uint8Array | undefined;
}

type Row = { id: string; file_name: Buffer; media_type: string; size: number; sealed: number; sha256: Buffer | null; content?: Buffer; restricted?: number };

const stmts = preparedPer((db: Db) => {
  return {
    insert: db.prepare(`INSERT INTO attachments (request_id, id, position, file_name, media_type, size, content, sealed, sha256)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    list: db.prepare('SELECT id, file_name, media_type, size, sealed, sha256 FROM attachments WHERE request_id = ? ORDER BY position'),
    get: db.prepare('SELECT id, file_name, media_type, size, sealed, sha256, content, restricted FROM attachments WHERE request_id = ? AND id = ?'),
    erase: db.prepare("UPDATE attachments SET file_name = x'', content = x'', sha256 = NULL WHERE request_id = ?"),
  };
});

const blob = (v: Uint8Array): Buffer => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
const u8 = (v: Buffer): Uint8Array => new Uint8Array(v.buffer, v.byteOffset, v.byteLength);

/**
 * Stores a request's attachments, name, content and the SHA-256 of the content encrypted with
 * its case key (a hash can confirm a guessed document). Call inside the transaction that inserts the request.
 */
export function insertAttachments(store: Store, requestId: string, files: readonly AttachmentFile[]): void {
  const { vault } = store;
  const s = stmts(store.db);
  files.forEach((f, i) => {
    const name = new TextEncoder().encode(f.fileName);
    const sealedName = vault ? vault.seal(requestId, name) : name;
    const sealedContent = vault ? vault.seal(requestId, f.content) : f.content;
    const digest = new Uint8Array(createHash('sha256').update(f.content).digest());
    const sealedDigest = vault ? vault.seal(requestId, digest) : digest;
    if (!sealedName || !sealedContent || !sealedDigest) return; // the case was erased meanwhile: keep nothing
    s.insert.run(requestId, f.id, i, blob(sealedName), f.mediaType, f.content.byteLength, blob(sealedContent), vault ? 1 : 0, blob(sealedDigest));
  });
}

function openField(store: Store, requestId: string, row: Row, value: Buffer): Uint8Array | undefined {
  if (row.sealed !== 1) return u8(value);
  if (!store.vault || value.byteLength === 0) return undefined;
  return store.vault.open(requestId, u8(value));
}

function toMeta(store: Store, requestId: string, row: Row): AttachmentMeta {
  const name = openField(store, requestId, row, row.file_name);
  const sha256 = row.sha256 ? openField(store, requestId, row, row.sha256) : undefined;
  return { id: row.id, fileName: name ? new TextDecoder().decode(name) : undefined, mediaType: row.media_type, size: row.size, sha256 };
}

/** A request's attachments in the order they were sent. */
export function listAttachments(store: Store, requestId: string): AttachmentMeta[] {
  return (stmts(store.db).list.all(requestId) as Row[]).map((r) => toMeta(store, requestId, r));
}

/**
 * One attachment with its content; `erased` when the case key was destroyed, `restricted`
 * when it is a document of a victim who withdrew her consent and is kept under a legal
 * ground (docs/protocol.md §21.4), undefined when there is none.
 */
export function readAttachment(store: Store, requestId: string, id: string): { meta: AttachmentMeta; content: Uint8Array } | 'erased' | 'restricted' | undefined {
  const row = stmts(store.db).get.get(requestId, id) as Row | undefined;
  if (!row) return undefined;
  if (row.restricted === 1) return 'restricted';
  const meta = toMeta(store, requestId, row);
  const content = openField(store, requestId, row, row.content!);
  if (meta.fileName === undefined || !content) return 'erased';
  return { meta, content };
}

/** Drops the (already unreadable) ciphertext of an erased case's attachments; sizes and types stay. */
export function eraseAttachments(store: Store, requestId: string): void {
  stmts(store.db).erase.run(requestId);
}
