import {
  Direction,
  EventType,
  RequestStatus,
  type AttachmentInfo,
  type Deadline,
  type ReceiptInfo,
  type Request,
  type Step,
  type TimelineEvent,
  type Verdict as VerdictProto,
} from '../../generated/enlace/v1/exchange.js';
import { bytesEqual } from '../../keys/index.js';
import { erasureEndsSteps, type CalendarSource } from '../exchange/index.js';
import { deadlineOf } from '../exchange/deadline.js';
import type { ApiContext } from './context.js';
import { ACTING_ROLES, CONTENT_ROLES, type Role } from '../auth/index.js';
import { FIELD_CLASS_NAMES, involvesChild, REDACTED, type FieldClass } from '../requests/index.js';
import { allowedActions, isFinal } from '../requests/lifecycle.js';
import type { Case, CaseEvent } from '../../generated/enlace/v1/cases.js';
import type { AttachmentMeta, CaseEventRow, CaseRow, RequestLinksRow, ReceiptRow, RequestRow, Status, TimelineRow, TimelineType, TransitionRow, Verdict } from '../store/index.js';
import { TYPED_REQUEST, typedRequestFor, typedResponseFor } from '../requests/typed.js';

const STATUS: Record<Status, RequestStatus> = {
  submitted: RequestStatus.REQUEST_STATUS_SUBMITTED,
  delivered: RequestStatus.REQUEST_STATUS_DELIVERED,
  received: RequestStatus.REQUEST_STATUS_RECEIVED,
  failed: RequestStatus.REQUEST_STATUS_FAILED,
  acknowledged: RequestStatus.REQUEST_STATUS_ACKNOWLEDGED,
  in_progress: RequestStatus.REQUEST_STATUS_IN_PROGRESS,
  information_requested: RequestStatus.REQUEST_STATUS_INFORMATION_REQUESTED,
  completed: RequestStatus.REQUEST_STATUS_COMPLETED,
  partially_executed: RequestStatus.REQUEST_STATUS_PARTIALLY_EXECUTED,
  refused: RequestStatus.REQUEST_STATUS_REFUSED,
  withdrawn: RequestStatus.REQUEST_STATUS_WITHDRAWN,
};

const EVENT: Record<TimelineType, EventType> = {
  submitted: EventType.EVENT_TYPE_SUBMITTED,
  published: EventType.EVENT_TYPE_PUBLISHED,
  delivered: EventType.EVENT_TYPE_DELIVERED,
  received: EventType.EVENT_TYPE_RECEIVED,
  failed: EventType.EVENT_TYPE_FAILED,
  rejected: EventType.EVENT_TYPE_REJECTED,
  transition: EventType.EVENT_TYPE_TRANSITION,
  proposed: EventType.EVENT_TYPE_PROPOSED,
};

/** Re-exported for the callers that check content access next to a conversion. */
export { CONTENT_ROLES };

export interface Viewer {
  roles: readonly Role[];
  now: number;
  /** List and watch views carry metadata only; GetRequest carries the (audited) content. */
  withContent?: boolean;
  /** The calendars a running deadline is counted in, and this node's country (without them no deadline is described). */
  deadlines?: { calendars: CalendarSource; country: string };
}

/** The viewer of a call: the caller's roles, the node's clock and calendars. */
export function viewerOf(ctx: ApiContext, principal: { roles: readonly Role[] }, extra: { withContent?: boolean } = {}): Viewer {
  return { roles: principal.roles, now: ctx.exchange.clock.now(), deadlines: { calendars: ctx.exchange.calendars, country: ctx.exchange.country }, ...extra };
}

function deadlineToProto(r: RequestRow, viewer: Viewer): Deadline | undefined {
  const d = viewer.deadlines && deadlineOf(r, viewer.now, viewer.deadlines.calendars, viewer.deadlines.country);
  return d ? { what: d.what, from: d.from, dueDate: d.dueDate, days: d.days, counting: d.counting, daysLeft: d.daysLeft, paused: d.paused } : undefined;
}

export function canSeeContent(viewer: Viewer): boolean {
  return viewer.roles.some((r) => CONTENT_ROLES.includes(r));
}

/** The field classes (services/requests/field-classes.ts) a viewer is shown: every class for content roles, metadata for the others. */
export function shownClasses(viewer: Viewer): readonly FieldClass[] {
  return canSeeContent(viewer) ? FIELD_CLASS_NAMES : ['metadata'];
}

/** `attachments`: the request's attachment list, where the view shows it (GetRequest, SubmitRequest); `links` its case, linked requests and restrictions (docs/protocol.md §25). */
export function requestToProto(r: RequestRow, viewer: Viewer, attachments: readonly AttachmentMeta[] = [], links?: RequestLinksRow): Request {
  const content = canSeeContent(viewer);
  const shown = viewer.withContent === true;
  const side = r.direction === 'outbound' ? 'requesting' : 'requested';
  const acting = viewer.roles.some((x) => ACTING_ROLES.includes(x));
  return {
    id: r.id,
    direction: r.direction === 'outbound' ? Direction.DIRECTION_OUTBOUND : Direction.DIRECTION_INBOUND,
    from: r.fromAddr,
    to: r.toAddr,
    kind: r.kind,
    // Free text is case content: roles without content access get no subject (clients show a neutral line from the metadata).
    subject: content ? r.subject : '',
    payload: shown && content && r.payloadType !== TYPED_REQUEST ? r.payload : new Uint8Array(),
    payloadType: r.payloadType,
    status: STATUS[r.status],
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    senderReference: r.senderReference,
    failureReason: r.failureReason,
    urgency: r.urgency,
    stage: r.stage,
    dueAt: r.dueAt ?? 0,
    deadlinePaused: r.pausedAt !== null,
    overdue: r.dueAt !== null && r.pausedAt === null && r.dueAt < viewer.now && !isFinal(r.status),
    payloadRedacted: !content && r.payload.byteLength > 0,
    side,
    erased: r.erased,
    typed: shown ? typedRequestFor(r.payload, r.payloadType, shownClasses(viewer)) : undefined,
    involvesChild: childConcerned(r),
    allowedActions: acting && !erasureEndsSteps(r) ? allowedActions({ status: r.status, kind: r.kind, stage: r.stage }, side) : [],
    attachments: attachments.map((a) => attachmentToProto(a, content)),
    // Grounds and reasons are typed by people: free text, shown to content roles only (the states are metadata).
    legalHold: content ? r.legalHold : r.legalHold ? REDACTED : '',
    peerErasure: r.peerErasure,
    peerErasureReason: content ? r.peerErasureReason : r.peerErasureReason ? REDACTED : '',
    consentWithdrawal: r.consentWithdrawal,
    consentLegalGround: content ? r.consentLegalGround : r.consentLegalGround ? REDACTED : '',
    consentWithdrawnAt: r.consentWithdrawnAt ?? 0,
    peerConsent: r.peerConsent,
    peerConsentReason: content ? r.peerConsentReason : r.peerConsentReason ? REDACTED : '',
    deadline: deadlineToProto(r, viewer),
    links: links && { parentRequestId: links.parentId, childRequestIds: links.childIds, caseId: links.caseId, caseReference: links.caseReference, handling: links.handling },
  };
}

/** A case; its title is case content, shown to content roles only. */
export function caseToProto(c: CaseRow, viewer: Viewer): Case {
  return {
    id: c.id,
    owner: c.owner,
    reference: c.reference,
    title: canSeeContent(viewer) ? c.title : '',
    // That a title exists is metadata: a role without content access is told it is withheld, not that there is none.
    hasTitle: c.hasTitle,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    requestCount: c.requestCount,
    counterparts: c.counterparts,
    openCount: c.openCount,
  };
}

export function caseEventToProto(e: CaseEventRow): CaseEvent {
  return { requestId: e.requestId, counterpart: e.counterpart, kind: e.kind, type: e.type, at: e.at, detail: e.detail };
}

/** An attachment's metadata; its file name and hash only for roles that see contents (a name can identify a victim, a hash confirm a document). */
export function attachmentToProto(a: AttachmentMeta, content: boolean): AttachmentInfo {
  return { id: a.id, fileName: content ? (a.fileName ?? '') : '', mediaType: a.mediaType, size: a.size, sha256: content && a.sha256 ? a.sha256 : new Uint8Array() };
}

export function timelineToProto(t: TimelineRow): TimelineEvent {
  return { requestId: t.requestId, type: EVENT[t.type], at: t.at, detail: t.detail, code: t.code, params: t.params };
}

/** The receipt for the request envelope itself: the one bound to its hash, else the latest about it. */
export function receiptToProto(request: RequestRow, receipts: ReceiptRow[]): ReceiptInfo | undefined {
  const r = receipts.find((x) => bytesEqual(x.envelopeSha256, request.envelopeSha256)) ?? receipts.filter((x) => !x.matchesSent).at(-1);
  if (!r) return undefined;
  return {
    receiptEnvelopeId: r.receiptId,
    signerCountry: r.signerCountry,
    signerKeyId: r.signerKid,
    signatureVerified: r.verdict.verified,
    receivedAt: r.receivedAt,
    envelopeSha256: r.envelopeSha256,
    outcome: r.outcome,
    reasonCode: r.reasonCode,
    signature: verdictToProto(r.verdict),
  };
}

/** A stored signature verdict, as checked (never a constant). */
export function verdictToProto(v: Verdict): VerdictProto {
  return { verified: v.verified, keyId: v.keyId, checkedAt: v.checkedAt, detail: v.detail };
}

export function stepToProto(t: TransitionRow, ownCountry: string, counterpart: string, viewer: Viewer): Step {
  return {
    eventId: t.eventId,
    action: t.action,
    status: t.statusAfter,
    stage: t.stage,
    stageDate: t.stageDate,
    note: canSeeContent(viewer) ? t.note : '',
    at: t.at,
    by: t.origin === 'local' ? ownCountry : counterpart,
    delivery: t.delivery,
    response: typedResponseFor(t.response, t.responseType, shownClasses(viewer)),
    seq: t.seq,
    state: t.state,
    // Only a step received from the peer (or the ordering of this node's proposal) carries a peer signature.
    signature: t.verdict.checkedAt > 0 ? verdictToProto(t.verdict) : undefined,
  };
}

/** Whether the request's typed form concerns a child (read from the decrypted form; the flag is never redacted). */
export function childConcerned(r: RequestRow): boolean {
  const form = typedRequestFor(r.payload, r.payloadType, FIELD_CLASS_NAMES);
  return form ? involvesChild(form) : false;
}
