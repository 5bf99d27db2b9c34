import { describe, expect, it } from 'vitest';
import { Request, RequestStatus } from '../../generated/enlace/v1/exchange.js';
import { deadlineOf, DUE_SOON_DAYS } from './lifecycle.js';

const NOW = Date.UTC(2026, 11, 1, 12);
const HOUR = 3_600_000;

describe('deadlineOf', () => {
  it('an open request is due soon, overdue or paused', () => {
    expect(deadlineOf(Request.fromPartial({ status: RequestStatus.REQUEST_STATUS_IN_PROGRESS, dueAt: NOW + HOUR }), NOW)).toBe('soon');
    expect(deadlineOf(Request.fromPartial({ status: RequestStatus.REQUEST_STATUS_RECEIVED, dueAt: NOW + (DUE_SOON_DAYS + 1) * 24 * HOUR }), NOW)).toBe('ok');
    expect(deadlineOf(Request.fromPartial({ status: RequestStatus.REQUEST_STATUS_ACKNOWLEDGED, dueAt: NOW - HOUR, overdue: true }), NOW)).toBe('overdue');
    expect(deadlineOf(Request.fromPartial({ status: RequestStatus.REQUEST_STATUS_INFORMATION_REQUESTED, dueAt: NOW + HOUR, deadlinePaused: true }), NOW)).toBe('paused');
  });

  it.each([
    RequestStatus.REQUEST_STATUS_COMPLETED,
    RequestStatus.REQUEST_STATUS_PARTIALLY_EXECUTED,
    RequestStatus.REQUEST_STATUS_REFUSED,
    RequestStatus.REQUEST_STATUS_WITHDRAWN,
    RequestStatus.REQUEST_STATUS_FAILED,
  ])('a closed request (%s) is never due, whatever its date', (status) => {
    expect(deadlineOf(Request.fromPartial({ status, dueAt: NOW + HOUR }), NOW)).toBe('none');
    expect(deadlineOf(Request.fromPartial({ status, dueAt: NOW - HOUR, overdue: true }), NOW)).toBe('none');
  });
});
