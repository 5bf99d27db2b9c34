import { isDeepStrictEqual } from 'node:util';
import type {
  Answer,
  ConsularNotification,
  DocumentReference,
  IdentityDocument,
  InformationItem,
  MutualLegalAssistanceRequest,
  NationalityVerificationRequest,
  NationalityVerificationResponse,
  Person,
  PersonConcerned,
  Photo,
  ProvidedInformation,
  RequestPayload,
  ResponsePayload,
  SpontaneousInformation,
} from '../../generated/enlace/v1/requests.js';
import { isCode } from './codes.js';

/**
 * Where victim identity data sits in the typed payloads, and its redaction for roles that
 * must not see it. Every field of every message that can hold victim data has a rule here,
 * "keep" or a redaction: the types make a new proto field a compile error until it is
 * classified, and these policies are the one list that redaction and its tests share.
 */

export const REDACTED = '[redacted]';

const KEEP = 'keep' as const;
type Rule<V> = ((value: V) => V) | typeof KEEP;
type Policy<T> = { readonly [K in keyof T]-?: Rule<T[K]> };

const text = (v: string): string => (v === '' ? '' : REDACTED);
const texts = (v: string[]): string[] => (v.length === 0 ? [] : [REDACTED]);
const drop = (_: Photo | undefined): Photo | undefined => undefined;

function apply<T extends object>(policy: Policy<T>, value: T): T {
  const out = { ...value };
  for (const key of Object.keys(policy) as (keyof T)[]) {
    const rule = policy[key] as Rule<T[keyof T]>;
    if (rule !== KEEP) out[key] = rule(value[key]);
  }
  return out;
}

const DOCUMENT: Policy<IdentityDocument> = {
  type: KEEP,
  number: text,
  issuingCountry: KEEP,
  issueDate: text,
  expiryDate: text,
  details: KEEP,
};

/** A victim's person record: sex, nationalities and the child flag stay (statistics, special handling). */
const PERSON: Policy<Person> = {
  givenNames: text,
  familyNames: text,
  nameVariants: texts,
  sex: KEEP,
  dateOfBirth: text,
  placeOfBirth: text,
  nationalities: KEEP,
  documents: (ds) => ds.map((d) => apply(DOCUMENT, d)),
  fatherName: text,
  motherName: text,
  lastKnownAddress: text,
  description: text,
  child: KEEP,
};

const person = (p: Person | undefined): Person | undefined => p && apply(PERSON, p);

/** Fail closed: a role or situation this node does not know is treated as a victim's. */
const isVictimRole = (role: string): boolean => role === 'victim' || !isCode('person_roles', role);
const isVictimSituation = (s: string): boolean => s === 'victim' || !isCode('consular_situations', s);

/** A person concerned whose role is victim. */
const VICTIM_CONCERNED: Policy<PersonConcerned> = { role: KEEP, person, details: KEEP };

const concerned = (ps: PersonConcerned[]): PersonConcerned[] => ps.map((p) => (isVictimRole(p.role) ? apply(VICTIM_CONCERNED, p) : p));

const MLA: Policy<MutualLegalAssistanceRequest> = {
  legalBases: KEEP,
  caseReference: KEEP,
  offences: KEEP,
  facts: KEEP,
  measures: KEEP,
  persons: concerned,
  urgency: KEEP,
  urgencyReason: KEEP,
  confidentialityRequired: KEEP,
  confidentialityDetails: KEEP,
  useRestrictions: KEEP,
  requestedDeadline: KEEP,
  consent: KEEP,
  legalGround: KEEP,
};

const NATIONALITY_VERIFICATION: Policy<NationalityVerificationRequest> = {
  victim: person,
  photo: drop,
  verifyNationality: KEEP,
  verifyResidence: KEEP,
  purpose: KEEP,
  purposeDetails: KEEP,
  consent: KEEP,
  legalGround: KEEP,
  urgency: KEEP,
  urgencyReason: KEEP,
  caseReference: KEEP,
  documentsRequested: KEEP,
  remarks: text,
  documentsRequestedDetails: KEEP,
};

const NATIONALITY_VERIFICATION_RESPONSE: Policy<NationalityVerificationResponse> = {
  outcome: KEEP,
  national: KEEP,
  permanentResident: KEEP,
  registeredIdentity: person,
  dataNeeded: KEEP,
  documentsAvailable: KEEP,
  remarks: text,
};

/** A consular notification whose situation is victim. */
const VICTIM_CONSULAR: Policy<ConsularNotification> = {
  person,
  situation: KEEP,
  situationDetails: KEEP,
  place: text,
  date: KEEP,
  informedOfRights: KEEP,
  informedDate: KEEP,
  wishesContact: KEEP,
  authorityContact: KEEP,
  consent: KEEP,
  legalGround: KEEP,
  remarks: text,
};

const SPONTANEOUS: Policy<SpontaneousInformation> = {
  facts: KEEP,
  offences: KEEP,
  persons: concerned,
  legalBases: KEEP,
  urgency: KEEP,
  urgencyReason: KEEP,
  confidentialityRequired: KEEP,
  confidentialityDetails: KEEP,
  useRestrictions: KEEP,
  caseReference: KEEP,
  consent: KEEP,
  legalGround: KEEP,
};

/** Provided information answers questions about people: its free text is withheld with the identities. */
const INFORMATION_ITEM: Policy<InformationItem> = { topic: KEEP, text, topicDetails: KEEP };
const ANSWER: Policy<Answer> = { question: KEEP, text };
const DOCUMENT_REFERENCE: Policy<DocumentReference> = { title: text, reference: KEEP, date: KEEP, attachmentId: KEEP };

const PROVIDED_INFORMATION: Policy<ProvidedInformation> = {
  items: (xs) => xs.map((x) => apply(INFORMATION_ITEM, x)),
  answers: (xs) => xs.map((x) => apply(ANSWER, x)),
  persons: concerned,
  documentReferences: (xs) => xs.map((x) => apply(DOCUMENT_REFERENCE, x)),
  consent: KEEP,
  legalGround: KEEP,
  remarks: text,
};

function redactedKeys<T>(policy: Policy<T>): string[] {
  return Object.entries(policy)
    .filter(([, rule]) => rule !== KEEP)
    .map(([key]) => key);
}

/**
 * The fields that hold (or contain) victim identity data, per message, as ts-proto property
 * names; every other field of these messages is kept by redaction. PersonConcerned's apply
 * when its role is victim, ConsularNotification's when its situation is victim, and those of
 * InformationItem, Answer and DocumentReference inside ProvidedInformation.
 */
export const VICTIM_IDENTITY_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Person: redactedKeys(PERSON),
  IdentityDocument: redactedKeys(DOCUMENT),
  PersonConcerned: redactedKeys(VICTIM_CONCERNED),
  MutualLegalAssistanceRequest: redactedKeys(MLA),
  NationalityVerificationRequest: redactedKeys(NATIONALITY_VERIFICATION),
  NationalityVerificationResponse: redactedKeys(NATIONALITY_VERIFICATION_RESPONSE),
  ConsularNotification: redactedKeys(VICTIM_CONSULAR),
  SpontaneousInformation: redactedKeys(SPONTANEOUS),
  ProvidedInformation: redactedKeys(PROVIDED_INFORMATION),
  InformationItem: redactedKeys(INFORMATION_ITEM),
  Answer: redactedKeys(ANSWER),
  DocumentReference: redactedKeys(DOCUMENT_REFERENCE),
};

/** The policies themselves, for tests that check each covers every field of its message. */
export const VICTIM_POLICIES: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  Person: PERSON,
  IdentityDocument: DOCUMENT,
  PersonConcerned: VICTIM_CONCERNED,
  MutualLegalAssistanceRequest: MLA,
  NationalityVerificationRequest: NATIONALITY_VERIFICATION,
  NationalityVerificationResponse: NATIONALITY_VERIFICATION_RESPONSE,
  ConsularNotification: VICTIM_CONSULAR,
  SpontaneousInformation: SPONTANEOUS,
  ProvidedInformation: PROVIDED_INFORMATION,
  InformationItem: INFORMATION_ITEM,
  Answer: ANSWER,
  DocumentReference: DOCUMENT_REFERENCE,
};

/**
 * A copy of the request with every victim identity field replaced by "[redacted]" (empty
 * fields stay empty), the photo removed, and the child flag, sex and nationalities kept.
 *
 * @example
 * redactVictimData(payload).body.value.victim.familyNames; // "[redacted]"
 */
export function redactVictimData(payload: RequestPayload): RequestPayload {
  const body = payload.body;
  if (body === undefined) return { ...payload };
  switch (body.$case) {
    case 'mla':
      return { ...payload, body: { $case: body.$case, value: apply(MLA, body.value) } };
    case 'nationalityVerification':
      return { ...payload, body: { $case: body.$case, value: apply(NATIONALITY_VERIFICATION, body.value) } };
    case 'consularNotification': {
      const v = body.value;
      return { ...payload, body: { $case: body.$case, value: isVictimSituation(v.situation) ? apply(VICTIM_CONSULAR, v) : { ...v } } };
    }
    case 'spontaneousInformation':
      return { ...payload, body: { $case: body.$case, value: apply(SPONTANEOUS, body.value) } };
    case 'criminalRecords':
    case 'convictionNotification':
    case 'extradition':
    case 'additionalInformation':
      return { ...payload, body: { ...body } };
    default: {
      const _exhaustive: never = body;
      return _exhaustive;
    }
  }
}

/** The response counterpart of redactVictimData: a nationality verification's answer and provided information hold victim data. */
export function redactVictimResponse(response: ResponsePayload): ResponsePayload {
  const body = response.body;
  if (body?.$case === 'nationalityVerification') {
    return { ...response, body: { $case: body.$case, value: apply(NATIONALITY_VERIFICATION_RESPONSE, body.value) } };
  }
  if (body?.$case === 'providedInformation') {
    return { ...response, body: { $case: body.$case, value: apply(PROVIDED_INFORMATION, body.value) } };
  }
  return { ...response, body: body && { ...body } };
}

/** Whether the request carries any victim identity data that redaction would hide. */
export function hasVictimData(payload: RequestPayload): boolean {
  return !isDeepStrictEqual(redactVictimData(payload), payload);
}

export function responseHasVictimData(response: ResponsePayload): boolean {
  return !isDeepStrictEqual(redactVictimResponse(response), response);
}

/** Whether any person in the request is flagged as a child (special handling, best interests first). */
export function involvesChild(payload: RequestPayload): boolean {
  const body = payload.body;
  if (body === undefined) return false;
  switch (body.$case) {
    case 'mla':
    case 'spontaneousInformation':
      return body.value.persons.some((p) => p.person?.child === true);
    case 'nationalityVerification':
      return body.value.victim?.child === true;
    case 'criminalRecords':
    case 'convictionNotification':
    case 'consularNotification':
      return body.value.person?.child === true;
    case 'extradition':
      return body.value.personSought?.child === true;
    case 'additionalInformation':
      return false;
    default: {
      const _exhaustive: never = body;
      return _exhaustive;
    }
  }
}
