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

/** One request's process facts: live rows carry times, tally rows whole working days already. */
export type ProcessFacts =
  | {
      live: true;
      kind: string;
      direction: string;
      counterpart: string;
      status: string;
      started_at: number;
      ack_at: number | null;
      final_at: number | null;
      due_at: number | null;
      paused_at: number | null;
      n: 1;
    }
  | { live: false; kind: string; direction: string; counterpart: string; status: string; ack_days: number; final_days: number; within_deadline: number; n: number };

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
  // Erasure deletes a case's row here with the case; the lookup of the id keeps to live requests all the same (it reads the index only).
  const liveFrom = withStatus ? 'stats_rows s JOIN requests r ON r.id = s.request_id' : 'stats_rows s';
  const liveWhere = withStatus ? live.sql : live.sql ? `${live.sql} AND s.request_id IN (SELECT id FROM requests)` : 'WHERE s.request_id IN (SELECT id FROM requests)';
  const groupBy = (cols: string[]) => (cols.length ? `GROUP BY ${cols.join(', ')}` : '');
  const sql = `SELECT ${STATS_COLUMNS.map((c) => (keep.includes(c) ? `${liveOf(c)} AS ${c}` : `'' AS ${c}`)).join(', ')}, COUNT(*) AS n, 0 AS erased
      FROM ${liveFrom} ${liveWhere} ${groupBy(keep.map(liveOf))}
    UNION ALL
    SELECT ${STATS_COLUMNS.map((c) => (keep.includes(c) ? c : `'' AS ${c}`)).join(', ')}, SUM(n) AS n, SUM(n) AS erased FROM stats_tally ${tally.sql} ${groupBy([...keep])}`;
  return (db.prepare(sql).all({ ...live.params, ...tally.params }) as StatsCombination[]).filter((c) => c.n > 0);
}

/** The process facts of the selected requests: one row per live request, one per tally row. */
export function processFacts(db: Db, sel: StatsSelection): ProcessFacts[] {
  const live = where(sel, 's.');
  const tally = where(sel, '');
  const rows = db
    .prepare(
      `SELECT 1 AS live, s.kind, s.direction, s.counterpart, r.status, s.started_at, s.ack_at, s.final_at, r.due_at, r.paused_at, 0 AS ack_days, 0 AS final_days, 0 AS within_deadline, 1 AS n
        FROM stats_rows s JOIN requests r ON r.id = s.request_id ${live.sql}
      UNION ALL
      SELECT 0, kind, direction, counterpart, status, 0, NULL, NULL, NULL, NULL, ack_days, final_days, within_deadline, n FROM stats_tally ${tally.sql}`,
    )
    .all({ ...live.params, ...tally.params }) as (Omit<ProcessFacts, 'live'> & { live: number })[];
  return rows.map((r) => ({ ...r, live: r.live === 1 }) as ProcessFacts);
}
