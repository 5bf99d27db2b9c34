import { RequestPayload } from '../../generated/enlace/v1/requests.js';
import { InvalidArgumentError } from '../../keys/index.js';
import { REQUEST_TYPE_CODES } from './codes.js';
import { EXTRADITION_STAGES, isAction } from './lifecycle.js';
import { TYPED_REQUEST, validStepResponse } from './typed.js';
import { validRequestPayload } from './validate-payload.js';
import { report } from './violations.js';

/**
 * The field rules of a request and of a lifecycle step: one set, run on a local client's
 * submit (services/grpc/validate.ts) and on content received from another state (the
 * inbox), so that a peer is checked exactly like a client. Each check throws
 * InvalidArgumentError naming the field.
 */
export const FIELD_LIMITS = {
  subjectChars: 200,
  senderReferenceChars: 100,
  payloadBytes: 4 * 1024 * 1024,
  noteChars: 2000,
  responseBytes: 2 * 1024 * 1024,
} as const;

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
const MEDIA_TYPE = /^[a-z]+\/[a-z0-9.+-]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface RequestFields {
  kind: string;
  toAuthority: string;
  subject: string;
  payload: Uint8Array;
  payloadType: string;
  senderReference: string;
  urgency: string;
}

export function checkRequestFields(f: RequestFields): void {
  if (f.toAuthority && !SLUG.test(f.toAuthority)) report('to_authority', 'must be a lower-case slug of letters, digits and hyphens (at most 63)', 'slug');
  if (!(REQUEST_TYPE_CODES as readonly string[]).includes(f.kind))
    report('kind', `must be one of: ${REQUEST_TYPE_CODES.join(', ')}`, f.kind ? 'code' : 'required', f.kind ? { table: 'request_types' } : {});
  const subject = f.subject.trim();
  if (subject.length === 0 || subject.length > FIELD_LIMITS.subjectChars)
    report('subject', `must have 1 to ${FIELD_LIMITS.subjectChars} characters`, subject.length === 0 ? 'required' : 'too_long', subject.length === 0 ? {} : { max: String(FIELD_LIMITS.subjectChars) });
  if (f.payload.byteLength > FIELD_LIMITS.payloadBytes) report('payload', `must be at most ${FIELD_LIMITS.payloadBytes} bytes`, 'too_large', { max: String(FIELD_LIMITS.payloadBytes) });
  if (!MEDIA_TYPE.test(f.payloadType || 'application/json')) report('payload_type', 'must be a media type like application/json', 'media_type');
  if (f.senderReference.length > FIELD_LIMITS.senderReferenceChars)
    report('sender_reference', `must have at most ${FIELD_LIMITS.senderReferenceChars} characters`, 'too_long', { max: String(FIELD_LIMITS.senderReferenceChars) });
  if (f.urgency !== '' && f.urgency !== 'normal' && f.urgency !== 'urgent') report('urgency', 'must be normal or urgent', 'code', { table: 'urgency' });
}

/** A request as another state sent it: its fields, then its typed form (the same checks as a submit's). */
export function checkReceivedRequest(f: RequestFields, now: number): void {
  checkRequestFields(f);
  if (f.subject !== f.subject.trim()) throw new InvalidArgumentError('subject', 'must not start or end with spaces');
  if (f.payloadType !== TYPED_REQUEST) return;
  let form: RequestPayload;
  try {
    form = RequestPayload.decode(f.payload);
  } catch {
    throw new InvalidArgumentError('payload', 'is not a RequestPayload');
  }
  validRequestPayload(f.kind, form, { now, field: 'payload' });
}

export interface StepFields {
  action: string;
  note: string;
  response: Uint8Array;
  responseType: string;
  stage: string;
  stageDate: string;
}

export function checkStepFields(f: StepFields): void {
  if (!isAction(f.action))
    throw new InvalidArgumentError('action', 'must be one of: acknowledge, start, request_information, provide_information, complete, partially_execute, refuse, withdraw, record_stage');
  if (f.note.length > FIELD_LIMITS.noteChars) report('note', `must have at most ${FIELD_LIMITS.noteChars} characters`, 'too_long', { max: String(FIELD_LIMITS.noteChars) });
  if (f.response.byteLength > FIELD_LIMITS.responseBytes) report('response', 'must be at most 2 MiB', 'too_large', { max: String(FIELD_LIMITS.responseBytes) });
  if (f.response.byteLength > 0 && !MEDIA_TYPE.test(f.responseType)) report('response_type', 'must be a media type like application/json', 'media_type');
  if (f.action === 'record_stage') {
    if (!(EXTRADITION_STAGES as readonly string[]).includes(f.stage))
      report('stage', `must be one of: ${EXTRADITION_STAGES.join(', ')}`, f.stage ? 'code' : 'required', f.stage ? { table: 'extradition_stages' } : {});
    if (f.stageDate && (!DATE.test(f.stageDate) || Number.isNaN(Date.parse(f.stageDate)))) report('stage_date', 'must be a date written YYYY-MM-DD', 'date');
    if (f.stage === 'provisional_arrest' && !f.stageDate) report('stage_date', 'is required for a provisional arrest (it starts the formal request clock)', 'required');
  } else if (f.stage || f.stageDate) {
    throw new InvalidArgumentError('stage', 'is only used with the record_stage action');
  }
}

/**
 * A step as another state sent it: its fields, its time (not beyond the clock tolerance
 * ahead of this node's clock), and, when the request is known here, its answer.
 */
export function checkReceivedStep(f: StepFields & { at: number }, kind: string | undefined, now: number, maxSkewMs: number): void {
  checkStepFields(f);
  if (f.note !== f.note.trim()) throw new InvalidArgumentError('note', 'must not start or end with spaces');
  if (f.at > now + maxSkewMs) throw new InvalidArgumentError('at', `is ${Math.round((f.at - now) / 60_000)} minutes ahead of this node's clock (at most ${maxSkewMs / 60_000} allowed)`);
  if (f.at <= 0) throw new InvalidArgumentError('at', 'must be a time after 1970');
  if (kind !== undefined) validStepResponse(kind, f.action, f.response, f.responseType, { now: f.at });
}

/** The rule a check breaks, as a sentence, or undefined when it passes. */
export function problemOf(check: () => void): string | undefined {
  try {
    check();
    return undefined;
  } catch (e) {
    if (e instanceof InvalidArgumentError) return e.message;
    throw e;
  }
}
