import { Person, RequestPayload, ResponsePayload } from '../../generated/enlace/v1/requests.js';
import { bytesEqual } from '../../keys/index.js';
import { FIELD_CLASSES } from './field-classes.js';
import { TYPED_REQUEST, TYPED_RESPONSE } from './typed.js';

/**
 * The identity data of the victims of a request, for a victim's withdrawal of consent
 * (docs/protocol.md §21.4): what is erased, or kept restricted, when she withdraws it.
 *
 * A victim is found by the shape of the forms, so a new request type that reuses these
 * messages needs nothing here:
 * - a person concerned with role "victim" (mutual legal assistance, additional or provided
 *   information, spontaneous information): her person;
 * - the victim of a nationality verification, with the photo and the remarks about her, and
 *   the identity the civil registry answered with (and its remarks);
 * - the person of a consular notification whose situation is "victim", with the place where
 *   she is and the remarks.
 * Of a victim's person, the metadata fields of the data policy stay (sex, nationalities, the
 * child flag: statistics and special handling); every identity field goes.
 */

/** The stable rule id of the refusal of a response that carries a victim's identity after she withdrew her consent. */
export const CONSENT_WITHDRAWN_RULE = 'consent_withdrawn';

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !(v instanceof Uint8Array);

/** The Person fields the data policy classes as metadata: what remains of a victim's person. */
const PERSON_KEPT = Object.entries(FIELD_CLASSES.Person)
  .filter(([, cls]) => cls === 'metadata')
  .map(([field]) => field);

function strippedPerson(p: unknown): Person | undefined {
  if (!isObject(p)) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- TypeScript 7 needs it (fromPartial's exact type rejects an index signature); the linter's TypeScript 6 accepts one
  return Person.fromPartial(Object.fromEntries(PERSON_KEPT.map((f) => [f, p[f]])) as Partial<Person>);
}

/** A deep copy of a decoded form with the victims' identity data removed; `changed` says whether there was any. */
function strip<T>(form: T): { form: T; changed: boolean } {
  let changed = false;
  const emptyText = (v: unknown): string => {
    if (typeof v === 'string' && v !== '') changed = true;
    return '';
  };
  const person = (v: unknown): Person | undefined => {
    const kept = strippedPerson(v);
    if (kept && !bytesEqual(Person.encode(kept).finish(), Person.encode(v as Person).finish())) changed = true;
    return kept;
  };
  const visit = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(visit);
    if (!isObject(v)) return v;
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) out[k] = visit(x);
    if (v.role === 'victim' && 'person' in v) out.person = person(v.person);
    if (v.situation === 'victim' && 'person' in v && 'place' in v) {
      out.person = person(v.person);
      out.place = emptyText(v.place);
      out.remarks = emptyText(v.remarks);
    }
    if ('victim' in v && 'verifyNationality' in v) {
      out.victim = person(v.victim);
      if (v.photo !== undefined) changed = true;
      out.photo = undefined;
      out.remarks = emptyText(v.remarks);
    }
    if ('registeredIdentity' in v && 'national' in v) {
      out.registeredIdentity = v.registeredIdentity === undefined ? undefined : person(v.registeredIdentity);
      out.remarks = emptyText(v.remarks);
    }
    return out;
  };
  return { form: visit(form) as T, changed };
}

/** The request form without its victims' identity data. */
export function requestWithoutVictims(payload: RequestPayload): { payload: RequestPayload; changed: boolean } {
  const { form, changed } = strip(payload);
  return { payload: form, changed };
}

export function responseWithoutVictims(response: ResponsePayload): { response: ResponsePayload; changed: boolean } {
  const { form, changed } = strip(response);
  return { response: form, changed };
}

/**
 * Stored content (a request's payload or a step's response) without the victims' identity
 * data, re-encoded; `changed` false when there was none. Content that is not a typed form
 * cannot be separated: all of it is the victim's (returned empty, changed when it was not).
 */
export function contentWithoutVictims(bytes: Uint8Array, type: string, of: 'request' | 'response'): { bytes: Uint8Array; changed: boolean } {
  if (bytes.byteLength === 0) return { bytes, changed: false };
  if (of === 'request' && type === TYPED_REQUEST) {
    const r = requestWithoutVictims(RequestPayload.decode(bytes));
    return { bytes: r.changed ? RequestPayload.encode(r.payload).finish() : bytes, changed: r.changed };
  }
  if (of === 'response' && type === TYPED_RESPONSE) {
    const r = responseWithoutVictims(ResponsePayload.decode(bytes));
    return { bytes: r.changed ? ResponsePayload.encode(r.response).finish() : bytes, changed: r.changed };
  }
  return { bytes: new Uint8Array(), changed: true };
}

/** Whether a victim is the subject of the request itself, so its documents are hers (nationality verification, consular notification about a victim). */
export function victimIsSubject(payload: RequestPayload): boolean {
  const b = payload.body;
  return b?.$case === 'nationalityVerification' || (b?.$case === 'consularNotification' && b.value.situation === 'victim');
}
