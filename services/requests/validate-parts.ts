import type { ConsentRecord, Conviction, IdentityDocument, LegalBasis, Offence, Person, PersonConcerned, RefusalGround, Sentence } from '../../generated/enlace/v1/requests.js';
import { requiresText } from './codes.js';
import { ageOn, code, codeList, country, date, fail, language, line, list, LIMITS, text, textFor } from './validate-fields.js';

/** Checks of the messages several forms share; each returns the message with trimmed strings. */

export function person(p: Person | undefined, path: string, now: number): Person {
  if (p === undefined) fail(path, 'must be given');
  const givenNames = line(p.givenNames, `${path}.given_names`);
  const familyNames = line(p.familyNames, `${path}.family_names`);
  if (givenNames === '' && familyNames === '') fail(`${path}.family_names`, 'must not be empty (or given_names)');
  const dateOfBirth = date(p.dateOfBirth, `${path}.date_of_birth`, now, { past: true });
  if (dateOfBirth !== '' && !p.child && ageOn(dateOfBirth, now) < 18) {
    fail(`${path}.child`, 'must be true: date_of_birth shows a person under 18');
  }
  const nationalities = list(p.nationalities, `${path}.nationalities`, 5, (v, q) => country(v, q, { required: true }));
  return {
    givenNames,
    familyNames,
    nameVariants: list(p.nameVariants, `${path}.name_variants`, 20, (v, q) => line(v, q, { required: true })),
    sex: code('sex', p.sex, `${path}.sex`, { optional: true }),
    dateOfBirth,
    placeOfBirth: line(p.placeOfBirth, `${path}.place_of_birth`),
    nationalities,
    documents: list(p.documents, `${path}.documents`, 20, (d, q) => identityDocument(d, q, now)),
    fatherName: line(p.fatherName, `${path}.father_name`),
    motherName: line(p.motherName, `${path}.mother_name`),
    lastKnownAddress: text(p.lastKnownAddress, `${path}.last_known_address`, { max: 500 }),
    description: text(p.description, `${path}.description`),
    child: p.child,
  };
}

export function identityDocument(d: IdentityDocument, path: string, now: number): IdentityDocument {
  const type = code('identity_documents', d.type, `${path}.type`);
  const issueDate = date(d.issueDate, `${path}.issue_date`, now, { past: true });
  const expiryDate = date(d.expiryDate, `${path}.expiry_date`, now);
  if (issueDate && expiryDate && expiryDate < issueDate) fail(`${path}.expiry_date`, 'must not be before issue_date');
  return {
    type,
    number: line(d.number, `${path}.number`, { required: true, max: 50 }),
    issuingCountry: country(d.issuingCountry, `${path}.issuing_country`),
    issueDate,
    expiryDate,
    details: textFor('identity_documents', type, `${path}.type`, d.details, `${path}.details`, LIMITS.line),
  };
}

export function offence(o: Offence, path: string): Offence {
  const category = code('offence_categories', o.category, `${path}.category`);
  const exploitationForms = codeList('exploitation_forms', o.exploitationForms, `${path}.exploitation_forms`, 8);
  if (exploitationForms.length > 0 && category !== 'trafficking_in_persons') {
    fail(`${path}.exploitation_forms`, 'must be empty unless category is trafficking_in_persons');
  }
  const otherText = text(o.otherText, `${path}.other_text`);
  const needing = [category, ...exploitationForms].find((c, i) => requiresText(i === 0 ? 'offence_categories' : 'exploitation_forms', c));
  if (needing !== undefined && otherText === '') fail(`${path}.other_text`, `must not be empty: ${needing} needs a description`);
  return { category, exploitationForms, otherText, legalProvision: line(o.legalProvision, `${path}.legal_provision`) };
}

export function offences(items: readonly Offence[], path: string, opts: { min?: number } = {}): Offence[] {
  return list(items, path, 50, offence, opts);
}

export function legalBasis(b: LegalBasis, path: string): LegalBasis {
  const c = code('legal_bases', b.code, `${path}.code`);
  return { code: c, details: textFor('legal_bases', c, `${path}.code`, b.details, `${path}.details`, 500) };
}

export function legalBases(items: readonly LegalBasis[], path: string, opts: { min?: number } = {}): LegalBasis[] {
  return list(items, path, 10, legalBasis, opts);
}

export function refusalGround(g: RefusalGround, path: string): RefusalGround {
  const c = code('refusal_grounds', g.code, `${path}.code`);
  return { code: c, details: textFor('refusal_grounds', c, `${path}.code`, g.details, `${path}.details`) };
}

export function refusalGrounds(items: readonly RefusalGround[], path: string, opts: { min?: number } = {}): RefusalGround[] {
  return list(items, path, 20, refusalGround, opts);
}

function consentRecord(c: ConsentRecord, path: string, now: number): ConsentRecord {
  return {
    written: c.written,
    date: date(c.date, `${path}.date`, now, { past: true }),
    recordedBy: line(c.recordedBy, `${path}.recorded_by`),
    language: language(c.language, `${path}.language`),
    reference: line(c.reference, `${path}.reference`, { max: LIMITS.reference }),
  };
}

export function isConsentRecorded(c: ConsentRecord | undefined): boolean {
  return c !== undefined && c.written && c.date.trim() !== '' && c.recordedBy.trim() !== '';
}

/**
 * The basis for sending victim data: a recorded written consent, or a legal ground.
 * With `needed` false both stay optional, but what is given must still be well formed.
 */
export function victimDataBasis(c: ConsentRecord | undefined, legalGround: string, path: string, now: number, needed: boolean): { consent: ConsentRecord | undefined; legalGround: string } {
  const consent = c && consentRecord(c, `${path}.consent`, now);
  const ground = text(legalGround, `${path}.legal_ground`, { max: 1000 });
  if (needed && !isConsentRecorded(consent) && ground === '') {
    fail(`${path}.consent`, 'must be recorded (written consent with date and recorder) or a legal ground given');
  }
  return { consent, legalGround: ground };
}

export function personConcerned(pc: PersonConcerned, path: string, now: number): PersonConcerned {
  const role = code('person_roles', pc.role, `${path}.role`);
  return {
    role,
    person: person(pc.person, `${path}.person`, now),
    details: textFor('person_roles', role, `${path}.role`, pc.details, `${path}.details`),
  };
}

export function personsConcerned(items: readonly PersonConcerned[], path: string, now: number): PersonConcerned[] {
  return list(items, path, 100, (pc, p) => personConcerned(pc, p, now));
}

function sentence(s: Sentence, path: string): Sentence {
  const type = code('sentence_types', s.type, `${path}.type`);
  if (s.durationMonths > 1200) fail(`${path}.duration_months`, 'must be at most 1200 (100 years)');
  return { type, durationMonths: s.durationMonths, details: textFor('sentence_types', type, `${path}.type`, s.details, `${path}.details`, 1000) };
}

export function conviction(c: Conviction | undefined, path: string, now: number): Conviction {
  if (c === undefined) fail(path, 'must be given');
  const court = line(c.court, `${path}.court`, { required: true });
  const decisionDate = date(c.decisionDate, `${path}.decision_date`, now, { required: true, past: true });
  const finalDate = date(c.finalDate, `${path}.final_date`, now, { past: true });
  if (finalDate && finalDate < decisionDate) fail(`${path}.final_date`, 'must not be before decision_date');
  const offenceDate = date(c.offenceDate, `${path}.offence_date`, now, { past: true });
  if (offenceDate && offenceDate > decisionDate) fail(`${path}.offence_date`, 'must not be after decision_date');
  return {
    court,
    caseReference: line(c.caseReference, `${path}.case_reference`, { max: LIMITS.reference }),
    decisionDate,
    finalDate,
    offenceDate,
    offences: offences(c.offences, `${path}.offences`, { min: 1 }),
    sentences: list(c.sentences, `${path}.sentences`, 20, sentence),
  };
}
