import { countOf, type StatTable } from '../app/stat-tables.js';
import { html, type Html } from './html.js';

/** Series colours: distinguishable with the common colour-vision deficiencies (Okabe–Ito), each at least 3:1 on white. */
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7'];
const W = 720;

function scaleMax(values: number[]): number {
  const max = Math.max(1, ...values);
  const step = 10 ** Math.floor(Math.log10(max));
  return Math.ceil(max / step) * step;
}

function legend(t: StatTable, series: number[]): Html | '' {
  if (series.length < 2) return '';
  return html`<ul class="chart-legend" aria-hidden="true">${series.map((s, k) => html`<li><svg width="12" height="12" focusable="false"><rect width="12" height="12" fill="${COLOURS[k % COLOURS.length]}"></rect></svg> ${t.columns[s]!.label}</li>`)}</ul>`;
}

function short(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Horizontal bars, one group per row: labels on the left, the value at the end of each bar. */
function bars(t: StatTable, series: number[], fmt: (n: number) => string): Html {
  const rows = t.rows.filter((r) => !r.total);
  const barH = 16;
  const groupH = series.length * barH + 10;
  const left = 250;
  const room = W - left - 60;
  const max = scaleMax(rows.flatMap((r) => series.map((s) => countOf(r.values[s]) ?? 0)));
  const height = rows.length * groupH + 10;
  const parts = rows.map((r, i) => {
    const y = 5 + i * groupH;
    return html`<g><text x="${left - 8}" y="${y + (series.length * barH) / 2 + 4}" text-anchor="end">${short(r.label, 38)}</text>${series.map((s, k) => {
      const n = r.values[s];
      if (typeof n !== 'number') return '';
      const w = Math.max(n ? 1 : 0, Math.round((n / max) * room));
      return html`<rect x="${left}" y="${y + k * barH}" width="${w}" height="${barH - 2}" fill="${COLOURS[k % COLOURS.length]}"></rect><text x="${left + w + 4}" y="${y + k * barH + barH - 5}">${fmt(n)}</text>`;
    })}</g>`;
  });
  return html`<svg viewBox="0 0 ${W} ${height}" width="100%" class="chart" aria-hidden="true" focusable="false"><line x1="${left}" y1="0" x2="${left}" y2="${height}" stroke="#555"></line>${parts}</svg>`;
}

/** Vertical columns over time, the series side by side in each period. */
function columns(t: StatTable, series: number[], fmt: (n: number) => string): Html {
  const rows = t.rows.filter((r) => !r.total);
  const top = 16;
  const plotH = 200;
  const bottom = 64;
  const left = 48;
  const slot = Math.max(18, Math.floor((W - left - 8) / Math.max(1, rows.length)));
  const barW = Math.max(4, Math.floor((slot - 6) / series.length));
  const max = scaleMax(rows.flatMap((r) => series.map((s) => countOf(r.values[s]) ?? 0)));
  const width = Math.max(W, left + rows.length * slot + 8);
  const ticks = [0, 0.5, 1].map(
    (f) =>
      html`<line x1="${left}" x2="${width}" y1="${top + plotH - f * plotH}" y2="${top + plotH - f * plotH}" stroke="#ccc"></line><text x="${left - 6}" y="${top + plotH - f * plotH + 4}" text-anchor="end">${fmt(max * f)}</text>`,
  );
  const parts = rows.map((r, i) => {
    const x0 = left + i * slot + 3;
    const cx = x0 + (series.length * barW) / 2;
    return html`<g>${series.map((s, k) => {
      const n = r.values[s];
      if (typeof n !== 'number') return '';
      const h = Math.round((n / max) * plotH);
      return html`<rect x="${x0 + k * barW}" y="${top + plotH - h}" width="${barW - 1}" height="${h}" fill="${COLOURS[k % COLOURS.length]}"></rect>`;
    })}<text x="${cx}" y="${top + plotH + 14}" text-anchor="end" transform="rotate(-40 ${cx} ${top + plotH + 14})">${short(r.label, 12)}</text></g>`;
  });
  return html`<svg viewBox="0 0 ${width} ${top + plotH + bottom}" width="100%" class="chart" aria-hidden="true" focusable="false">${ticks}${parts}</svg>`;
}

/**
 * A server-rendered SVG chart of a table's chart series, for people who look rather than
 * read; it is hidden from screen readers, which get the table right under it with the same
 * numbers.
 */
export function chart(t: StatTable, fmt: (n: number) => string): Html | '' {
  if (!t.chart || !t.rows.length) return '';
  const series = t.chart.series.filter((s) => s < t.columns.length);
  const svg = t.chart.layout === 'columns' ? columns(t, series, fmt) : bars(t, series, fmt);
  return html`<div class="chart-box">${svg}${legend(t, series)}</div>`;
}
