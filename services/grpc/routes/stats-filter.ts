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
