import { REQUEST_KINDS } from '../../../services/vocabulary.js';
import { DIMENSIONS } from '../../../services/stats/index.js';
import type { GetNetworkFiguresResponse } from '../../../generated/enlace/v1/stats.js';
import type { StatTable } from '../../app/stat-tables.js';
import type { StatsQuery } from '../../app/statistics.js';
import { dimensionName, dimValueLabel } from '../../app/stat-labels.js';
import { input, select } from '../form.js';
import { html, type Html } from '../html.js';
import { layout } from '../layout.js';
import { AT_LEAST, statBlock, SUPPRESSED } from '../stat-table.js';
import { countryName, formatTime, type MessageKey, type View } from '../view.js';

export interface StatisticsPageOpts {
  q: StatsQuery;
  tables: StatTable[];
  network: GetNetworkFiguresResponse;
  quarters: string[];
  demo: boolean;
}

/** The page's query as a query string, for the downloads and the forms' hidden fields. */
export function statsQueryString(q: StatsQuery): string {
  const p = new URLSearchParams();
  for (const [k, val] of Object.entries(q)) if (val) p.set(k, String(val));
  const s = p.toString();
  return s ? `?${s}` : '';
}

function hidden(q: StatsQuery, keep: (keyof StatsQuery)[]): Html[] {
  return keep.filter((k) => q[k]).map((k) => html`<input type="hidden" name="${k}" value="${q[k]}">`);
}

function filterForm(v: View, q: StatsQuery): Html {
  return html`<form method="get" action="/statistics" class="panel filters" aria-labelledby="h-filter">
    <h2 id="h-filter">${v.t('stats.filter')}</h2>
    ${input({ name: 'from', label: v.t('stats.from'), value: q.from, type: 'month', hint: v.t('stats.monthHint') })}
    ${input({ name: 'to', label: v.t('stats.to'), value: q.to, type: 'month', hint: v.t('stats.monthHint') })}
    ${select({ name: 'direction', label: v.t('stats.dim.direction'), value: q.direction, empty: v.t('stats.both'), options: ['outbound', 'inbound'].map((d) => ({ value: d, label: dimValueLabel(v, 'direction', d) })) })}
    ${select({ name: 'kind', label: v.t('stats.dim.kind'), value: q.kind, empty: v.t('stats.allKinds'), options: REQUEST_KINDS.map((k) => ({ value: k, label: dimValueLabel(v, 'kind', k) })) })}
    ${select({ name: 'period', label: v.t('stats.period'), value: q.period, options: (['month', 'quarter'] as const).map((d) => ({ value: d, label: dimensionName(v, d) })) })}
    ${hidden(q, ['rows', 'columns', 'quarter'])}
    <button type="submit">${v.t('stats.show')}</button>
  </form>`;
}

function crossForm(v: View, q: StatsQuery): Html {
  const dims = DIMENSIONS.map((d) => ({ value: d, label: dimensionName(v, d) }));
  return html`<form method="get" action="/statistics#h-cross" class="filters">
    ${select({ name: 'rows', label: v.t('stats.rows'), value: q.rows, options: dims })}
    ${select({ name: 'columns', label: v.t('stats.columns'), value: q.columns, empty: v.t('stats.noColumns'), options: dims })}
    ${hidden(q, ['from', 'to', 'direction', 'kind', 'period', 'quarter'])}
    <p class="hint">${v.t('stats.crossHint')}</p>
    <button type="submit">${v.t('stats.crossShow')}</button>
  </form>`;
}

function networkSection(v: View, o: StatisticsPageOpts, blocks: (prefix: string) => Html[]): Html {
  const n = o.network;
  const accepted = n.records.filter((r) => r.accepted);
  const rejected = n.records.filter((r) => !r.accepted);
  return html`<section class="panel" aria-labelledby="h-network">
    <h2 id="h-network">${v.t('stats.networkTitle')}</h2>
    <form method="get" action="/statistics#h-network" class="filters">
      ${select({ name: 'quarter', label: v.t('stats.quarter'), value: o.q.quarter, options: o.quarters.map((x) => ({ value: x, label: dimValueLabel(v, 'quarter', x) })) })}
      ${hidden(o.q, ['from', 'to', 'direction', 'kind', 'period', 'rows', 'columns'])}
      <button type="submit">${v.t('stats.show')}</button>
    </form>
    <p class="legend" data-legend><span aria-hidden="true">${SUPPRESSED}</span> ${v.t('stats.suppressedLegend', { threshold: n.threshold })}</p>
    <p class="legend" data-legend-bound><span aria-hidden="true">${AT_LEAST} N</span> ${v.t('stats.lowerBoundLegend')}</p>
    <p>${v.t('stats.networkStates', { count: accepted.length })} ${accepted.map((r) => countryName(v, r.country)).join(', ')}</p>
    ${rejected.length ? html`<ul class="rejected">${rejected.map((r) => html`<li>${countryName(v, r.country)}: ${v.t(`stats.reason.${r.reasonCode}` as MessageKey)} (${formatTime(v, r.at)})</li>`)}</ul>` : ''}
    ${blocks('network_')}
  </section>`;
}

export function statisticsPage(v: View, o: StatisticsPageOpts): string {
  const qs = statsQueryString(o.q);
  const blocks = (prefix: string, only?: string[]) => o.tables.filter((t) => (only ? only.includes(t.id) : t.id.startsWith(prefix))).map((t) => statBlock(v, t, qs));
  const body = html`<h1>${v.t('stats.title', { country: countryName(v, v.country) })}</h1>
  ${o.demo ? html`<p class="flash demo" role="note" data-demo>${v.t('stats.demo')}</p>` : ''}
  <p>${v.t('stats.intro')}</p>
  ${filterForm(v, o.q)}
  <section class="panel" aria-labelledby="h-counts"><h2 id="h-counts">${v.t('stats.countsTitle')}</h2>${blocks('', ['over_time', 'by_form', 'by_sex', 'by_age'])}</section>
  <section class="panel" aria-labelledby="h-process"><h2 id="h-process">${v.t('stats.processTitle')}</h2><p>${v.t('stats.processIntro')}</p>${blocks('', ['process'])}</section>
  <section class="panel" aria-labelledby="h-structure"><h2 id="h-structure">${v.t('stats.structureTitle')}</h2>${blocks('', ['structure', 'structure_themes'])}</section>
  <section class="panel" aria-labelledby="h-cross"><h2 id="h-cross">${v.t('stats.crossTitle')}</h2>${crossForm(v, o.q)}${blocks('', ['cross'])}</section>
  ${networkSection(v, o, (p) => blocks(p))}`;
  return layout(v, { title: v.t('stats.titleShort'), active: 'statistics', body });
}
