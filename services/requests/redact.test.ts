import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as Gen from '../../generated/enlace/v1/requests.js';
import type { ConsularNotification, ExtraditionRequest, MutualLegalAssistanceRequest, NationalityVerificationRequest, RequestPayload, ResponsePayload } from '../../generated/enlace/v1/requests.js';
import { fieldClassesDocument } from './field-classes.js';
import {
  FIELD_CLASS_NAMES,
  FIELD_CLASSES,
  involvesChild,
  REDACTED,
  redactRequest,
  redactResponse,
  REQUEST_TYPE_CODES,
  requestClasses,
  requestFields,
  responseFields,
  type ClassifiedField,
} from './index.js';
import { completeProvidedInformation, completeRequest, completeResponse, testSuspect, testVictim } from './testkit.js';

const METADATA = ['metadata'] as const;
const byPath = (fs: ClassifiedField[]) => new Map(fs.map((f) => [f.path, f]));
const strings = (v: unknown): string[] =>
  typeof v === 'string' ? [v] : Array.isArray(v) ? v.flatMap(strings) : v && typeof v === 'object' && !(v instanceof Uint8Array) ? Object.values(v).flatMap(strings) : [];

/**
 * Field by field: every identity and sensitive field of the original is withheld in the
 * redacted copy, every metadata field is kept as it was, and no protected text appears
 * anywhere in the copy (unless a metadata value holds the same text, as a court's town).
 */
function expectMetadataOnly(original: ClassifiedField[], redacted: ClassifiedField[], json: string, what: string): void {
  const after = byPath(redacted);
  const metadataTexts = original.filter((f) => f.cls === 'metadata').flatMap((f) => strings(f.value));
  expect(
    original.some((f) => f.cls !== 'metadata'),
    `${what} has protected fields to test`,
  ).toBe(true);
  for (const f of original) {
    const r = after.get(f.path);
    if (f.cls === 'metadata') expect(r?.value, `${what} ${f.path} (metadata) kept`).toEqual(f.value);
    else {
      expect([undefined, REDACTED, JSON.stringify([REDACTED])], `${what} ${f.path} (${f.cls}) withheld`).toContain(Array.isArray(r?.value) ? JSON.stringify(r?.value) : r?.value);
      for (const s of strings(f.value)) if (s.length > 3 && !metadataTexts.some((m) => m.includes(s))) expect(json, `${what} ${f.path}: "${s}" survived`).not.toContain(s);
    }
  }
}

const responses = (): [string, ResponsePayload][] => [
  ...REQUEST_TYPE_CODES.map((k): [string, ResponsePayload] => [k, completeResponse(k)]),
  ['provided_information', completeProvidedInformation('secret')],
];

describe('the field class table', () => {
  it('has one entry per generated message, each with exactly the fields of that message', () => {
    const generated = Object.entries(Gen).filter(([, v]) => typeof v === 'object' && v !== null && 'fromPartial' in v) as [string, { fromPartial(o: object): object }][];
    expect(Object.keys(FIELD_CLASSES).sort()).toEqual(generated.map(([n]) => n).sort());
    for (const [name, fns] of generated) {
      expect(Object.keys(FIELD_CLASSES[name as keyof typeof FIELD_CLASSES]).sort(), name).toEqual(Object.keys(fns.fromPartial({})).sort());
    }
  });

  it('classes the same fields of a person in every role: names, birth, documents, parents, address and description are identity', () => {
    const identity = Object.entries(FIELD_CLASSES.Person)
      .filter(([, c]) => c === 'identity')
      .map(([k]) => k);
    expect(identity).toEqual(['givenNames', 'familyNames', 'nameVariants', 'dateOfBirth', 'placeOfBirth', 'fatherName', 'motherName', 'lastKnownAddress', 'description']);
    expect(FIELD_CLASSES.Person.documents).toBe('IdentityDocument');
    expect(FIELD_CLASSES.IdentityDocument).toMatchObject({ number: 'identity', issueDate: 'identity', expiryDate: 'identity' });
    expect([FIELD_CLASSES.ExtraditionRequest.whereabouts, FIELD_CLASSES.ConsularNotification.place, FIELD_CLASSES.NationalityVerificationRequest.photo]).toEqual(['identity', 'identity', 'identity']);
  });

  it('is published unchanged in docs/field-classes.json', () => {
    const doc = JSON.parse(readFileSync(new URL('../../docs/field-classes.json', import.meta.url), 'utf8')) as { messages: unknown };
    expect(doc.messages).toEqual(fieldClassesDocument());
  });
});

describe('redaction for roles without content access', () => {
  it.each(REQUEST_TYPE_CODES.map((k) => [k]))('%s request: metadata kept, identity and sensitive fields withheld, field by field', (kind) => {
    const original = completeRequest(kind);
    const before = structuredClone(original);
    const redacted = redactRequest(original, METADATA);
    expect(original, 'redaction must not change its input').toEqual(before);
    expectMetadataOnly(requestFields(original), requestFields(redacted), JSON.stringify(redacted), kind);
    expect(redactRequest(original, FIELD_CLASS_NAMES), 'content roles see everything').toEqual(original);
  });

  it.each(responses())('%s response: metadata kept, identity and sensitive fields withheld, field by field', (kind, original) => {
    const redacted = redactResponse(original, METADATA);
    const protectedFields = responseFields(original).filter((f) => f.cls !== 'metadata');
    if (protectedFields.length === 0) return expect(redacted).toEqual(original);
    expectMetadataOnly(responseFields(original), responseFields(redacted), JSON.stringify(redacted), kind);
    expect(redactResponse(original, FIELD_CLASS_NAMES)).toEqual(original);
  });

  it('protects every person: the person sought, a suspect, a witness and a detained national like a victim', () => {
    const ext = redactRequest(completeRequest('extradition'), METADATA).body!.value as ExtraditionRequest;
    expect(ext.personSought!.familyNames).toBe(REDACTED);
    expect(ext.personSought!.documents[0]!.number).toBe(REDACTED);
    expect(ext.whereabouts === '' || ext.whereabouts === REDACTED).toBe(true);
    expect(ext.personSought!.nationalities).toEqual((completeRequest('extradition').body!.value as ExtraditionRequest).personSought!.nationalities);

    const mla = completeRequest('mla');
    const persons = (mla.body!.value as MutualLegalAssistanceRequest).persons;
    persons.push({ role: 'witness', person: testVictim('w'), details: 'Saw the recruitment' });
    const r = (redactRequest(mla, METADATA).body!.value as MutualLegalAssistanceRequest).persons;
    for (const [i, p] of r.entries()) {
      expect(p.role, 'the role is metadata').toBe(persons[i]!.role);
      expect(p.person!.familyNames, p.role).toBe(REDACTED);
      expect(p.details === '' || p.details === REDACTED).toBe(true);
    }
    expect(JSON.stringify(r)).not.toContain(testSuspect().familyNames);

    const detained = completeRequest('consular_notification');
    Object.assign(detained.body!.value as ConsularNotification, { situation: 'pretrial_detention', person: testSuspect(), place: 'Unidad Penal 1' });
    const c = redactRequest(detained, METADATA).body!.value as ConsularNotification;
    expect([c.person!.givenNames, c.place]).toEqual([REDACTED, REDACTED]);
  });

  it('keeps the child flag, sex and nationalities, removes the photo, and invents nothing for empty fields', () => {
    const original = completeRequest('nationality_verification');
    Object.assign((original.body!.value as NationalityVerificationRequest).victim!, { child: true, fatherName: '', nameVariants: [] });
    const v = redactRequest(original, METADATA).body!.value as NationalityVerificationRequest;
    expect([v.victim!.child, v.victim!.sex, v.victim!.nationalities]).toEqual([true, 'female', ['PY']]);
    expect(v.photo).toBeUndefined();
    expect([v.victim!.fatherName, v.victim!.nameVariants]).toEqual(['', []]);
    expect(involvesChild(redactRequest(original, METADATA))).toBe(true);
  });

  it('withholds a oneof case it does not know whole (a newer peer)', () => {
    const odd = { language: 'es', body: { $case: 'futureType', value: { name: 'Someone' } } } as unknown as RequestPayload;
    expect(redactRequest(odd, METADATA).body).toBeUndefined();
  });
});

describe('the classes a form holds', () => {
  it('include identity for every request type that names a person, and metadata for all', () => {
    for (const kind of REQUEST_TYPE_CODES) {
      const classes = requestClasses(completeRequest(kind));
      expect(classes, kind).toContain('metadata');
      expect(classes.includes('identity'), kind).toBe(kind !== 'additional_information');
    }
    expect(requestClasses(completeRequest('additional_information'))).toEqual(['sensitive', 'metadata']);
  });
});
