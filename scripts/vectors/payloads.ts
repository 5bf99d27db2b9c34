/**
 * tests/vectors/payloads-v1.json: request bodies as a receiver finds them after opening
 * (docs/protocol.md §18.5, §18.7, §18.8). Valid: one typed form per request type, and an opaque
 * payload. Invalid: one rule broken per case, with the code (always ERR_CONTENT_INVALID), the
 * field the reference names, and its detail (informative). Deterministic: no clock, no randomness.
 */
import { RequestBody } from '../../generated/enlace/v1/envelope.js';
import { RequestPayload } from '../../generated/enlace/v1/requests.js';
import { b64u } from '../../keys/index.js';
import { InvalidArgumentError } from '../../keys/index.js';
import { checkReceivedRequest } from '../../services/requests/content-rules.js';
import { REQUEST_TYPE_CODES, TYPED_REQUEST, type RequestType } from '../../services/requests/index.js';
import { completeRequest, TEST_NOW } from '../../services/requests/testkit.js';

interface PayloadCase {
  name: string;
  section: string;
  description: string;
  valid: boolean;
  error?: 'ERR_CONTENT_INVALID';
  field?: string;
  detail?: string;
  requestBody: string;
}

type Body = Omit<RequestBody, 'payload'> & { payload: Uint8Array };

function bodyOf(kind: string, form: RequestPayload | undefined, over: Partial<Body> = {}): Body {
  return {
    requestKind: kind,
    toAuthority: '',
    subject: `Test vector: ${kind}`,
    payload: form ? RequestPayload.encode(form).finish() : new Uint8Array(),
    payloadType: form ? TYPED_REQUEST : 'application/json',
    senderReference: 'TV-P',
    urgency: '',
    attachments: [],
    links: undefined,
    ...over,
  };
}

type Camel<S extends string> = S extends `${infer H}_${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S;
/** The form message of request type `K` (the oneof case of RequestPayload.body named after it). */
type FormOf<K extends RequestType> = Extract<NonNullable<RequestPayload['body']>, { $case: Camel<K> }>['value'];

/** A complete form of `kind`, changed by `change` (on a deep copy). */
function formWith<K extends RequestType>(kind: K, change: (body: FormOf<K>) => void): RequestPayload {
  const form = RequestPayload.decode(RequestPayload.encode(completeRequest(kind)).finish());
  change(form.body!.value as FormOf<K>);
  return form;
}

/** The outcome the reference receiver gives, so the file states what the code does. */
function outcome(b: Body): { field: string; detail: string } | undefined {
  try {
    checkReceivedRequest({ ...b, kind: b.requestKind }, TEST_NOW);
    return undefined;
  } catch (e) {
    if (e instanceof InvalidArgumentError) return { field: e.field, detail: e.message };
    throw e;
  }
}

/** An invalid case: name, section, description, the body, the field the reference names first. */
type Row = [string, string, string, Body, string];

const mla = (change: (v: FormOf<'mla'>) => void) => bodyOf('mla', formWith('mla', change));
const nationality = (change: (v: FormOf<'nationality_verification'>) => void) => bodyOf('nationality_verification', formWith('nationality_verification', change));

export function buildPayloadVectors(): string {
  const cases: PayloadCase[] = [];
  const add = (name: string, section: string, description: string, b: Body, expectField?: string) => {
    const got = outcome(b);
    if (expectField === undefined && got) throw new Error(`payload vector ${name} should be valid: ${got.detail}`);
    if (expectField !== undefined && got?.field !== expectField) throw new Error(`payload vector ${name} should fail at ${expectField}, got ${got?.field ?? 'valid'}`);
    cases.push({
      name,
      section,
      description,
      valid: got === undefined,
      ...(got ? { error: 'ERR_CONTENT_INVALID' as const, field: got.field, detail: got.detail } : {}),
      requestBody: b64u(RequestBody.encode(b).finish()),
    });
  };

  for (const kind of REQUEST_TYPE_CODES) add(`typed-${kind}`, '§18.7', `A complete typed ${kind} form.`, bodyOf(kind, completeRequest(kind)));
  add('opaque-json', '§18.5', 'An opaque payload (application/json): stored, not interpreted.', bodyOf('mla', undefined, { payload: new TextEncoder().encode('{"note":"synthetic"}') }));
  add('urgent-with-authority', '§18.5', 'urgency "urgent" and to_authority "fiscalia-trata".', bodyOf('mla', completeRequest('mla'), { urgency: 'urgent', toAuthority: 'fiscalia-trata' }));
  add(
    'victim-basis-legal-ground',
    '§18.8',
    'A nationality verification with no consent and a legal ground: a basis.',
    bodyOf(
      'nationality_verification',
      formWith('nationality_verification', (v) => ((v.consent = undefined), (v.legalGround = 'Ley 26.364 art. 6'))),
    ),
  );

  for (const [name, section, description, b, field] of [...bodyFieldCases(), ...formShapeCases(), ...formValueCases(), ...victimBasisCases()]) add(name, section, description, b, field);
  return payloadFile(cases);
}

/** §18.5: the fields of RequestBody around the form. */
function bodyFieldCases(): Row[] {
  return [
    ['unknown-request-kind', '§18.5', 'request_kind "nationality-verification" (hyphen): not a request type.', bodyOf('nationality-verification', undefined), 'kind'],
    ['authority-not-a-slug', '§18.5', 'to_authority "Fiscalia".', bodyOf('mla', completeRequest('mla'), { toAuthority: 'Fiscalia' }), 'to_authority'],
    ['empty-subject', '§18.5', 'subject "" (an empty body has one).', bodyOf('mla', completeRequest('mla'), { subject: '' }), 'subject'],
    ['subject-outer-spaces', '§18.5', 'subject " Extradition" (leading space).', bodyOf('mla', completeRequest('mla'), { subject: ' Extradition' }), 'subject'],
    ['subject-too-long', '§18.5', 'subject of 201 characters.', bodyOf('mla', completeRequest('mla'), { subject: 'x'.repeat(201) }), 'subject'],
    ['payload-type-not-media-type', '§18.5', 'payload_type "json".', bodyOf('mla', undefined, { payloadType: 'json' }), 'payload_type'],
    ['sender-reference-too-long', '§18.5', 'sender_reference of 101 characters.', bodyOf('mla', completeRequest('mla'), { senderReference: 'r'.repeat(101) }), 'sender_reference'],
    ['urgency-unknown', '§18.5', 'urgency "high".', bodyOf('mla', completeRequest('mla'), { urgency: 'high' }), 'urgency'],
    [
      'empty-body',
      '§18.5',
      'A RequestBody of zero bytes (every field its default): no request type.',
      bodyOf('', undefined, { subject: '', payload: new Uint8Array(), payloadType: '', senderReference: '' }),
      'kind',
    ],
  ];
}

/** §18.7 rules 1-4: a payload that is not a form of its request kind, and codes and required fields of the form. */
function formShapeCases(): Row[] {
  return [
    [
      'payload-not-request-payload',
      '§18.7 rule 1',
      'payload_type is the typed media type, payload the bytes ff ff ff.',
      bodyOf('mla', undefined, { payloadType: TYPED_REQUEST, payload: new Uint8Array([0xff, 0xff, 0xff]) }),
      'payload',
    ],
    [
      'body-case-mismatch',
      '§18.7 rule 2',
      'request_kind "mla" carrying a nationality_verification form.',
      bodyOf('mla', completeRequest('nationality_verification')),
      'payload.nationality_verification',
    ],
    ['typed-without-body', '§18.7 rule 2', 'A typed payload with no body case.', bodyOf('mla', { language: 'es', body: undefined }), 'payload.mla'],
    ['language-upper-case', '§18.7 rule 3', 'language "ES".', bodyOf('mla', { ...completeRequest('mla'), language: 'ES' }), 'payload.language'],
    ['unknown-code', '§18.7 rule 4, §18.6', 'measures[0].code "wiretap": not in table measures.', mla((v) => (v.measures[0]!.code = 'wiretap')), 'payload.mla.measures[0].code'],
    [
      'code-without-its-text',
      '§18.7 rule 4, §18.6',
      'measures[0].code "other" (requiresText) with an empty description.',
      mla((v) => (v.measures[0] = { code: 'other', description: '' })),
      'payload.mla.measures[0].description',
    ],
    ['required-field-empty', '§18.7 rule 4', 'mla.facts empty.', mla((v) => (v.facts = '')), 'payload.mla.facts'],
    ['list-below-minimum', '§18.7 rule 4', 'mla.measures empty (at least one).', mla((v) => (v.measures = [])), 'payload.mla.measures'],
    [
      'list-above-maximum',
      '§18.7 rule 4',
      'victim nationalities of 6 countries (at most 5).',
      nationality((v) => (v.victim!.nationalities = ['PY', 'AR', 'BR', 'UY', 'CL', 'BO'])),
      'payload.nationality_verification.victim.nationalities',
    ],
  ];
}

/** §18.7 rule 4: values a form field may not hold (repeated codes, control characters, dates, countries, ids, a photo's type). */
function formValueCases(): Row[] {
  return [
    [
      'repeated-code-in-list',
      '§18.7 rule 4',
      'nationality_verification.documents_requested ["passport","passport"].',
      bodyOf(
        'nationality_verification',
        formWith('nationality_verification', (v) => (v.documentsRequested = ['passport', 'passport'])),
      ),
      'payload.nationality_verification.documents_requested[1]',
    ],
    ['line-with-control-character', '§18.7 rule 4', 'mla.case_reference with a line feed inside.', mla((v) => (v.caseReference = 'A\nB')), 'payload.mla.case_reference'],
    ['reference-too-long', '§18.7 rule 4', 'mla.case_reference of 101 characters (references at most 100).', mla((v) => (v.caseReference = 'R'.repeat(101))), 'payload.mla.case_reference'],
    ['facts-too-long', '§18.7 rule 4', 'mla.facts of 20,001 characters (facts at most 20,000).', mla((v) => (v.facts = 'f'.repeat(20_001))), 'payload.mla.facts'],
    [
      'child-not-marked',
      '§18.7 rule 4',
      'victim date_of_birth "2012-04-17" (13 years old at now) with child false.',
      nationality((v) => (v.victim!.dateOfBirth = '2012-04-17')),
      'payload.nationality_verification.victim.child',
    ],
    [
      'dates-out-of-order',
      '§18.7 rule 4',
      'victim documents[0] expiry_date "2018-05-02" before its issue_date "2019-05-02".',
      nationality((v) => (v.victim!.documents[0]!.expiryDate = '2018-05-02')),
      'payload.nationality_verification.victim.documents[0].expiry_date',
    ],
    [
      'not-a-calendar-date',
      '§18.7 rule 4',
      'victim date_of_birth "2001-02-30".',
      bodyOf(
        'nationality_verification',
        formWith('nationality_verification', (v) => (v.victim!.dateOfBirth = '2001-02-30')),
      ),
      'payload.nationality_verification.victim.date_of_birth',
    ],
    [
      'past-date-in-future',
      '§18.7 rule 4',
      'consent.date "2027-01-01", after now everywhere.',
      bodyOf(
        'nationality_verification',
        formWith('nationality_verification', (v) => (v.consent!.date = '2027-01-01')),
      ),
      'payload.nationality_verification.consent.date',
    ],
    ['deadline-in-past', '§18.7 rule 4', 'mla.requested_deadline "2020-01-01".', mla((v) => (v.requestedDeadline = '2020-01-01')), 'payload.mla.requested_deadline'],
    [
      'country-lower-case',
      '§18.7 rule 4',
      'victim nationalities ["py"].',
      bodyOf(
        'nationality_verification',
        formWith('nationality_verification', (v) => (v.victim!.nationalities = ['py'])),
      ),
      'payload.nationality_verification.victim.nationalities[0]',
    ],
    [
      'request-id-not-uuidv7',
      '§18.7 rule 4',
      'additional_information.request_id "REQ-1".',
      bodyOf(
        'additional_information',
        formWith('additional_information', (v) => (v.requestId = 'REQ-1')),
      ),
      'payload.additional_information.request_id',
    ],
    [
      'photo-not-its-type',
      '§18.7 rule 4',
      'photo of media_type image/jpeg whose bytes start as a PNG.',
      bodyOf(
        'nationality_verification',
        formWith('nationality_verification', (v) => (v.photo!.mediaType = 'image/jpeg')),
      ),
      'payload.nationality_verification.photo.data',
    ],
  ];
}

/** §18.8: a form about a victim with neither written consent nor a legal ground. */
function victimBasisCases(): Row[] {
  return [
    [
      'victim-basis-missing-verification',
      '§18.8',
      'A nationality verification with no consent and no legal ground.',
      bodyOf(
        'nationality_verification',
        formWith('nationality_verification', (v) => ((v.consent = undefined), (v.legalGround = ''))),
      ),
      'payload.nationality_verification.consent',
    ],
    [
      'victim-basis-consent-not-written',
      '§18.8',
      'A nationality verification whose consent has written = false, and no legal ground.',
      bodyOf(
        'nationality_verification',
        formWith('nationality_verification', (v) => ((v.consent!.written = false), (v.legalGround = ''))),
      ),
      'payload.nationality_verification.consent',
    ],
    [
      'victim-basis-missing-mla',
      '§18.8',
      'An mla naming a person with role victim, with no consent and no legal ground.',
      mla((v) => ((v.consent = undefined), (v.legalGround = ''))),
      'payload.mla.consent',
    ],
    [
      'victim-basis-missing-spontaneous',
      '§18.8',
      'A spontaneous information naming a person with role victim, with no consent and no legal ground.',
      bodyOf(
        'spontaneous_information',
        formWith('spontaneous_information', (v) => ((v.consent = undefined), (v.legalGround = ''))),
      ),
      'payload.spontaneous_information.consent',
    ],
    [
      'basis-not-needed-but-malformed',
      '§18.8',
      'An mla naming no victim (no basis needed) whose consent is dated "2026-13-01", not a calendar date: what is given must be well formed.',
      mla((v) => ((v.persons = v.persons.filter((p) => p.role !== 'victim')), (v.consent = { written: true, date: '2026-13-01', recordedBy: 'Fiscalía', language: 'es', reference: '' }))),
      'payload.mla.consent.date',
    ],
    [
      'victim-basis-missing-consular',
      '§18.8',
      'A consular notification with situation victim, with no consent and no legal ground.',
      bodyOf(
        'consular_notification',
        formWith('consular_notification', (v) => ((v.situation = 'victim'), (v.consent = undefined), (v.legalGround = ''))),
      ),
      'payload.consular_notification.consent',
    ],
  ];
}

function payloadFile(cases: PayloadCase[]): string {
  return (
    JSON.stringify(
      {
        description: 'Enlace typed payload vectors, version 1 (docs/protocol.md §18.5-§18.8). Generated by scripts/gen-vectors.ts (npm run vectors); do not edit.',
        warning: 'TEST ONLY: synthetic persons and data.',
        format: {
          requestBody: 'base64url of an enlace.v1.RequestBody as found in an opened request envelope',
          case: 'check requestBody as a receiver at time `now` (§18.5, then §18.7 and §18.8). valid=true: accepted. valid=false: rejected with `error`; `field` is the field the reference names first and `detail` its sentence (both informative; `error` is normative).',
        },
        now: TEST_NOW,
        mediaType: TYPED_REQUEST,
        cases,
      },
      null,
      2,
    ) + '\n'
  );
}
