import type { StatsFilter } from '../../../generated/enlace/v1/stats.js';
import { InvalidArgumentError, type FieldViolation } from '../../../keys/index.js';
import { REQUEST_KINDS } from '../../vocabulary.js';
import type { StatsSelection } from '../../store/index.js';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The filter of a statistics call, every problem named at once. */
export function validStatsFilter(f: StatsFilter | undefined): StatsSelection {
  const sel: StatsSelection = { fromPeriod: f?.fromPeriod ?? '', toPeriod: f?.toPeriod ?? '', direction: f?.direction ?? '', kind: f?.kind ?? '' };
  const problems: FieldViolation[] = [];
  const bad = (field: string, description: string) => problems.push({ field, description, rule: '', params: {} });
  if (sel.fromPeriod && !MONTH.test(sel.fromPeriod)) bad('filter.from_period', 'must be a month written YYYY-MM');
  if (sel.toPeriod && !MONTH.test(sel.toPeriod)) bad('filter.to_period', 'must be a month written YYYY-MM');
  if (sel.direction && sel.direction !== 'inbound' && sel.direction !== 'outbound') bad('filter.direction', 'must be inbound, outbound or empty');
  if (sel.kind && !(REQUEST_KINDS as readonly string[]).includes(sel.kind)) bad('filter.kind', 'must be a request type code');
  const [first, ...more] = problems;
  if (first) throw new InvalidArgumentError(first.field, first.description, '', {}, more);
  return sel;
}

const EXPORT_FILE = /^[a-z0-9_]{1,40}\.(csv|xlsx)$/;

/** The file a call's figures are exported to ("" when they are only shown), as its audit entry names it. */
export function validExportFile(file: string): string {
  if (file && !EXPORT_FILE.test(file)) throw new InvalidArgumentError('export_file', 'must be empty or a table name of lowercase letters, digits and _ followed by .csv or .xlsx');
  return file;
}

/** The filter's members as the audit entry's parameters. */
export function filterParams(sel: StatsSelection): Record<string, string> {
  return { from: sel.fromPeriod, to: sel.toPeriod, direction: sel.direction, kind: sel.kind };
}
