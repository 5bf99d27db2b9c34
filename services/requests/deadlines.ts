/**
 * Deadlines in the requested state's working days. Both nodes compute the same due date
 * from the same inputs: the time the requested node accepted the request (carried back in
 * its signed receipt), the type and urgency, and the requested state's published service
 * levels and calendar (registry). Time spent waiting for information is added back.
 */
export interface CountryCalendar {
  timeZone: string;
  /** ISO weekdays, 1 = Monday ... 7 = Sunday. */
  workingDays: number[];
  /** YYYY-MM-DD dates that are not working days. */
  holidays: string[];
}

export interface ServiceLevel {
  requestKind: string;
  workingDays: number;
  urgentWorkingDays: number;
}

/** Used where a state has published no service level (docs/architecture.md §5). */
export const DEFAULT_SERVICE_LEVELS: ServiceLevel[] = [
  { requestKind: 'mla', workingDays: 30, urgentWorkingDays: 10 },
  { requestKind: 'nationality_verification', workingDays: 10, urgentWorkingDays: 2 },
  { requestKind: 'criminal_records', workingDays: 10, urgentWorkingDays: 5 },
  { requestKind: 'conviction_notification', workingDays: 20, urgentWorkingDays: 10 },
  { requestKind: 'consular_notification', workingDays: 2, urgentWorkingDays: 1 },
  { requestKind: 'additional_information', workingDays: 10, urgentWorkingDays: 5 },
  { requestKind: 'extradition', workingDays: 60, urgentWorkingDays: 30 },
];

export const DEFAULT_CALENDAR: CountryCalendar = { timeZone: 'UTC', workingDays: [1, 2, 3, 4, 5], holidays: [] };

/** Formal extradition request due this many calendar days after a provisional arrest (per treaty; 60 by default). */
export const DEFAULT_FORMAL_REQUEST_DAYS = 60;

const DAY = 86_400_000;

const formats = new Map<string, Intl.DateTimeFormat>();

/** One formatter per time zone: building one costs ~40 µs, using it ~4 µs. */
function formatFor(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formats.set(timeZone, f);
  }
  return f;
}

function parts(ms: number, timeZone: string): { y: number; m: number; d: number; hh: number; mm: number; ss: number } {
  const f = formatFor(timeZone);
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return { y: Number(p.year), m: Number(p.month), d: Number(p.day), hh: Number(p.hour), mm: Number(p.minute), ss: Number(p.second) };
}

/** The local calendar date of an instant, YYYY-MM-DD. */
export function localDate(ms: number, timeZone: string): string {
  const p = parts(ms, timeZone);
  return `${p.y}-${String(p.m).padStart(2, '0')}-${String(p.d).padStart(2, '0')}`;
}

/** The last millisecond of a local calendar day, as a UTC instant. */
export function endOfLocalDay(date: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d, 23, 59, 59, 999);
  const p = parts(guess, timeZone);
  const wall = Date.UTC(p.y, p.m - 1, p.d, p.hh, p.mm, p.ss, 999);
  return guess - (wall - guess);
}

function isoWeekday(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return wd === 0 ? 7 : wd;
}

function nextDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) + DAY).toISOString().slice(0, 10);
}

export function isWorkingDay(date: string, cal: CountryCalendar): boolean {
  return cal.workingDays.includes(isoWeekday(date)) && !cal.holidays.includes(date);
}

/**
 * The end of the `n`-th working day after the local day of `fromMs`.
 *
 * @example addWorkingDays(Date.UTC(2026, 4, 22, 15), 2, ar) // end of Wed 27 May 2026 in Buenos Aires (25 May is a holiday)
 */
export function addWorkingDays(fromMs: number, n: number, cal: CountryCalendar): number {
  let date = localDate(fromMs, cal.timeZone);
  let counted = 0;
  for (let guard = 0; counted < n && guard < 3660; guard++) {
    date = nextDate(date);
    if (isWorkingDay(date, cal)) counted++;
  }
  return endOfLocalDay(date, cal.timeZone);
}

export function serviceDays(kind: string, urgency: string, levels: ServiceLevel[]): number | undefined {
  const level = levels.find((l) => l.requestKind === kind) ?? DEFAULT_SERVICE_LEVELS.find((l) => l.requestKind === kind);
  if (!level) return undefined;
  return urgency === 'urgent' && level.urgentWorkingDays > 0 ? level.urgentWorkingDays : level.workingDays;
}

/** Due date of a request accepted at `receivedAt`, or undefined for types without a deadline. */
export function dueDate(kind: string, urgency: string, receivedAt: number, levels: ServiceLevel[], cal: CountryCalendar): number | undefined {
  const days = serviceDays(kind, urgency, levels);
  return days === undefined ? undefined : addWorkingDays(receivedAt, days, cal);
}

/** Formal extradition request due after a provisional arrest on `arrestDate` (YYYY-MM-DD). */
export function formalRequestDue(arrestDate: string, cal: CountryCalendar, days = DEFAULT_FORMAL_REQUEST_DAYS): number {
  const [y, m, d] = arrestDate.split('-').map(Number) as [number, number, number];
  return endOfLocalDay(new Date(Date.UTC(y, m - 1, d) + days * DAY).toISOString().slice(0, 10), cal.timeZone);
}
