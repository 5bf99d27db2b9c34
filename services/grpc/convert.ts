import { Direction, EventType, RequestStatus, type ReceiptInfo, type Request, type TimelineEvent } from '../../generated/enlace/v1/exchange.js';
import type { ReceiptRow, RequestRow, Status, TimelineRow, TimelineType } from '../store/index.js';

const STATUS: Record<Status, RequestStatus> = {
  submitted: RequestStatus.REQUEST_STATUS_SUBMITTED,
  delivered: RequestStatus.REQUEST_STATUS_DELIVERED,
  received: RequestStatus.REQUEST_STATUS_RECEIVED,
  failed: RequestStatus.REQUEST_STATUS_FAILED,
};

const EVENT: Record<TimelineType, EventType> = {
  submitted: EventType.EVENT_TYPE_SUBMITTED,
  published: EventType.EVENT_TYPE_PUBLISHED,
  delivered: EventType.EVENT_TYPE_DELIVERED,
  received: EventType.EVENT_TYPE_RECEIVED,
  failed: EventType.EVENT_TYPE_FAILED,
  rejected: EventType.EVENT_TYPE_REJECTED,
};

export function requestToProto(r: RequestRow): Request {
  return {
    id: r.id,
    direction: r.direction === 'outbound' ? Direction.DIRECTION_OUTBOUND : Direction.DIRECTION_INBOUND,
    from: r.fromAddr,
    to: r.toAddr,
    kind: r.kind,
    subject: r.subject,
    payload: r.payload,
    payloadType: r.payloadType,
    status: STATUS[r.status],
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    senderReference: r.senderReference,
    failureReason: r.failureReason,
  };
}

export function timelineToProto(t: TimelineRow): TimelineEvent {
  return { requestId: t.requestId, type: EVENT[t.type], at: t.at, detail: t.detail };
}

/** The receipt that decided the request: the matching one, else the latest. */
export function receiptToProto(receipts: ReceiptRow[]): ReceiptInfo | undefined {
  const r = receipts.find((x) => x.matchesSent) ?? receipts.at(-1);
  if (!r) return undefined;
  return {
    receiptEnvelopeId: r.receiptId,
    signerCountry: r.signerCountry,
    signerKeyId: r.signerKid,
    signatureVerified: true,
    receivedAt: r.receivedAt,
    envelopeSha256: r.envelopeSha256,
    outcome: r.outcome,
    reasonCode: r.reasonCode,
  };
}
