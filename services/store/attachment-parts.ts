import type { Db } from './db.js';
import { blob, preparedPer, u8 } from './rows.js';
import type { Store } from './store.js';

/** One received part of an attachment's ciphertext, named by the lane it came on. */
export interface ReceivedPart {
  sender: string;
  requestId: string;
  attachmentId: string;
  offset: number;
  bytes: Uint8Array;
}

type Row = { offset: number; bytes: Buffer };

const stmts = preparedPer((db: Db) => ({
  insert: db.prepare(`INSERT OR IGNORE INTO attachment_parts (sender, request_id, attachment_id, offset, bytes, received_at)
    VALUES (?, ?, ?, ?, ?, ?)`),
  heldBy: db.prepare('SELECT COALESCE(SUM(length(bytes)), 0) AS n FROM attachment_parts WHERE sender = ?'),
  parts: db.prepare('SELECT offset, bytes FROM attachment_parts WHERE sender = ? AND request_id = ? AND attachment_id = ? ORDER BY offset'),
  drop: db.prepare('DELETE FROM attachment_parts WHERE request_id = ?'),
  expire: db.prepare('DELETE FROM attachment_parts WHERE received_at < ?'),
  count: db.prepare('SELECT COUNT(*) AS n FROM attachment_parts'),
}));

/**
 * Keeps a received part until its request is applied; a copy of a part already held changes
 * nothing. Returns false, keeping nothing, when its sender already holds `maxBytesPerSender`
 * of parts here (its re-send brings the part again once requests have been applied). Call
 * inside a transaction.
 */
export function stagePart(store: Store, part: ReceivedPart, at: number, maxBytesPerSender: number): boolean {
  const s = stmts(store.db);
  const held = (s.heldBy.get(part.sender) as { n: number }).n;
  if (held + part.bytes.byteLength > maxBytesPerSender) return false;
  s.insert.run(part.sender, part.requestId, part.attachmentId, part.offset, blob(part.bytes), at);
  return true;
}

/**
 * The ciphertext of one attachment from its parts, when they cover exactly `length` bytes from
 * offset 0 without a gap or an overlap; 'incomplete' while parts are missing; 'inconsistent'
 * when what is held cannot be that ciphertext (overlapping parts, or bytes past `length`).
 */
export function assembledParts(store: Store, sender: string, requestId: string, attachmentId: string, length: number): Uint8Array | 'incomplete' | 'inconsistent' {
  const rows = stmts(store.db).parts.all(sender, requestId, attachmentId) as Row[];
  let at = 0;
  for (const r of rows) {
    if (r.offset < at) return 'inconsistent';
    if (r.offset > at) return 'incomplete';
    at += r.bytes.byteLength;
  }
  if (at > length) return 'inconsistent';
  if (at < length) return 'incomplete';
  return new Uint8Array(Buffer.concat(rows.map((r) => u8(r.bytes))));
}

/** Deletes every part held for `requestId` (its request was applied: the parts are in its attachments now). */
export function dropParts(store: Store, requestId: string): void {
  stmts(store.db).drop.run(requestId);
}

/** Deletes parts received before `before` (their request never came within an envelope lifetime); returns how many. */
export function expireParts(store: Store, before: number): number {
  return stmts(store.db).expire.run(before).changes;
}

/** How many parts are held (for tests and operators). */
export function heldPartCount(store: Store): number {
  return (stmts(store.db).count.get() as { n: number }).n;
}
