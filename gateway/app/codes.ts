import { Direction, eventTypeToJSON, requestStatusToJSON, type EventType, type RequestStatus } from '../../generated/enlace/v1/exchange.js';

/** "REQUEST_STATUS_IN_PROGRESS" → "in_progress": labels follow the proto enums as they grow. */
export function statusCode(s: RequestStatus): string {
  return requestStatusToJSON(s).replace(/^REQUEST_STATUS_/, '').toLowerCase();
}

export function eventCode(e: EventType): string {
  return eventTypeToJSON(e).replace(/^EVENT_TYPE_/, '').toLowerCase();
}

export function directionCode(d: Direction): 'inbound' | 'outbound' | 'any' {
  return d === Direction.DIRECTION_INBOUND ? 'inbound' : d === Direction.DIRECTION_OUTBOUND ? 'outbound' : 'any';
}

/** Cooperation request types (docs/architecture.md; docs/protocol.md §18.1), in the order the compose form offers them. */
export const REQUEST_KINDS = [
  'nationality_verification',
  'mla',
  'criminal_records',
  'conviction_notification',
  'extradition',
  'consular_notification',
  'additional_information',
  'spontaneous_information',
] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];
