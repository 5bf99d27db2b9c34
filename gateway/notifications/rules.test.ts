import { describe, expect, it } from 'vitest';
import { Direction, EventType, Request, WatchRequestsResponse } from '../../generated/enlace/v1/exchange.js';
import { notificationOfDeadline, notificationOfEvent } from './rules.js';

const inbound = Request.fromPartial({ id: 'r1', direction: Direction.DIRECTION_INBOUND, from: 'AR/pgn', to: 'UY', kind: 'mla', subject: 'content' });
const outbound = Request.fromPartial({ id: 'r2', direction: Direction.DIRECTION_OUTBOUND, from: 'UY', to: 'AR/pgn', kind: 'extradition' });
const event = (request: Request, type: EventType, detail = '', cursor = 'c1') => WatchRequestsResponse.fromPartial({ request, event: { requestId: request.id, type, at: 1000, detail }, cursor });

describe('which events notify whom', () => {
  it('a received request and a step by the other state notify the acting roles; own steps and routine events nobody', () => {
    expect(notificationOfEvent(event(inbound, EventType.EVENT_TYPE_RECEIVED))).toMatchObject({ kind: 'new_request', counterpart: 'AR', requestKind: 'mla', roles: ['focal_point', 'prosecutor'] });
    expect(notificationOfEvent(event(inbound, EventType.EVENT_TYPE_TRANSITION, 'AR: withdraw'))).toMatchObject({ kind: 'new_step' });
    expect(notificationOfEvent(event(inbound, EventType.EVENT_TYPE_TRANSITION, 'UY: acknowledge'))).toBeUndefined();
    expect(notificationOfEvent(event(outbound, EventType.EVENT_TYPE_DELIVERED))).toBeUndefined();
    expect(notificationOfEvent(event(outbound, EventType.EVENT_TYPE_PUBLISHED))).toBeUndefined();
  });

  it('a request that could not be delivered notifies the sending roles, operators included', () => {
    expect(notificationOfEvent(event(outbound, EventType.EVENT_TYPE_FAILED))).toMatchObject({ kind: 'failed', counterpart: 'AR', roles: ['focal_point', 'prosecutor', 'operator'] });
    expect(notificationOfEvent(event(inbound, EventType.EVENT_TYPE_FAILED))).toBeUndefined();
  });

  it('carries no content: only ids, codes and countries', () => {
    expect(JSON.stringify(notificationOfEvent(event(inbound, EventType.EVENT_TYPE_RECEIVED)))).not.toContain('content');
  });

  it('a deadline notifies only when this state must meet it, once per due date', () => {
    const due = Request.fromPartial({ ...inbound, deadline: { what: 'answer', from: 'UY', dueDate: '2026-12-10' } });
    expect(notificationOfDeadline(due, 'UY', 'due_soon', 5)).toMatchObject({ kind: 'due_soon', once: 'due_soon:r1:2026-12-10' });
    expect(notificationOfDeadline(due, 'AR', 'due_soon', 5)).toBeUndefined();
    expect(notificationOfDeadline(Request.fromPartial({ ...due, deadline: { ...due.deadline!, paused: true } }), 'UY', 'overdue', 5)).toBeUndefined();
  });
});
