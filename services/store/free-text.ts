import type { CaseVault } from './case-vault.js';
import type { Db } from './db.js';
import { typedText } from '../requests/typed.js';
import { candidatesSql, textWords } from './list.js';
import type { ListFilter, ListPage } from './types.js';

/**
 * Free text (a request's subject, a step's note) is case content: sealed with the case key
 * like the payload, so erasing the case erases it, and never searched in SQL. Volumes are
 * small (a node handles thousands of cases, not millions), so a content search decrypts the
 * candidates in memory, at most MAX_CONTENT_SCAN of them, newest first.
 */

/** At most this many requests (the newest) are decrypted by one content search. */
export const MAX_CONTENT_SCAN = 10_000;

const enc = new TextEncoder();
const dec = new TextDecoder();

/** The sealed bytes of `text` (null for no text, or when the case was erased). */
export function sealText(vault: CaseVault, requestId: string, text: string): Buffer | null {
  if (text === '') return null;
  const sealed = vault.seal(requestId, enc.encode(text));
  return sealed ? Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength) : null;
}

/** The text sealed in a row's column, '' when there is none or the case was erased; `clear` for rows kept without a vault. */
export function openText(vault: CaseVault | undefined, requestId: string, sealed: unknown, clear: unknown): string {
  if (!(sealed instanceof Uint8Array) || sealed.byteLength === 0 || !vault) return (clear as string | null) ?? '';
  const plain = vault.open(requestId, new Uint8Array(sealed.buffer, sealed.byteOffset, sealed.byteLength));
  return plain ? dec.decode(plain) : '';
}

/**
 * Seals the subjects and notes still kept in clear (written before free text was sealed,
 * migration 10), and the grounds (before migration 20), and empties their clear columns; for an
 * erased case the text is dropped.
 * Runs once per start; a no-op once every row is sealed.
 */
export function sealClearFreeText(db: Db, vault: CaseVault): void {
  sealClearGrounds(db, vault);
  const subjects = db.prepare("SELECT id, subject FROM requests WHERE subject <> ''").all() as { id: string; subject: string }[];
  const notes = db.prepare("SELECT event_id, request_id, note FROM transitions WHERE note <> ''").all() as { event_id: string; request_id: string; note: string }[];
  if (subjects.length === 0 && notes.length === 0) return;
  const setSubject = db.prepare("UPDATE requests SET subject = '', subject_sealed = ? WHERE id = ?");
  const setNote = db.prepare("UPDATE transitions SET note = '', note_sealed = ? WHERE event_id = ?");
  db.transaction(() => {
    for (const r of subjects) setSubject.run(sealText(vault, r.id, r.subject), r.id);
    for (const t of notes) setNote.run(sealText(vault, t.request_id, t.note), t.event_id);
  })();
}

/**
 * The grounds a person types about a case's protection (docs/protocol.md §21): this node's
 * legal hold, the other state's answer to an erasure, the legal ground a withdrawal of consent
 * is kept under, and the other state's answer to it. Free text, so case content: sealed with
 * the case key in `<column>_sealed`, erased with the case. The clear column keeps only
 * SEALED_MARK, so SQL can still ask whether a case is held.
 */
export const GROUND_COLUMNS = ['legal_hold', 'peer_erasure_reason', 'consent_legal_ground', 'peer_consent_reason'] as const;
export type GroundColumn = (typeof GROUND_COLUMNS)[number];
export const SEALED_MARK = '*';

/** The two columns' values for a ground typed on `requestId` (a case already erased keeps none). */
export function groundColumns(vault: CaseVault | undefined, requestId: string, text: string): { clear: string; sealed: Buffer | null } {
  if (!vault || text === '') return { clear: text, sealed: null };
  const sealed = sealText(vault, requestId, text);
  return sealed ? { clear: SEALED_MARK, sealed } : { clear: '', sealed: null };
}

/** A ground as stored: opened with the case key ('' once the case is erased), or the clear text of a store without a vault. */
export function openGround(vault: CaseVault | undefined, requestId: string, sealed: unknown, clear: unknown): string {
  return clear === SEALED_MARK ? openText(vault, requestId, sealed, '') : ((clear as string | null) ?? '');
}

/** Seals the grounds written in clear before they were sealed; runs once per start. */
function sealClearGrounds(db: Db, vault: CaseVault): void {
  for (const column of GROUND_COLUMNS) {
    const rows = db.prepare(`SELECT id, ${column} AS text FROM requests WHERE ${column} NOT IN ('', ?)`).all(SEALED_MARK) as { id: string; text: string }[];
    const set = db.prepare(`UPDATE requests SET ${column} = ?, ${column}_sealed = ? WHERE id = ?`);
    db.transaction(() => {
      for (const r of rows) {
        const g = groundColumns(vault, r.id, r.text);
        set.run(g.clear, g.sealed, r.id);
      }
    })();
  }
}

/** Lower case, without accents: how free text and search words are compared. */
export function foldText(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * The seqs of the requests matching `f` whose every search word appears in the sender's or
 * the case's reference, the decrypted subject or the decrypted typed form (or equals the type,
 * counterpart or status), in the page's order: the one list both a page and the total count
 * are taken from.
 */
export function contentMatches(db: Db, vault: CaseVault | undefined, f: ListFilter, oldestFirst: boolean): number[] {
  const words = textWords(f.text).map(foldText);
  const { sql, params } = candidatesSql(f, MAX_CONTENT_SCAN);
  const rows = db.prepare(sql).all(params) as Record<string, unknown>[];
  const seqs: number[] = [];
  for (const r of rows) {
    const references = foldText(`${r.sender_reference as string}\n${(r.case_reference as string | null) ?? ''}`);
    const exact = [r.kind, r.counterpart, r.status].map((v) => String(v).toLowerCase());
    const rest = words.filter((w) => !references.includes(w) && !exact.includes(w));
    const subject = rest.length ? foldText(openText(vault, r.id as string, r.subject_sealed, r.subject)) : '';
    if (rest.every(inText(subject))) {
      seqs.push(r.seq as number);
      continue;
    }
    // The typed form (names, places, document numbers, free text) is opened only when the metadata and the subject do not answer.
    const typed = typedText(openPayload(vault, r), r.payload_type as string)
      .map(foldText)
      .join('\n');
    if (rest.every((w) => subject.includes(w) || typed.includes(w))) seqs.push(r.seq as number);
  }
  return oldestFirst ? seqs.reverse() : seqs;
}

const inText = (text: string) => (w: string) => text.includes(w);

/** A candidate row's payload, opened with the case key when sealed (empty once the case is erased). */
function openPayload(vault: CaseVault | undefined, r: Record<string, unknown>): Uint8Array {
  const stored = r.payload instanceof Uint8Array ? new Uint8Array(r.payload.buffer, r.payload.byteOffset, r.payload.byteLength) : new Uint8Array();
  if (r.sealed !== 1) return stored;
  return (vault && vault.open(r.id as string, stored)) ?? new Uint8Array();
}

/** The seqs of one page out of `matches` (in page order), continuing past `page.after`. */
export function pageOf(matches: readonly number[], page: ListPage): number[] {
  const start = page.after === undefined ? 0 : matches.findIndex((s) => (page.oldestFirst ? s > page.after! : s < page.after!));
  return start < 0 ? [] : matches.slice(start, start + page.limit);
}
