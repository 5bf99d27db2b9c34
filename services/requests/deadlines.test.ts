import { describe, expect, it } from 'vitest';
import { addWorkingDays, dueDate, endOfLocalDay, formalRequestDue, localDate, type CountryCalendar } from './deadlines.js';

const AR: CountryCalendar = { timeZone: 'America/Argentina/Buenos_Aires', workingDays: [1, 2, 3, 4, 5], holidays: ['2026-05-25'] };

describe('working-day deadlines', () => {
  it('counts working days in the requested state, skipping weekends and holidays', () => {
    // Friday 22 May 2026, 12:00 in Buenos Aires (UTC-3). Mon 25 May is a holiday.
    const from = Date.UTC(2026, 4, 22, 15);
    expect(localDate(addWorkingDays(from, 1, AR), AR.timeZone)).toBe('2026-05-26');
    expect(localDate(addWorkingDays(from, 2, AR), AR.timeZone)).toBe('2026-05-27');
    expect(localDate(addWorkingDays(from, 10, AR), AR.timeZone)).toBe('2026-06-08');
  });

  it('ends the day at local midnight in the requested state', () => {
    expect(new Date(endOfLocalDay('2026-05-26', AR.timeZone)).toISOString()).toBe('2026-05-27T02:59:59.999Z');
  });

  it('uses the urgent service level and the published levels before the defaults', () => {
    const from = Date.UTC(2026, 4, 22, 15);
    const levels = [{ requestKind: 'nationality_verification', workingDays: 5, urgentWorkingDays: 1 }];
    expect(localDate(dueDate('nationality_verification', 'urgent', from, levels, AR)!, AR.timeZone)).toBe('2026-05-26');
    expect(localDate(dueDate('nationality_verification', 'normal', from, levels, AR)!, AR.timeZone)).toBe('2026-06-01');
    expect(localDate(dueDate('criminal_records', 'normal', from, [], AR)!, AR.timeZone)).toBe('2026-06-08');
    expect(dueDate('spontaneous_information', 'normal', from, [], AR)).toBeUndefined();
  });

  it('gives the formal extradition request 60 days after a provisional arrest', () => {
    expect(localDate(formalRequestDue('2026-03-01', AR), AR.timeZone)).toBe('2026-04-30');
  });
});
