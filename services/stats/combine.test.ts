import { describe, expect, it } from 'vitest';
import { generatePopulation, seeded, type GeneratedCase } from '../../scripts/lib/stats-population.js';
import type { StatsCombination } from '../store/index.js';
import { AGREED_TABLES } from './agreed.js';
import { combineRecords, TOTAL, type NetworkCell } from './combine.js';
import { buildStatsRecord, type PublishedTable, type StatsRecord } from './record.js';
import { determined, suppress, tableRelations } from './suppress.js';

/**
 * The network tables show a withheld cell as a lower bound, "≥ N", N the sum of what the states
 * published there (docs/protocol.md §27.5). These tests check that no withheld value becomes
 * recoverable: not from the network table and its margins (lower bounds included), and not by a
 * state that also knows its own true figures.
 */

const combinationOf = (c: GeneratedCase): StatsCombination => ({
  kind: c.kind,
  direction: c.direction,
  counterpart: c.counterpart,
  period: new Date(c.createdAt).toISOString().slice(0, 7),
  status: c.status,
  sex: c.sex,
  age_group: c.ageGroup,
  nationality: c.nationality,
  forms: JSON.stringify(c.forms),
  outcome: c.outcome,
  n: 1,
  erased: 0,
});

/** A record holding one table (the first agreed one's id) with the given codes, suppressed at 5. */
function recordOf(country: string, rows: string[], columns: string[], cells: number[][]): StatsRecord {
  const s = suppress({ cells }, 5);
  const t: PublishedTable = { id: AGREED_TABLES[0].id, rows, columns, ...s };
  return { v: 1, networkId: 'n', country, quarter: '2026-Q1', at: 0, threshold: 5, tables: [t] };
}

/** The network table of one id as a grid in the records' row and column order, margins last (index nr, nc). */
function grid(cells: readonly NetworkCell[], table: string, rows: string[], columns: string[]): (NetworkCell | undefined)[][] {
  const at = new Map(cells.filter((c) => c.table === table).map((c) => [`${c.row}\u0000${c.column}`, c]));
  return [...rows, TOTAL].map((r) => [...columns, TOTAL].map((c) => at.get(`${r}\u0000${c}`)));
}

describe('network tables with lower bounds', () => {
  it('a withheld network cell shows the sum of the published values, and the truth is at least that', () => {
    // AR withholds its 3 and, so that it cannot be worked out from its margins, its three other cells; UY withholds nothing.
    const a = [
      [3, 10],
      [12, 20],
    ];
    const b = [
      [8, 6],
      [9, 12],
    ];
    const g = grid(combineRecords([recordOf('AR', ['x', 'y'], ['p', 'q'], a), recordOf('UY', ['x', 'y'], ['p', 'q'], b)]), AGREED_TABLES[0].id, ['x', 'y'], ['p', 'q']);
    expect(g.map((row) => row.map((c) => (c!.suppressed ? `≥${c!.count}` : String(c!.count))))).toEqual([
      ['≥8', '≥6', '27'],
      ['≥9', '≥12', '53'],
      ['32', '48', '80'],
    ]);
  });

  it('no withheld network value is determined by the shown ones and the margins (35 states of very different sizes, every agreed table)', () => {
    const states = Array.from({ length: 35 }, (_, i) => `${String.fromCharCode(65 + Math.floor(i / 26))}${String.fromCharCode(65 + (i % 26))}`);
    const records = states.map((country, i) => {
      const cases = generatePopulation(Math.round(40 * 100 ** (i / 34)), 300 + i, { from: Date.UTC(2026, 0, 1), months: 2.9, counterparts: ['AR', 'UY', 'BR', 'CL', 'PY'] });
      return buildStatsRecord(cases.map(combinationOf), { networkId: 'n', country, quarter: '2026-Q1', at: 0, threshold: 5 });
    });
    const cells = combineRecords(records);
    let withheld = 0;
    for (const def of AGREED_TABLES) {
      const own = cells.filter((c) => c.table === def.id);
      const rows = [...new Set(own.map((c) => c.row))].filter((r) => r !== TOTAL);
      const columns = [...new Set(own.map((c) => c.column))].filter((c) => c !== TOTAL);
      const g = grid(cells, def.id, rows, columns);
      const rel = tableRelations(rows.length, columns.length);
      // The unknowns: how much each withheld cell holds beyond its lower bound. The bounds are
      // constants in the table's relations, so they leave the unknowns and their coefficients as
      // they are; a cell missing from the table is a 0 every state published.
      const hidden: number[] = [];
      g.forEach((row, i) =>
        row.forEach((c, j) => {
          if (!c?.suppressed) return;
          hidden.push(i < rows.length && j < columns.length ? rel.cell(i, j) : i < rows.length ? rel.row(i) : j < columns.length ? rel.col(j) : rel.grand);
        }),
      );
      withheld += hidden.length;
      expect(determined(hidden, rel.eqs), def.id).toEqual([]);
      for (const c of own) if (!c.suppressed) expect(c.count === 0 || c.count >= 5, `${def.id} ${c.row} ${c.column}`).toBe(true);
    }
    expect(withheld).toBeGreaterThan(100);
  });

  it('a state that knows its own true figures cannot work out another state’s withheld value from the network table (brute force)', () => {
    const next = seeded(27);
    let checked = 0;
    for (let n = 0; n < 40; n++) {
      const nc = n % 4 === 3 ? 3 : 2;
      const draw = () => Array.from({ length: 2 }, () => Array.from({ length: nc }, () => (next() < 0.35 ? Math.floor(next() * 5) : Math.floor(next() * 10))));
      const [a, b] = [draw(), draw()];
      const ra = recordOf('AR', ['x', 'y'], ['p', 'q', 'r'].slice(0, nc), a);
      const rb = recordOf('UY', ['x', 'y'], ['p', 'q', 'r'].slice(0, nc), b);
      const g = grid(combineRecords([ra, rb]), AGREED_TABLES[0].id, ['x', 'y'], ['p', 'q', 'r'].slice(0, nc));
      const withheldByAr = ra.tables[0]!.cells.flatMap((row, i) => row.flatMap((v, j) => (v === null ? [[i, j] as const] : [])));
      if (withheldByAr.length === 0) continue;
      const candidates = arTablesSeenByUy(g, b, rb.tables[0]!, Math.max(...a.flat()) + 3);
      expect(
        candidates.some((t) => JSON.stringify(t) === JSON.stringify(a)),
        `table ${n}`,
      ).toBe(true);
      for (const [i, j] of withheldByAr) {
        expect(new Set(candidates.map((t) => t[i]![j])).size, `table ${n} ${JSON.stringify(a)} / ${JSON.stringify(b)}: AR's cell ${i},${j}`).toBeGreaterThan(1);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
  });
});

/**
 * Every 2 × nc table of AR that UY, knowing its own true table `b` and its own record, finds
 * consistent with the network grid `g` (interior cells and margins, lower bounds included).
 * What UY published it subtracts; what is left of a shown count is AR's; of a lower bound, AR's
 * published part, or nothing when AR withheld the value (which UY cannot tell when the part is 0).
 */
function arTablesSeenByUy(g: (NetworkCell | undefined)[][], b: number[][], rb: PublishedTable, bound: number): number[][][] {
  const nc = b[0]!.length;
  const sum = (xs: number[]) => xs.reduce((x, y) => x + y, 0);
  const bPublished = (i: number, j: number): number => {
    const v = i < 2 && j < nc ? rb.cells[i]![j] : i < 2 ? rb.rowTotals[i] : j < nc ? rb.columnTotals[j] : rb.total;
    return v ?? 0;
  };
  const bTrue = (i: number, j: number): number => (i < 2 && j < nc ? b[i]![j]! : i < 2 ? sum(b[i]!) : j < nc ? b[0]![j]! + b[1]![j]! : sum(b.flat()));
  const fits = (i: number, j: number, x: number): boolean => {
    const c = g[i]![j];
    const shown = c?.count ?? 0;
    if (!c?.suppressed) return x === shown - bTrue(i, j);
    const arPart = shown - bPublished(i, j);
    return arPart > 0 ? x === arPart : true;
  };
  const out: number[][][] = [];
  const t = [new Array<number>(nc).fill(0), new Array<number>(nc).fill(0)];
  const walk = (k: number): void => {
    if (k === 2 * nc) {
      const ok = [0, 1].every((i) => fits(i, nc, sum(t[i]!))) && Array.from({ length: nc }, (_, j) => fits(2, j, t[0]![j]! + t[1]![j]!)).every(Boolean) && fits(2, nc, sum(t.flat()));
      if (ok) out.push(t.map((r) => [...r]));
      return;
    }
    const [i, j] = [Math.floor(k / nc), k % nc];
    for (let x = 0; x <= bound; x++) {
      if (!fits(i, j, x)) continue;
      t[i]![j] = x;
      walk(k + 1);
    }
    t[i]![j] = 0;
  };
  walk(0);
  return out;
}
