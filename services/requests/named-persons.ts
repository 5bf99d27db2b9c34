import { RequestPayload, ResponsePayload } from '../../generated/enlace/v1/requests.js';
import { InvalidArgumentError } from '../../keys/index.js';
import { TYPED_REQUEST, TYPED_RESPONSE } from './typed.js';

/**
 * Free text that names a person of its own request. Subjects are shown in lists and notes
 * travel with every step, so neither may carry a person's identity: a subject or note that
 * contains a name or a document number of any person in the request's typed forms is refused.
 */

/** The stable rule id sent with the refusal (gRPC metadata `enlace-error-rule`), for a message in the user's language. */
export const NAMES_PERSON_RULE = 'names_person';

/** Name tokens shorter than this are ignored (initials, "Li" is not matched in "Lima"). */
const MIN_NAME_TOKEN = 3;
/** Document numbers shorter than this (letters and digits only) are ignored. */
const MIN_DOCUMENT = 5;
/** Particles of names, which are also ordinary words. */
const PARTICLES = new Set(['de', 'del', 'la', 'las', 'los', 'da', 'das', 'do', 'dos', 'du', 'des', 'di', 'van', 'von', 'der', 'den', 'le', 'el', 'y', 'e']);

const fold = (s: string): string => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
const words = (s: string): string[] =>
  fold(s)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
const compact = (s: string): string => fold(s).replace(/[^\p{L}\p{N}]+/gu, '');

export interface IdentityValues {
  /** Name tokens, folded (lower case, no accents), without particles and very short tokens. */
  names: Set<string>;
  /** Document numbers, folded, letters and digits only. */
  documents: Set<string>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !(v instanceof Uint8Array);
const strings = (v: unknown): string[] => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/**
 * The names and document numbers of every person in decoded typed forms (RequestPayload,
 * ResponsePayload): whatever message a Person sits in, found by its shape, so a new request
 * type needs nothing here.
 */
export function identityValues(forms: readonly unknown[]): IdentityValues {
  const out: IdentityValues = { names: new Set(), documents: new Set() };
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(visit);
    if (!isObject(v)) return;
    if ('givenNames' in v && 'familyNames' in v) {
      for (const name of [v.givenNames, v.familyNames, v.nameVariants, v.fatherName, v.motherName].flatMap(strings)) {
        for (const w of words(name)) if (w.length >= MIN_NAME_TOKEN && !PARTICLES.has(w)) out.names.add(w);
      }
    }
    if ('number' in v && 'issuingCountry' in v && typeof v.number === 'string') {
      const n = compact(v.number);
      if (n.length >= MIN_DOCUMENT) out.documents.add(n);
    }
    Object.values(v).forEach(visit);
  };
  forms.forEach(visit);
  return out;
}

/** Whether `text` contains one of the names (as a word) or document numbers (separators aside). */
export function namesPerson(text: string, values: IdentityValues): boolean {
  if (text === '' || (values.names.size === 0 && values.documents.size === 0)) return false;
  if (words(text).some((w) => values.names.has(w))) return true;
  const flat = compact(text);
  return [...values.documents].some((d) => flat.includes(d));
}

/**
 * Throws InvalidArgumentError naming `field` (rule NAMES_PERSON_RULE) when `text` names a
 * person of the request's typed forms.
 *
 * @example
 * refuseNamedPersons('subject', 'Whereabouts of Rosa Quispe', [RequestPayload.decode(payload)]);
 * // throws: subject must not name a person of the request ...
 */
export function refuseNamedPersons(field: 'subject' | 'note', text: string, forms: readonly unknown[]): void {
  if (!namesPerson(text, identityValues(forms))) return;
  const where = field === 'subject' ? 'subjects are visible in lists' : 'notes are shown with every step';
  throw new InvalidArgumentError(field, `must not name a person of the request (a name or a document number): ${where}; the person goes in the typed form only`, NAMES_PERSON_RULE);
}

/** The decoded typed forms among stored contents (a request's payload, a step's response); opaque ones are skipped. */
export function typedForms(contents: readonly { bytes: Uint8Array | null; type: string }[]): unknown[] {
  const out: unknown[] = [];
  for (const c of contents) {
    if (!c.bytes || c.bytes.byteLength === 0) continue;
    if (c.type === TYPED_REQUEST) out.push(RequestPayload.decode(c.bytes));
    if (c.type === TYPED_RESPONSE) out.push(ResponsePayload.decode(c.bytes));
  }
  return out;
}
