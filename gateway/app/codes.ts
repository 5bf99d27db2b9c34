import { Direction, eventTypeToJSON, requestStatusToJSON, type EventType, type RequestStatus } from '../../generated/enlace/v1/exchange.js';
import { REQUEST_KINDS, type RequestType } from '../../services/vocabulary.js';

/** "REQUEST_STATUS_IN_PROGRESS" → "in_progress": labels follow the proto enums as they grow. */
export function statusCode(s: RequestStatus): string {
  return requestStatusToJSON(s)
    .replace(/^REQUEST_STATUS_/, '')
    .toLowerCase();
}

export function eventCode(e: EventType): string {
  return eventTypeToJSON(e)
    .replace(/^EVENT_TYPE_/, '')
    .toLowerCase();
}

export function directionCode(d: Direction): 'inbound' | 'outbound' | 'any' {
  return d === Direction.DIRECTION_INBOUND ? 'inbound' : d === Direction.DIRECTION_OUTBOUND ? 'outbound' : 'any';
}

/** Cooperation request types, from the one vocabulary (services/vocabulary.ts), in its order. */
export { REQUEST_KINDS };
export type RequestKind = RequestType;
