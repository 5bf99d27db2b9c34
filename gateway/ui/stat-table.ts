import type { StatFormat, StatTable, StatValue } from '../app/stat-tables.js';
import { chart } from './charts.js';
import { html, type Html } from './html.js';
import type { View } from './view.js';

/** The sign of a withheld count, on the page and in the exports; the legend explains it. */
export const SUPPRESSED = '◆';
/** The sign before a lower bound ("≥ 40"), on the page and in the exports. */
export const AT_LEAST = '≥';

export function numberFormat(v: View): (n: number) => string {
  const f = new Intl.NumberFormat(v.lang, { maximumFractionDigits: 0 });
  return (n) => f.format(n);
}

/** A value as the page shows it (the exports write the number itself). */
export function shownValue(v: View, n: StatValue, format: StatFormat): string {
  if (n === null) return SUPPRESSED;
  if (n === undefined) return '–';
  if (typeof n === 'object') return `${AT_LEAST} ${numberFormat(v)(n.atLeast)}`;
  const text = numberFormat(v)(n);
  return format === 'percent' ? v.t('stats.percent', { n: text }) : text;
}

function cell(v: View, n: StatValue, format: StatFormat): Html {
  if (n === null) return html`<td class="num" data-suppressed><span aria-hidden="true">${SUPPRESSED}</span><span class="sr-only">${v.t('stats.withheld')}</span></td>`;
  if (n === undefined) return html`<td class="num" data-na><span aria-hidden="true">–</span><span class="sr-only">${v.t('stats.notApplicable')}</span></td>`;
  if (typeof n === 'object')
    return html`<td class="num" data-suppressed data-lower-bound="${n.atLeast}"><span aria-hidden="true">${shownValue(v, n, format)}</span><span class="sr-only">${v.t('stats.atLeast', { n: numberFormat(v)(n.atLeast) })}</span></td>`;
  return html`<td class="num" data-value="${n}">${shownValue(v, n, format)}</td>`;
}

/** The downloads of one table, with the page's query so that they hold exactly what it shows. */
function downloads(v: View, t: StatTable, query: string): Html {
  const href = (f: string) => `/statistics/export/${t.id}.${f}${query}`;
  return html`<p class="downloads">${v.t('stats.download')}: <a href="${href('csv')}" download data-export="csv">CSV<span class="sr-only"> · ${t.caption}</span></a> · <a href="${href('xlsx')}" download data-export="xlsx">XLSX<span class="sr-only"> · ${t.caption}</span></a></p>`;
}

/** A chart (when the table has one), the table with the same numbers under it for screen readers, and its downloads. */
export function statBlock(v: View, t: StatTable, query: string): Html {
  const body = t.rows.length
    ? html`<div class="table-scroll" tabindex="0" role="region" aria-label="${t.caption}"><table class="grid stats" id="t-${t.id}" data-table="${t.id}">
    <caption>${t.caption}</caption>
    <thead><tr><th scope="col">${t.corner}</th>${t.columns.map((c) => html`<th scope="col" class="num">${c.label}</th>`)}</tr></thead>
    <tbody>${t.rows.map((r) => html`<tr${r.total ? html` class="total"` : ''}><th scope="row">${r.label}</th>${r.values.map((n, j) => cell(v, n, t.columns[j]!.format))}</tr>`)}</tbody>
  </table></div>${downloads(v, t, query)}`
    : html`<p class="empty" data-table-empty="${t.id}">${t.caption}: ${v.t('stats.noData')}</p>`;
  return html`<div class="stat-block" data-block="${t.id}"><h3>${t.caption}</h3>${t.rows.length ? chart(t, numberFormat(v)) : ''}${body}</div>`;
}
