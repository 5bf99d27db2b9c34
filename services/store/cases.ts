import { randomUUID } from 'node:crypto';
import { FINAL_STATUSES_SQL } from '../requests/lifecycle.js';
import type { Db } from './db.js';
import { openText, sealText } from './free-text.js';
import { preparedPer, type Row } from './rows.js';
import type { Store } from './store.js';
import type { TimelineRow } from './types.js';

/**
 * Cases and linked requests (docs/protocol.md §25). A case is this node's: its own cases, and
 * the cases named by requests it received (owner = the sender), each holding only requests this
 * node is party to. The title is case content, sealed with a key of its own ("case:<id>").
 */

export interface CaseRow {
  id: string;
  owner: string;
  reference: string;
  /** '' when none was given, or the store has no vault to open it. */
  title: string;
  /** Whether a title was given (sealed at rest), whoever may read it. */
  hasTitle: boolean;
  createdAt: number;
  updatedAt: number;
  requestCount: number;
  openCount: number;
  counterparts: string[];
}

/** What ties a request to others and limits its use, as this node holds it. */
export interface RequestLinksRow {
  parentId: string;
  childIds: string[];
  caseId: string;
  caseReference: string;
  handling: string[];
}

export interface CaseEventRow extends TimelineRow {
  counterpart: string;
  kind: string;
}

const vaultKey = (caseId: string) => `case:${caseId}`;

const stmts = preparedPer((db: Db) => ({
  byReference: db.prepare('SELECT id FROM cases WHERE owner = ? AND reference = ?'),
  insert: db.prepare('INSERT INTO cases (id, owner, reference, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)'),
  setTitle: db.prepare('UPDATE cases SET title = ?, updated_at = ? WHERE id = ?'),
  touch: db.prepare('UPDATE cases SET updated_at = MAX(updated_at, ?) WHERE id = ?'),
  setLinks: db.prepare('UPDATE requests SET case_id = ?, parent_id = ?, handling = ? WHERE id = ?'),
  links: db.prepare('SELECT r.case_id, r.parent_id, r.handling, c.reference FROM requests r LEFT JOIN cases c ON c.id = r.case_id WHERE r.id = ?'),
  children: db.prepare('SELECT id FROM requests WHERE parent_id = ? ORDER BY seq'),
  get: db.prepare(`SELECT c.*, COUNT(r.id) AS n, SUM(CASE WHEN r.status IN (${FINAL_STATUSES_SQL}) THEN 0 ELSE 1 END) AS open,
    GROUP_CONCAT(DISTINCT r.counterpart) AS counterparts FROM cases c LEFT JOIN requests r ON r.case_id = c.id WHERE c.id = ? GROUP BY c.id`),
  requestIds: db.prepare('SELECT id FROM requests WHERE case_id = ? ORDER BY seq'),
  timeline: db.prepare(`SELECT t.seq, t.request_id, t.type, t.at, t.detail, r.counterpart, r.kind FROM timeline t JOIN requests r ON r.id = t.request_id
    WHERE r.case_id = ? ORDER BY t.at, t.seq`),
}));

/**
 * The id of the case `owner` knows as `reference`, created on first use; `title` (case
 * content) replaces the stored one when given. Call inside the transaction that files a request.
 */
export function fileCase(store: Store, owner: string, reference: string, title: string, at: number): string {
  const s = stmts(store.db);
  const found = s.byReference.get(owner, reference) as { id: string } | undefined;
  const id = found?.id ?? randomUUID();
  if (!found) s.insert.run(id, owner, reference, null, at, at);
  if (title && store.vault) s.setTitle.run(sealText(store.vault, vaultKey(id), title), at, id);
  else s.touch.run(at, id);
  return id;
}

/** Records a request's case, parent and use restrictions (in the transaction that stores it). */
export function setRequestLinks(store: Store, requestId: string, links: { caseId: string; parentId: string; handling: readonly string[] }): void {
  stmts(store.db).setLinks.run(links.caseId || null, links.parentId || null, links.handling.join(','), requestId);
}

export function requestLinks(store: Store, requestId: string): RequestLinksRow {
  const s = stmts(store.db);
  const r = s.links.get(requestId) as Row | undefined;
  const children = (s.children.all(requestId) as { id: string }[]).map((c) => c.id);
  const handling = ((r?.handling as string | undefined) ?? '').split(',').filter(Boolean);
  return { parentId: (r?.parent_id as string | null) ?? '', childIds: children, caseId: (r?.case_id as string | null) ?? '', caseReference: (r?.reference as string | null) ?? '', handling };
}

function toCase(store: Store, r: Row): CaseRow {
  return {
    id: r.id as string,
    owner: r.owner as string,
    reference: r.reference as string,
    title: openText(store.vault, vaultKey(r.id as string), r.title, ''),
    hasTitle: r.title instanceof Uint8Array && r.title.byteLength > 0,
    createdAt: r.created_at as number,
    updatedAt: r.updated_at as number,
    requestCount: (r.n as number) ?? 0,
    openCount: (r.open as number | null) ?? 0,
    counterparts: ((r.counterparts as string | null) ?? '').split(',').filter(Boolean).sort(),
  };
}

export function getCase(store: Store, id: string): CaseRow | undefined {
  const r = stmts(store.db).get.get(id) as Row | undefined;
  return r ? toCase(store, r) : undefined;
}

export interface CaseFilter {
  text?: string;
  owner?: string;
  /** Only these cases; empty or absent = no filter. */
  ids?: readonly string[];
}

/** A page of cases, most recently updated first; `after` is the offset already read. */
export function listCases(store: Store, f: CaseFilter, page: { offset: number; limit: number }): { rows: CaseRow[]; total: number } {
  const clauses: string[] = [];
  const params: Record<string, unknown> = {};
  if (f.owner) {
    clauses.push('c.owner = @owner');
    params.owner = f.owner;
  }
  if (f.ids && f.ids.length > 0) {
    clauses.push(`c.id IN (${f.ids.map((_, i) => `@id${i}`).join(', ')})`);
    f.ids.forEach((id, i) => (params[`id${i}`] = id));
  }
  (f.text ?? '')
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 8)
    .forEach((w, i) => {
      clauses.push(`lower(c.reference) LIKE @w${i} ESCAPE '\\'`);
      params[`w${i}`] = `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    });
  const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
  const total = (store.db.prepare(`SELECT COUNT(*) AS n FROM cases c ${where}`).get(params) as { n: number }).n;
  const rows = store.db
    .prepare(
      `SELECT c.*, COUNT(r.id) AS n, SUM(CASE WHEN r.status IN (${FINAL_STATUSES_SQL}) THEN 0 ELSE 1 END) AS open, GROUP_CONCAT(DISTINCT r.counterpart) AS counterparts
       FROM cases c LEFT JOIN requests r ON r.case_id = c.id ${where} GROUP BY c.id ORDER BY c.updated_at DESC, c.id LIMIT @limit OFFSET @offset`,
    )
    .all({ ...params, limit: page.limit, offset: page.offset }) as Row[];
  return { rows: rows.map((r) => toCase(store, r)), total };
}

/** The ids of a case's requests, oldest first. */
export function caseRequestIds(store: Store, caseId: string): string[] {
  return (stmts(store.db).requestIds.all(caseId) as { id: string }[]).map((r) => r.id);
}

/** The events of all of a case's requests, oldest first. */
export function caseTimeline(store: Store, caseId: string): CaseEventRow[] {
  return (stmts(store.db).timeline.all(caseId) as Row[]).map((r) => ({
    seq: r.seq as number,
    requestId: r.request_id as string,
    type: r.type as TimelineRow['type'],
    at: r.at as number,
    detail: r.detail as string,
    code: typeof r.code === 'string' ? r.code : '',
    params: typeof r.params === 'string' ? (JSON.parse(r.params) as Record<string, string>) : {},
    counterpart: r.counterpart as string,
    kind: r.kind as string,
  }));
}
