import { InvalidArgumentError } from '../../keys/index.js';
import type { StatsColumn, StatsCombination } from '../store/index.js';

/**
 * The dimensions a count can be broken down by (docs/protocol.md §27.1), one home for the
 * vocabulary the API, the gateway and the aggregate records use.
 */
export const DIMENSIONS = ['kind', 'direction', 'counterpart', 'status', 'outcome', 'form', 'sex', 'age_group', 'nationality', 'month', 'quarter', 'year'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export function isDimension(s: string): s is Dimension {
  return (DIMENSIONS as readonly string[]).includes(s);
}

/** The value a request has when nothing was recorded for the dimension. */
export const NONE = 'none';
export const UNKNOWN = 'unknown';

/** "2026-Q1" for the month "2026-03". */
export function quarterOf(month: string): string {
  return `${month.slice(0, 4)}-Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`;
}

/** The values of one combination on a dimension: one, except for forms (each form, or "none"). */
export function valuesOf(c: StatsCombination, d: Dimension, forms: () => string[]): readonly string[] {
  switch (d) {
    case 'kind':
    case 'direction':
    case 'counterpart':
    case 'status':
    case 'sex':
    case 'age_group':
      return [c[d] || UNKNOWN];
    case 'nationality':
      return [c.nationality || UNKNOWN];
    case 'outcome':
      return [c.outcome || NONE];
    case 'form': {
      const f = forms();
      return f.length ? f : [NONE];
    }
    case 'month':
      return [c.period];
    case 'quarter':
      return [quarterOf(c.period)];
    case 'year':
      return [c.period.slice(0, 4)];
    default: {
      const _exhaustive: never = d;
      return _exhaustive;
    }
  }
}

/** The store's columns a dimension is read from (statsCombinations' `only`). */
const COLUMN_OF: Record<Dimension, StatsColumn> = {
  kind: 'kind',
  direction: 'direction',
  counterpart: 'counterpart',
  status: 'status',
  outcome: 'outcome',
  form: 'forms',
  sex: 'sex',
  age_group: 'age_group',
  nationality: 'nationality',
  month: 'period',
  quarter: 'period',
  year: 'period',
};

/** The columns a table of `rows` by `columns` needs: `columnsOf('form', 'quarter')` is ['forms', 'period']. */
export function columnsOf(rows: Dimension, columns: Dimension | ''): StatsColumn[] {
  return [...new Set([COLUMN_OF[rows], ...(columns ? [COLUMN_OF[columns]] : [])])];
}

export interface Cell {
  row: string;
  column: string;
  count: number;
}

export interface CountTable {
  rows: Dimension;
  columns: Dimension | '';
  cells: Cell[];
  requests: number;
  erased: number;
}

/** Checks a request for a table of one or two dimensions, naming every problem at once. */
export function validTableDims(rows: string, columns: string): { rows: Dimension; columns: Dimension | '' } {
  const problems: { field: string; message: string }[] = [];
  const list = DIMENSIONS.join(', ');
  if (!isDimension(rows)) problems.push({ field: 'rows', message: `must be one of ${list}` });
  if (columns !== '' && !isDimension(columns)) problems.push({ field: 'columns', message: `must be empty or one of ${list}` });
  if (columns !== '' && columns === rows) problems.push({ field: 'columns', message: 'must differ from rows' });
  const [first, ...more] = problems;
  if (first)
    throw new InvalidArgumentError(
      first.field,
      first.message,
      '',
      {},
      more.map((p) => ({ field: p.field, description: p.message, rule: '', params: {} })),
    );
  return { rows: rows as Dimension, columns: columns as Dimension | '' };
}

const byKey = (a: Cell, b: Cell) => (a.row < b.row ? -1 : a.row > b.row ? 1 : a.column < b.column ? -1 : a.column > b.column ? 1 : 0);

/**
 * Sums the combinations into a table of `rows` by `columns` (or one dimension when
 * `columns` is ""): `countTable(combos, 'form', 'sex')`. Cells of 0 are left out.
 */
export function countTable(combos: readonly StatsCombination[], rows: Dimension, columns: Dimension | ''): CountTable {
  const counts = new Map<string, Cell>();
  let requests = 0;
  let erased = 0;
  for (const c of combos) {
    let parsed: string[] | undefined;
    const forms = () => (parsed ??= JSON.parse(c.forms) as string[]);
    requests += c.n;
    erased += c.erased;
    for (const r of valuesOf(c, rows, forms)) {
      for (const col of columns === '' ? [''] : valuesOf(c, columns, forms)) {
        const key = `${r}\u0000${col}`;
        const cell = counts.get(key);
        if (cell) cell.count += c.n;
        else counts.set(key, { row: r, column: col, count: c.n });
      }
    }
  }
  return { rows, columns, cells: [...counts.values()].sort(byKey), requests, erased };
}
