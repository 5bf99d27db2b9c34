import { isDimension } from '../../services/stats/index.js';
import { dimensionName, dimValueLabel, monthLabel } from '../app/stat-labels.js';
import { html, type Html } from './html.js';
import { countryName, type View } from './view.js';

/** The actions of the statistics calls, whose detail names the table asked (services/grpc/read-audit.ts, auditStats). */
export const STATS_ACTIONS: readonly string[] = ['read_stats', 'export_stats'];

/** The table a statistics call asked for, from its audit detail (`table=counts&rows=form&columns=sex&from=2026-01`). */
function tableWords(v: View, d: URLSearchParams): string | undefined {
  switch (d.get('table')) {
    case 'counts':
      return v.t('audit.stats.counts', {
        dims: [d.get('rows') ?? '', d.get('columns') ?? '']
          .filter(isDimension)
          .map((x) => dimensionName(v, x))
          .join(' × '),
      });
    case 'process':
      return v.t('audit.stats.process');
    case 'structure':
      return v.t('audit.stats.structure');
    case 'network':
      return v.t('audit.stats.network', { quarter: dimValueLabel(v, 'quarter', d.get('quarter') ?? '') });
    default:
      return undefined;
  }
}

/**
 * A statistics entry's detail in the reader's words: the table, the filter, the country, and
 * for a download its format with the page's table name beside it as the file calls it.
 * `statsDetail(v, 'table=counts&rows=sex&direction=outbound&file=by_sex.csv')` reads
 * "counts by Sex · Sent · CSV file of the table by_sex".
 */
export function statsDetail(v: View, detail: string): Html {
  const d = new URLSearchParams(detail);
  const table = tableWords(v, d);
  if (!table) return html`<code data-technical>${detail}</code>`;
  const parts = [table];
  const from = d.get('from');
  const to = d.get('to');
  if (from) parts.push(v.t('audit.stats.from', { month: monthLabel(v, from) }));
  if (to) parts.push(v.t('audit.stats.to', { month: monthLabel(v, to) }));
  const direction = d.get('direction');
  if (direction === 'inbound' || direction === 'outbound') parts.push(dimValueLabel(v, 'direction', direction));
  const kind = d.get('kind');
  if (kind) parts.push(dimValueLabel(v, 'kind', kind));
  const country = d.get('country');
  if (country) parts.push(countryName(v, country));
  const file = /^([a-z0-9_]+)\.(csv|xlsx)$/.exec(d.get('file') ?? '');
  return html`<span data-stats-detail>${parts.join(' · ')}${file ? html` · ${v.t('audit.stats.file', { format: file[2]!.toUpperCase() })} <code data-technical>${file[1]}</code>` : ''}</span>`;
}
