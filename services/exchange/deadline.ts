import { DEFAULT_FORMAL_REQUEST_DAYS, isWorkingDay, localDate, serviceDays } from '../requests/deadlines.js';
import { isFinal } from '../requests/lifecycle.js';
import type { RequestRow } from '../store/index.js';
import type { CalendarSource } from './deps.js';
import { requestedCountry } from './schedule.js';

/** A running deadline in words a person can act on: what is due, from whom, by which rule, how long is left. */
export interface DeadlineInfo {
  /** "answer": the requested state answers; "formal_request": after a provisional arrest, the requesting state sends the formal extradition request. */
  what: 'answer' | 'formal_request';
  /** The country that must act. */
  from: string;
  /** The last day, YYYY-MM-DD, in the requested state's calendar. */
  dueDate: string;
  /** The rule: this many days, counted as `counting`. */
  days: number;
  counting: 'working_days' | 'calendar_days';
  /** Days left after today up to and including the last day, in the rule's unit: 0 on the last day, negative once passed. */
  daysLeft: number;
  /** Information was requested: the clock does not run. */
  paused: boolean;
}

const DAY = 86_400_000;
const utcOf = (date: string): number => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d);
};
const dateOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Working days of `cal` after `from` up to and including `to` (negative, counted the other way, when `to` is before `from`). */
export function workingDaysBetween(from: string, to: string, cal: Parameters<typeof isWorkingDay>[1]): number {
  const [a, b, sign] = to >= from ? [from, to, 1] : [to, from, -1];
  let n = 0;
  for (let t = utcOf(a) + DAY, end = utcOf(b); t <= end; t += DAY) if (isWorkingDay(dateOf(t), cal)) n++;
  return sign * n;
}

/**
 * The deadline of a request as it stands at `now`, or undefined when none runs (not yet
 * received, final, or no deadline for the type). The rule is the requested state's (its
 * service levels and calendar, as the registry publishes them); a formal extradition request
 * is due a fixed number of calendar days after the provisional arrest, counted from the day
 * after it: arrested on 1 December, due by the end of 30 January.
 */
export function deadlineOf(r: RequestRow, now: number, calendars: CalendarSource, ownCountry: string): DeadlineInfo | undefined {
  if (r.dueAt === null || isFinal(r.status)) return undefined;
  const requested = requestedCountry(r, ownCountry);
  const requesting = r.direction === 'outbound' ? ownCountry : r.counterpart;
  const cal = calendars.calendar(requested);
  const formal = r.kind === 'extradition' && r.stage === 'provisional_arrest';
  const paused = r.pausedAt !== null;
  // While paused the last day moves with the pause: it is shown as it would be if the answer came now.
  const dueAt = paused ? r.dueAt + Math.max(0, now - r.pausedAt!) : r.dueAt;
  const dueDate = localDate(dueAt, cal.timeZone);
  const today = localDate(now, cal.timeZone);
  if (formal) {
    return { what: 'formal_request', from: requesting, dueDate, days: DEFAULT_FORMAL_REQUEST_DAYS, counting: 'calendar_days', daysLeft: (utcOf(dueDate) - utcOf(today)) / DAY, paused };
  }
  const days = serviceDays(r.kind, r.urgency, calendars.serviceLevels(requested)) ?? 0;
  return { what: 'answer', from: requested, dueDate, days, counting: 'working_days', daysLeft: workingDaysBetween(today, dueDate, cal), paused };
}
