import { describe, expect, it } from 'vitest';
import { determined, suppress, tableRelations, type Suppressed } from './suppress.js';
import { seeded as rng } from '../../scripts/lib/seeded.js';

/**
 * Every non-negative integer table that agrees with what `s` publishes, found by brute force
 * (independent of the elimination in suppress.ts): the published cells, row and column totals
 * and grand total, with any value for what is withheld.
 */
function consistentTables(s: Suppressed, bound: number): number[][][] {
  const nr = s.cells.length;
  const nc = s.columnTotals.length;
  const out: number[][][] = [];
  const grid = s.cells.map((r) => r.map((v) => v ?? -1));
  const holes = grid.flatMap((r, i) => r.flatMap((v, j) => (v < 0 ? [[i, j] as const] : [])));
  const check = () => {
    const rows = grid.map((r) => r.reduce((a, b) => a + b, 0));
    const cols = Array.from({ length: nc }, (_, j) => grid.reduce((a, r) => a + r[j]!, 0));
    const total = rows.reduce((a, b) => a + b, 0);
    if (s.total !== null && s.total !== total) return;
    if (s.rowTotals.some((t, i) => t !== null && t !== rows[i])) return;
    if (s.columnTotals.some((t, j) => t !== null && t !== cols[j])) return;
    out.push(grid.map((r) => [...r]));
  };
  // Enumerate withheld cells up to `bound` (a smaller bound finds fewer alternatives, so it
  // can only make the check stricter); the last withheld cell of a row whose total is
  // published follows from the others.
  const lastInRow = new Map<number, number>();
  holes.forEach(([i], k) => lastInRow.set(i, k));
  const walk = (k: number) => {
    if (k === holes.length) return check();
    const [i, j] = holes[k]!;
    const rt = s.rowTotals[i];
    if (rt !== null && rt !== undefined && lastInRow.get(i) === k) {
      const rest = grid[i]!.reduce((a, b, jj) => a + (jj === j ? 0 : b), 0);
      if (rt - rest < 0) return;
      grid[i]![j] = rt - rest;
      walk(k + 1);
      grid[i]![j] = -1;
      return;
    }
    for (let v = 0; v <= bound; v++) {
      grid[i]![j] = v;
      walk(k + 1);
    }
    grid[i]![j] = -1;
  };
  void nr;
  walk(0);
  return out;
}

describe('small-cell suppression', () => {
  it('withholds every count below the threshold and never a published one below it', () => {
    const s = suppress(
      {
        cells: [
          [3, 10],
          [12, 20],
        ],
      },
      5,
    );
    expect(s.cells[0]![0]).toBeNull();
    const shown = [...s.cells.flat(), ...s.rowTotals, ...s.columnTotals, s.total].filter((v): v is number => v !== null);
    expect(shown.every((v) => v === 0 || v >= 5)).toBe(true);
    expect(s.cells.flat().filter((v) => v === null).length).toBeGreaterThanOrEqual(4);
  });

  it('leaves a table without small counts as it is', () => {
    expect(
      suppress(
        {
          cells: [
            [5, 0],
            [7, 9],
          ],
        },
        5,
      ),
    ).toEqual({
      cells: [
        [5, 0],
        [7, 9],
      ],
      rowTotals: [5, 16],
      columnTotals: [12, 9],
      total: 21,
    });
  });

  it('leaves no withheld value that the published table and its margins determine (brute force over random tables)', () => {
    const next = rng(18);
    let withheld = 0;
    for (let n = 0; n < 60; n++) {
      const nr = 2;
      const nc = 2 + Math.floor(next() * 2);
      const cells = Array.from({ length: nr }, () => Array.from({ length: nc }, () => (next() < 0.3 ? Math.floor(next() * 5) : Math.floor(next() * 9))));
      const s = suppress({ cells }, 5);
      const hidden = s.cells.flat().filter((v) => v === null).length;
      withheld += hidden;
      if (hidden === 0) continue;
      const all = consistentTables(s, Math.max(...cells.flat()) + 2);
      expect(
        all.some((t) => JSON.stringify(t) === JSON.stringify(cells)),
        `table ${n}`,
      ).toBe(true);
      s.cells.forEach((row, i) =>
        row.forEach((v, j) => {
          if (v !== null) return;
          const values = new Set(all.map((t) => t[i]![j]));
          expect(values.size, `table ${n} ${JSON.stringify(cells)}: cell ${i},${j} has only the value ${[...values].join()}`).toBeGreaterThan(1);
        }),
      );
    }
    expect(withheld).toBeGreaterThan(30);
  });

  it('finds a lone withheld cell in a line determined, and a withheld 2 × 2 rectangle undetermined', () => {
    const rel = tableRelations(2, 2);
    expect(determined([rel.cell(0, 0)], rel.eqs)).toEqual([rel.cell(0, 0)]);
    expect(determined([rel.cell(0, 0), rel.cell(0, 1), rel.cell(1, 0), rel.cell(1, 1)], rel.eqs)).toEqual([]);
  });
});
