import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seeded } from '../../scripts/lib/seeded.js';
import { MIGRATIONS } from './migrations.js';
import { openDb, type Db } from './db.js';
import { workingDaysSql, workingDaysUtc } from './stats.js';

const DAY = 86_400_000;
let dir: string;
let db: Db;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'enlace-stats-days-'));
  db = openDb(join(dir, 'node.db'));
});

afterAll(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

describe('working days written with the step', () => {
  // Pairs of times a step can have: the same day, Friday to Monday, weekends on either end, backwards, years apart; times at any hour.
  const next = seeded(24);
  const pairs: [number, number][] = [
    [Date.UTC(2026, 0, 2, 17), Date.UTC(2026, 0, 5, 9)],
    [Date.UTC(2026, 0, 3, 12), Date.UTC(2026, 0, 4, 12)],
    [Date.UTC(2026, 0, 5, 23, 59), Date.UTC(2026, 0, 5, 0, 1)],
    [Date.UTC(1970, 0, 1), Date.UTC(1970, 0, 12)],
    ...Array.from({ length: 2000 }, (): [number, number] => {
      const from = Date.UTC(2024, 0, 1) + Math.floor(next() * 900 * DAY);
      return [from, from + Math.floor((next() - 0.05) * (next() < 0.5 ? 12 : 400) * DAY)];
    }),
  ];

  it('SQLite computes the same days as workingDaysUtc, from bound numbers and from integer columns', () => {
    const fromParams = db.prepare(`SELECT ${workingDaysSql('@from', '@to')} AS d`);
    for (const [from, to] of pairs) expect((fromParams.get({ from, to }) as { d: number }).d, `${new Date(from).toISOString()} → ${new Date(to).toISOString()}`).toBe(workingDaysUtc(from, to));
    db.exec('CREATE TEMP TABLE t (a INTEGER NOT NULL, b INTEGER NOT NULL)');
    const insert = db.prepare('INSERT INTO t VALUES (?, ?)');
    for (const [a, b] of pairs) insert.run(a, b);
    const got = db.prepare(`SELECT a, b, ${workingDaysSql('a', 'b')} AS d FROM t`).all() as { a: number; b: number; d: number }[];
    expect(got.filter((r) => r.d !== workingDaysUtc(r.a, r.b))).toEqual([]);
    expect(new Set(got.map((r) => r.d)).size).toBeGreaterThan(50);
  });

  it('migration 24 fills older rows by the same rule', () => {
    const sql = MIGRATIONS.find((m) => m.version === 24)!.sql;
    db.exec(`CREATE TEMP TABLE stats_rows (started_at INTEGER NOT NULL, ack_at INTEGER, final_at INTEGER)`);
    const insert = db.prepare('INSERT INTO stats_rows VALUES (?, ?, ?)');
    for (const [a, b] of pairs.slice(0, 500)) insert.run(a, b, a === b ? null : Math.max(a, b) + 3 * DAY);
    db.exec(sql.replaceAll('stats_rows', 'temp.stats_rows'));
    const rows = db.prepare('SELECT * FROM temp.stats_rows').all() as { started_at: number; ack_at: number | null; final_at: number | null; ack_days: number; final_days: number }[];
    for (const r of rows) {
      expect(r.ack_days).toBe(r.ack_at === null ? -1 : workingDaysUtc(r.started_at, r.ack_at));
      expect(r.final_days).toBe(r.final_at === null ? -1 : workingDaysUtc(r.started_at, r.final_at));
    }
  });
});
