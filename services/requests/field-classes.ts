import type * as Gen from '../../generated/enlace/v1/requests.js';

/**
 * The data policy of the typed forms (DESIGN.md §8): every field of every message in
 * requests.proto, classified for every person the forms can name (victims, persons sought,
 * suspects and convicted persons, witnesses, relatives, persons in provided or spontaneous
 * information), whatever their role in the case.
 *
 * - identity: identifies a natural person (names, date and place of birth, document numbers
 *   and dates, parents, address, whereabouts, description, photo);
 * - sensitive: free text about the facts or the persons (facts, remarks, details, answers);
 * - metadata: codes, countries, flags, numbers, procedural dates, case and document
 *   references, authorities and legal provisions: what auditors, operators and statistics
 *   work from.
 *
 * A field holding a message names that message, and its own fields are classified there;
 * 'identity' or 'sensitive' on such a field classifies the whole message. The types make the
 * table complete: a new field, message or oneof case in requests.proto fails the build until
 * it is classified here.
 */
export const FIELD_CLASS_NAMES = ['identity', 'sensitive', 'metadata'] as const;
export type FieldClass = (typeof FIELD_CLASS_NAMES)[number];

/** Every message of requests.proto, by its proto name. */
interface Messages {
  RequestPayload: Gen.RequestPayload;
  ResponsePayload: Gen.ResponsePayload;
  Person: Gen.Person;
  IdentityDocument: Gen.IdentityDocument;
  Photo: Gen.Photo;
  Offence: Gen.Offence;
  LegalBasis: Gen.LegalBasis;
  RefusalGround: Gen.RefusalGround;
  ConsentRecord: Gen.ConsentRecord;
  PersonConcerned: Gen.PersonConcerned;
  Conviction: Gen.Conviction;
  Sentence: Gen.Sentence;
  MutualLegalAssistanceRequest: Gen.MutualLegalAssistanceRequest;
  RequestedMeasure: Gen.RequestedMeasure;
  MutualLegalAssistanceResponse: Gen.MutualLegalAssistanceResponse;
  MeasureExecution: Gen.MeasureExecution;
  NationalityVerificationRequest: Gen.NationalityVerificationRequest;
  NationalityVerificationResponse: Gen.NationalityVerificationResponse;
  DocumentOffer: Gen.DocumentOffer;
  CriminalRecordsRequest: Gen.CriminalRecordsRequest;
  CriminalRecordsResponse: Gen.CriminalRecordsResponse;
  ConvictionNotification: Gen.ConvictionNotification;
  ConvictionNotificationResponse: Gen.ConvictionNotificationResponse;
  ExtraditionRequest: Gen.ExtraditionRequest;
  ExtraditionResponse: Gen.ExtraditionResponse;
  ConsularNotification: Gen.ConsularNotification;
  ConsularNotificationResponse: Gen.ConsularNotificationResponse;
  AdditionalInformationRequest: Gen.AdditionalInformationRequest;
  AdditionalInformationResponse: Gen.AdditionalInformationResponse;
  Answer: Gen.Answer;
  SpontaneousInformation: Gen.SpontaneousInformation;
  SpontaneousInformationResponse: Gen.SpontaneousInformationResponse;
  ProvidedInformation: Gen.ProvidedInformation;
  InformationItem: Gen.InformationItem;
  DocumentReference: Gen.DocumentReference;
}
export type MessageName = keyof Messages;

/** Every generated message (each has a MessageFns value with `encode`) must be in Messages. */
type GeneratedNames = { [K in keyof typeof Gen]: (typeof Gen)[K] extends { encode: unknown; fromPartial: unknown } ? K : never }[keyof typeof Gen];
type Missing = Exclude<GeneratedNames, MessageName>;
const _everyMessage: [Missing] extends [never] ? true : { unclassified: Missing } = true;
void _everyMessage;

type Leaf = string | number | boolean | Uint8Array;
type Elem<V> = NonNullable<V> extends readonly (infer U)[] ? U : NonNullable<V>;
/** The proto name of a generated message type (structurally equal messages share a table shape). */
type NameOf<T> = { [N in MessageName]: [Messages[N]] extends [T] ? ([T] extends [Messages[N]] ? N : never) : never }[MessageName];
type Oneof<V> = { readonly [C in Extract<NonNullable<V>, { $case: string }>['$case']]: Extract<NonNullable<V>, { $case: C }> extends { value: infer X } ? NameOf<X> : never };

/** How one field is classified: a class for a scalar; for a message, its name or a class for all of it; for a oneof, a name per case. */
export type FieldRule<V> = [NonNullable<V>] extends [{ $case: string }] ? Oneof<V> : Elem<V> extends Leaf ? FieldClass : 'identity' | 'sensitive' | NameOf<Elem<V>>;
export type MessageTable<T> = { readonly [K in keyof Required<T>]-?: FieldRule<T[K]> };
export type FieldClassTable = { readonly [N in MessageName]: MessageTable<Messages[N]> };

const I = 'identity';
const S = 'sensitive';
const M = 'metadata';

export const FIELD_CLASSES: FieldClassTable = {
  RequestPayload: {
    language: M,
    body: {
      mla: 'MutualLegalAssistanceRequest',
      nationalityVerification: 'NationalityVerificationRequest',
      criminalRecords: 'CriminalRecordsRequest',
      convictionNotification: 'ConvictionNotification',
      extradition: 'ExtraditionRequest',
      consularNotification: 'ConsularNotification',
      additionalInformation: 'AdditionalInformationRequest',
      spontaneousInformation: 'SpontaneousInformation',
    },
  },
  ResponsePayload: {
    language: M,
    body: {
      mla: 'MutualLegalAssistanceResponse',
      nationalityVerification: 'NationalityVerificationResponse',
      criminalRecords: 'CriminalRecordsResponse',
      convictionNotification: 'ConvictionNotificationResponse',
      extradition: 'ExtraditionResponse',
      consularNotification: 'ConsularNotificationResponse',
      additionalInformation: 'AdditionalInformationResponse',
      spontaneousInformation: 'SpontaneousInformationResponse',
      providedInformation: 'ProvidedInformation',
    },
  },

  // Any person, in any role: sex, nationalities and the child flag stay (statistics, special handling).
  Person: {
    givenNames: I,
    familyNames: I,
    nameVariants: I,
    sex: M,
    dateOfBirth: I,
    placeOfBirth: I,
    nationalities: M,
    documents: 'IdentityDocument',
    fatherName: I,
    motherName: I,
    lastKnownAddress: I,
    description: I,
    child: M,
  },
  IdentityDocument: { type: M, number: I, issuingCountry: M, issueDate: I, expiryDate: I, details: S },
  Photo: { mediaType: M, data: I },
  Offence: { category: M, exploitationForms: M, otherText: S, legalProvision: M },
  LegalBasis: { code: M, details: M },
  RefusalGround: { code: M, details: S },
  ConsentRecord: { written: M, date: M, recordedBy: S, language: M, reference: M },
  PersonConcerned: { role: M, person: 'Person', details: S },
  Conviction: { court: M, caseReference: M, decisionDate: M, finalDate: M, offenceDate: M, offences: 'Offence', sentences: 'Sentence' },
  Sentence: { type: M, durationMonths: M, details: S },

  MutualLegalAssistanceRequest: {
    legalBases: 'LegalBasis',
    caseReference: M,
    offences: 'Offence',
    facts: S,
    measures: 'RequestedMeasure',
    persons: 'PersonConcerned',
    urgency: M,
    urgencyReason: S,
    confidentialityRequired: M,
    confidentialityDetails: S,
    useRestrictions: S,
    requestedDeadline: M,
    consent: 'ConsentRecord',
    legalGround: M,
  },
  RequestedMeasure: { code: M, description: S },
  MutualLegalAssistanceResponse: { outcome: M, measures: 'MeasureExecution', refusalGrounds: 'RefusalGround', summary: S, executionDate: M },
  MeasureExecution: { measure: M, executed: M, details: S, ground: M },

  NationalityVerificationRequest: {
    victim: 'Person',
    photo: I,
    verifyNationality: M,
    verifyResidence: M,
    purpose: M,
    purposeDetails: S,
    consent: 'ConsentRecord',
    legalGround: M,
    urgency: M,
    urgencyReason: S,
    caseReference: M,
    documentsRequested: M,
    remarks: I,
    documentsRequestedDetails: S,
    exploitationForms: M,
    exploitationDetails: S,
  },
  NationalityVerificationResponse: {
    outcome: M,
    national: M,
    permanentResident: M,
    registeredIdentity: 'Person',
    dataNeeded: S,
    documentsAvailable: 'DocumentOffer',
    remarks: I,
  },
  DocumentOffer: { documentType: M, issuingAuthority: M, workingDays: M, conditions: S, details: S },

  CriminalRecordsRequest: { person: 'Person', purpose: M, purposeDetails: S, caseReference: M, legalBases: 'LegalBasis', urgency: M, urgencyReason: S },
  CriminalRecordsResponse: { outcome: M, convictions: 'Conviction', refusalGrounds: 'RefusalGround', remarks: S },
  ConvictionNotification: { person: 'Person', conviction: 'Conviction', remarks: S },
  ConvictionNotificationResponse: { recorded: M, registerReference: M, remarks: S },

  ExtraditionRequest: {
    provisionalArrest: M,
    personSought: 'Person',
    offences: 'Offence',
    warrantReference: M,
    warrantDate: M,
    issuingAuthority: M,
    legalBases: 'LegalBasis',
    facts: S,
    purpose: M,
    sentenceToServe: S,
    whereabouts: I,
    relatedRequestId: M,
    assurances: S,
    urgency: M,
    urgencyReason: S,
    caseReference: M,
  },
  ExtraditionResponse: { outcome: M, decisionDate: M, arrestDate: M, conditions: S, refusalGrounds: 'RefusalGround', remarks: S },

  ConsularNotification: {
    person: 'Person',
    situation: M,
    situationDetails: S,
    place: I,
    date: M,
    informedOfRights: M,
    informedDate: M,
    wishesContact: M,
    authorityContact: S,
    consent: 'ConsentRecord',
    legalGround: M,
    remarks: I,
    exploitationForms: M,
    exploitationDetails: S,
  },
  ConsularNotificationResponse: { consularPost: M, contactDetails: S, plannedContactDate: M, remarks: S },

  AdditionalInformationRequest: { requestId: M, questions: S, replyBy: M },
  AdditionalInformationResponse: { answers: 'Answer', remarks: S },
  Answer: { question: M, text: S },

  SpontaneousInformation: {
    facts: S,
    offences: 'Offence',
    persons: 'PersonConcerned',
    legalBases: 'LegalBasis',
    urgency: M,
    urgencyReason: S,
    confidentialityRequired: M,
    confidentialityDetails: S,
    useRestrictions: S,
    caseReference: M,
    consent: 'ConsentRecord',
    legalGround: M,
  },
  SpontaneousInformationResponse: { caseReference: M, remarks: S },

  ProvidedInformation: {
    items: 'InformationItem',
    answers: 'Answer',
    persons: 'PersonConcerned',
    documentReferences: 'DocumentReference',
    consent: 'ConsentRecord',
    legalGround: M,
    remarks: S,
  },
  InformationItem: { topic: M, text: S, topicDetails: S },
  DocumentReference: { title: S, reference: M, date: M, attachmentId: M },
};

const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * The table in proto names, as published in docs/field-classes.json for other states'
 * implementations: `{ "ExtraditionRequest": { "person_sought": "Person", ... }, ... }`.
 */
export function fieldClassesDocument(): Record<string, Record<string, string | Record<string, string>>> {
  return Object.fromEntries(
    Object.entries(FIELD_CLASSES).map(([message, fields]) => [
      message,
      Object.fromEntries(
        Object.entries(fields as Record<string, string | Record<string, string>>).map(([field, rule]) => [
          snake(field),
          typeof rule === 'string' ? rule : Object.fromEntries(Object.entries(rule).map(([c, m]) => [snake(c), m])),
        ]),
      ),
    ]),
  );
}
