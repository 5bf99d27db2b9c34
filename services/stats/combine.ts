import { AGREED_TABLES } from './agreed.js';
import type { StatsRecord } from './record.js';

/** A cell of a network table: `row` "*" is a column total, `column` "*" a row total, both the grand total. */
export interface NetworkCell {
  table: string;
  row: string;
  column: string;
  /** The sum of the values the states published. */
  count: number;
  /** Some state withheld its value here: `count` is then a lower bound. */
  suppressed: boolean;
}

export const TOTAL = '*';

/**
 * Combines verified aggregate records of one quarter into the network tables: for every
 * agreed table and cell, the sum of what the states published, marked when one of them
 * withheld its value. `combineRecords([ar, uy])` ⇒ cells of kind_x_direction first.
 */
export function combineRecords(records: readonly StatsRecord[]): NetworkCell[] {
  const out: NetworkCell[] = [];
  for (const def of AGREED_TABLES) {
    const cells = new Map<string, NetworkCell>();
    const add = (row: string, column: string, v: number | null) => {
      const key = `${row}\u0000${column}`;
      let c = cells.get(key);
      if (!c) cells.set(key, (c = { table: def.id, row, column, count: 0, suppressed: false }));
      if (v === null) c.suppressed = true;
      else c.count += v;
    };
    for (const r of records) {
      const t = r.tables.find((x) => x.id === def.id);
      if (!t) continue;
      t.cells.forEach((row, i) => row.forEach((v, j) => add(t.rows[i]!, t.columns[j]!, v)));
      t.rowTotals.forEach((v, i) => add(t.rows[i]!, TOTAL, v));
      t.columnTotals.forEach((v, j) => add(TOTAL, t.columns[j]!, v));
      add(TOTAL, TOTAL, t.total);
    }
    const sorted = [...cells.values()].sort((a, b) => cmp(a.row, b.row) || cmp(a.column, b.column));
    out.push(...sorted);
  }
  return out;
}

/** Codes in order, the totals ("*") last. */
function cmp(a: string, b: string): number {
  if (a === b) return 0;
  if (a === TOTAL) return 1;
  if (b === TOTAL) return -1;
  return a < b ? -1 : 1;
}
