import type {
  AdditionalInformationRequest,
  ConsularNotification,
  ConvictionNotification,
  CriminalRecordsRequest,
  ExtraditionRequest,
  MutualLegalAssistanceRequest,
  NationalityVerificationRequest,
  RequestedMeasure,
  SpontaneousInformation,
} from '../../generated/enlace/v1/requests.js';
import { requiresText } from './codes.js';
import { code, codeList, date, fail, line, list, LIMITS, photo, requestId, text, textFor, urgency } from './validate-fields.js';
import { conviction, legalBases, offences, person, personsConcerned, victimDataBasis } from './validate-parts.js';

/** One check per request form; `path` is where the form sits, e.g. "payload.mla". */

/** The forms of exploitation a victim was subjected to, on the forms about one person (nationality verification, consular notification). */
function exploitation(v: { exploitationForms: string[]; exploitationDetails: string }, path: string): { exploitationForms: string[]; exploitationDetails: string } {
  const exploitationForms = codeList('exploitation_forms', v.exploitationForms, `${path}.exploitation_forms`, 8);
  const needing = exploitationForms.find((c) => requiresText('exploitation_forms', c)) ?? '';
  return { exploitationForms, exploitationDetails: textFor('exploitation_forms', needing, `${path}.exploitation_forms`, v.exploitationDetails, `${path}.exploitation_details`) };
}

function measure(m: RequestedMeasure, path: string): RequestedMeasure {
  const c = code('measures', m.code, `${path}.code`);
  return { code: c, description: textFor('measures', c, `${path}.code`, m.description, `${path}.description`) };
}

export function mla(v: MutualLegalAssistanceRequest, path: string, now: number): MutualLegalAssistanceRequest {
  const out: Omit<MutualLegalAssistanceRequest, 'consent' | 'legalGround'> = {
    legalBases: legalBases(v.legalBases, `${path}.legal_bases`, { min: 1 }),
    caseReference: line(v.caseReference, `${path}.case_reference`, { required: true, max: LIMITS.reference }),
    offences: offences(v.offences, `${path}.offences`, { min: 1 }),
    facts: text(v.facts, `${path}.facts`, { required: true, max: LIMITS.facts }),
    measures: list(v.measures, `${path}.measures`, 30, measure, { min: 1 }),
    persons: personsConcerned(v.persons, `${path}.persons`, now),
    urgency: urgency(v.urgency, `${path}.urgency`),
    urgencyReason: text(v.urgencyReason, `${path}.urgency_reason`, { max: 1000 }),
    confidentialityRequired: v.confidentialityRequired,
    confidentialityDetails: text(v.confidentialityDetails, `${path}.confidentiality_details`),
    useRestrictions: text(v.useRestrictions, `${path}.use_restrictions`),
    requestedDeadline: date(v.requestedDeadline, `${path}.requested_deadline`, now, { future: true }),
  };
  const victims = out.persons.some((p) => p.role === 'victim');
  return { ...out, ...victimDataBasis(v.consent, v.legalGround, path, now, victims) };
}

export function nationalityVerification(v: NationalityVerificationRequest, path: string, now: number): NationalityVerificationRequest {
  const victim = person(v.victim, `${path}.victim`, now);
  const picture = photo(v.photo, `${path}.photo`);
  if (!v.verifyNationality && !v.verifyResidence) fail(`${path}.verify_nationality`, 'or verify_residence must be true');
  const purpose = code('verification_purposes', v.purpose, `${path}.purpose`);
  const purposeDetails = textFor('verification_purposes', purpose, `${path}.purpose`, v.purposeDetails, `${path}.purpose_details`);
  const basis = victimDataBasis(v.consent, v.legalGround, path, now, true);
  const documentsRequested = codeList('identity_documents', v.documentsRequested, `${path}.documents_requested`, 10);
  return {
    victim,
    photo: picture,
    verifyNationality: v.verifyNationality,
    verifyResidence: v.verifyResidence,
    purpose,
    purposeDetails,
    ...basis,
    urgency: urgency(v.urgency, `${path}.urgency`),
    urgencyReason: text(v.urgencyReason, `${path}.urgency_reason`, { max: 1000 }),
    caseReference: line(v.caseReference, `${path}.case_reference`, { max: LIMITS.reference }),
    documentsRequested,
    remarks: text(v.remarks, `${path}.remarks`),
    documentsRequestedDetails: textFor(
      'identity_documents',
      documentsRequested.includes('other') ? 'other' : '',
      `${path}.documents_requested`,
      v.documentsRequestedDetails,
      `${path}.documents_requested_details`,
      500,
    ),
    ...exploitation(v, path),
  };
}

export function criminalRecords(v: CriminalRecordsRequest, path: string, now: number): CriminalRecordsRequest {
  const subject = person(v.person, `${path}.person`, now);
  const purpose = code('records_purposes', v.purpose, `${path}.purpose`);
  return {
    person: subject,
    purpose,
    purposeDetails: textFor('records_purposes', purpose, `${path}.purpose`, v.purposeDetails, `${path}.purpose_details`),
    caseReference: line(v.caseReference, `${path}.case_reference`, { max: LIMITS.reference }),
    legalBases: legalBases(v.legalBases, `${path}.legal_bases`),
    urgency: urgency(v.urgency, `${path}.urgency`),
    urgencyReason: text(v.urgencyReason, `${path}.urgency_reason`, { max: 1000 }),
  };
}

export function convictionNotification(v: ConvictionNotification, path: string, now: number): ConvictionNotification {
  return {
    person: person(v.person, `${path}.person`, now),
    conviction: conviction(v.conviction, `${path}.conviction`, now),
    remarks: text(v.remarks, `${path}.remarks`),
  };
}

export function extradition(v: ExtraditionRequest, path: string, now: number): ExtraditionRequest {
  const personSought = person(v.personSought, `${path}.person_sought`, now);
  const offs = offences(v.offences, `${path}.offences`, { min: 1 });
  const warrantReference = line(v.warrantReference, `${path}.warrant_reference`, { required: true, max: LIMITS.reference });
  const warrantDate = date(v.warrantDate, `${path}.warrant_date`, now, { past: true });
  const issuingAuthority = line(v.issuingAuthority, `${path}.issuing_authority`);
  const bases = legalBases(v.legalBases, `${path}.legal_bases`, { min: 1 });
  const facts = text(v.facts, `${path}.facts`, { required: true, max: LIMITS.facts });
  return {
    provisionalArrest: v.provisionalArrest,
    personSought,
    offences: offs,
    warrantReference,
    warrantDate,
    issuingAuthority,
    legalBases: bases,
    facts,
    purpose: code('extradition_purposes', v.purpose, `${path}.purpose`),
    sentenceToServe: text(v.sentenceToServe, `${path}.sentence_to_serve`, { max: 1000 }),
    whereabouts: text(v.whereabouts, `${path}.whereabouts`, { max: 1000 }),
    relatedRequestId: requestId(v.relatedRequestId, `${path}.related_request_id`),
    assurances: text(v.assurances, `${path}.assurances`),
    urgency: urgency(v.urgency, `${path}.urgency`),
    urgencyReason: text(v.urgencyReason, `${path}.urgency_reason`, { max: 1000 }),
    caseReference: line(v.caseReference, `${path}.case_reference`, { max: LIMITS.reference }),
  };
}

export function consularNotification(v: ConsularNotification, path: string, now: number): ConsularNotification {
  const subject = person(v.person, `${path}.person`, now);
  const situation = code('consular_situations', v.situation, `${path}.situation`);
  const situationDetails = textFor('consular_situations', situation, `${path}.situation`, v.situationDetails, `${path}.situation_details`);
  const place = line(v.place, `${path}.place`, { required: true });
  const when = date(v.date, `${path}.date`, now, { required: true, past: true });
  const informedDate = date(v.informedDate, `${path}.informed_date`, now, { past: true });
  if (informedDate && !v.informedOfRights) fail(`${path}.informed_of_rights`, 'must be true when informed_date is given');
  if (informedDate && informedDate < when) fail(`${path}.informed_date`, 'must not be before date');
  return {
    person: subject,
    situation,
    situationDetails,
    place,
    date: when,
    informedOfRights: v.informedOfRights,
    informedDate,
    wishesContact: v.wishesContact,
    authorityContact: text(v.authorityContact, `${path}.authority_contact`, { max: 500 }),
    ...victimDataBasis(v.consent, v.legalGround, path, now, situation === 'victim'),
    remarks: text(v.remarks, `${path}.remarks`),
    ...exploitation(v, path),
  };
}

export function additionalInformation(v: AdditionalInformationRequest, path: string, now: number): AdditionalInformationRequest {
  return {
    requestId: requestId(v.requestId, `${path}.request_id`, { required: true }),
    questions: list(v.questions, `${path}.questions`, 50, (q, p) => text(q, p, { required: true }), { min: 1 }),
    replyBy: date(v.replyBy, `${path}.reply_by`, now, { future: true }),
  };
}

export function spontaneousInformation(v: SpontaneousInformation, path: string, now: number): SpontaneousInformation {
  const out: Omit<SpontaneousInformation, 'consent' | 'legalGround'> = {
    facts: text(v.facts, `${path}.facts`, { required: true, max: LIMITS.facts }),
    offences: offences(v.offences, `${path}.offences`),
    persons: personsConcerned(v.persons, `${path}.persons`, now),
    legalBases: legalBases(v.legalBases, `${path}.legal_bases`),
    urgency: urgency(v.urgency, `${path}.urgency`),
    urgencyReason: text(v.urgencyReason, `${path}.urgency_reason`, { max: 1000 }),
    confidentialityRequired: v.confidentialityRequired,
    confidentialityDetails: text(v.confidentialityDetails, `${path}.confidentiality_details`),
    useRestrictions: text(v.useRestrictions, `${path}.use_restrictions`),
    caseReference: line(v.caseReference, `${path}.case_reference`, { max: LIMITS.reference }),
  };
  const victims = out.persons.some((p) => p.role === 'victim');
  return { ...out, ...victimDataBasis(v.consent, v.legalGround, path, now, victims) };
}
