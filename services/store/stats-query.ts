import { FINAL_STATUSES_SQL } from '../requests/lifecycle.js';
import type { Db } from './db.js';

/**
 * Reads of the statistics rows (stats.ts): live requests joined with their status, and the
 * anonymous tally of erased cases, as one list of coded combinations with their counts. No
 * query here returns a request id.
 */

/** Which rows count; empty members do not filter. */
export interface StatsSelection {
  fromPeriod: string;
  toPeriod: string;
  direction: string;
  kind: string;
}

/** One combination of coded values and how many requests have it (`erased`: from the tally). */
export interface StatsCombination {
  kind: string;
  direction: string;
  counterpart: string;
  period: string;
  status: string;
  sex: string;
  age_group: string;
  nationality: string;
  /** JSON array of exploitation form codes. */
  forms: string;
  outcome: string;
  n: number;
  erased: number;
}

/**
 * Requests that share their process figures, counted: working days to the acknowledgement and
 * to the final answer (-1: not yet), whether the answer came within the deadline (1, 0, or -1:
 * no answer or no deadline) and whether the request is overdue now (0 or 1).
 */
export interface ProcessGroup {
  kind: string;
  direction: string;
  counterpart: string;
  ack_days: number;
  final_days: number;
  within_deadline: number;
  overdue: number;
  n: number;
}

function where(sel: StatsSelection, prefix: string): { sql: string; params: Record<string, string> } {
  const parts: string[] = [];
  const params: Record<string, string> = {};
  const add = (column: string, op: string, name: keyof StatsSelection) => {
    if (!sel[name]) return;
    parts.push(`${prefix}${column} ${op} @${name}`);
    params[name] = sel[name];
  };
  add('period', '>=', 'fromPeriod');
  add('period', '<=', 'toPeriod');
  add('direction', '=', 'direction');
  add('kind', '=', 'kind');
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

/** The coded columns of a combination; a table needs only those of its dimensions. */
export const STATS_COLUMNS = ['kind', 'direction', 'counterpart', 'period', 'status', 'sex', 'age_group', 'nationality', 'forms', 'outcome'] as const;
export type StatsColumn = (typeof STATS_COLUMNS)[number];

/**
 * Every distinct combination of coded values among the selected requests, live and erased,
 * with its count: the base every table is summed from (one scan of each table). With `only`,
 * the combinations of those columns alone (the others read ''), so that a table of two
 * dimensions groups a few hundred combinations rather than one per request; the requests'
 * own rows are read only when the status is asked for.
 */
export function statsCombinations(db: Db, sel: StatsSelection, only: readonly StatsColumn[] = STATS_COLUMNS): StatsCombination[] {
  const keep = STATS_COLUMNS.filter((c) => only.includes(c));
  const liveOf = (c: StatsColumn) => (c === 'status' ? 'r.status' : `s.${c}`);
  const live = where(sel, 's.');
  const tally = where(sel, '');
  const withStatus = keep.includes('status');
  // A stats row is written with its request and leaves for the tally when the case is erased, and
  // requests are never deleted: every row is a live request, so the requests are read only for the
  // status (a lookup of each id in their index cost 0.9 of a table's time at 100,000 requests).
  const liveFrom = withStatus ? 'stats_rows s JOIN requests r ON r.id = s.request_id' : 'stats_rows s';
  const groupBy = (cols: string[]) => (cols.length ? `GROUP BY ${cols.join(', ')}` : '');
  const sql = `SELECT ${STATS_COLUMNS.map((c) => (keep.includes(c) ? `${liveOf(c)} AS ${c}` : `'' AS ${c}`)).join(', ')}, COUNT(*) AS n, 0 AS erased
      FROM ${liveFrom} ${live.sql} ${groupBy(keep.map(liveOf))}
    UNION ALL
    SELECT ${STATS_COLUMNS.map((c) => (keep.includes(c) ? c : `'' AS ${c}`)).join(', ')}, SUM(n) AS n, SUM(n) AS erased FROM stats_tally ${tally.sql} ${groupBy([...keep])}`;
  return (db.prepare(sql).all({ ...live.params, ...tally.params }) as StatsCombination[]).filter((c) => c.n > 0);
}

/**
 * The process figures of the selected requests, grouped in SQLite: live requests with the
 * working days their stats row holds (stats.ts) and their deadline and status now, and the tally
 * of erased cases, which holds the same figures. A few thousand groups come back instead of one
 * row per request, and no time is turned into days on a read.
 */
export function processGroups(db: Db, sel: StatsSelection, now: number): ProcessGroup[] {
  const live = where(sel, 's.');
  const tally = where(sel, '');
  const within = 'CASE WHEN s.final_at IS NOT NULL AND r.due_at IS NOT NULL THEN s.final_at <= r.due_at ELSE -1 END';
  const overdue = `(r.status NOT IN (${FINAL_STATUSES_SQL}) AND r.due_at IS NOT NULL AND r.due_at < @now AND r.paused_at IS NULL)`;
  return db
    .prepare(
      `SELECT s.kind, s.direction, s.counterpart, s.ack_days, s.final_days, ${within} AS within_deadline, ${overdue} AS overdue, COUNT(*) AS n
        FROM stats_rows s JOIN requests r ON r.id = s.request_id ${live.sql} GROUP BY 1, 2, 3, 4, 5, 6, 7
      UNION ALL
      SELECT kind, direction, counterpart, ack_days, final_days, within_deadline, 0, SUM(n) FROM stats_tally ${tally.sql} GROUP BY 1, 2, 3, 4, 5, 6`,
    )
    .all({ ...live.params, ...tally.params, now }) as ProcessGroup[];
}
