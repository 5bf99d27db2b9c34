import { RequestPayload, ResponsePayload } from '../../generated/enlace/v1/requests.js';
import { InvalidArgumentError } from '../../keys/index.js';
import type { Action } from './lifecycle.js';
import { validProvidedInformation, validRequestPayload, validResponsePayload } from './validate-payload.js';
import type { FieldClass } from './field-classes.js';
import { redactRequest, redactResponse } from './redact.js';

/** Media types of typed contents (protobuf RequestPayload / ResponsePayload bytes). */
export const TYPED_REQUEST = 'application/vnd.enlace.v1.request-payload+protobuf';
export const TYPED_RESPONSE = 'application/vnd.enlace.v1.response-payload+protobuf';

/** The bytes and media type a submit carries: the validated typed form, or the opaque payload. */
export function submitContent(kind: string, typed: RequestPayload | undefined, payload: Uint8Array, payloadType: string, now: number): { payload: Uint8Array; payloadType: string } {
  if (!typed) return { payload, payloadType };
  if (payload.byteLength > 0) throw new InvalidArgumentError('payload', 'must be empty when typed is given');
  const valid = validRequestPayload(kind, typed, { now, field: 'typed' });
  return { payload: RequestPayload.encode(valid).finish(), payloadType: TYPED_REQUEST };
}

/**
 * The response a step carries, checked with `validStepResponse` on the encoded bytes: the
 * same check the other node runs when the step arrives.
 */
export function transitionContent(
  kind: string,
  action: Action,
  typed: ResponsePayload | undefined,
  response: Uint8Array,
  responseType: string,
  now: number,
): { response: Uint8Array; responseType: string } {
  if (!typed) {
    if (responseType === TYPED_RESPONSE) throw new InvalidArgumentError('response_type', 'is reserved for typed_response; send the answer in typed_response');
    validStepResponse(kind, action, response, responseType, { now, field: 'response' });
    return { response, responseType };
  }
  if (response.byteLength > 0) throw new InvalidArgumentError('response', 'must be empty when typed_response is given');
  const valid = validStepResponse(kind, action, ResponsePayload.encode(typed).finish(), TYPED_RESPONSE, { now, field: 'typed_response' });
  return { response: ResponsePayload.encode(valid!).finish(), responseType: TYPED_RESPONSE };
}

/**
 * Checks the response of a lifecycle step on a request of type `kind`, as sent or as
 * received: provide_information carries ProvidedInformation (typed, or no response at all);
 * every other action the answer form of the request type, or opaque bytes. Returns the
 * checked typed answer, undefined for opaque or no content; throws InvalidArgumentError
 * naming the field ("response.provided_information.items[0].topic").
 *
 * @example
 * validStepResponse('mla', 'provide_information', bytes, TYPED_RESPONSE, { now: step.at });
 */
export function validStepResponse(kind: string, action: string, response: Uint8Array, responseType: string, opts: { now: number; field?: string }): ResponsePayload | undefined {
  const field = opts.field ?? 'response';
  const provide = action === 'provide_information';
  if (responseType !== TYPED_RESPONSE) {
    if (provide && response.byteLength > 0) throw new InvalidArgumentError(field, 'must be the typed provided_information (opaque content cannot be read by the other state)');
    return undefined;
  }
  let decoded: ResponsePayload;
  try {
    decoded = ResponsePayload.decode(response);
  } catch {
    throw new InvalidArgumentError(field, 'is not a ResponsePayload');
  }
  const checked = { now: opts.now, field };
  return provide ? validProvidedInformation(decoded, checked) : validResponsePayload(kind, decoded, checked);
}

/** The rule a step's response breaks, as a sentence, or undefined when it passes (for a signed rejection). */
export function stepResponseProblem(kind: string, action: string, response: Uint8Array, responseType: string, now: number): string | undefined {
  try {
    validStepResponse(kind, action, response, responseType, { now });
    return undefined;
  } catch (e) {
    if (e instanceof InvalidArgumentError) return e.message;
    throw e;
  }
}

/** Decodes stored typed content for a viewer, with the fields of the classes not in `shown` withheld. */
export function typedRequestFor(payload: Uint8Array, payloadType: string, shown: readonly FieldClass[]): RequestPayload | undefined {
  if (payloadType !== TYPED_REQUEST || payload.byteLength === 0) return undefined;
  return redactRequest(RequestPayload.decode(payload), shown);
}

export function typedResponseFor(response: Uint8Array | null, responseType: string, shown: readonly FieldClass[]): ResponsePayload | undefined {
  if (!response || responseType !== TYPED_RESPONSE || response.byteLength === 0) return undefined;
  return redactResponse(ResponsePayload.decode(response), shown);
}

/**
 * Every text of a typed request form (names, places, document numbers, free text, codes), for
 * a content search; nothing for an opaque or empty payload.
 * @example typedText(RequestPayload.encode(p).finish(), TYPED_REQUEST) // ['María José', 'Asunción', ...]
 */
export function typedText(payload: Uint8Array, payloadType: string): string[] {
  if (payloadType !== TYPED_REQUEST || payload.byteLength === 0) return [];
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    // A photo is bytes (base64 in JSON, beside its media type), never words.
    else if (v && typeof v === 'object') Object.entries(v).forEach(([k, x]) => (k === 'data' && 'mediaType' in v ? undefined : walk(x)));
  };
  const json = RequestPayload.toJSON(RequestPayload.decode(payload)) as Record<string, unknown>;
  walk(Object.fromEntries(Object.entries(json).filter(([k]) => k !== 'language')));
  return out;
}
