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
  pairOnLines(hidden, value, rel, nr, nc);
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
 * The cell to withhold next for an exposed variable `v`: among the published non-zero interior
 * cells on its row and column, the smallest whose withholding leaves `v` undetermined (so the
 * least information goes); failing that the smallest on its lines, then any published interior
 * cell with a value, and last any published margin.
 */
function complement(v: number, hidden: Set<number>, value: number[], rel: ReturnType<typeof relations>, nr: number, nc: number): number | undefined {
  const rowCells = (r: number) => Array.from({ length: nc }, (_, c) => rel.cell(r, c));
  const colCells = (c: number) => Array.from({ length: nr }, (_, r) => rel.cell(r, c));
  const near: number[] = [];
  if (v < nr * nc) near.push(...rowCells(Math.floor(v / nc)), ...colCells(v % nc));
  else if (v < nr * nc + nr) near.push(...rowCells(v - nr * nc));
  else if (v < nr * nc + nr + nc) near.push(...colCells(v - nr * nc - nr));
  else near.push(...Array.from({ length: nr * nc }, (_, i) => i));
  const open = (xs: readonly number[]) => [...new Set(xs)].filter((x) => !hidden.has(x) && value[x]! > 0).sort((a, b) => value[a]! - value[b]! || a - b);
  const nearby = open(near);
  const hides = nearby.find((x) => !determined([...hidden, x], rel.eqs).includes(v));
  if (hides !== undefined) return hides;
  return nearby[0] ?? open(Array.from({ length: nr * nc }, (_, i) => i))[0] ?? open(Array.from({ length: rel.vars }, (_, i) => i))[0];
}

/**
 * The usual first pass: while some line of the table (a row with its total, a column with its
 * total, the row totals or the column totals with the grand total) withholds exactly one
 * value, withhold a second one on it, preferring a cell whose crossing line already withholds
 * something (so that withheld cells close into rectangles), then the smallest.
 */
function pairOnLines(hidden: Set<number>, value: number[], rel: ReturnType<typeof relations>, nr: number, nc: number): void {
  const lines: number[][] = [
    ...Array.from({ length: nr }, (_, r) => [...Array.from({ length: nc }, (_, c) => rel.cell(r, c)), rel.row(r)]),
    ...Array.from({ length: nc }, (_, c) => [...Array.from({ length: nr }, (_, r) => rel.cell(r, c)), rel.col(c)]),
    [...Array.from({ length: nr }, (_, r) => rel.row(r)), rel.grand],
    [...Array.from({ length: nc }, (_, c) => rel.col(c)), rel.grand],
  ];
  const linesOf = new Map<number, number[][]>();
  for (const l of lines) for (const v of l) linesOf.set(v, [...(linesOf.get(v) ?? []), l]);
  const hiddenOn = (l: number[]) => l.filter((v) => hidden.has(v)).length;
  for (let changed = true; changed;) {
    changed = false;
    for (const line of lines) {
      if (hiddenOn(line) !== 1) continue;
      const open = line.filter((v) => !hidden.has(v) && value[v]! > 0);
      if (open.length === 0) continue;
      const crossing = (v: number) => (linesOf.get(v) ?? []).filter((l) => l !== line).some((l) => hiddenOn(l) > 0);
      open.sort((a, b) => Number(crossing(b)) - Number(crossing(a)) || Number(a >= nr * nc) - Number(b >= nr * nc) || value[a]! - value[b]! || a - b);
      hidden.add(open[0]!);
      changed = true;
    }
  }
}

/** The relations of an nr × nc table, for checking a published table (tests, verifiers). */
export function tableRelations(nr: number, nc: number) {
  return relations(nr, nc);
}
