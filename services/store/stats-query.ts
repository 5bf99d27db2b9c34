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

const CODED = 'kind, direction, counterpart, period, status, sex, age_group, nationality, forms, outcome';

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

/**
 * Every distinct combination of coded values among the selected requests, live and erased,
 * with its count: the base every table is summed from (one scan of each table).
 */
export function statsCombinations(db: Db, sel: StatsSelection): StatsCombination[] {
  const live = where(sel, 's.');
  const tally = where(sel, '');
  const sql = `SELECT s.kind, s.direction, s.counterpart, s.period, r.status, s.sex, s.age_group, s.nationality, s.forms, s.outcome, COUNT(*) AS n, 0 AS erased
      FROM stats_rows s JOIN requests r ON r.id = s.request_id ${live.sql}
      GROUP BY s.kind, s.direction, s.counterpart, s.period, r.status, s.sex, s.age_group, s.nationality, s.forms, s.outcome
    UNION ALL
    SELECT ${CODED}, SUM(n) AS n, SUM(n) AS erased FROM stats_tally ${tally.sql} GROUP BY ${CODED}`;
  return db.prepare(sql).all({ ...live.params, ...tally.params }) as StatsCombination[];
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
