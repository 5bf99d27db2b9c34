/**
 * Small-cell suppression of one two-way table with its margins (docs/protocol.md §27.3).
 * Primary: every count from 1 to threshold - 1, cells and margins alike. Complementary: more
 * interior cells, until no suppressed value can be worked out from the published values and
 * the additive relations of the table (each row adds up to its row total, each column to its
 * column total, the totals to the grand total). The check is exact linear algebra, not a
 * rule of thumb, so it also covers the patterns a "two per line" rule misses.
 */

export interface TwoWay {
  /** cells[r][c] */
  cells: number[][];
}

export interface Suppressed {
  /** Interior cells, with null where withheld. */
  cells: (number | null)[][];
  rowTotals: (number | null)[];
  columnTotals: (number | null)[];
  total: number | null;
}

const primary = (v: number, threshold: number) => v > 0 && v < threshold;

/** Unknowns and the additive relations of the table; each relation lists +1 / -1 coefficients by variable index. */
function relations(
  nr: number,
  nc: number,
): { vars: number; eqs: Map<number, number>[]; cell: (r: number, c: number) => number; row: (r: number) => number; col: (c: number) => number; grand: number } {
  const cell = (r: number, c: number) => r * nc + c;
  const row = (r: number) => nr * nc + r;
  const col = (c: number) => nr * nc + nr + c;
  const grand = nr * nc + nr + nc;
  const eqs: Map<number, number>[] = [];
  for (let r = 0; r < nr; r++) eqs.push(new Map([...Array.from({ length: nc }, (_, c) => [cell(r, c), 1] as [number, number]), [row(r), -1]]));
  for (let c = 0; c < nc; c++) eqs.push(new Map([...Array.from({ length: nr }, (_, r) => [cell(r, c), 1] as [number, number]), [col(c), -1]]));
  eqs.push(new Map([...Array.from({ length: nr }, (_, r) => [row(r), 1] as [number, number]), [grand, -1]]));
  eqs.push(new Map([...Array.from({ length: nc }, (_, c) => [col(c), 1] as [number, number]), [grand, -1]]));
  return { vars: grand + 1, eqs, cell, row, col, grand };
}

/**
 * The withheld variables whose value the published ones determine: Gauss-Jordan elimination
 * of the relations restricted to the withheld variables; a pivot variable is determined when
 * its reduced row has no free variable in it.
 */
export function determined(hidden: readonly number[], eqs: readonly Map<number, number>[]): number[] {
  const index = new Map(hidden.map((v, i) => [v, i]));
  const m = eqs.map((e) => {
    const row = new Array<number>(hidden.length).fill(0);
    for (const [v, k] of e) if (index.has(v)) row[index.get(v)!] = k;
    return row;
  });
  const pivots: number[] = [];
  let r = 0;
  for (let c = 0; c < hidden.length && r < m.length; c++) {
    let p = r;
    while (p < m.length && Math.abs(m[p]![c]!) < 1e-9) p++;
    if (p === m.length) continue;
    [m[r], m[p]] = [m[p]!, m[r]!];
    const pr = m[r]!;
    const f = pr[c]!;
    for (let j = 0; j < pr.length; j++) pr[j]! /= f;
    for (let i = 0; i < m.length; i++) {
      if (i === r) continue;
      const row = m[i]!;
      const g = row[c]!;
      if (Math.abs(g) < 1e-9) continue;
      for (let j = 0; j < row.length; j++) row[j] = row[j]! - g * pr[j]!;
    }
    pivots.push(c);
    r++;
  }
  const isPivot = new Set(pivots);
  return pivots.filter((c, i) => m[i]!.every((v, j) => j === c || isPivot.has(j) || Math.abs(v) < 1e-9)).map((c) => hidden[c]!);
}

/**
 * Suppresses `t` at `threshold`: `suppress({ cells: [[3, 10], [12, 20]] }, 5)` withholds the 3
 * and, so that it cannot be recovered from its row and column totals, three more cells.
 */
export function suppress(t: TwoWay, threshold: number): Suppressed {
  const nr = t.cells.length;
  const nc = nr ? t.cells[0]!.length : 0;
  const rel = relations(nr, nc);
  const value = new Array<number>(rel.vars).fill(0);
  for (let r = 0; r < nr; r++) for (let c = 0; c < nc; c++) value[rel.cell(r, c)] = t.cells[r]![c]!;
  for (let r = 0; r < nr; r++) value[rel.row(r)] = t.cells[r]!.reduce((a, b) => a + b, 0);
  for (let c = 0; c < nc; c++) value[rel.col(c)] = t.cells.reduce((a, row) => a + row[c]!, 0);
  value[rel.grand] = value.slice(nr * nc, nr * nc + nr).reduce((a, b) => a + b, 0);
  const hidden = new Set<number>();
  for (let v = 0; v < rel.vars; v++) if (primary(value[v]!, threshold)) hidden.add(v);
  for (;;) {
    if (hidden.size === 0) break;
    const exposed = determined([...hidden], rel.eqs);
    if (exposed.length === 0) break;
    const partner = complement(exposed[0]!, hidden, value, rel, nr, nc);
    if (partner === undefined) break;
    hidden.add(partner);
  }
  const pub = (v: number) => (hidden.has(v) ? null : value[v]!);
  return {
    cells: t.cells.map((row, r) => row.map((_, c) => pub(rel.cell(r, c)))),
    rowTotals: t.cells.map((_, r) => pub(rel.row(r))),
    columnTotals: Array.from({ length: nc }, (_, c) => pub(rel.col(c))),
    total: pub(rel.grand),
  };
}

/**
 * The interior cell to withhold next for an exposed variable: the smallest published non-zero
 * cell on a line through it (for a margin: on its line), so that the least information goes;
 * failing that any published interior cell with a value, and last any published margin.
 */
function complement(v: number, hidden: Set<number>, value: number[], rel: ReturnType<typeof relations>, nr: number, nc: number): number | undefined {
  const lines: number[][] = [];
  const rowCells = (r: number) => Array.from({ length: nc }, (_, c) => rel.cell(r, c));
  const colCells = (c: number) => Array.from({ length: nr }, (_, r) => rel.cell(r, c));
  if (v < nr * nc) lines.push(rowCells(Math.floor(v / nc)), colCells(v % nc));
  else if (v < nr * nc + nr) lines.push(rowCells(v - nr * nc));
  else if (v < nr * nc + nr + nc) lines.push(colCells(v - nr * nc - nr));
  lines.push(
    Array.from({ length: nr * nc }, (_, i) => i),
    Array.from({ length: rel.vars }, (_, i) => i),
  );
  for (const line of lines) {
    const candidates = line.filter((x) => !hidden.has(x) && value[x]! > 0).sort((a, b) => value[a]! - value[b]! || a - b);
    if (candidates.length) return candidates[0];
  }
  return undefined;
}

/** The relations of an nr × nc table, for checking a published table (tests, verifiers). */
export function tableRelations(nr: number, nc: number) {
  return relations(nr, nc);
}
