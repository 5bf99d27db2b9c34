import type { ProcessGroup } from '../store/index.js';

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

function add(h: Histogram, days: number, n: number): void {
  h.set(days, (h.get(days) ?? 0) + n);
}

/** Adds a group of requests to the accumulator: `n` in each histogram they reached, and the deadline figures. */
function contribute(a: Acc, g: ProcessGroup): void {
  a.requests += g.n;
  if (g.ack_days >= 0) add(a.ack, g.ack_days, g.n);
  if (g.final_days >= 0) add(a.final, g.final_days, g.n);
  if (g.within_deadline >= 0) a.withDeadline += g.n;
  if (g.within_deadline === 1) a.withinDeadline += g.n;
  if (g.overdue === 1) a.overdueNow += g.n;
}

const total = (h: Histogram) => [...h.values()].reduce((a, b) => a + b, 0);

/**
 * The indicators per direction: all types first, then each type, then each type and
 * counterpart, in code order, from the store's groups (processGroups, which decided what is
 * overdue at its `now`).
 */
export function processIndicators(rows: readonly ProcessGroup[]): ProcessIndicator[] {
  const groups = new Map<string, { direction: string; kind: string; counterpart: string; acc: Acc }>();
  const accOf = (direction: string, kind: string, counterpart: string): Acc => {
    const key = `${direction}/${kind}/${counterpart}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { direction, kind, counterpart, acc: { requests: 0, ack: new Map(), final: new Map(), withDeadline: 0, withinDeadline: 0, overdueNow: 0 } }));
    return g.acc;
  };
  for (const g of rows) {
    contribute(accOf(g.direction, '', ''), g);
    contribute(accOf(g.direction, g.kind, ''), g);
    contribute(accOf(g.direction, g.kind, g.counterpart), g);
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
