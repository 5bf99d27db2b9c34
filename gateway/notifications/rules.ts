import type { Request, WatchRequestsResponse } from '../../generated/enlace/v1/exchange.js';
import { directionCode, eventCode } from '../app/codes.js';
import type { UserRole } from '../db/users.js';
import type { NewNotification } from './store.js';

/** Who acts on a request: answer it, take the next step, meet its deadline. */
export const ACTING_ROLES: readonly UserRole[] = ['focal_point', 'prosecutor'];
/** Who sends requests, and so re-sends or chases one that could not be delivered. */
export const SENDING_ROLES: readonly UserRole[] = ['focal_point', 'prosecutor', 'operator'];

const countryOf = (address: string) => address.slice(0, 2);

function base(r: Request) {
  const inbound = directionCode(r.direction) === 'inbound';
  return { requestId: r.id, requestKind: r.kind, counterpart: countryOf(inbound ? r.from : r.to) };
}

/**
 * The notification an event of the node's watch stream calls for, if any: a request received
 * from another state; a step the other state took (the step's detail starts with the country
 * that took it, services/exchange/transition.ts describeStep); a request that could not be
 * delivered. This gateway's own steps and routine events (published, delivered) notify no one.
 */
export function notificationOfEvent(e: WatchRequestsResponse): NewNotification | undefined {
  const r = e.request;
  if (!r || !e.event) return undefined;
  const type = eventCode(e.event.type);
  const at = Number(e.event.at);
  const once = `event:${r.id}:${type}:${at}`;
  const b = base(r);
  if (type === 'received' && directionCode(r.direction) === 'inbound') return { ...b, kind: 'new_request', roles: ACTING_ROLES, at, once };
  if ((type === 'transition' || type === 'proposed') && e.event.detail.startsWith(`${b.counterpart}:`)) return { ...b, kind: 'new_step', roles: ACTING_ROLES, at, once: `${once}:${e.cursor}` };
  if ((type === 'failed' || type === 'rejected') && directionCode(r.direction) === 'outbound') return { ...b, kind: 'failed', roles: SENDING_ROLES, at, once };
  return undefined;
}

/**
 * Due soon or overdue, for a request whose running deadline this state must meet (the node
 * names the country that must act); once per request, state and due date, so a deadline that
 * moves (paused, extended) notifies again.
 */
export function notificationOfDeadline(r: Request, country: string, kind: 'due_soon' | 'overdue', now: number): NewNotification | undefined {
  if (!r.deadline || r.deadline.from !== country || r.deadline.paused) return undefined;
  return { ...base(r), kind, roles: ACTING_ROLES, at: now, once: `${kind}:${r.id}:${r.deadline.dueDate}` };
}
