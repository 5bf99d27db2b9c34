import type {
  AdditionalInformationResponse,
  ConsularNotificationResponse,
  ConvictionNotificationResponse,
  CriminalRecordsResponse,
  DocumentOffer,
  ExtraditionResponse,
  MeasureExecution,
  MutualLegalAssistanceResponse,
  NationalityVerificationResponse,
  RefusalGround,
  SpontaneousInformationResponse,
} from '../../generated/enlace/v1/requests.js';
import { code, date, fail, line, list, LIMITS, text, textFor } from './validate-fields.js';
import { conviction, person, refusalGrounds } from './validate-parts.js';

/** One check per response form; an outcome decides which other fields must or must not be there. */

/** Refusal grounds: at least one when `required`, none when `allowed` is false. */
function groundsFor(items: readonly RefusalGround[], path: string, outcomePath: string, outcome: string, rule: { required: boolean; allowed: boolean }): RefusalGround[] {
  if (!rule.allowed && items.length > 0) fail(path, `must be empty when ${outcomePath} is ${outcome}`);
  return refusalGrounds(items, path, { min: rule.required ? 1 : 0 });
}

function measureExecution(m: MeasureExecution, path: string): MeasureExecution {
  const measure = code('measures', m.measure, `${path}.measure`);
  const ground = code('refusal_grounds', m.ground, `${path}.ground`, { optional: true });
  if (m.executed && ground) fail(`${path}.ground`, 'must be empty when executed is true');
  const details = text(m.details, `${path}.details`);
  if (!m.executed && details === '') fail(`${path}.details`, 'must say why the measure was not executed');
  return { measure, executed: m.executed, details, ground };
}

export function mla(v: MutualLegalAssistanceResponse, path: string, now: number): MutualLegalAssistanceResponse {
  const outcome = code('mla_outcomes', v.outcome, `${path}.outcome`);
  const measures = list(v.measures, `${path}.measures`, 30, measureExecution);
  const executed = measures.filter((m) => m.executed).length;
  if (outcome === 'executed') {
    const i = measures.findIndex((m) => !m.executed);
    if (i >= 0) fail(`${path}.measures[${i}].executed`, 'must be true when outcome is executed');
  }
  if (outcome === 'partially_executed' && (executed === 0 || executed === measures.length)) {
    fail(`${path}.measures`, 'must list what was executed and what was not (and why) when outcome is partially_executed');
  }
  if (outcome === 'refused' && executed > 0) {
    fail(`${path}.measures[${measures.findIndex((m) => m.executed)}].executed`, 'must be false when outcome is refused');
  }
  return {
    outcome,
    measures,
    refusalGrounds: groundsFor(v.refusalGrounds, `${path}.refusal_grounds`, `${path}.outcome`, outcome, {
      required: outcome === 'refused',
      allowed: outcome !== 'executed',
    }),
    summary: text(v.summary, `${path}.summary`, { max: LIMITS.facts }),
    executionDate: date(v.executionDate, `${path}.execution_date`, now, { past: true }),
  };
}

function documentOffer(d: DocumentOffer, path: string): DocumentOffer {
  const documentType = code('identity_documents', d.documentType, `${path}.document_type`);
  if (d.workingDays > 365) fail(`${path}.working_days`, 'must be at most 365');
  return {
    documentType,
    issuingAuthority: line(d.issuingAuthority, `${path}.issuing_authority`),
    workingDays: d.workingDays,
    conditions: text(d.conditions, `${path}.conditions`),
    details: textFor('identity_documents', documentType, `${path}.document_type`, d.details, `${path}.details`, LIMITS.line),
  };
}

export function nationalityVerification(v: NationalityVerificationResponse, path: string, now: number): NationalityVerificationResponse {
  const outcome = code('verification_outcomes', v.outcome, `${path}.outcome`);
  const confirmed = outcome === 'confirmed';
  if (confirmed && !v.national && !v.permanentResident) fail(`${path}.national`, 'or permanent_resident must be true when outcome is confirmed');
  if (!confirmed && (v.national || v.permanentResident)) {
    fail(v.national ? `${path}.national` : `${path}.permanent_resident`, `must be false when outcome is ${outcome}`);
  }
  const dataNeeded = text(v.dataNeeded, `${path}.data_needed`);
  if (outcome === 'more_data_needed' && dataNeeded === '') fail(`${path}.data_needed`, 'must say what is needed when outcome is more_data_needed');
  if (!confirmed && v.documentsAvailable.length > 0) fail(`${path}.documents_available`, `must be empty when outcome is ${outcome}`);
  return {
    outcome,
    national: v.national,
    permanentResident: v.permanentResident,
    registeredIdentity: v.registeredIdentity && person(v.registeredIdentity, `${path}.registered_identity`, now),
    dataNeeded,
    documentsAvailable: list(v.documentsAvailable, `${path}.documents_available`, 10, documentOffer),
    remarks: text(v.remarks, `${path}.remarks`),
  };
}

export function criminalRecords(v: CriminalRecordsResponse, path: string, now: number): CriminalRecordsResponse {
  const outcome = code('records_outcomes', v.outcome, `${path}.outcome`);
  const found = outcome === 'records_found';
  if (!found && v.convictions.length > 0) fail(`${path}.convictions`, `must be empty when outcome is ${outcome}`);
  return {
    outcome,
    convictions: list(v.convictions, `${path}.convictions`, 200, (c, p) => conviction(c, p, now), { min: found ? 1 : 0 }),
    refusalGrounds: groundsFor(v.refusalGrounds, `${path}.refusal_grounds`, `${path}.outcome`, outcome, {
      required: outcome === 'refused',
      allowed: outcome === 'refused',
    }),
    remarks: text(v.remarks, `${path}.remarks`),
  };
}

export function convictionNotification(v: ConvictionNotificationResponse, path: string): ConvictionNotificationResponse {
  return {
    recorded: v.recorded,
    registerReference: line(v.registerReference, `${path}.register_reference`, { max: LIMITS.reference }),
    remarks: text(v.remarks, `${path}.remarks`),
  };
}

export function extradition(v: ExtraditionResponse, path: string, now: number): ExtraditionResponse {
  const outcome = code('extradition_outcomes', v.outcome, `${path}.outcome`);
  const conditions = text(v.conditions, `${path}.conditions`);
  if (outcome === 'granted_with_conditions' && conditions === '') {
    fail(`${path}.conditions`, 'must not be empty when outcome is granted_with_conditions');
  }
  return {
    outcome,
    decisionDate: date(v.decisionDate, `${path}.decision_date`, now, { past: true }),
    arrestDate: date(v.arrestDate, `${path}.arrest_date`, now, { past: true }),
    conditions,
    refusalGrounds: groundsFor(v.refusalGrounds, `${path}.refusal_grounds`, `${path}.outcome`, outcome, {
      required: outcome === 'refused',
      allowed: outcome === 'refused',
    }),
    remarks: text(v.remarks, `${path}.remarks`),
  };
}

export function consularNotification(v: ConsularNotificationResponse, path: string, now: number): ConsularNotificationResponse {
  return {
    consularPost: line(v.consularPost, `${path}.consular_post`),
    contactDetails: text(v.contactDetails, `${path}.contact_details`, { max: 500 }),
    plannedContactDate: date(v.plannedContactDate, `${path}.planned_contact_date`, now, { future: true }),
    remarks: text(v.remarks, `${path}.remarks`),
  };
}

export function additionalInformation(v: AdditionalInformationResponse, path: string): AdditionalInformationResponse {
  const answers = list(
    v.answers,
    `${path}.answers`,
    50,
    (a, p) => {
      if (a.question < 1 || a.question > 50) fail(`${p}.question`, 'must be the number of a question, 1 to 50');
      return { question: a.question, text: text(a.text, `${p}.text`, { required: true, max: LIMITS.facts }) };
    },
    { min: 1 },
  );
  answers.forEach((a, i) => {
    if (answers.findIndex((b) => b.question === a.question) !== i) fail(`${path}.answers[${i}].question`, `repeats question ${a.question}`);
  });
  return { answers, remarks: text(v.remarks, `${path}.remarks`) };
}

export function spontaneousInformation(v: SpontaneousInformationResponse, path: string): SpontaneousInformationResponse {
  return {
    caseReference: line(v.caseReference, `${path}.case_reference`, { max: LIMITS.reference }),
    remarks: text(v.remarks, `${path}.remarks`),
  };
}
