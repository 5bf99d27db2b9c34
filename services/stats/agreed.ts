import type { Dimension } from './tables.js';

/**
 * The agreed table set of the network figures (docs/protocol.md §27.2): the only tables a
 * node publishes, and nothing finer. `outbound`: the table counts the requests the state sent
 * (each request of the network is counted once, by its sender); `all`: sent and received.
 */
export const AGREED_TABLES = [
  { id: 'kind_x_direction', rows: 'kind', columns: 'direction', scope: 'all' },
  { id: 'kind_x_outcome', rows: 'kind', columns: 'outcome', scope: 'outbound' },
  { id: 'kind_x_counterpart', rows: 'kind', columns: 'counterpart', scope: 'outbound' },
  { id: 'kind_x_form', rows: 'kind', columns: 'form', scope: 'outbound' },
  { id: 'form_x_sex', rows: 'form', columns: 'sex', scope: 'outbound' },
  { id: 'form_x_age_group', rows: 'form', columns: 'age_group', scope: 'outbound' },
  { id: 'sex_x_age_group', rows: 'sex', columns: 'age_group', scope: 'outbound' },
] as const satisfies readonly { id: string; rows: Dimension; columns: Dimension; scope: 'all' | 'outbound' }[];

export type AgreedTableId = (typeof AGREED_TABLES)[number]['id'];
export const AGREED_TABLE_IDS: readonly string[] = AGREED_TABLES.map((t) => t.id);

/** The smallest count a published cell may show unless the network agrees otherwise (§27.3). */
export const DEFAULT_THRESHOLD = 5;

const QUARTER = /^(\d{4})-Q([1-4])$/;

export function isQuarter(s: string): boolean {
  return QUARTER.test(s);
}

/** The months of a quarter: `monthsOf('2026-Q2')` is { from: '2026-04', to: '2026-06' }. */
export function monthsOf(quarter: string): { from: string; to: string } {
  const m = QUARTER.exec(quarter);
  if (!m) throw new Error(`not a quarter: ${quarter}`);
  const first = (Number(m[2]) - 1) * 3 + 1;
  const mm = (n: number) => String(n).padStart(2, '0');
  return { from: `${m[1]}-${mm(first)}`, to: `${m[1]}-${mm(first + 2)}` };
}

/** The quarter before the one `ms` falls in: the last complete one. */
export function lastCompleteQuarter(ms: number): string {
  const d = new Date(ms);
  const q = Math.floor(d.getUTCMonth() / 3);
  return q === 0 ? `${d.getUTCFullYear() - 1}-Q4` : `${d.getUTCFullYear()}-Q${q}`;
}
