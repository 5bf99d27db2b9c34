import { describe, expect, it } from 'vitest';
import { addWorkingDays, formalRequestDue, type CountryCalendar } from '../requests/deadlines.js';
import type { RequestRow } from '../store/index.js';
import { deadlineOf, workingDaysBetween } from './deadline.js';
import type { CalendarSource } from './deps.js';

const UY: CountryCalendar = { timeZone: 'America/Montevideo', workingDays: [1, 2, 3, 4, 5], holidays: ['2026-05-25'] };
const calendars: CalendarSource = { serviceLevels: () => [], calendar: () => UY };
const at = (date: string, hh = 12) => Date.parse(`${date}T${String(hh).padStart(2, '0')}:00:00-03:00`);

function row(over: Partial<RequestRow>): RequestRow {
  return { direction: 'outbound', counterpart: 'UY', kind: 'nationality_verification', urgency: 'normal', stage: '', status: 'delivered', dueAt: null, pausedAt: null, ...over } as RequestRow;
}

describe('deadlines in words', () => {
  it('counts working days left in the requested state’s calendar, 0 on the last day, negative once passed', () => {
    const received = at('2026-05-22'); // a Friday; Monday 25 May is a holiday in this calendar
    const r = row({ receivedAt: received, dueAt: addWorkingDays(received, 10, UY) });
    const d = deadlineOf(r, at('2026-05-22', 15), calendars, 'AR')!;
    expect(d).toEqual({ what: 'answer', from: 'UY', dueDate: '2026-06-08', days: 10, counting: 'working_days', daysLeft: 10, paused: false });
    expect(deadlineOf(r, at('2026-06-08', 23), calendars, 'AR')!.daysLeft).toBe(0);
    expect(deadlineOf(r, at('2026-06-10'), calendars, 'AR')!.daysLeft).toBe(-2);
    // An inbound request: this node must answer.
    expect(deadlineOf({ ...r, direction: 'inbound', counterpart: 'AR' }, at('2026-05-22', 15), calendars, 'UY')!.from).toBe('UY');
  });

  it('a formal extradition request is due 60 calendar days after the provisional arrest: arrested on 1 December, due by 30 January', () => {
    const r = row({ kind: 'extradition', stage: 'provisional_arrest', status: 'in_progress', dueAt: formalRequestDue('2026-12-01', UY) });
    const d = deadlineOf(r, at('2026-12-01'), calendars, 'AR')!;
    expect(d).toEqual({ what: 'formal_request', from: 'AR', dueDate: '2027-01-30', days: 60, counting: 'calendar_days', daysLeft: 60, paused: false });
    expect(deadlineOf(r, at('2027-01-30', 23), calendars, 'AR')!.daysLeft).toBe(0);
    expect(deadlineOf(r, at('2027-01-31'), calendars, 'AR')!.daysLeft).toBe(-1);
  });

  it('stops while information is requested, and none runs on a final request', () => {
    const received = at('2026-05-22');
    const due = addWorkingDays(received, 10, UY);
    const paused = row({ receivedAt: received, dueAt: due, pausedAt: at('2026-05-27'), status: 'information_requested' });
    const soon = deadlineOf(paused, at('2026-05-28'), calendars, 'AR')!;
    const later = deadlineOf(paused, at('2026-06-20'), calendars, 'AR')!;
    expect(soon.paused).toBe(true);
    expect(later.daysLeft).toBeGreaterThan(0);
    expect(deadlineOf(row({ dueAt: due, status: 'completed' }), at('2026-05-28'), calendars, 'AR')).toBeUndefined();
    expect(deadlineOf(row({ dueAt: null }), at('2026-05-28'), calendars, 'AR')).toBeUndefined();
  });

  it('working days between two dates skip weekends and holidays, both ways', () => {
    expect(workingDaysBetween('2026-05-22', '2026-05-29', UY)).toBe(4);
    expect(workingDaysBetween('2026-05-29', '2026-05-22', UY)).toBe(-4);
    expect(workingDaysBetween('2026-05-22', '2026-05-22', UY)).toBe(0);
  });
});
