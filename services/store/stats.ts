import { FINAL_STATUSES } from '../requests/lifecycle.js';
import { statsFactsOf, statsOutcomeOf } from '../requests/statistics.js';
import type { Db } from './db.js';
import type { StatsCombination } from './stats-query.js';
import { preparedPer } from './rows.js';
import type { NewRequestRow, TransitionRow } from './types.js';

/**
 * The statistics rows of the store (migration 18): one row of coded values per request,
 * written in the same transaction as the request, the step, or the erasure. Nothing here can
 * name a person: the row is derived from the content in clear before it is sealed.
 */

const DAY = 86_400_000;

/**
 * `workingDaysUtc` as an SQL expression of two integer times (columns or parameters), so that a
 * step's working days are computed where the row is written: the weekdays up to a day, counted
 * from a Monday (day 0 of 1970 was a Thursday), at `to` minus at `from`, never below 0. Migration
 * 24 fills older rows by the same rule.
 */
export function workingDaysSql(from: string, to: string): string {
  // A bound JavaScript number is a REAL in SQLite: the cast makes the divisions whole.
  const day = (t: string) => `(CAST(${t} AS INTEGER) / ${DAY} + 4)`;
  const upTo = (t: string) => `(5 * (${day(t)} / 7) + min(${day(t)} % 7, 5))`;
  return `max(0, ${upTo(to)} - ${upTo(from)})`;
}

const stmts = preparedPer((db: Db) => ({
  insert: db.prepare(`INSERT OR IGNORE INTO stats_rows (request_id, kind, direction, counterpart, period, sex, age_group, nationality, forms, started_at)
    VALUES (@requestId, @kind, @direction, @counterpart, @period, @sex, @ageGroup, @nationality, @forms, @startedAt)`),
  ack: db.prepare(`UPDATE stats_rows SET ack_at = @at, ack_days = ${workingDaysSql('started_at', '@at')} WHERE request_id = @requestId AND ack_at IS NULL`),
  final: db.prepare(`UPDATE stats_rows SET final_at = @at, final_days = ${workingDaysSql('started_at', '@at')} WHERE request_id = @requestId AND final_at IS NULL`),
  outcome: db.prepare('UPDATE stats_rows SET outcome = ?, outcome_ground = ? WHERE request_id = ?'),
  live: db.prepare(`SELECT s.*, r.status, r.due_at FROM stats_rows s JOIN requests r ON r.id = s.request_id WHERE s.request_id = ?`),
  drop: db.prepare('DELETE FROM stats_rows WHERE request_id = ?'),
  tally: db.prepare(`INSERT INTO stats_tally (kind, direction, counterpart, period, status, sex, age_group, nationality, forms, outcome, outcome_ground, ack_days, final_days, within_deadline, n)
    VALUES (@kind, @direction, @counterpart, @period, @status, @sex, @age_group, @nationality, @forms, @outcome, @outcome_ground, @ackDays, @finalDays, @within, 1)
    ON CONFLICT (kind, direction, counterpart, period, status, sex, age_group, nationality, forms, outcome, outcome_ground, ack_days, final_days, within_deadline) DO UPDATE SET n = n + 1`),
}));

/** "2026-03" for a time in March 2026 (UTC): the finest period the statistics keep. */
export function periodOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

/**
 * Working days from `from` to `to` (ms UTC), Monday to Friday on UTC dates, the same rule at
 * every node so that figures compare between states: `workingDaysUtc(fri, mon)` is 1.
 */
export function workingDaysUtc(from: number, to: number): number {
  const a = Math.floor(from / DAY);
  const b = Math.floor(to / DAY);
  if (b <= a) return 0;
  const weeks = Math.floor((b - a) / 7);
  let n = weeks * 5;
  for (let d = a + weeks * 7 + 1; d <= b; d++) {
    const wd = (d + 4) % 7; // 1970-01-01 was a Thursday: 0 = Sunday
    if (wd !== 0 && wd !== 6) n++;
  }
  return n;
}

export function insertStatsRow(db: Db, r: NewRequestRow): void {
  const startedAt = r.direction === 'inbound' ? (r.receivedAt ?? r.createdAt) : r.createdAt;
  const facts = statsFactsOf(r.payload, r.payloadType, r.createdAt);
  stmts(db).insert.run({
    requestId: r.id,
    kind: r.kind,
    direction: r.direction,
    counterpart: r.counterpart,
    period: periodOf(startedAt),
    sex: facts.sex,
    ageGroup: facts.ageGroup,
    nationality: facts.nationality,
    forms: JSON.stringify(facts.forms),
    startedAt,
  });
}

const FINAL: readonly string[] = FINAL_STATUSES;

/** A step on a request: the first one past "received" is the acknowledgement, a final status the answer. */
export function recordStatsStep(db: Db, t: TransitionRow): void {
  const s = stmts(db);
  if (!['submitted', 'delivered', 'received'].includes(t.statusAfter)) s.ack.run({ at: t.at, requestId: t.requestId });
  if (FINAL.includes(t.statusAfter)) s.final.run({ at: t.at, requestId: t.requestId });
  const outcome = statsOutcomeOf(t.response, t.responseType);
  if (outcome) s.outcome.run(outcome.outcome, outcome.ground, t.requestId);
}

/** A request's coded values as the live table holds them, with its times. */
interface LiveRow extends Omit<StatsCombination, 'n' | 'erased'> {
  outcome_ground: string;
  started_at: number;
  ack_at: number | null;
  final_at: number | null;
  ack_days: number;
  final_days: number;
  due_at: number | null;
}

/**
 * When a case is erased its row becomes one more count in the anonymous tally: the request id
 * and the times go, the period stays a month, the process figures whole working days (-1 when
 * the step never happened; within_deadline -1 when there was no deadline or no answer).
 */
export function tallyErasedCase(db: Db, requestId: string): void {
  const s = stmts(db);
  const row = s.live.get(requestId) as LiveRow | undefined;
  if (!row) return;
  const { started_at: _startedAt, ack_at: _ackAt, final_at: finalAt, ack_days: ackDays, final_days: finalDays, due_at: dueAt, ...coded } = row;
  s.tally.run({ ...coded, ackDays, finalDays, within: finalAt === null || dueAt === null ? -1 : finalAt <= dueAt ? 1 : 0 });
  s.drop.run(requestId);
}
