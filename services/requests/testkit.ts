import { RequestPayload, ResponsePayload, type Person } from '../../generated/enlace/v1/requests.js';
import type { RequestType } from './codes.js';

/**
 * Complete, valid requests and responses of every type, for tests here and end to end.
 * Dates are valid against TEST_NOW; every identity field of a victim holds a distinct value
 * so that a test can look for it after redaction.
 */

export const TEST_NOW = Date.UTC(2026, 2, 10, 12, 0, 0);

/** A PNG signature followed by filler: enough for the photo check, not a real image. */
export const TEST_PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);

export function testVictim(tag = 'v'): Person {
  return {
    givenNames: `María José ${tag}`,
    familyNames: `Pérez Gómez ${tag}`,
    nameVariants: [`Maria Jose Perez ${tag}`, `Majo ${tag}`],
    sex: 'female',
    dateOfBirth: '2001-04-17',
    placeOfBirth: `Asunción ${tag}`,
    nationalities: ['PY'],
    documents: [{ type: 'identity_card', number: `CI-4455667-${tag}`, issuingCountry: 'PY', issueDate: '2019-05-02', expiryDate: '2029-05-02', details: '' }],
    fatherName: `Juan Pérez ${tag}`,
    motherName: `Ana Gómez ${tag}`,
    lastKnownAddress: `Calle Palma 123, Asunción ${tag}`,
    description: `Scar on the left hand ${tag}`,
    child: false,
  };
}

export function testSuspect(): Person {
  return {
    givenNames: 'Carlos',
    familyNames: 'Rodríguez',
    nameVariants: ['El Flaco'],
    sex: 'male',
    dateOfBirth: '1980-01-30',
    placeOfBirth: 'Rosario',
    nationalities: ['AR'],
    documents: [{ type: 'passport', number: 'AAB123456', issuingCountry: 'AR', issueDate: '2020-01-10', expiryDate: '2030-01-10', details: '' }],
    fatherName: 'Pedro Rodríguez',
    motherName: 'Lucía Fernández',
    lastKnownAddress: 'Av. Rivadavia 5000, Buenos Aires',
    description: 'Tall, tattoo on the neck',
    child: false,
  };
}

const CONSENT = { written: true, date: '2026-03-01', recordedBy: 'Lic. Ana Silva, Fiscalía de Trata', language: 'es', reference: 'CONS-2026-17' };
const TRAFFICKING = { category: 'trafficking_in_persons', exploitationForms: ['sexual_exploitation.prostitution'], otherText: '', legalProvision: 'Código Penal art. 145 bis' };
const CONVICTION = {
  court: 'Tribunal Oral en lo Criminal Federal N.º 1 de Rosario',
  caseReference: 'FRO 1234/2019',
  decisionDate: '2022-06-15',
  finalDate: '2023-02-01',
  offenceDate: '2019-03-01',
  offences: [TRAFFICKING],
  sentences: [{ type: 'imprisonment', durationMonths: 96, details: '' }],
};

/** The oneof case of RequestPayload.body. */
type RequestBody = NonNullable<RequestPayload['body']>;

/** One complete form per request type. */
const REQUEST_BODIES: Record<RequestType, () => RequestBody> = {
  mla: mlaRequest,
  nationality_verification: nationalityVerificationRequest,
  criminal_records: criminalRecordsRequest,
  conviction_notification: convictionNotificationRequest,
  extradition: extraditionRequest,
  consular_notification: consularNotificationRequest,
  additional_information: additionalInformationRequest,
  spontaneous_information: spontaneousInformationRequest,
};

function requestBody(kind: RequestType): RequestBody {
  return REQUEST_BODIES[kind]();
}

function mlaRequest(): RequestBody {
  return {
    $case: 'mla',
    value: {
      legalBases: [
        { code: 'untoc.art18', details: '' },
        { code: 'bilateral_treaty', details: 'Tratado de asistencia jurídica mutua AR-PY (1995)' },
      ],
      caseReference: 'FRO 1234/2025',
      offences: [TRAFFICKING],
      facts: 'Between 2024 and 2025 a network recruited young women in Paraguay with false job offers.',
      measures: [
        { code: 'bank_records', description: 'Statements of account 001-234 at Banco X, 2024-2025' },
        { code: 'testimony', description: 'Statement of the victim as a witness' },
        { code: 'other', description: 'Copies of migration entry records' },
      ],
      persons: [
        { role: 'suspect', person: testSuspect(), details: 'Recruiter' },
        { role: 'victim', person: testVictim('mla'), details: 'Recruited in 2024' },
      ],
      urgency: 'urgent',
      urgencyReason: 'The suspect is in pre-trial detention until 2026-05-01',
      confidentialityRequired: true,
      confidentialityDetails: 'Do not inform the account holder',
      useRestrictions: 'Only for case FRO 1234/2025',
      requestedDeadline: '2026-04-30',
      consent: undefined,
      legalGround: 'Código Procesal Penal Federal art. 79 (protección de víctimas); UNTOC art. 18',
    },
  };
}

function nationalityVerificationRequest(): RequestBody {
  return {
    $case: 'nationalityVerification',
    value: {
      victim: testVictim('nv'),
      photo: { mediaType: 'image/png', data: TEST_PNG },
      verifyNationality: true,
      verifyResidence: false,
      purpose: 'repatriation',
      purposeDetails: '',
      consent: CONSENT,
      legalGround: '',
      urgency: 'normal',
      urgencyReason: '',
      caseReference: 'VIC-2026-0042',
      documentsRequested: ['emergency_travel_document'],
      remarks: 'Identified in a shelter in Buenos Aires nv',
      documentsRequestedDetails: '',
      exploitationForms: ['forced_labour'],
      exploitationDetails: '',
    },
  };
}

function criminalRecordsRequest(): RequestBody {
  return {
    $case: 'criminalRecords',
    value: {
      person: testSuspect(),
      purpose: 'criminal_proceedings',
      purposeDetails: '',
      caseReference: 'FRO 1234/2025',
      legalBases: [{ code: 'reciprocity', details: '' }],
      urgency: 'normal',
      urgencyReason: '',
    },
  };
}

function convictionNotificationRequest(): RequestBody {
  return { $case: 'convictionNotification', value: { person: testSuspect(), conviction: CONVICTION, remarks: '' } };
}

function extraditionRequest(): RequestBody {
  return {
    $case: 'extradition',
    value: {
      provisionalArrest: true,
      personSought: testSuspect(),
      offences: [TRAFFICKING],
      warrantReference: 'Orden de captura 77/2025',
      warrantDate: '2025-11-20',
      issuingAuthority: 'Juzgado Federal de Rosario N.º 4',
      legalBases: [{ code: 'inter_american.extradition_1981', details: '' }],
      facts: 'The person sought led the recruitment of at least twelve women.',
      purpose: 'prosecution',
      sentenceToServe: '',
      whereabouts: 'Believed to live in Montevideo, Pocitos',
      relatedRequestId: '',
      assurances: '',
      urgency: 'urgent',
      urgencyReason: 'Risk of flight',
      caseReference: 'FRO 1234/2025',
    },
  };
}

function consularNotificationRequest(): RequestBody {
  return {
    $case: 'consularNotification',
    value: {
      person: testVictim('cn'),
      situation: 'victim',
      situationDetails: '',
      place: 'Shelter in La Plata cn',
      date: '2026-03-05',
      informedOfRights: true,
      informedDate: '2026-03-05',
      wishesContact: true,
      authorityContact: 'Programa Nacional de Rescate, +54 11 5300 4000',
      consent: CONSENT,
      legalGround: '',
      remarks: 'She asks to speak with the consul in Guaraní cn',
      exploitationForms: ['sexual_exploitation.prostitution'],
      exploitationDetails: '',
    },
  };
}

function additionalInformationRequest(): RequestBody {
  return {
    $case: 'additionalInformation',
    value: {
      requestId: '01960e4a-7b7c-7d2e-8f00-0123456789ab',
      questions: ['Which branch holds account 001-234?', 'Is the victim willing to testify by video link?'],
      replyBy: '2026-04-15',
    },
  };
}

function spontaneousInformationRequest(): RequestBody {
  return {
    $case: 'spontaneousInformation',
    value: {
      facts: 'A bus company in Encarnación sells tickets to recruits of a network under investigation.',
      offences: [TRAFFICKING],
      persons: [{ role: 'victim', person: testVictim('si'), details: 'Travelled on 2026-02-20' }],
      legalBases: [{ code: 'untoc.art18', details: '' }],
      urgency: 'normal',
      urgencyReason: '',
      confidentialityRequired: true,
      confidentialityDetails: 'Investigation not yet public',
      useRestrictions: 'Intelligence only; ask before using as evidence',
      caseReference: 'FRO 2222/2026',
      consent: undefined,
      legalGround: 'UNTOC art. 18(4)',
    },
  };
}

export function completeRequest(kind: RequestType): RequestPayload {
  return RequestPayload.fromPartial({ language: 'es', body: requestBody(kind) });
}

function responseBody(kind: RequestType): ResponsePayload['body'] {
  switch (kind) {
    case 'mla':
      return {
        $case: 'mla',
        value: {
          outcome: 'partially_executed',
          measures: [
            { measure: 'bank_records', executed: true, details: 'Statements attached', ground: '' },
            { measure: 'testimony', executed: false, details: 'The witness could not be found', ground: '' },
          ],
          refusalGrounds: [],
          summary: 'Bank records obtained; the witness was not located.',
          executionDate: '2026-03-09',
        },
      };
    case 'nationality_verification':
      return {
        $case: 'nationalityVerification',
        value: {
          outcome: 'confirmed',
          national: true,
          permanentResident: false,
          registeredIdentity: testVictim('reg'),
          dataNeeded: '',
          documentsAvailable: [{ documentType: 'emergency_travel_document', issuingAuthority: 'Consulado del Paraguay en Buenos Aires', workingDays: 2, conditions: '', details: '' }],
          remarks: 'Registered in Asunción reg',
        },
      };
    case 'criminal_records':
      return { $case: 'criminalRecords', value: { outcome: 'records_found', convictions: [CONVICTION], refusalGrounds: [], remarks: '' } };
    case 'conviction_notification':
      return { $case: 'convictionNotification', value: { recorded: true, registerReference: 'RNR-2026-881', remarks: '' } };
    case 'extradition':
      return {
        $case: 'extradition',
        value: { outcome: 'refused', decisionDate: '2026-03-01', arrestDate: '', conditions: '', refusalGrounds: [{ code: 'nationality', details: '' }], remarks: '' },
      };
    case 'consular_notification':
      return { $case: 'consularNotification', value: { consularPost: 'Consulado del Paraguay en La Plata', contactDetails: '+54 221 000 0000', plannedContactDate: '2026-03-12', remarks: '' } };
    case 'additional_information':
      return { $case: 'additionalInformation', value: { answers: [{ question: 1, text: 'Sucursal Centro' }], remarks: '' } };
    case 'spontaneous_information':
      return { $case: 'spontaneousInformation', value: { caseReference: 'MPF-PY-2026-19', remarks: 'Thank you' } };
  }
}

export function completeResponse(kind: RequestType): ResponsePayload {
  return ResponsePayload.fromPartial({ language: 'es', body: responseBody(kind) });
}

/** Provided information with every part filled: a topic, two answers, a victim and a suspect, a document. */
export function completeProvidedInformation(tag = 'p'): ResponsePayload {
  return ResponsePayload.fromPartial({
    language: 'es',
    body: {
      $case: 'providedInformation',
      value: {
        items: [{ topic: 'whereabouts', text: `Vive con su madre en Rivera 1234, Montevideo ${tag}`, topicDetails: '' }],
        answers: [
          { question: 1, text: `La madre se llama Ana Gómez ${tag}` },
          { question: 2, text: `Llegó a Buenos Aires en enero de 2025 ${tag}` },
        ],
        persons: [
          { role: 'victim', person: testVictim(tag), details: 'The victim the request is about' },
          { role: 'suspect', person: testSuspect(), details: 'Recruited her in Asunción' },
        ],
        documentReferences: [{ title: `Acta de declaración de ${tag}`, reference: 'ACTA-2026-88', date: '2026-02-20', attachmentId: '' }],
        consent: CONSENT,
        legalGround: '',
        remarks: `Remarks ${tag}`,
      },
    },
  });
}
