import { isFinal, STATUSES } from '../requests/lifecycle.js';
import type { ListFilter, ListPage } from './types.js';

/** Closed requests are never due: the final statuses, from the lifecycle's one list. */
const FINAL_SQL = STATUSES.filter(isFinal)
  .map((s) => `'${s}'`)
  .join(', ');

/** At most this many words of a text filter are matched. */
const MAX_WORDS = 8;

/** The words of a text filter, lower case, at most MAX_WORDS. */
export function textWords(text: string | undefined): string[] {
  return (text ?? '').toLowerCase().split(/\s+/).filter(Boolean).slice(0, MAX_WORDS);
}

interface Sql {
  sql: string;
  params: Record<string, unknown>;
}

/**
 * The WHERE clause of a listing, from the filter alone: the page and its count use this one
 * builder, so a count always counts exactly the rows the pages walk through.
 */
function where(f: ListFilter): { clauses: string[]; params: Record<string, unknown> } {
  const clauses: string[] = [];
  const params: Record<string, unknown> = {};
  const eq = (column: string, name: keyof ListFilter) => {
    const value = f[name];
    if (value === undefined || value === '') return;
    clauses.push(`${column} = @${name}`);
    params[name] = value;
  };
  eq('direction', 'direction');
  eq('status', 'status');
  eq('counterpart', 'counterpart');
  eq('kind', 'kind');
  eq('stage', 'stage');
  eq('case_id', 'caseId');
  if (f.ids && f.ids.length > 0) {
    clauses.push(`id IN (${f.ids.map((_, i) => `@id${i}`).join(', ')})`);
    f.ids.forEach((id, i) => (params[`id${i}`] = id));
  }
  // Metadata only: the sender's and the case's reference, the type, counterpart and status. Subjects and
  // typed forms are sealed (services/store/free-text.ts searches them for content roles).
  if (!f.searchContent) {
    textWords(f.text).forEach((w, i) => {
      params[`w${i}`] = `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      params[`e${i}`] = w;
      clauses.push(
        `(lower(sender_reference) LIKE @w${i} ESCAPE '\\' OR case_id IN (SELECT id FROM cases WHERE lower(reference) LIKE @w${i} ESCAPE '\\') OR lower(kind) = @e${i} OR lower(counterpart) = @e${i} OR status = @e${i})`,
      );
    });
  }
  if (f.dueBefore !== undefined) {
    clauses.push(`due_at IS NOT NULL AND due_at < @dueBefore AND paused_at IS NULL AND status NOT IN (${FINAL_SQL})`);
    params.dueBefore = f.dueBefore;
  }
  if (f.updatedSince !== undefined) {
    clauses.push('updated_at >= @updatedSince');
    params.updatedSince = f.updatedSince;
  }
  return { clauses, params };
}

const joined = (clauses: string[]) => (clauses.length ? `WHERE ${clauses.join(' AND ')}` : '');

/**
 * One page of requests: keyset paging on seq, so a page never repeats or skips a row when
 * requests arrive while someone pages (new ones are newer than every page already read).
 */
export function pageSql(f: ListFilter, page: ListPage): Sql {
  const { clauses, params } = where(f);
  if (page.after !== undefined) {
    clauses.push(page.oldestFirst ? 'seq > @after' : 'seq < @after');
    params.after = page.after;
  }
  params.limit = page.limit;
  return { sql: `SELECT * FROM requests ${joined(clauses)} ORDER BY seq ${page.oldestFirst ? 'ASC' : 'DESC'} LIMIT @limit`, params };
}

/** How many requests match the filter, all pages together. */
export function countSql(f: ListFilter): Sql {
  const { clauses, params } = where(f);
  return { sql: `SELECT COUNT(*) AS n FROM requests ${joined(clauses)}`, params };
}

/** The newest `bound` requests matching the filter apart from its text, with what a content search reads. */
export function candidatesSql(f: ListFilter, bound: number): Sql {
  const { clauses, params } = where({ ...f, searchContent: true });
  params.bound = bound;
  return {
    sql: `SELECT seq, id, subject, subject_sealed, sender_reference, kind, counterpart, status, payload, payload_type, sealed,
      (SELECT reference FROM cases WHERE cases.id = requests.case_id) AS case_reference FROM requests ${joined(clauses)} ORDER BY seq DESC LIMIT @bound`,
    params,
  };
}
