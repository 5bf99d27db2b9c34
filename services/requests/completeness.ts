import type {
  AdditionalInformationRequest,
  ConsentRecord,
  ConsularNotification,
  ConvictionNotification,
  CriminalRecordsRequest,
  ExtraditionRequest,
  MutualLegalAssistanceRequest,
  NationalityVerificationRequest,
  Offence,
  Person,
  PersonConcerned,
  RequestPayload,
  SpontaneousInformation,
} from '../../generated/enlace/v1/requests.js';
import { isRequestType, requiresText } from './codes.js';
import { payloadKind } from './validate-payload.js';
import { isConsentRecorded } from './validate-parts.js';

/**
 * What a request still lacks, for the form's completeness check before sending. `required`
 * items are the ones validation rejects; the others make a request faster to execute
 * (a verification without a date of birth or a document number usually comes back asking
 * for them). Unlike validation, this never throws and lists everything at once.
 */
export interface MissingField {
  field: string;
  message: string;
  required: boolean;
}

class Checklist {
  readonly items: MissingField[] = [];
  constructor(private readonly root: string) {}
  need(present: boolean, field: string, message: string): void {
    if (!present) this.items.push({ field: `${this.root}.${field}`, message, required: true });
  }
  recommend(present: boolean, field: string, message: string): void {
    if (!present) this.items.push({ field: `${this.root}.${field}`, message, required: false });
  }
}

const has = (s: string | undefined): boolean => (s ?? '').trim() !== '';

function personNames(c: Checklist, p: Person | undefined, at: string): void {
  c.need(p !== undefined && (has(p.givenNames) || has(p.familyNames)), `${at}.family_names`, 'the names of the person');
}

function identification(c: Checklist, p: Person | undefined, at: string, opts: { parents?: boolean } = {}): void {
  c.recommend(has(p?.dateOfBirth), `${at}.date_of_birth`, 'the date of birth');
  c.recommend(has(p?.placeOfBirth), `${at}.place_of_birth`, 'the place of birth');
  c.recommend((p?.nationalities.length ?? 0) > 0, `${at}.nationalities`, 'the nationality or nationalities');
  c.recommend((p?.documents.length ?? 0) > 0, `${at}.documents`, 'an identity or travel document number');
  if (opts.parents) {
    c.recommend(has(p?.fatherName) || has(p?.motherName), `${at}.mother_name`, "the parents' names");
  }
}

function offenceDetails(c: Checklist, offences: readonly Offence[], at: string): void {
  offences.forEach((o, i) => {
    if (o.category === 'trafficking_in_persons') {
      c.recommend(o.exploitationForms.length > 0, `${at}[${i}].exploitation_forms`, 'the forms of exploitation');
    }
    c.recommend(has(o.legalProvision), `${at}[${i}].legal_provision`, 'the national offence and its article');
  });
}

function urgencyReason(c: Checklist, v: { urgency: string; urgencyReason: string }): void {
  if (v.urgency === 'urgent') c.recommend(has(v.urgencyReason), 'urgency_reason', 'why the request is urgent');
}

function victimBasis(c: Checklist, v: { consent: ConsentRecord | undefined; legalGround: string }, needed: boolean): void {
  if (needed) {
    c.need(isConsentRecorded(v.consent) || has(v.legalGround), 'consent', "the victim's written consent (date, who recorded it) or the legal ground for sending without it");
  }
}

const hasVictim = (persons: readonly PersonConcerned[]): boolean => persons.some((p) => p.role === 'victim');

function mla(c: Checklist, v: MutualLegalAssistanceRequest): void {
  c.need(v.legalBases.length > 0, 'legal_bases', 'the legal basis (treaty or reciprocity)');
  c.need(has(v.caseReference), 'case_reference', 'the case reference');
  c.need(v.offences.length > 0, 'offences', 'the offences');
  c.need(has(v.facts), 'facts', 'a summary of the facts');
  c.need(v.measures.length > 0, 'measures', 'the measures requested');
  victimBasis(c, v, hasVictim(v.persons));
  offenceDetails(c, v.offences, 'offences');
  v.measures.forEach((m, i) => {
    if (requiresText('measures', m.code)) c.need(has(m.description), `measures[${i}].description`, 'what exactly is sought');
    else c.recommend(has(m.description), `measures[${i}].description`, 'what exactly is sought');
  });
  c.recommend(v.persons.length > 0, 'persons', 'the persons concerned');
  urgencyReason(c, v);
  c.recommend(has(v.requestedDeadline), 'requested_deadline', 'the date by which execution is needed');
  if (v.confidentialityRequired) c.recommend(has(v.confidentialityDetails), 'confidentiality_details', 'what must be kept confidential');
}

function nationalityVerification(c: Checklist, v: NationalityVerificationRequest): void {
  personNames(c, v.victim, 'victim');
  c.need(v.verifyNationality || v.verifyResidence, 'verify_nationality', 'whether nationality, residence or both are to be verified');
  c.need(has(v.purpose), 'purpose', 'the purpose of the verification');
  victimBasis(c, v, true);
  identification(c, v.victim, 'victim', { parents: true });
  c.recommend((v.victim?.nameVariants.length ?? 0) > 0, 'victim.name_variants', 'other names or spellings the victim may be registered under');
  c.recommend(v.photo !== undefined, 'photo', 'a photograph');
  if (v.purpose === 'travel_documents' || v.purpose === 'repatriation') {
    c.recommend(v.documentsRequested.length > 0, 'documents_requested', 'the identity or travel documents needed (art. 8(4))');
  }
  urgencyReason(c, v);
}

function criminalRecords(c: Checklist, v: CriminalRecordsRequest): void {
  personNames(c, v.person, 'person');
  c.need(has(v.purpose), 'purpose', 'the purpose of the request');
  identification(c, v.person, 'person', { parents: true });
  if (v.purpose === 'criminal_proceedings') c.recommend(has(v.caseReference), 'case_reference', 'the case reference');
  urgencyReason(c, v);
}

function convictionNotification(c: Checklist, v: ConvictionNotification): void {
  personNames(c, v.person, 'person');
  const conviction = v.conviction;
  c.need(has(conviction?.court), 'conviction.court', 'the court');
  c.need(has(conviction?.decisionDate), 'conviction.decision_date', 'the date of the judgment');
  c.need((conviction?.offences.length ?? 0) > 0, 'conviction.offences', 'the offences');
  identification(c, v.person, 'person', { parents: true });
  c.recommend(has(conviction?.finalDate), 'conviction.final_date', 'the date the judgment became final');
  c.recommend((conviction?.sentences.length ?? 0) > 0, 'conviction.sentences', 'the sentences');
  offenceDetails(c, conviction?.offences ?? [], 'conviction.offences');
}

function extradition(c: Checklist, v: ExtraditionRequest): void {
  personNames(c, v.personSought, 'person_sought');
  c.need(v.offences.length > 0, 'offences', 'the offences');
  c.need(has(v.warrantReference), 'warrant_reference', 'the arrest warrant or judgment');
  c.need(v.legalBases.length > 0, 'legal_bases', 'the treaty or legal basis');
  c.need(has(v.facts), 'facts', 'a summary of the facts');
  c.need(has(v.purpose), 'purpose', 'prosecution or enforcement of a sentence');
  identification(c, v.personSought, 'person_sought');
  c.recommend(has(v.personSought?.description), 'person_sought.description', 'a physical description');
  c.recommend(has(v.warrantDate), 'warrant_date', 'the date of the warrant');
  c.recommend(has(v.issuingAuthority), 'issuing_authority', 'the authority that issued the warrant');
  offenceDetails(c, v.offences, 'offences');
  if (v.provisionalArrest) c.recommend(has(v.whereabouts), 'whereabouts', 'where the person is believed to be');
  if (v.purpose === 'enforcement_of_sentence') c.recommend(has(v.sentenceToServe), 'sentence_to_serve', 'the sentence imposed and what remains to be served');
  urgencyReason(c, v);
}

function consularNotification(c: Checklist, v: ConsularNotification): void {
  personNames(c, v.person, 'person');
  c.need(has(v.situation), 'situation', 'the situation of the person');
  c.need(has(v.place), 'place', 'where the person is');
  c.need(has(v.date), 'date', 'the date of arrest, detention or identification');
  victimBasis(c, v, v.situation === 'victim');
  c.recommend(has(v.person?.dateOfBirth), 'person.date_of_birth', 'the date of birth');
  c.recommend((v.person?.documents.length ?? 0) > 0, 'person.documents', 'an identity or travel document number');
  c.recommend(v.informedOfRights, 'informed_of_rights', 'the person must be told without delay of the right to consular contact (art. 36(1)(b))');
  if (v.informedOfRights) c.recommend(has(v.informedDate), 'informed_date', 'when the person was informed');
  c.recommend(has(v.authorityContact), 'authority_contact', 'who the consular post should contact');
}

function additionalInformation(c: Checklist, v: AdditionalInformationRequest): void {
  c.need(has(v.requestId), 'request_id', 'the request this is about');
  c.need(v.questions.some(has), 'questions', 'the questions');
  c.recommend(has(v.replyBy), 'reply_by', 'the date by which an answer is needed');
}

function spontaneousInformation(c: Checklist, v: SpontaneousInformation): void {
  c.need(has(v.facts), 'facts', 'the information');
  victimBasis(c, v, hasVictim(v.persons));
  c.recommend(v.offences.length > 0, 'offences', 'the offences it relates to');
  offenceDetails(c, v.offences, 'offences');
  c.recommend(has(v.useRestrictions) || !v.confidentialityRequired, 'use_restrictions', 'the conditions on the use of the information');
  urgencyReason(c, v);
}

/**
 * Everything a request of type `kind` still lacks, required first.
 *
 * @example
 * completeness('nationality_verification', draft);
 * // [{ field: 'payload.nationality_verification.victim.date_of_birth', message: 'the date of birth', required: false }, ...]
 */
export function completeness(kind: string, payload: RequestPayload, opts: { field?: string } = {}): MissingField[] {
  const root = `${opts.field ?? 'payload'}.${kind}`;
  if (!isRequestType(kind) || payloadKind(payload) !== kind) {
    return [{ field: root, message: 'the form for this request type', required: true }];
  }
  const c = new Checklist(root);
  const body = payload.body!;
  switch (body.$case) {
    case 'mla':
      mla(c, body.value);
      break;
    case 'nationalityVerification':
      nationalityVerification(c, body.value);
      break;
    case 'criminalRecords':
      criminalRecords(c, body.value);
      break;
    case 'convictionNotification':
      convictionNotification(c, body.value);
      break;
    case 'extradition':
      extradition(c, body.value);
      break;
    case 'consularNotification':
      consularNotification(c, body.value);
      break;
    case 'additionalInformation':
      additionalInformation(c, body.value);
      break;
    case 'spontaneousInformation':
      spontaneousInformation(c, body.value);
      break;
    default: {
      const _exhaustive: never = body;
      return _exhaustive;
    }
  }
  return [...c.items.filter((i) => i.required), ...c.items.filter((i) => !i.required)];
}
