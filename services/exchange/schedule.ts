import { DEFAULT_CALENDAR, dueDate, formalRequestDue } from '../requests/deadlines.js';
import type { RequestRow } from '../store/index.js';
import type { CalendarSource, ExchangeDeps } from './deps.js';
import { hasFormalRequest } from './links.js';

/** The requested state: the destination of an outbound request; this node for an inbound one. */
export function requestedCountry(r: RequestRow, ownCountry: string): string {
  return r.direction === 'outbound' ? r.counterpart : ownCountry;
}

export const defaultCalendars: CalendarSource = {
  serviceLevels: () => [],
  calendar: () => DEFAULT_CALENDAR,
};

/**
 * Sets a request's due date once the requested node has accepted it at `receivedAt`.
 * Both nodes call this with the same instant (the receiver's acceptance time, which the
 * sender learns from the signed receipt), so both compute the same date.
 */
export function scheduleOnArrival(deps: ExchangeDeps, r: RequestRow, receivedAt: number): void {
  const country = requestedCountry(r, deps.country);
  const due = dueDate(r.kind, r.urgency, receivedAt, deps.calendars.serviceLevels(country), deps.calendars.calendar(country));
  deps.store.setSchedule(r.id, receivedAt, due ?? null, null);
}

/** Pauses or resumes the deadline around a status change; moves the extradition clock. */
export function scheduleOnTransition(deps: ExchangeDeps, r: RequestRow, status: string, stage: string, stageDate: string, at: number): void {
  let dueAt = r.dueAt;
  let pausedAt = r.pausedAt;
  if (status === 'information_requested' && pausedAt === null) pausedAt = at;
  if (status !== 'information_requested' && pausedAt !== null) {
    if (dueAt !== null) dueAt += Math.max(0, at - pausedAt);
    pausedAt = null;
  }
  if (r.kind === 'extradition' && stage !== r.stage) {
    const cal = deps.calendars.calendar(requestedCountry(r, deps.country));
    // The 60 days run only while the formal request is owed: one already here (§25.1) stops them before they start.
    if (stage === 'provisional_arrest' && stageDate) dueAt = hasFormalRequest(deps, r) ? null : formalRequestDue(stageDate, cal);
    else if (stage === 'formal_request_received') dueAt = null;
  }
  deps.store.setSchedule(r.id, r.receivedAt, dueAt, pausedAt);
}
