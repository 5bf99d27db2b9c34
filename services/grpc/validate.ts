import { InvalidArgumentError } from '../../keys/index.js';
import { Direction, RequestStatus, type ListRequestsRequest, type SubmitRequestRequest, type TransitionRequest } from '../../generated/enlace/v1/exchange.js';
import { checkRequestFields, checkStepFields } from '../requests/content-rules.js';
import { collectViolations, part, report } from '../requests/violations.js';
import { EXTRADITION_STAGES, isAction, REQUEST_KINDS, UUID_V7 } from '../vocabulary.js';
import { submitContent, transitionContent, TYPED_REQUEST } from '../requests/typed.js';
import type { SubmitInput, TransitionInput } from '../exchange/index.js';
import type { Direction as StoreDirection, ListFilter, ListPage, Status } from '../store/index.js';

export { REQUEST_KINDS };

const COUNTRY = /^[A-Z]{2}$/;

/** A submit checked whole: every field's violation in one InvalidArgumentError (google.rpc.BadRequest on the wire). */
export function validSubmitRequest(req: SubmitRequestRequest, ownCountry: string, now: number): SubmitInput {
  return collectViolations(() => {
    if (!COUNTRY.test(req.toCountry)) report('to_country', 'must be an ISO 3166-1 alpha-2 code in capitals, like UY', req.toCountry ? 'country' : 'required');
    else if (req.toCountry === ownCountry) report('to_country', 'must be another country than this node', 'other_country');
    checkRequestFields({ ...req, payloadType: req.typed ? '' : req.payloadType });
    // The proto's own rules on further recipients (§25.4); validAlsoTo adds the rules that need the type and this node.
    if (req.alsoToCountries.length > 9) report('also_to_countries', 'may name at most 9 states', 'max_entries');
    if (new Set(req.alsoToCountries).size !== req.alsoToCountries.length) report('also_to_countries', 'names a state twice', 'repeated');
    req.alsoToCountries.forEach((c, i) => {
      if (!COUNTRY.test(c)) report(`also_to_countries[${i}]`, 'must be an ISO 3166-1 alpha-2 code in capitals, like BR', 'country');
    });
    const subject = req.subject.trim();
    if (!req.typed && req.payloadType === TYPED_REQUEST) report('payload_type', 'is reserved for typed; send the form in typed', 'invalid');
    const content = part({ payload: req.payload, payloadType: req.payloadType }, () => submitContent(req.kind, req.typed, req.payload, req.payloadType || 'application/json', now));
    if (req.idempotencyKey && !/^[\x21-\x7e]{8,128}$/.test(req.idempotencyKey)) {
      report('idempotency_key', 'must be 8 to 128 printable ASCII characters without spaces', 'invalid');
    }
    return {
      toCountry: req.toCountry,
      toAuthority: req.toAuthority,
      kind: req.kind,
      subject,
      payload: content.payload,
      payloadType: content.payloadType,
      idempotencyKey: req.idempotencyKey,
      senderReference: req.senderReference,
      urgency: req.urgency === 'urgent' ? 'urgent' : 'normal',
    };
  });
}

/** A step checked whole, like a submit. */
export function validTransition(req: TransitionRequest, actorRole: string, kind: string, now: number): TransitionInput {
  return collectViolations(() => {
    validRequestId(req.requestId, 'request_id');
    checkStepFields(req);
    if (!isAction(req.action)) throw new InvalidArgumentError('action', 'is not a lifecycle action');
    const content = transitionContent(kind, req.action, req.typedResponse, req.response, req.responseType, now);
    return {
      requestId: req.requestId,
      action: req.action,
      note: req.note.trim(),
      response: content.response,
      responseType: content.responseType,
      stage: req.stage,
      stageDate: req.stageDate,
      actorRole,
    };
  });
}

export function validRequestId(id: string, field = 'id'): string {
  if (!UUID_V7.test(id)) {
    throw new InvalidArgumentError(field, 'must be a request id (UUIDv7, lower-case)');
  }
  return id;
}

/** A validated ListRequests query: exactly the store's list filter and page. */
export type ListQuery = ListFilter & ListPage;

/** A WatchRequests cursor: the decimal journal position of an event the client received. */
export function validCursor(value: string, field = 'resume_after'): number {
  if (!/^\d{1,15}$/.test(value)) throw new InvalidArgumentError(field, 'must be the cursor of an event received earlier (digits only)');
  return Number(value);
}

export function toStoreDirection(d: Direction, field = 'direction'): StoreDirection | undefined {
  switch (d) {
    case Direction.DIRECTION_UNSPECIFIED:
      return undefined;
    case Direction.DIRECTION_OUTBOUND:
      return 'outbound';
    case Direction.DIRECTION_INBOUND:
      return 'inbound';
    case Direction.UNRECOGNIZED:
      throw new InvalidArgumentError(field, 'is not a known direction');
    default: {
      const _exhaustive: never = d;
      throw new InvalidArgumentError(field, `is not a known direction (${String(_exhaustive)})`);
    }
  }
}

export function toStoreStatus(s: RequestStatus): Status | undefined {
  switch (s) {
    case RequestStatus.REQUEST_STATUS_UNSPECIFIED:
      return undefined;
    case RequestStatus.REQUEST_STATUS_SUBMITTED:
      return 'submitted';
    case RequestStatus.REQUEST_STATUS_DELIVERED:
      return 'delivered';
    case RequestStatus.REQUEST_STATUS_RECEIVED:
      return 'received';
    case RequestStatus.REQUEST_STATUS_FAILED:
      return 'failed';
    case RequestStatus.REQUEST_STATUS_ACKNOWLEDGED:
      return 'acknowledged';
    case RequestStatus.REQUEST_STATUS_IN_PROGRESS:
      return 'in_progress';
    case RequestStatus.REQUEST_STATUS_INFORMATION_REQUESTED:
      return 'information_requested';
    case RequestStatus.REQUEST_STATUS_COMPLETED:
      return 'completed';
    case RequestStatus.REQUEST_STATUS_PARTIALLY_EXECUTED:
      return 'partially_executed';
    case RequestStatus.REQUEST_STATUS_REFUSED:
      return 'refused';
    case RequestStatus.REQUEST_STATUS_WITHDRAWN:
      return 'withdrawn';
    case RequestStatus.UNRECOGNIZED:
      throw new InvalidArgumentError('status', 'is not a known status');
    default: {
      const _exhaustive: never = s;
      throw new InvalidArgumentError('status', `is not a known status (${String(_exhaustive)})`);
    }
  }
}

export function validListRequests(req: ListRequestsRequest, now: number): ListQuery {
  if (req.counterpart && !COUNTRY.test(req.counterpart)) throw new InvalidArgumentError('counterpart', 'must be an ISO 3166-1 alpha-2 code in capitals');
  if (req.pageSize > 500) throw new InvalidArgumentError('page_size', 'must be at most 500');
  const query: ListQuery = { oldestFirst: req.oldestFirst, limit: req.pageSize || 50 };
  if (req.pageToken) {
    if (!/^\d{1,15}$/.test(req.pageToken)) throw new InvalidArgumentError('page_token', 'is not a token returned by ListRequests');
    query.after = Number(req.pageToken);
  }
  const direction = toStoreDirection(req.direction);
  const status = toStoreStatus(req.status);
  if (direction) query.direction = direction;
  if (status) query.status = status;
  if (req.counterpart) query.counterpart = req.counterpart;
  if (req.kind) {
    if (!(REQUEST_KINDS as readonly string[]).includes(req.kind)) throw new InvalidArgumentError('kind', `must be one of: ${REQUEST_KINDS.join(', ')}`);
    query.kind = req.kind;
  }
  if (req.stage) {
    if (!(EXTRADITION_STAGES as readonly string[]).includes(req.stage)) throw new InvalidArgumentError('stage', `must be one of: ${EXTRADITION_STAGES.join(', ')}`);
    query.stage = req.stage;
  }
  if (req.text) {
    if (req.text.length > 200) throw new InvalidArgumentError('text', 'must have at most 200 characters');
    query.text = req.text;
  }
  if (req.overdue && req.dueWithinDays > 0) throw new InvalidArgumentError('due_within_days', 'cannot be combined with overdue');
  if (req.dueWithinDays > 366) throw new InvalidArgumentError('due_within_days', 'must be at most 366');
  if (req.overdue) query.dueBefore = now;
  if (req.dueWithinDays > 0) query.dueBefore = now + req.dueWithinDays * 86_400_000;
  if (req.updatedSince < 0) throw new InvalidArgumentError('updated_since', 'must be an instant in milliseconds since the epoch (0 = no filter)');
  if (req.updatedSince > 0) query.updatedSince = req.updatedSince;
  return query;
}
