import { RequestPayload, ResponsePayload, type Offence, type Person, type PersonConcerned } from '../../generated/enlace/v1/requests.js';
import type { CodeOf } from './codes.js';
import { TYPED_REQUEST, TYPED_RESPONSE } from './typed.js';

export type AgeGroup = CodeOf<'age_groups'>;

/** The coded values a request contributes to the statistics: no identity, no birth date. */
export interface StatsFacts {
  sex: string;
  ageGroup: AgeGroup;
  /** ISO 3166-1 alpha-2, the first nationality recorded; '' when none is. */
  nationality: string;
  /** Codes of exploitation_forms, sorted, each once. */
  forms: string[];
}

export const NO_FACTS: StatsFacts = { sex: 'unknown', ageGroup: 'unknown', nationality: '', forms: [] };

const DAY = 86_400_000;

/**
 * The age group of a person born on `dateOfBirth` ("YYYY-MM-DD") on the day `at` (ms UTC):
 * `ageGroupAt('2010-06-01', Date.UTC(2026, 0, 1))` is "child_12_17". An empty, malformed or
 * future date gives "unknown".
 */
export function ageGroupAt(dateOfBirth: string, at: number): AgeGroup {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateOfBirth);
  if (!m) return 'unknown';
  const on = new Date(Math.floor(at / DAY) * DAY);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  let age = on.getUTCFullYear() - y;
  if (on.getUTCMonth() + 1 < mo || (on.getUTCMonth() + 1 === mo && on.getUTCDate() < d)) age -= 1;
  if (age < 0 || age > 130) return 'unknown';
  if (age <= 11) return 'child_0_11';
  if (age <= 17) return 'child_12_17';
  if (age <= 24) return 'adult_18_24';
  if (age <= 59) return 'adult_25_59';
  return 'adult_60_plus';
}

/** The person a request is counted under: the victim where there is one, else the first person named. */
function countedPerson(persons: readonly PersonConcerned[]): Person | undefined {
  return (persons.find((p) => p.role === 'victim') ?? persons[0])?.person;
}

function formsOf(offences: readonly Offence[]): string[] {
  return offences.flatMap((o) => o.exploitationForms);
}

function subjectOf(payload: RequestPayload): { person: Person | undefined; forms: string[] } {
  const body = payload.body;
  if (body === undefined) return { person: undefined, forms: [] };
  switch (body.$case) {
    case 'mla':
      return { person: countedPerson(body.value.persons), forms: formsOf(body.value.offences) };
    case 'spontaneousInformation':
      return { person: countedPerson(body.value.persons), forms: formsOf(body.value.offences) };
    case 'nationalityVerification':
      return { person: body.value.victim, forms: body.value.exploitationForms };
    case 'consularNotification':
      return { person: body.value.person, forms: body.value.exploitationForms };
    case 'criminalRecords':
      return { person: body.value.person, forms: [] };
    case 'convictionNotification':
      return { person: body.value.person, forms: formsOf(body.value.conviction?.offences ?? []) };
    case 'extradition':
      return { person: body.value.personSought, forms: formsOf(body.value.offences) };
    case 'additionalInformation':
      return { person: undefined, forms: [] };
    default: {
      const _exhaustive: never = body;
      return _exhaustive;
    }
  }
}

/**
 * The statistical facts of a request's content, as the node holds it in clear at submit and at
 * receipt. Opaque or undecodable content counts with every value unknown.
 */
export function statsFactsOf(payload: Uint8Array, payloadType: string, at: number): StatsFacts {
  if (payloadType !== TYPED_REQUEST || payload.byteLength === 0) return NO_FACTS;
  let decoded: RequestPayload;
  try {
    decoded = RequestPayload.decode(payload);
  } catch {
    return NO_FACTS;
  }
  const { person, forms } = subjectOf(decoded);
  return {
    sex: person?.sex || 'unknown',
    ageGroup: person ? ageGroupAt(person.dateOfBirth, at) : 'unknown',
    nationality: person?.nationalities[0] ?? '',
    forms: [...new Set(forms)].sort(),
  };
}

/** The coded result of an answer, and for a refusal its first ground; undefined when the answer has none. */
export function statsOutcomeOf(response: Uint8Array | null, responseType: string): { outcome: string; ground: string } | undefined {
  if (!response || responseType !== TYPED_RESPONSE || response.byteLength === 0) return undefined;
  let body: ResponsePayload['body'];
  try {
    body = ResponsePayload.decode(response).body;
  } catch {
    return undefined;
  }
  if (body === undefined) return undefined;
  switch (body.$case) {
    case 'mla':
      return { outcome: body.value.outcome, ground: body.value.refusalGrounds[0]?.code ?? '' };
    case 'nationalityVerification':
      return { outcome: body.value.outcome, ground: '' };
    case 'criminalRecords':
      return { outcome: body.value.outcome, ground: body.value.refusalGrounds[0]?.code ?? '' };
    case 'extradition':
      return { outcome: body.value.outcome, ground: body.value.refusalGrounds[0]?.code ?? '' };
    case 'convictionNotification':
      return { outcome: body.value.recorded ? 'recorded' : 'not_recorded', ground: '' };
    case 'consularNotification':
    case 'additionalInformation':
    case 'spontaneousInformation':
    case 'providedInformation':
      return undefined;
    default: {
      const _exhaustive: never = body;
      return _exhaustive;
    }
  }
}
