import { describe, expect, it } from 'vitest';
import {
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
  ProvidedInformation,
  SpontaneousInformation,
  type RequestPayload,
} from '../../generated/enlace/v1/requests.js';
import { codes } from './codes.js';
import {
  hasVictimData,
  involvesChild,
  REDACTED,
  redactVictimData,
  redactVictimResponse,
  responseHasVictimData,
  validRequestPayload,
  VICTIM_IDENTITY_FIELDS,
} from './index.js';
import { completeRequest, completeResponse, TEST_NOW, testSuspect } from './testkit.js';
import { VICTIM_POLICIES } from './victim-fields.js';

const MESSAGES = {
  Person,
  IdentityDocument,
  PersonConcerned,
  MutualLegalAssistanceRequest,
  NationalityVerificationRequest,
  NationalityVerificationResponse,
  ConsularNotification,
  SpontaneousInformation,
  ProvidedInformation,
  InformationItem,
  Answer,
  DocumentReference,
} as const;

function leafStrings(v: unknown): string[] {
  if (typeof v === 'string') return v === '' ? [] : [v];
  if (Array.isArray(v)) return v.flatMap(leafStrings);
  if (v && typeof v === 'object' && !(v instanceof Uint8Array)) return Object.values(v).flatMap(leafStrings);
  return [];
}

/** The identity values of a victim's person record, found through the one list of identity fields. */
function identityValues(p: Person): string[] {
  return VICTIM_IDENTITY_FIELDS.Person!.flatMap((k) =>
    k === 'documents'
      ? p.documents.flatMap((d) => VICTIM_IDENTITY_FIELDS.IdentityDocument!.flatMap((f) => leafStrings(d[f as keyof IdentityDocument])))
      : leafStrings(p[k as keyof Person]),
  );
}

function keptValues(p: Person): unknown[] {
  return Object.keys(p)
    .filter((k) => !VICTIM_IDENTITY_FIELDS.Person!.includes(k))
    .map((k) => p[k as keyof Person]);
}

function expectRedacted(original: RequestPayload, secrets: string[]): RequestPayload {
  const before = structuredClone(original);
  const redacted = redactVictimData(original);
  expect(original, 'redaction must not change its input').toEqual(before);
  const json = JSON.stringify(redacted);
  expect(secrets.length).toBeGreaterThan(5);
  for (const s of secrets) expect(json, `"${s}" survived redaction`).not.toContain(s);
  expect(hasVictimData(original)).toBe(true);
  expect(hasVictimData(redacted)).toBe(false);
  return redacted;
}

describe('victim identity fields', () => {
  it('classify every field of every message that can hold victim data', () => {
    for (const [name, message] of Object.entries(MESSAGES)) {
      const policy = VICTIM_POLICIES[name];
      expect(Object.keys(policy ?? {}).sort(), name).toEqual(Object.keys((message.fromPartial as (o: object) => object)({})).sort());
    }
    expect(Object.keys(VICTIM_IDENTITY_FIELDS).sort()).toEqual(Object.keys(MESSAGES).sort());
  });

  it('are the names, dates, places, documents, parents, address, description, photo and remarks', () => {
    expect(VICTIM_IDENTITY_FIELDS.Person).toEqual([
      'givenNames',
      'familyNames',
      'nameVariants',
      'dateOfBirth',
      'placeOfBirth',
      'documents',
      'fatherName',
      'motherName',
      'lastKnownAddress',
      'description',
    ]);
    expect(VICTIM_IDENTITY_FIELDS.IdentityDocument).toEqual(['number', 'issueDate', 'expiryDate']);
    expect(VICTIM_IDENTITY_FIELDS.NationalityVerificationRequest).toEqual(['victim', 'photo', 'remarks']);
    expect(VICTIM_IDENTITY_FIELDS.ConsularNotification).toEqual(['person', 'place', 'remarks']);
  });
});

describe('redactVictimData', () => {
  it('removes every identity field of a nationality verification and keeps the rest', () => {
    const original = completeRequest('nationality_verification');
    const v = original.body!.value as NationalityVerificationRequest;
    const redacted = expectRedacted(original, [...identityValues(v.victim!), v.remarks]);
    const r = redacted.body!.value as NationalityVerificationRequest;
    expect(r.photo).toBeUndefined();
    expect(r.victim!.givenNames).toBe(REDACTED);
    expect(r.victim!.nameVariants).toEqual([REDACTED]);
    expect(r.victim!.documents[0]).toEqual({ type: 'identity_card', number: REDACTED, issuingCountry: 'PY', issueDate: REDACTED, expiryDate: REDACTED, details: '' });
    expect(keptValues(r.victim!)).toEqual(keptValues(v.victim!));
    for (const k of Object.keys(v) as (keyof NationalityVerificationRequest)[]) {
      if (!VICTIM_IDENTITY_FIELDS.NationalityVerificationRequest!.includes(k)) expect(r[k], k).toEqual(v[k]);
    }
  });

  it('keeps the child flag', () => {
    const original = completeRequest('nationality_verification');
    const v = original.body!.value as NationalityVerificationRequest;
    Object.assign(v.victim!, { child: true, dateOfBirth: '2012-02-02' });
    expect(involvesChild(original)).toBe(true);
    const r = redactVictimData(original).body!.value as NationalityVerificationRequest;
    expect(r.victim!.child).toBe(true);
    expect(r.victim!.dateOfBirth).toBe(REDACTED);
    expect(involvesChild(redactVictimData(original))).toBe(true);
  });

  it('redacts victims among the persons concerned and no one else', () => {
    for (const kind of ['mla', 'spontaneous_information'] as const) {
      const original = completeRequest(kind);
      const persons = (original.body!.value as MutualLegalAssistanceRequest | SpontaneousInformation).persons;
      const victims = persons.filter((p) => p.role === 'victim');
      expect(victims.length).toBeGreaterThan(0);
      const redacted = expectRedacted(original, victims.flatMap((p) => identityValues(p.person!)));
      const after = (redacted.body!.value as MutualLegalAssistanceRequest).persons;
      persons.forEach((p, i) => {
        if (p.role !== 'victim') expect(after[i]).toEqual(p);
        else expect(after[i]!.details).toBe(p.details);
      });
    }
    const json = JSON.stringify(redactVictimData(completeRequest('mla')));
    expect(json).toContain(testSuspect().familyNames);
  });

  it('treats a person with an unknown role as a victim (fails closed)', () => {
    const original = completeRequest('mla');
    const persons = (original.body!.value as MutualLegalAssistanceRequest).persons;
    persons[0]!.role = 'informant';
    const r = (redactVictimData(original).body!.value as MutualLegalAssistanceRequest).persons;
    expect(r[0]!.person!.familyNames).toBe(REDACTED);
  });

  it('redacts a consular notification about a victim, including where she is, but not one about a detainee', () => {
    const original = completeRequest('consular_notification');
    const v = original.body!.value as ConsularNotification;
    expectRedacted(original, [...identityValues(v.person!), v.place, v.remarks]);

    const detained = completeRequest('consular_notification');
    Object.assign(detained.body!.value as ConsularNotification, { situation: 'pretrial_detention', person: testSuspect(), place: 'Unidad Penal 1' });
    expect(redactVictimData(detained)).toEqual(detained);
    expect(hasVictimData(detained)).toBe(false);
  });

  it('leaves requests without victim data as they are', () => {
    for (const kind of ['criminal_records', 'conviction_notification', 'extradition', 'additional_information'] as const) {
      const p = completeRequest(kind);
      expect(redactVictimData(p), kind).toEqual(p);
      expect(hasVictimData(p), kind).toBe(false);
    }
  });

  it('finds victim data in every type that can carry it', () => {
    const carrying = codes('request_types').filter((k) => hasVictimData(completeRequest(k)));
    expect(carrying).toEqual(['mla', 'nationality_verification', 'consular_notification', 'spontaneous_information']);
  });

  it('gives a payload that still reads, with nothing invented for empty fields', () => {
    const original = completeRequest('nationality_verification');
    Object.assign((original.body!.value as NationalityVerificationRequest).victim!, { fatherName: '', nameVariants: [] });
    const r = (redactVictimData(original).body!.value as NationalityVerificationRequest).victim!;
    expect(r.fatherName).toBe('');
    expect(r.nameVariants).toEqual([]);
    expect(hasVictimData(redactVictimData(original))).toBe(false);
    expect(() => validRequestPayload('criminal_records', redactVictimData(completeRequest('criminal_records')), { now: TEST_NOW })).not.toThrow();
  });
});

describe('redactVictimResponse', () => {
  it('removes the registered identity and remarks of a verification response', () => {
    const original = completeResponse('nationality_verification');
    const v = original.body!.value as NationalityVerificationResponse;
    const secrets = [...identityValues(v.registeredIdentity!), v.remarks];
    const redacted = redactVictimResponse(original);
    const json = JSON.stringify(redacted);
    for (const s of secrets) expect(json).not.toContain(s);
    expect(responseHasVictimData(original)).toBe(true);
    expect(responseHasVictimData(redacted)).toBe(false);
    expect((redacted.body!.value as NationalityVerificationResponse).documentsAvailable).toEqual(v.documentsAvailable);
  });

  it('leaves other responses as they are', () => {
    for (const kind of codes('request_types').filter((k) => k !== 'nationality_verification')) {
      const r = completeResponse(kind);
      expect(redactVictimResponse(r), kind).toEqual(r);
      expect(responseHasVictimData(r), kind).toBe(false);
    }
  });
});

