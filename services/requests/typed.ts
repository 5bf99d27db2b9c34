import { RequestPayload, ResponsePayload } from '../../generated/enlace/v1/requests.js';
import { InvalidArgumentError } from '../../keys/index.js';
import { redactVictimData, redactVictimResponse, validRequestPayload, validResponsePayload } from './index.js';

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

export function transitionContent(kind: string, typed: ResponsePayload | undefined, response: Uint8Array, responseType: string, now: number): { response: Uint8Array; responseType: string } {
  if (!typed) return { response, responseType };
  if (response.byteLength > 0) throw new InvalidArgumentError('response', 'must be empty when typed_response is given');
  const valid = validResponsePayload(kind, typed, { now, field: 'typed_response' });
  return { response: ResponsePayload.encode(valid).finish(), responseType: TYPED_RESPONSE };
}

/** Decodes stored typed content for a viewer; victim identity is redacted unless `full`. */
export function typedRequestFor(payload: Uint8Array, payloadType: string, full: boolean): RequestPayload | undefined {
  if (payloadType !== TYPED_REQUEST || payload.byteLength === 0) return undefined;
  const decoded = RequestPayload.decode(payload);
  return full ? decoded : redactVictimData(decoded);
}

export function typedResponseFor(response: Uint8Array | null, responseType: string, full: boolean): ResponsePayload | undefined {
  if (!response || responseType !== TYPED_RESPONSE || response.byteLength === 0) return undefined;
  const decoded = ResponsePayload.decode(response);
  return full ? decoded : redactVictimResponse(decoded);
}

/** Whether content received from another node is a valid typed form (opaque content always passes). */
export function typedContentIsValid(kind: string, payload: Uint8Array, payloadType: string, now: number): boolean {
  if (payloadType !== TYPED_REQUEST) return true;
  try {
    validRequestPayload(kind, RequestPayload.decode(payload), { now });
    return true;
  } catch {
    return false;
  }
}
