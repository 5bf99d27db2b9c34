import type { GetCountsResponse, GetNetworkFiguresResponse, GetProcessIndicatorsResponse, GetStructureIndicatorsResponse } from '../../generated/enlace/v1/stats.js';
import { AGREED_TABLES, TOTAL, type Dimension } from '../../services/stats/index.js';
import { countryName, type MessageKey, type View } from '../ui/view.js';
import { dimensionName, dimValueLabel, orderOf, themeName } from './stat-labels.js';
import type { StatsData, StatsQuery } from './statistics.js';

/**
 * A count that some state withheld (network figures only): at least `atLeast`, the sum of what
 * the other states published there (docs/protocol.md §27.5).
 */
export interface LowerBound {
  atLeast: number;
}

/** A number; a lower bound; `null`: withheld with nothing published beside it; `undefined`: does not apply. */
export type StatValue = number | LowerBound | null | undefined;

/** The number a value puts in a chart or a sum: a count, else nothing. */
export const countOf = (n: StatValue): number | undefined => (typeof n === 'number' ? n : undefined);
export type StatFormat = 'count' | 'days' | 'percent';

/**
 * One table of the statistics page, in the reader's words: the page renders it as a chart and
 * an HTML table, the exports write the same rows, so the three always agree.
 */
export interface StatTable {
  id: string;
  caption: string;
  /** The header of the first column (what the rows are). */
  corner: string;
  columns: { label: string; format: StatFormat }[];
  rows: { label: string; values: StatValue[]; total?: boolean }[];
  /** The columns the chart draws (one series each); vertical columns for time, horizontal bars otherwise. */
  chart?: { series: number[]; layout: 'columns' | 'bars' };
}

const t = (v: View, key: string, params?: Record<string, string | number>) => v.t(key as MessageKey, params);

/** A count table of one or two dimensions with its totals; `withTotals` adds the total row and column of a cross-table. */
export function countsTable(v: View, id: string, caption: string, res: GetCountsResponse, chart?: StatTable['chart']): StatTable {
  const rowsDim = res.rows as Dimension;
  const colsDim = res.columns as Dimension | '';
  const rowCodes = orderOf(rowsDim, [...new Set(res.cells.map((c) => c.row))]);
  const colCodes = colsDim ? orderOf(colsDim, [...new Set(res.cells.map((c) => c.column))]) : [''];
  const at = new Map(res.cells.map((c) => [`${c.row}\u0000${c.column}`, c.count]));
  const columns = colsDim
    ? [...colCodes.map((c) => ({ label: dimValueLabel(v, colsDim, c), format: 'count' as const })), { label: v.t('stats.total'), format: 'count' as const }]
    : [{ label: v.t('stats.requests'), format: 'count' as const }];
  const rows: StatTable['rows'] = rowCodes.map((r) => {
    const values = colCodes.map((c) => at.get(`${r}\u0000${c}`) ?? 0);
    return { label: dimValueLabel(v, rowsDim, r), values: colsDim ? [...values, values.reduce((a, b) => a + b, 0)] : values };
  });
  if (colsDim && rows.length) {
    const sums = columns.map((_, j) => rows.reduce((a, r) => a + (countOf(r.values[j]) ?? 0), 0));
    rows.push({ label: v.t('stats.total'), values: sums, total: true });
  }
  return { id, caption, corner: dimensionName(v, rowsDim), columns, rows, ...(chart ? { chart } : {}) };
}

const share = (part: number, whole: number): StatValue => (whole ? Math.round((part / whole) * 100) : undefined);

export function processTable(v: View, res: GetProcessIndicatorsResponse): StatTable {
  const cols: [MessageKey, StatFormat][] = [
    ['stats.p.requests', 'count'],
    ['stats.p.acknowledged', 'count'],
    ['stats.p.ackMedian', 'days'],
    ['stats.p.ackP90', 'days'],
    ['stats.p.answered', 'count'],
    ['stats.p.finalMedian', 'days'],
    ['stats.p.finalP90', 'days'],
    ['stats.p.within', 'percent'],
    ['stats.p.overdue', 'count'],
  ];
  const rows = res.indicators
    .filter((i) => !i.counterpart)
    .map((i) => ({
      label: i.kind ? `${dimValueLabel(v, 'direction', i.direction)} · ${dimValueLabel(v, 'kind', i.kind)}` : dimValueLabel(v, 'direction', i.direction),
      total: !i.kind,
      values: [
        i.requests,
        i.acknowledged,
        i.acknowledged ? i.ackDaysMedian : undefined,
        i.acknowledged ? i.ackDaysP90 : undefined,
        i.answered,
        i.answered ? i.finalDaysMedian : undefined,
        i.answered ? i.finalDaysP90 : undefined,
        share(i.withinDeadline, i.withDeadline),
        i.overdueNow,
      ],
    }));
  return {
    id: 'process',
    caption: v.t('stats.processCaption'),
    corner: v.t('stats.p.group'),
    columns: cols.map(([k, format]) => ({ label: v.t(k), format })),
    rows,
    chart: { series: [2, 3, 5, 6], layout: 'bars' },
  };
}

/** Per country: active contact points, of which 24/7 and verified within a year, and themes nobody covers. */
export function structureTables(v: View, res: GetStructureIndicatorsResponse): StatTable[] {
  const countries = [...new Set(res.indicators.map((i) => i.country))].sort();
  const themes = [...new Set(res.indicators.map((i) => i.theme))].sort();
  const of = (c: string) => res.indicators.filter((i) => i.country === c);
  const sum = (c: string, f: (i: GetStructureIndicatorsResponse['indicators'][number]) => number) => of(c).reduce((a, i) => a + f(i), 0);
  const perCountry: StatTable = {
    id: 'structure',
    caption: v.t('stats.structureCaption'),
    corner: v.t('stats.dim.counterpart'),
    columns: [
      { label: v.t('stats.s.points'), format: 'count' },
      { label: v.t('stats.s.available247'), format: 'count' },
      { label: v.t('stats.s.verifiedYear'), format: 'count' },
      { label: v.t('stats.s.uncovered'), format: 'count' },
    ],
    rows: countries.map((c) => ({
      label: countryName(v, c),
      values: [sum(c, (i) => i.contactPoints), sum(c, (i) => i.available247), sum(c, (i) => i.verifiedLastYear), res.themesUncovered.filter((u) => u.startsWith(`${c}/`)).length],
    })),
    chart: { series: [0, 1], layout: 'bars' },
  };
  const byTheme: StatTable = {
    id: 'structure_themes',
    caption: v.t('stats.themesCaption'),
    corner: v.t('stats.s.theme'),
    columns: countries.map((c) => ({ label: countryName(v, c), format: 'count' as const })),
    rows: themes.map((th) => ({ label: themeName(v, th), values: countries.map((c) => of(c).find((i) => i.theme === th)?.contactPoints ?? 0) })),
  };
  return [perCountry, byTheme];
}

/** The agreed tables of the network; a withheld cell is the lower bound the published values give, `null` when they give none. */
export function networkTables(v: View, res: GetNetworkFiguresResponse): StatTable[] {
  return AGREED_TABLES.map((agreed) => {
    const cells = res.cells.filter((c) => c.table === agreed.id);
    const rowCodes = [
      ...orderOf(
        agreed.rows,
        [...new Set(cells.map((c) => c.row))].filter((r) => r !== TOTAL),
      ),
      TOTAL,
    ];
    const colCodes = [
      ...orderOf(
        agreed.columns,
        [...new Set(cells.map((c) => c.column))].filter((c) => c !== TOTAL),
      ),
      TOTAL,
    ];
    const at = new Map(cells.map((c) => [`${c.row}\u0000${c.column}`, c]));
    const value = (r: string, c: string): StatValue => {
      const cell = at.get(`${r}\u0000${c}`);
      if (!cell) return 0;
      if (!cell.suppressed) return cell.count;
      return cell.count > 0 ? { atLeast: cell.count } : null;
    };
    const name = (dim: Dimension, code: string) => (code === TOTAL ? v.t('stats.total') : dimValueLabel(v, dim, code));
    return {
      id: `network_${agreed.id}`,
      caption: t(v, `stats.net.${agreed.id}`),
      corner: dimensionName(v, agreed.rows),
      columns: colCodes.map((c) => ({ label: name(agreed.columns, c), format: 'count' as const })),
      rows: cells.length ? rowCodes.map((r) => ({ label: name(agreed.rows, r), values: colCodes.map((c) => value(r, c)), ...(r === TOTAL ? { total: true } : {}) })) : [],
    };
  });
}

/** Every table of the page, in its order. */
export function statisticsTables(v: View, d: StatsData, q: StatsQuery): StatTable[] {
  const time = countsTable(v, 'over_time', v.t(q.period === 'month' ? 'stats.byMonth' : 'stats.byQuarter'), d.overTime);
  const timeSeries = time.columns.length > 2 ? [0, 1] : [0];
  return [
    { ...time, rows: time.rows.filter((r) => !r.total), chart: { series: timeSeries, layout: 'columns' } },
    countsTable(v, 'by_form', v.t('stats.byForm'), d.byForm, { series: [0], layout: 'bars' }),
    countsTable(v, 'by_sex', v.t('stats.bySex'), d.bySex, { series: [0], layout: 'bars' }),
    countsTable(v, 'by_age', v.t('stats.byAge'), d.byAge, { series: [0], layout: 'bars' }),
    processTable(v, d.process),
    ...structureTables(v, d.structure),
    countsTable(v, 'cross', v.t('stats.crossCaption', { rows: dimensionName(v, q.rows), columns: q.columns ? dimensionName(v, q.columns) : v.t('stats.requests') }), d.cross),
    ...networkTables(v, d.network),
  ];
}
