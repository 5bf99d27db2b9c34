import type { RequestPayload, ResponsePayload } from '../../generated/enlace/v1/requests.js';
import { isRequestType, REQUEST_TYPE_CODES, type RequestType } from './codes.js';
import { fail, language } from './validate-fields.js';
import { providedInformation } from './validate-provided.js';
import * as req from './validate-requests.js';
import * as res from './validate-responses.js';

export type RequestBodyCase = NonNullable<RequestPayload['body']>['$case'];

/** The case of RequestPayload.body (and ResponsePayload.body) that carries each request type. */
export const BODY_CASE = {
  mla: 'mla',
  nationality_verification: 'nationalityVerification',
  criminal_records: 'criminalRecords',
  conviction_notification: 'convictionNotification',
  extradition: 'extradition',
  consular_notification: 'consularNotification',
  additional_information: 'additionalInformation',
  spontaneous_information: 'spontaneousInformation',
} as const satisfies Record<RequestType, RequestBodyCase>;

const KIND_OF_CASE = Object.fromEntries(Object.entries(BODY_CASE).map(([k, c]) => [c, k])) as Record<RequestBodyCase, RequestType>;

/** The request type a payload carries, or undefined when it has no body (or carries provided information). */
export function payloadKind(payload: RequestPayload | ResponsePayload): RequestType | undefined {
  const body = payload.body;
  return body && body.$case !== 'providedInformation' ? KIND_OF_CASE[body.$case] : undefined;
}

export interface ValidateOptions {
  /** Milliseconds UTC; dates are checked against it. Default: the system clock. */
  now?: number;
  /** Name of the field holding the payload, first in every error path. Default "payload" (requests), "response". */
  field?: string;
}

function checkKind(kind: string, payload: RequestPayload | ResponsePayload, root: string): RequestType {
  if (!isRequestType(kind)) fail('kind', `must be one of: ${REQUEST_TYPE_CODES.join(', ')}`);
  if (payload.body?.$case === 'providedInformation') fail(`${root}.provided_information`, 'only answers a request for information: give it with the action provide_information');
  const carried = payloadKind(payload);
  if (carried === undefined) fail(`${root}.${kind}`, `must be given for a request of type ${kind}`);
  if (carried !== kind) fail(`${root}.${carried}`, `does not match the request type ${kind}: give ${root}.${kind}`);
  return kind;
}

/**
 * Checks a typed request at the edge and returns it with trimmed text and urgency filled in
 * ("normal" when empty). Throws InvalidArgumentError naming the first bad field.
 *
 * @example
 * validRequestPayload('mla', payload);
 * // throws "payload.mla.measures[1].code must be a measure code (one of: testimony, ...)"
 */
export function validRequestPayload(kind: string, payload: RequestPayload, opts: ValidateOptions = {}): RequestPayload {
  const root = opts.field ?? 'payload';
  const now = opts.now ?? Date.now();
  checkKind(kind, payload, root);
  const lang = language(payload.language, `${root}.language`);
  const body = payload.body!;
  const at = `${root}.${kind}`;
  switch (body.$case) {
    case 'mla':
      return { language: lang, body: { $case: body.$case, value: req.mla(body.value, at, now) } };
    case 'nationalityVerification':
      return { language: lang, body: { $case: body.$case, value: req.nationalityVerification(body.value, at, now) } };
    case 'criminalRecords':
      return { language: lang, body: { $case: body.$case, value: req.criminalRecords(body.value, at, now) } };
    case 'convictionNotification':
      return { language: lang, body: { $case: body.$case, value: req.convictionNotification(body.value, at, now) } };
    case 'extradition':
      return { language: lang, body: { $case: body.$case, value: req.extradition(body.value, at, now) } };
    case 'consularNotification':
      return { language: lang, body: { $case: body.$case, value: req.consularNotification(body.value, at, now) } };
    case 'additionalInformation':
      return { language: lang, body: { $case: body.$case, value: req.additionalInformation(body.value, at, now) } };
    case 'spontaneousInformation':
      return { language: lang, body: { $case: body.$case, value: req.spontaneousInformation(body.value, at, now) } };
    default: {
      const _exhaustive: never = body;
      return _exhaustive;
    }
  }
}

/**
 * Checks the typed response to a request of type `kind`; the outcome decides what else
 * must be there (refusal grounds when refused, what was not executed and why, ...).
 *
 * @example
 * validResponsePayload('mla', { language: 'es', body: { $case: 'mla', value: { outcome: 'refused', ... } } });
 */
export function validResponsePayload(kind: string, response: ResponsePayload, opts: ValidateOptions = {}): ResponsePayload {
  const root = opts.field ?? 'response';
  const now = opts.now ?? Date.now();
  checkKind(kind, response, root);
  const lang = language(response.language, `${root}.language`);
  const body = response.body!;
  const at = `${root}.${kind}`;
  switch (body.$case) {
    case 'mla':
      return { language: lang, body: { $case: body.$case, value: res.mla(body.value, at, now) } };
    case 'nationalityVerification':
      return { language: lang, body: { $case: body.$case, value: res.nationalityVerification(body.value, at, now) } };
    case 'criminalRecords':
      return { language: lang, body: { $case: body.$case, value: res.criminalRecords(body.value, at, now) } };
    case 'convictionNotification':
      return { language: lang, body: { $case: body.$case, value: res.convictionNotification(body.value, at) } };
    case 'extradition':
      return { language: lang, body: { $case: body.$case, value: res.extradition(body.value, at, now) } };
    case 'consularNotification':
      return { language: lang, body: { $case: body.$case, value: res.consularNotification(body.value, at, now) } };
    case 'additionalInformation':
      return { language: lang, body: { $case: body.$case, value: res.additionalInformation(body.value, at) } };
    case 'spontaneousInformation':
      return { language: lang, body: { $case: body.$case, value: res.spontaneousInformation(body.value, at) } };
    case 'providedInformation':
      return fail(`${root}.provided_information`, 'only answers a request for information');
    default: {
      const _exhaustive: never = body;
      return _exhaustive;
    }
  }
}

/**
 * Checks the answer of the requesting state to a request for information (any request type).
 *
 * @example
 * validProvidedInformation({ language: 'es', body: { $case: 'providedInformation', value: { items: [...], ... } } });
 */
export function validProvidedInformation(response: ResponsePayload, opts: ValidateOptions = {}): ResponsePayload {
  const root = opts.field ?? 'response';
  const body = response.body;
  if (body?.$case !== 'providedInformation') fail(`${root}.provided_information`, 'must be given: it is the answer to a request for information');
  const lang = language(response.language, `${root}.language`);
  return { language: lang, body: { $case: body.$case, value: providedInformation(body.value, `${root}.provided_information`, opts.now ?? Date.now()) } };
}
