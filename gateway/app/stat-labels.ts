import { codes, isCode, label as codeLabel, type CodeTableName } from '../../services/requests/codes.js';
import { isTheme, themeLabel } from '../../services/registry/index.js';
import type { Dimension } from '../../services/stats/index.js';
import { countryName, type MessageKey, type View } from '../ui/view.js';

/** The code table each coded dimension's values come from. */
const TABLE_OF: Partial<Record<Dimension, CodeTableName>> = {
  kind: 'request_types',
  status: 'request_statuses',
  form: 'exploitation_forms',
  sex: 'sex',
  age_group: 'age_groups',
};

/** Outcomes come from the answer of each request type (protocol §27.1): the first table that knows the code names it. */
const OUTCOME_TABLES: readonly CodeTableName[] = ['verification_outcomes', 'mla_outcomes', 'records_outcomes', 'extradition_outcomes', 'notification_outcomes'];

/** A statistics value (a code of `dim`) in the reader's words, never the raw code. */
export function dimValueLabel(v: View, dim: Dimension, code: string): string {
  if (code === 'unknown') return dim === 'sex' || dim === 'age_group' ? codeLabel(TABLE_OF[dim]!, code, v.lang) : v.t('stats.unknown');
  if (code === 'none') return v.t(dim === 'form' ? 'stats.noForm' : 'stats.noOutcome');
  switch (dim) {
    case 'direction':
      return v.t(code === 'outbound' ? 'stats.dir.outbound' : 'stats.dir.inbound');
    case 'counterpart':
    case 'nationality':
      return /^[A-Z]{2}$/.test(code) ? countryName(v, code) : v.t('stats.unknown');
    case 'month':
      return monthLabel(v, code);
    case 'quarter':
      return v.t('stats.quarterLabel', { year: code.slice(0, 4), q: code.slice(6) });
    case 'year':
      return code;
    case 'outcome': {
      const table = OUTCOME_TABLES.find((t) => isCode(t, code));
      return table ? codeLabel(table, code, v.lang) : v.t('stats.otherOutcome');
    }
    default: {
      const table = TABLE_OF[dim];
      return table && isCode(table, code) ? codeLabel(table, code, v.lang) : v.t('stats.unknown');
    }
  }
}

export function monthLabel(v: View, month: string): string {
  const at = Date.parse(`${month}-01T00:00:00Z`);
  if (Number.isNaN(at)) return month;
  // A heading starts with a capital, also where the language writes month names in lower case ("Ene 2026").
  const text = new Intl.DateTimeFormat(v.lang, { year: 'numeric', month: 'short', timeZone: 'UTC' }).format(at);
  return text.charAt(0).toLocaleUpperCase(v.lang) + text.slice(1);
}

export function dimensionName(v: View, dim: Dimension): string {
  return v.t(`stats.dim.${dim}` as MessageKey);
}

export function themeName(v: View, theme: string): string {
  return isTheme(theme) ? themeLabel(theme, v.lang) : v.t('stats.unknown');
}

/** Sort key of a value: its place in the code table where it has one (age groups in age order), else the code. */
export function orderOf(dim: Dimension, values: readonly string[]): string[] {
  const table = TABLE_OF[dim];
  const list: readonly string[] = table ? codes(table) : dim === 'direction' ? ['outbound', 'inbound'] : [];
  const rank = (c: string) => (c === 'none' || c === 'unknown' ? 1e6 : list.includes(c) ? list.indexOf(c) : 1e5);
  return [...values].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}
