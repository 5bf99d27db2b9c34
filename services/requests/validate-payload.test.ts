import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../keys/index.js';
import { RequestPayload, ResponsePayload } from '../../generated/enlace/v1/requests.js';
import { codes, type RequestType } from './codes.js';
import { completeness } from './completeness.js';
import { BODY_CASE, validRequestPayload, validResponsePayload } from './validate-payload.js';
import { completeRequest, completeResponse, TEST_NOW, TEST_PNG } from './testkit.js';

type RequestBody = NonNullable<RequestPayload['body']>;
type ResponseBody = NonNullable<ResponsePayload['body']>;
type RequestOf<K extends RequestType> = Extract<RequestBody, { $case: (typeof BODY_CASE)[K] }>['value'];
type ResponseOf<K extends RequestType> = Extract<ResponseBody, { $case: (typeof BODY_CASE)[K] }>['value'];

const KINDS = codes('request_types');
const opts = { now: TEST_NOW };

function thrown(f: () => unknown): InvalidArgumentError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect((e as InvalidArgumentError).code).toBe('ERR_INVALID_ARGUMENT');
    return e as InvalidArgumentError;
  }
  throw new Error('expected an InvalidArgumentError, nothing was thrown');
}

function request<K extends RequestType>(kind: K, mutate: (v: RequestOf<K>) => void): RequestPayload {
  const p = completeRequest(kind);
  mutate(p.body!.value as RequestOf<K>);
  return p;
}

function response<K extends RequestType>(kind: K, mutate: (v: ResponseOf<K>) => void): ResponsePayload {
  const p = completeResponse(kind);
  mutate(p.body!.value as ResponseOf<K>);
  return p;
}

/** Each case breaks one rule of a complete request; the error must name exactly that field. */
function requestCase<K extends RequestType>(kind: K, field: string, mutate: (v: RequestOf<K>) => void): [string, RequestType, string, () => RequestPayload] {
  return [`${field}`, kind, field, () => request(kind, mutate)];
}
function responseCase<K extends RequestType>(kind: K, field: string, mutate: (v: ResponseOf<K>) => void): [string, RequestType, string, () => ResponsePayload] {
  return [`${field}`, kind, field, () => response(kind, mutate)];
}

const REQUEST_CASES = [
  requestCase('mla', 'payload.mla.legal_bases', (v) => (v.legalBases = [])),
  requestCase('mla', 'payload.mla.legal_bases[0].code', (v) => (v.legalBases[0]!.code = 'treaty')),
  requestCase('mla', 'payload.mla.legal_bases[1].details', (v) => (v.legalBases[1]!.details = ' ')),
  requestCase('mla', 'payload.mla.case_reference', (v) => (v.caseReference = '')),
  requestCase('mla', 'payload.mla.case_reference', (v) => (v.caseReference = 'FRO\n1234')),
  requestCase('mla', 'payload.mla.case_reference', (v) => (v.caseReference = 'x'.repeat(101))),
  requestCase('mla', 'payload.mla.offences', (v) => (v.offences = [])),
  requestCase('mla', 'payload.mla.offences[0].category', (v) => (v.offences[0]!.category = 'trafficking')),
  requestCase('mla', 'payload.mla.offences[0].exploitation_forms[0]', (v) => (v.offences[0]!.exploitationForms = ['prostitution'])),
  requestCase('mla', 'payload.mla.offences[0].exploitation_forms[1]', (v) => v.offences[0]!.exploitationForms.push('sexual_exploitation.prostitution')),
  requestCase('mla', 'payload.mla.offences[0].exploitation_forms', (v) => (v.offences[0]!.category = 'money_laundering')),
  requestCase('mla', 'payload.mla.offences[0].other_text', (v) => (v.offences[0]!.exploitationForms = ['other'])),
  requestCase('mla', 'payload.mla.offences[0].other_text', (v) => (v.offences[0] = { category: 'other', exploitationForms: [], otherText: '', legalProvision: '' })),
  requestCase('mla', 'payload.mla.facts', (v) => (v.facts = '  ')),
  requestCase('mla', 'payload.mla.facts', (v) => (v.facts = 'x'.repeat(20_001))),
  requestCase('mla', 'payload.mla.measures', (v) => (v.measures = [])),
  requestCase('mla', 'payload.mla.measures[1].code', (v) => (v.measures[1]!.code = 'wiretap')),
  requestCase('mla', 'payload.mla.measures[2].description', (v) => (v.measures[2]!.description = '')),
  requestCase('mla', 'payload.mla.persons[1].role', (v) => (v.persons[1]!.role = 'victims')),
  requestCase('mla', 'payload.mla.persons[0].person', (v) => (v.persons[0]!.person = undefined)),
  requestCase('mla', 'payload.mla.persons[0].person.family_names', (v) => Object.assign(v.persons[0]!.person!, { givenNames: '', familyNames: '' })),
  requestCase('mla', 'payload.mla.persons[0].person.date_of_birth', (v) => (v.persons[0]!.person!.dateOfBirth = '1980-02-30')),
  requestCase('mla', 'payload.mla.persons[0].person.date_of_birth', (v) => (v.persons[0]!.person!.dateOfBirth = '30/01/1980')),
  requestCase('mla', 'payload.mla.persons[0].person.date_of_birth', (v) => (v.persons[0]!.person!.dateOfBirth = '2026-03-12')),
  requestCase('mla', 'payload.mla.persons[1].person.child', (v) => (v.persons[1]!.person!.dateOfBirth = '2012-01-01')),
  requestCase('mla', 'payload.mla.persons[0].person.sex', (v) => (v.persons[0]!.person!.sex = 'M')),
  requestCase('mla', 'payload.mla.persons[0].person.nationalities[0]', (v) => (v.persons[0]!.person!.nationalities = ['ar'])),
  requestCase('mla', 'payload.mla.persons[0].person.name_variants[1]', (v) => (v.persons[0]!.person!.nameVariants = ['a', ''])),
  requestCase('mla', 'payload.mla.persons[0].person.documents[0].type', (v) => (v.persons[0]!.person!.documents[0]!.type = 'cedula')),
  requestCase('mla', 'payload.mla.persons[0].person.documents[0].number', (v) => (v.persons[0]!.person!.documents[0]!.number = '')),
  requestCase('mla', 'payload.mla.persons[0].person.documents[0].details', (v) => (v.persons[0]!.person!.documents[0]!.type = 'other')),
  requestCase('mla', 'payload.mla.persons[0].person.documents[0].issuing_country', (v) => (v.persons[0]!.person!.documents[0]!.issuingCountry = 'ARG')),
  requestCase('mla', 'payload.mla.persons[0].person.documents[0].expiry_date', (v) => (v.persons[0]!.person!.documents[0]!.expiryDate = '2019-01-01')),
  requestCase('mla', 'payload.mla.urgency', (v) => (v.urgency = 'high')),
  requestCase('mla', 'payload.mla.requested_deadline', (v) => (v.requestedDeadline = '2026-03-09')),
  requestCase('mla', 'payload.mla.consent', (v) => (v.legalGround = '')),
  requestCase('mla', 'payload.mla.consent.date', (v) => (v.consent = { written: true, date: '2026-13-01', recordedBy: 'x', language: '', reference: '' })),
  requestCase('nationality_verification', 'payload.nationality_verification.victim', (v) => (v.victim = undefined)),
  requestCase('nationality_verification', 'payload.nationality_verification.victim.family_names', (v) => Object.assign(v.victim!, { givenNames: ' ', familyNames: '' })),
  requestCase('nationality_verification', 'payload.nationality_verification.victim.date_of_birth', (v) => (v.victim!.dateOfBirth = 'April 2001')),
  requestCase('nationality_verification', 'payload.nationality_verification.victim.child', (v) => (v.victim!.dateOfBirth = '2010-06-01')),
  requestCase('nationality_verification', 'payload.nationality_verification.photo.media_type', (v) => (v.photo!.mediaType = 'image/gif')),
  requestCase('nationality_verification', 'payload.nationality_verification.photo.data', (v) => (v.photo!.data = new Uint8Array(0))),
  requestCase('nationality_verification', 'payload.nationality_verification.photo.data', (v) => (v.photo!.mediaType = 'image/jpeg')),
  requestCase('nationality_verification', 'payload.nationality_verification.photo.data', (v) => {
    const big = new Uint8Array(2 * 1024 * 1024 + 1);
    big.set(TEST_PNG);
    v.photo!.data = big;
  }),
  requestCase('nationality_verification', 'payload.nationality_verification.verify_nationality', (v) => (v.verifyNationality = false)),
  requestCase('nationality_verification', 'payload.nationality_verification.purpose', (v) => (v.purpose = '')),
  requestCase('nationality_verification', 'payload.nationality_verification.purpose_details', (v) => (v.purpose = 'other')),
  requestCase('nationality_verification', 'payload.nationality_verification.consent', (v) => (v.consent = undefined)),
  requestCase('nationality_verification', 'payload.nationality_verification.consent', (v) => (v.consent!.written = false)),
  requestCase('nationality_verification', 'payload.nationality_verification.consent', (v) => (v.consent!.recordedBy = ' ')),
  requestCase('nationality_verification', 'payload.nationality_verification.consent.date', (v) => (v.consent!.date = '2026-04-01')),
  requestCase('nationality_verification', 'payload.nationality_verification.consent.language', (v) => (v.consent!.language = 'spanish')),
  requestCase('nationality_verification', 'payload.nationality_verification.documents_requested[0]', (v) => (v.documentsRequested = ['visa'])),
  requestCase('nationality_verification', 'payload.nationality_verification.documents_requested[1]', (v) => (v.documentsRequested = ['passport', 'passport'])),
  requestCase('nationality_verification', 'payload.nationality_verification.documents_requested_details', (v) => (v.documentsRequested = ['other'])),
  requestCase('nationality_verification', 'payload.nationality_verification.remarks', (v) => (v.remarks = 'x'.repeat(2001))),
  requestCase('criminal_records', 'payload.criminal_records.person', (v) => (v.person = undefined)),
  requestCase('criminal_records', 'payload.criminal_records.purpose', (v) => (v.purpose = 'employment')),
  requestCase('criminal_records', 'payload.criminal_records.purpose_details', (v) => (v.purpose = 'other')),
  requestCase('conviction_notification', 'payload.conviction_notification.conviction', (v) => (v.conviction = undefined)),
  requestCase('conviction_notification', 'payload.conviction_notification.conviction.court', (v) => (v.conviction!.court = '')),
  requestCase('conviction_notification', 'payload.conviction_notification.conviction.decision_date', (v) => (v.conviction!.decisionDate = '')),
  requestCase('conviction_notification', 'payload.conviction_notification.conviction.final_date', (v) => (v.conviction!.finalDate = '2021-01-01')),
  requestCase('conviction_notification', 'payload.conviction_notification.conviction.offence_date', (v) => (v.conviction!.offenceDate = '2023-01-01')),
  requestCase('conviction_notification', 'payload.conviction_notification.conviction.offences', (v) => (v.conviction!.offences = [])),
  requestCase('conviction_notification', 'payload.conviction_notification.conviction.sentences[0].type', (v) => (v.conviction!.sentences[0]!.type = '')),
  requestCase('conviction_notification', 'payload.conviction_notification.conviction.sentences[0].duration_months', (v) => (v.conviction!.sentences[0]!.durationMonths = 5000)),
  requestCase('conviction_notification', 'payload.conviction_notification.conviction.sentences[0].details', (v) => (v.conviction!.sentences[0]!.type = 'other')),
  requestCase('extradition', 'payload.extradition.person_sought', (v) => (v.personSought = undefined)),
  requestCase('extradition', 'payload.extradition.offences', (v) => (v.offences = [])),
  requestCase('extradition', 'payload.extradition.warrant_reference', (v) => (v.warrantReference = '')),
  requestCase('extradition', 'payload.extradition.warrant_date', (v) => (v.warrantDate = '2027-01-01')),
  requestCase('extradition', 'payload.extradition.legal_bases', (v) => (v.legalBases = [])),
  requestCase('extradition', 'payload.extradition.facts', (v) => (v.facts = '')),
  requestCase('extradition', 'payload.extradition.purpose', (v) => (v.purpose = 'trial')),
  requestCase('extradition', 'payload.extradition.related_request_id', (v) => (v.relatedRequestId = 'REQ-1')),
  requestCase('consular_notification', 'payload.consular_notification.person', (v) => (v.person = undefined)),
  requestCase('consular_notification', 'payload.consular_notification.situation', (v) => (v.situation = '')),
  requestCase('consular_notification', 'payload.consular_notification.situation_details', (v) => (v.situation = 'other')),
  requestCase('consular_notification', 'payload.consular_notification.place', (v) => (v.place = '')),
  requestCase('consular_notification', 'payload.consular_notification.date', (v) => (v.date = '')),
  requestCase('consular_notification', 'payload.consular_notification.informed_date', (v) => (v.informedDate = '2026-03-01')),
  requestCase('consular_notification', 'payload.consular_notification.informed_of_rights', (v) => (v.informedOfRights = false)),
  requestCase('consular_notification', 'payload.consular_notification.consent', (v) => (v.consent = undefined)),
  requestCase('additional_information', 'payload.additional_information.request_id', (v) => (v.requestId = '')),
  requestCase('additional_information', 'payload.additional_information.request_id', (v) => (v.requestId = '01960e4a-7b7c-4d2e-8f00-0123456789ab')),
  requestCase('additional_information', 'payload.additional_information.questions', (v) => (v.questions = [])),
  requestCase('additional_information', 'payload.additional_information.questions[1]', (v) => (v.questions[1] = ' ')),
  requestCase('additional_information', 'payload.additional_information.reply_by', (v) => (v.replyBy = '2026-03-01')),
  requestCase('spontaneous_information', 'payload.spontaneous_information.facts', (v) => (v.facts = '')),
  requestCase('spontaneous_information', 'payload.spontaneous_information.consent', (v) => (v.legalGround = '')),
  requestCase('spontaneous_information', 'payload.spontaneous_information.persons[0].details', (v) => Object.assign(v.persons[0]!, { role: 'other', details: '' })),
];

const RESPONSE_CASES = [
  responseCase('mla', 'response.mla.outcome', (v) => (v.outcome = '')),
  responseCase('mla', 'response.mla.measures[0].measure', (v) => (v.measures[0]!.measure = 'bank')),
  responseCase('mla', 'response.mla.measures[1].details', (v) => (v.measures[1]!.details = '')),
  responseCase('mla', 'response.mla.measures[1].ground', (v) => (v.measures[1]!.ground = 'no_reason')),
  responseCase('mla', 'response.mla.measures[0].ground', (v) => (v.measures[0]!.ground = 'other')),
  responseCase('mla', 'response.mla.measures', (v) => (v.measures[1]!.executed = true)),
  responseCase('mla', 'response.mla.measures[1].executed', (v) => (v.outcome = 'executed')),
  responseCase('mla', 'response.mla.measures[0].executed', (v) => Object.assign(v, { outcome: 'refused', refusalGrounds: [{ code: 'dual_criminality', details: '' }] })),
  responseCase('mla', 'response.mla.refusal_grounds', (v) => Object.assign(v, { outcome: 'refused', measures: [] })),
  responseCase('mla', 'response.mla.refusal_grounds[0].details', (v) => Object.assign(v, { outcome: 'refused', measures: [], refusalGrounds: [{ code: 'other', details: '' }] })),
  responseCase('mla', 'response.mla.refusal_grounds[0].code', (v) => Object.assign(v, { outcome: 'refused', measures: [], refusalGrounds: [{ code: 'politics', details: '' }] })),
  responseCase('mla', 'response.mla.refusal_grounds', (v) => Object.assign(v, { outcome: 'executed', measures: [], refusalGrounds: [{ code: 'dual_criminality', details: '' }] })),
  responseCase('mla', 'response.mla.execution_date', (v) => (v.executionDate = '2026-03-20')),
  responseCase('nationality_verification', 'response.nationality_verification.outcome', (v) => (v.outcome = 'yes')),
  responseCase('nationality_verification', 'response.nationality_verification.national', (v) => (v.national = false)),
  responseCase('nationality_verification', 'response.nationality_verification.national', (v) => (v.outcome = 'not_confirmed')),
  responseCase('nationality_verification', 'response.nationality_verification.data_needed', (v) => Object.assign(v, { outcome: 'more_data_needed', national: false, documentsAvailable: [] })),
  responseCase('nationality_verification', 'response.nationality_verification.documents_available', (v) => Object.assign(v, { outcome: 'not_confirmed', national: false })),
  responseCase('nationality_verification', 'response.nationality_verification.documents_available[0].document_type', (v) => (v.documentsAvailable[0]!.documentType = 'visa')),
  responseCase('nationality_verification', 'response.nationality_verification.documents_available[0].working_days', (v) => (v.documentsAvailable[0]!.workingDays = 400)),
  responseCase('nationality_verification', 'response.nationality_verification.registered_identity.date_of_birth', (v) => (v.registeredIdentity!.dateOfBirth = '2001-4-17')),
  responseCase('criminal_records', 'response.criminal_records.convictions', (v) => (v.convictions = [])),
  responseCase('criminal_records', 'response.criminal_records.convictions', (v) => (v.outcome = 'no_records')),
  responseCase('criminal_records', 'response.criminal_records.convictions[0].decision_date', (v) => (v.convictions[0]!.decisionDate = '2030-01-01')),
  responseCase('criminal_records', 'response.criminal_records.refusal_grounds', (v) => Object.assign(v, { outcome: 'refused', convictions: [] })),
  responseCase('criminal_records', 'response.criminal_records.refusal_grounds', (v) => (v.refusalGrounds = [{ code: 'other', details: 'x' }])),
  responseCase('conviction_notification', 'response.conviction_notification.register_reference', (v) => (v.registerReference = 'x'.repeat(101))),
  responseCase('extradition', 'response.extradition.outcome', (v) => (v.outcome = 'denied')),
  responseCase('extradition', 'response.extradition.refusal_grounds', (v) => (v.refusalGrounds = [])),
  responseCase('extradition', 'response.extradition.refusal_grounds', (v) => (v.outcome = 'granted')),
  responseCase('extradition', 'response.extradition.conditions', (v) => Object.assign(v, { outcome: 'granted_with_conditions', refusalGrounds: [] })),
  responseCase('extradition', 'response.extradition.decision_date', (v) => (v.decisionDate = '2026-3-1')),
  responseCase('consular_notification', 'response.consular_notification.planned_contact_date', (v) => (v.plannedContactDate = '2026-03-01')),
  responseCase('additional_information', 'response.additional_information.answers', (v) => (v.answers = [])),
  responseCase('additional_information', 'response.additional_information.answers[0].question', (v) => (v.answers[0]!.question = 0)),
  responseCase('additional_information', 'response.additional_information.answers[0].text', (v) => (v.answers[0]!.text = '')),
  responseCase('additional_information', 'response.additional_information.answers[1].question', (v) => v.answers.push({ question: 1, text: 'again' })),
  responseCase('spontaneous_information', 'response.spontaneous_information.remarks', (v) => (v.remarks = 'bad\u0000byte')),
];

describe('validRequestPayload', () => {
  it.each(KINDS)('accepts a complete %s request, unchanged through protobuf', (kind) => {
    const payload = completeRequest(kind);
    expect(validRequestPayload(kind, payload, opts)).toEqual(payload);
    const decoded = RequestPayload.decode(RequestPayload.encode(payload).finish());
    expect(validRequestPayload(kind, decoded, opts)).toEqual(payload);
  });

  it.each(REQUEST_CASES)('names %s', (_, kind, field, build) => {
    const e = thrown(() => validRequestPayload(kind, build(), opts));
    expect(e.field).toBe(field);
    expect(e.message.startsWith(`${field} `)).toBe(true);
  });

  it('says what a bad code must be', () => {
    const e = thrown(() =>
      validRequestPayload(
        'mla',
        request('mla', (v) => (v.measures[1]!.code = 'wiretap')),
        opts,
      ),
    );
    expect(e.message).toMatch(/^payload\.mla\.measures\[1\]\.code must be a measure code \(one of: testimony, /);
    const c = thrown(() =>
      validRequestPayload(
        'nationality_verification',
        request('nationality_verification', (v) => (v.consent = undefined)),
        opts,
      ),
    );
    expect(c.message).toBe('payload.nationality_verification.consent must be recorded (written consent with date and recorder) or a legal ground given');
  });

  it('checks the type, the body and the language', () => {
    expect(thrown(() => validRequestPayload('letter', completeRequest('mla'), opts)).field).toBe('kind');
    expect(thrown(() => validRequestPayload('mla', RequestPayload.fromPartial({}), opts)).field).toBe('payload.mla');
    expect(thrown(() => validRequestPayload('mla', completeRequest('extradition'), opts)).field).toBe('payload.extradition');
    expect(thrown(() => validRequestPayload('mla', { ...completeRequest('mla'), language: 'ES' }, opts)).field).toBe('payload.language');
    expect(thrown(() => validRequestPayload('mla', RequestPayload.fromPartial({}), { ...opts, field: 'typed' })).field).toBe('typed.mla');
  });

  it('accepts a legal ground in place of consent, and no basis when no victim is named', () => {
    const ground = request('nationality_verification', (v) => Object.assign(v, { consent: undefined, legalGround: 'Ley 26.061 art. 3 (interés superior del niño)' }));
    expect(() => validRequestPayload('nationality_verification', ground, opts)).not.toThrow();
    const noVictim = request('mla', (v) => Object.assign(v, { persons: v.persons.slice(0, 1), legalGround: '' }));
    expect(() => validRequestPayload('mla', noVictim, opts)).not.toThrow();
    const detained = request('consular_notification', (v) => Object.assign(v, { situation: 'pretrial_detention', consent: undefined }));
    expect(() => validRequestPayload('consular_notification', detained, opts)).not.toThrow();
  });

  it('trims text and fills in urgency', () => {
    const p = request('criminal_records', (v) => Object.assign(v, { urgency: '', caseReference: '  FRO 1/2026 ' }));
    const out = validRequestPayload('criminal_records', p, opts).body!.value as RequestOf<'criminal_records'>;
    expect(out.urgency).toBe('normal');
    expect(out.caseReference).toBe('FRO 1/2026');
  });

  it('reads "today" in any time zone of the Americas and beyond', () => {
    // TEST_NOW is 12:00 UTC on 10 March: already 11 March at UTC+14, still 10 March at UTC-12.
    const tomorrow = request('consular_notification', (v) => Object.assign(v, { date: '2026-03-11', informedDate: '2026-03-11' }));
    expect(() => validRequestPayload('consular_notification', tomorrow, opts)).not.toThrow();
    const deadlineToday = request('mla', (v) => (v.requestedDeadline = '2026-03-10'));
    expect(() => validRequestPayload('mla', deadlineToday, opts)).not.toThrow();
  });

  it('requires the child flag for a person under 18 but accepts a flagged child', () => {
    const child = request('nationality_verification', (v) => Object.assign(v.victim!, { dateOfBirth: '2010-06-01', child: true }));
    expect(() => validRequestPayload('nationality_verification', child, opts)).not.toThrow();
    const turns18Tomorrow = request('nationality_verification', (v) => (v.victim!.dateOfBirth = '2008-03-11'));
    expect(thrown(() => validRequestPayload('nationality_verification', turns18Tomorrow, opts)).field).toBe('payload.nationality_verification.victim.child');
    const turned18Today = request('nationality_verification', (v) => (v.victim!.dateOfBirth = '2008-03-10'));
    expect(() => validRequestPayload('nationality_verification', turned18Today, opts)).not.toThrow();
  });
});

describe('validResponsePayload', () => {
  it.each(KINDS)('accepts a complete %s response', (kind) => {
    const r = completeResponse(kind);
    expect(validResponsePayload(kind, r, opts)).toEqual(r);
    expect(validResponsePayload(kind, ResponsePayload.decode(ResponsePayload.encode(r).finish()), opts)).toEqual(r);
  });

  it.each(RESPONSE_CASES)('names %s', (_, kind, field, build) => {
    const e = thrown(() => validResponsePayload(kind, build(), opts));
    expect(e.field).toBe(field);
  });

  it('accepts each outcome in its consistent form', () => {
    const refused = response('mla', (v) => Object.assign(v, { outcome: 'refused', measures: [], refusalGrounds: [{ code: 'essential_interests', details: '' }] }));
    expect(() => validResponsePayload('mla', refused, opts)).not.toThrow();
    const more = response('nationality_verification', (v) => Object.assign(v, { outcome: 'more_data_needed', national: false, documentsAvailable: [], dataNeeded: "Mother's maiden name" }));
    expect(() => validResponsePayload('nationality_verification', more, opts)).not.toThrow();
    const none = response('criminal_records', (v) => Object.assign(v, { outcome: 'no_records', convictions: [] }));
    expect(() => validResponsePayload('criminal_records', none, opts)).not.toThrow();
    expect(thrown(() => validResponsePayload('mla', completeResponse('extradition'), opts)).field).toBe('response.extradition');
  });
});

describe('completeness', () => {
  it.each(KINDS)('finds nothing missing in a complete %s request', (kind) => {
    expect(completeness(kind, completeRequest(kind))).toEqual([]);
  });

  it.each(KINDS)('lists what an empty %s request lacks, including the field validation rejects first', (kind) => {
    const empty = RequestPayload.fromPartial({ body: { $case: BODY_CASE[kind], value: {} } as RequestBody });
    const missing = completeness(kind, empty);
    const required = missing.filter((m) => m.required);
    expect(required.length).toBeGreaterThan(0);
    expect(missing.slice(0, required.length)).toEqual(required);
    const e = thrown(() => validRequestPayload(kind, empty, opts));
    const fields = required.map((m) => m.field);
    expect(
      fields.some((f) => e.field === f || e.field.startsWith(`${f}.`) || f.startsWith(`${e.field}.`)),
      `${e.field} in ${fields.join(', ')}`,
    ).toBe(true);
    for (const m of missing) expect(m.field.startsWith(`payload.${kind}.`)).toBe(true);
  });

  it('lists recommended fields without blocking', () => {
    const p = request('nationality_verification', (v) => {
      v.photo = undefined;
      v.victim!.dateOfBirth = '';
      v.victim!.documents = [];
    });
    expect(() => validRequestPayload('nationality_verification', p, opts)).not.toThrow();
    expect(completeness('nationality_verification', p)).toEqual([
      { field: 'payload.nationality_verification.victim.date_of_birth', message: 'the date of birth', required: false },
      { field: 'payload.nationality_verification.victim.documents', message: 'an identity or travel document number', required: false },
      { field: 'payload.nationality_verification.photo', message: 'a photograph', required: false },
    ]);
  });

  it('asks for the consent or legal ground before a victim is sent', () => {
    const p = request('mla', (v) => (v.legalGround = ''));
    expect(completeness('mla', p)).toContainEqual(expect.objectContaining({ field: 'payload.mla.consent', required: true }));
  });

  it('reports a form of the wrong type as missing', () => {
    expect(completeness('mla', completeRequest('extradition'))).toEqual([{ field: 'payload.mla', message: 'the form for this request type', required: true }]);
  });
});
