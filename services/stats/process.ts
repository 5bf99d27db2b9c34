import { FINAL_STATUSES } from '../vocabulary.js';
import type { ProcessFacts } from '../store/index.js';
import { workingDaysUtc } from '../store/index.js';

/**
 * Process indicators (docs/protocol.md §27.1): working days to the first acknowledgement and to
 * the final answer, Monday to Friday on UTC dates at every node so that states compare; the
 * median and the 90th percentile by nearest rank, so that every figure is a whole number of
 * days some request actually took.
 */

export interface ProcessIndicator {
  direction: string;
  kind: string;
  counterpart: string;
  requests: number;
  acknowledged: number;
  ackDaysMedian: number;
  ackDaysP90: number;
  answered: number;
  finalDaysMedian: number;
  finalDaysP90: number;
  withDeadline: number;
  withinDeadline: number;
  overdueNow: number;
}

/** Days → how many requests took that many. */
type Histogram = Map<number, number>;

/**
 * The nearest-rank percentile `p` (0 < p ≤ 1) of a weighted histogram: the smallest value
 * with at least ceil(p × n) observations at or below it; 0 when empty.
 * `percentile(new Map([[1, 1], [3, 1], [9, 1]]), 0.5)` is 3.
 */
export function percentile(h: Histogram, p: number): number {
  const n = [...h.values()].reduce((a, b) => a + b, 0);
  if (n === 0) return 0;
  const rank = Math.ceil(p * n);
  let seen = 0;
  for (const [days, count] of [...h.entries()].sort((a, b) => a[0] - b[0])) {
    seen += count;
    if (seen >= rank) return days;
  }
  return 0;
}

interface Acc {
  requests: number;
  ack: Histogram;
  final: Histogram;
  withDeadline: number;
  withinDeadline: number;
  overdueNow: number;
}

const FINAL: readonly string[] = FINAL_STATUSES;

function add(h: Histogram, days: number, n: number): void {
  h.set(days, (h.get(days) ?? 0) + n);
}

/** What one fact adds, worked out once: days to acknowledgement and to the final answer (-1: none), the deadline figures. */
interface Contribution {
  n: number;
  ackDays: number;
  finalDays: number;
  withDeadline: number;
  withinDeadline: number;
  overdueNow: number;
}

/** One fact's contribution, whatever its source (live row with times, or tally row). */
function contributionOf(f: ProcessFacts, now: number): Contribution {
  if (f.live) {
    const hasDeadline = f.final_at !== null && f.due_at !== null;
    return {
      n: 1,
      ackDays: f.ack_at !== null ? workingDaysUtc(f.started_at, f.ack_at) : -1,
      finalDays: f.final_at !== null ? workingDaysUtc(f.started_at, f.final_at) : -1,
      withDeadline: hasDeadline ? 1 : 0,
      withinDeadline: hasDeadline && f.final_at! <= f.due_at! ? 1 : 0,
      overdueNow: !FINAL.includes(f.status) && f.due_at !== null && f.due_at < now && f.paused_at === null ? 1 : 0,
    };
  }
  return {
    n: f.n,
    ackDays: f.ack_days >= 0 ? f.ack_days : -1,
    finalDays: f.final_days >= 0 ? f.final_days : -1,
    withDeadline: f.within_deadline >= 0 ? f.n : 0,
    withinDeadline: f.within_deadline === 1 ? f.n : 0,
    overdueNow: 0,
  };
}

/** Adds contribution `c` to the accumulator: a live request counts once in each histogram, a tally row `n` times. */
function contribute(a: Acc, c: Contribution): void {
  a.requests += c.n;
  if (c.ackDays >= 0) add(a.ack, c.ackDays, c.n);
  if (c.finalDays >= 0) add(a.final, c.finalDays, c.n);
  a.withDeadline += c.withDeadline;
  a.withinDeadline += c.withinDeadline;
  a.overdueNow += c.overdueNow;
}

const total = (h: Histogram) => [...h.values()].reduce((a, b) => a + b, 0);

/**
 * The indicators per direction: all types first, then each type, then each type and
 * counterpart, in code order. `now` decides what is overdue.
 */
export function processIndicators(facts: readonly ProcessFacts[], now: number): ProcessIndicator[] {
  const groups = new Map<string, { direction: string; kind: string; counterpart: string; acc: Acc }>();
  const accOf = (direction: string, kind: string, counterpart: string): Acc => {
    const key = `${direction}/${kind}/${counterpart}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { direction, kind, counterpart, acc: { requests: 0, ack: new Map(), final: new Map(), withDeadline: 0, withinDeadline: 0, overdueNow: 0 } }));
    return g.acc;
  };
  for (const f of facts) {
    const c = contributionOf(f, now);
    contribute(accOf(f.direction, '', ''), c);
    contribute(accOf(f.direction, f.kind, ''), c);
    contribute(accOf(f.direction, f.kind, f.counterpart), c);
  }
  const order = (g: { direction: string; kind: string; counterpart: string }) => `${g.direction}\u0000${g.kind}\u0000${g.counterpart}`;
  return [...groups.values()]
    .sort((a, b) => (order(a) < order(b) ? -1 : 1))
    .map(({ direction, kind, counterpart, acc }) => ({
      direction,
      kind,
      counterpart,
      requests: acc.requests,
      acknowledged: total(acc.ack),
      ackDaysMedian: percentile(acc.ack, 0.5),
      ackDaysP90: percentile(acc.ack, 0.9),
      answered: total(acc.final),
      finalDaysMedian: percentile(acc.final, 0.5),
      finalDaysP90: percentile(acc.final, 0.9),
      withDeadline: acc.withDeadline,
      withinDeadline: acc.withinDeadline,
      overdueNow: acc.overdueNow,
    }));
}
