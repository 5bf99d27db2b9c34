import type { Db } from './db.js';

/** An aggregate record found in the registry and the verdict of its check (migration 23). */
export interface StatsRecordRow {
  country: string;
  quarter: string;
  jws: string;
  revision: number;
  accepted: boolean;
  reasonCode: string;
  signedAt: number;
  checkedAt: number;
}

interface Raw {
  country: string;
  quarter: string;
  jws: string;
  revision: number;
  accepted: number;
  reason_code: string;
  signed_at: number;
  checked_at: number;
}

const toRow = (r: Raw): StatsRecordRow => ({
  country: r.country,
  quarter: r.quarter,
  jws: r.jws,
  revision: r.revision,
  accepted: r.accepted === 1,
  reasonCode: r.reason_code,
  signedAt: r.signed_at,
  checkedAt: r.checked_at,
});

/** Keeps the record at `revision` unless one from a later revision is held already. */
export function putStatsRecord(db: Db, r: StatsRecordRow): void {
  db.prepare(
    `INSERT INTO stats_records (country, quarter, jws, revision, accepted, reason_code, signed_at, checked_at) VALUES (@country, @quarter, @jws, @revision, @accepted, @reasonCode, @signedAt, @checkedAt)
     ON CONFLICT (country, quarter) DO UPDATE SET jws = excluded.jws, revision = excluded.revision, accepted = excluded.accepted, reason_code = excluded.reason_code, signed_at = excluded.signed_at, checked_at = excluded.checked_at
     WHERE excluded.revision > stats_records.revision`,
  ).run({ ...r, accepted: r.accepted ? 1 : 0 });
}

/** The records held for a quarter, by country. */
export function statsRecordsOf(db: Db, quarter: string): StatsRecordRow[] {
  return (db.prepare('SELECT * FROM stats_records WHERE quarter = ? ORDER BY country').all(quarter) as Raw[]).map(toRow);
}

/** Quarters some record is held for, newest first. */
export function statsQuarters(db: Db): string[] {
  return (db.prepare('SELECT DISTINCT quarter FROM stats_records ORDER BY quarter DESC').all() as { quarter: string }[]).map((r) => r.quarter);
}
