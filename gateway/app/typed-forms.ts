import type { CodeTableName } from '../../services/requests/codes.js';
import type { RequestKind } from './codes.js';

/**
 * The typed forms of requests.proto as flat lists of fields. A field's path is the proto field
 * path inside the request body in snake_case ("victim.documents.0.number"); a numeric segment
 * is an index, "*" makes one object per chosen code ("measures.*.code"). Labels come from the
 * dictionary as `field.<last segment>`, fieldsets as `group.<group>`.
 */
export type FieldKind = 'text' | 'textarea' | 'date' | 'number' | 'bool' | 'code' | 'codes' | 'lines' | 'country' | 'countries' | 'language';

export interface TypedField {
  path: string;
  kind: FieldKind;
  group: string;
  table?: CodeTableName;
  /** Identifies a victim: encrypted at rest, redacted for roles without access. */
  victim?: boolean;
}

const f = (group: string, path: string, kind: FieldKind, opts: { table?: CodeTableName; victim?: boolean } = {}): TypedField => ({ group, path, kind, ...opts });

function person(group: string, at: string, victim: boolean, extra: 'full' | 'short' = 'full'): TypedField[] {
  const v = { victim };
  const fields = [
    f(group, `${at}.given_names`, 'text', v),
    f(group, `${at}.family_names`, 'text', v),
    f(group, `${at}.name_variants`, 'lines', v),
    f(group, `${at}.sex`, 'code', { table: 'sex' }),
    f(group, `${at}.date_of_birth`, 'date', v),
    f(group, `${at}.place_of_birth`, 'text', v),
    f(group, `${at}.nationalities`, 'countries'),
    f(group, `${at}.documents.0.type`, 'code', { table: 'identity_documents' }),
    f(group, `${at}.documents.0.number`, 'text', v),
    f(group, `${at}.documents.0.issuing_country`, 'country'),
  ];
  if (extra === 'short') return fields;
  return [...fields, f(group, `${at}.father_name`, 'text', v), f(group, `${at}.mother_name`, 'text', v), f(group, `${at}.last_known_address`, 'text', v), f(group, `${at}.child`, 'bool')];
}

const offence = (group: string, at: string): TypedField[] => [
  f(group, `${at}.0.category`, 'code', { table: 'offence_categories' }),
  f(group, `${at}.0.exploitation_forms`, 'codes', { table: 'exploitation_forms' }),
  f(group, `${at}.0.other_text`, 'text'),
  f(group, `${at}.0.legal_provision`, 'text'),
];

const legalBasis = (group: string): TypedField[] => [f(group, 'legal_bases.0.code', 'code', { table: 'legal_bases' }), f(group, 'legal_bases.0.details', 'text')];

const urgency = (group: string): TypedField[] => [f(group, 'urgency', 'code', { table: 'urgency' }), f(group, 'urgency_reason', 'text')];

const consent = (group: string): TypedField[] => [
  f(group, 'consent.written', 'bool'),
  f(group, 'consent.date', 'date'),
  f(group, 'consent.recorded_by', 'text'),
  f(group, 'consent.language', 'language'),
  f(group, 'consent.reference', 'text'),
  f(group, 'legal_ground', 'text'),
];

export const REQUEST_FORMS: Record<RequestKind, TypedField[]> = {
  nationality_verification: [
    ...person('victim', 'victim', true),
    f('verification', 'verify_nationality', 'bool'),
    f('verification', 'verify_residence', 'bool'),
    f('verification', 'purpose', 'code', { table: 'verification_purposes' }),
    f('verification', 'purpose_details', 'text'),
    f('verification', 'documents_requested', 'codes', { table: 'identity_documents' }),
    f('verification', 'exploitation_forms', 'codes', { table: 'exploitation_forms' }),
    f('verification', 'exploitation_details', 'text'),
    f('verification', 'case_reference', 'text'),
    ...urgency('verification'),
    ...consent('consent'),
    f('remarks', 'remarks', 'textarea', { victim: true }),
  ],
  mla: [
    ...legalBasis('case'),
    f('case', 'case_reference', 'text'),
    ...offence('offence', 'offences'),
    f('case', 'facts', 'textarea'),
    f('measures', 'measures.*.code', 'codes', { table: 'measures' }),
    f('measures', 'requested_deadline', 'date'),
    f('person', 'persons.0.role', 'code', { table: 'person_roles' }),
    ...person('person', 'persons.0.person', true, 'short'),
    f('person', 'persons.0.details', 'text'),
    ...urgency('handling'),
    f('handling', 'confidentiality_required', 'bool'),
    f('handling', 'confidentiality_details', 'text'),
    f('handling', 'use_restrictions', 'text'),
    ...consent('consent'),
  ],
  criminal_records: [
    ...person('person', 'person', false, 'short'),
    f('case', 'purpose', 'code', { table: 'records_purposes' }),
    f('case', 'purpose_details', 'text'),
    f('case', 'case_reference', 'text'),
    ...legalBasis('case'),
    ...urgency('case'),
  ],
  conviction_notification: [
    ...person('person', 'person', false, 'short'),
    f('conviction', 'conviction.court', 'text'),
    f('conviction', 'conviction.case_reference', 'text'),
    f('conviction', 'conviction.decision_date', 'date'),
    f('conviction', 'conviction.final_date', 'date'),
    f('conviction', 'conviction.offence_date', 'date'),
    ...offence('offence', 'conviction.offences'),
    f('conviction', 'conviction.sentences.0.type', 'code', { table: 'sentence_types' }),
    f('conviction', 'conviction.sentences.0.duration_months', 'number'),
    f('conviction', 'conviction.sentences.0.details', 'text'),
    f('remarks', 'remarks', 'textarea'),
  ],
  extradition: [
    f('case', 'provisional_arrest', 'bool'),
    f('case', 'purpose', 'code', { table: 'extradition_purposes' }),
    ...person('person_sought', 'person_sought', false, 'short'),
    f('person_sought', 'person_sought.description', 'textarea'),
    f('person_sought', 'whereabouts', 'text'),
    ...offence('offence', 'offences'),
    f('warrant', 'warrant_reference', 'text'),
    f('warrant', 'warrant_date', 'date'),
    f('warrant', 'issuing_authority', 'text'),
    ...legalBasis('warrant'),
    f('case', 'facts', 'textarea'),
    f('case', 'sentence_to_serve', 'text'),
    f('case', 'assurances', 'text'),
    f('case', 'case_reference', 'text'),
    ...urgency('case'),
  ],
  consular_notification: [
    ...person('person', 'person', true, 'short'),
    f('situation', 'situation', 'code', { table: 'consular_situations' }),
    f('situation', 'situation_details', 'text'),
    f('situation', 'exploitation_forms', 'codes', { table: 'exploitation_forms' }),
    f('situation', 'exploitation_details', 'text'),
    f('situation', 'place', 'text', { victim: true }),
    f('situation', 'date', 'date'),
    f('situation', 'informed_of_rights', 'bool'),
    f('situation', 'informed_date', 'date'),
    f('situation', 'wishes_contact', 'bool'),
    f('situation', 'authority_contact', 'text'),
    ...consent('consent'),
    f('remarks', 'remarks', 'textarea', { victim: true }),
  ],
  additional_information: [f('questions', 'request_id', 'text'), f('questions', 'questions', 'lines'), f('questions', 'reply_by', 'date')],
  spontaneous_information: [
    f('case', 'facts', 'textarea'),
    ...offence('offence', 'offences'),
    ...legalBasis('case'),
    f('case', 'case_reference', 'text'),
    ...urgency('handling'),
    f('handling', 'confidentiality_required', 'bool'),
    f('handling', 'use_restrictions', 'text'),
  ],
};

/** The typed answers, for the steps that close a request (complete, answer in part, refuse). */
export const RESPONSE_FORMS: Record<RequestKind, TypedField[]> = {
  nationality_verification: [
    f('answer', 'outcome', 'code', { table: 'verification_outcomes' }),
    f('answer', 'national', 'bool'),
    f('answer', 'permanent_resident', 'bool'),
    f('answer', 'data_needed', 'text'),
    f('answer', 'documents_available.0.document_type', 'code', { table: 'identity_documents' }),
    f('answer', 'documents_available.0.issuing_authority', 'text'),
    f('answer', 'documents_available.0.working_days', 'number'),
    f('answer', 'remarks', 'textarea', { victim: true }),
  ],
  mla: [
    f('answer', 'outcome', 'code', { table: 'mla_outcomes' }),
    f('answer', 'summary', 'textarea'),
    f('answer', 'execution_date', 'date'),
    f('answer', 'refusal_grounds.0.code', 'code', { table: 'refusal_grounds' }),
    f('answer', 'refusal_grounds.0.details', 'text'),
  ],
  criminal_records: [f('answer', 'outcome', 'code', { table: 'records_outcomes' }), f('answer', 'refusal_grounds.0.code', 'code', { table: 'refusal_grounds' }), f('answer', 'remarks', 'textarea')],
  conviction_notification: [f('answer', 'recorded', 'bool'), f('answer', 'register_reference', 'text'), f('answer', 'remarks', 'textarea')],
  extradition: [
    f('answer', 'outcome', 'code', { table: 'extradition_outcomes' }),
    f('answer', 'decision_date', 'date'),
    f('answer', 'arrest_date', 'date'),
    f('answer', 'conditions', 'text'),
    f('answer', 'refusal_grounds.0.code', 'code', { table: 'refusal_grounds' }),
    f('answer', 'remarks', 'textarea'),
  ],
  consular_notification: [f('answer', 'consular_post', 'text'), f('answer', 'contact_details', 'text'), f('answer', 'planned_contact_date', 'date'), f('answer', 'remarks', 'textarea')],
  additional_information: [
    f('answer', 'answers.0.question', 'number'),
    f('answer', 'answers.0.text', 'textarea'),
    f('answer', 'answers.1.question', 'number'),
    f('answer', 'answers.1.text', 'textarea'),
    f('answer', 'remarks', 'textarea'),
  ],
  spontaneous_information: [f('answer', 'case_reference', 'text'), f('answer', 'remarks', 'textarea')],
};

/**
 * The information the requesting state provides when asked (provide_information), whatever
 * the request type: two topics, two answers, one person, one document.
 */
export const PROVIDED_FORM: TypedField[] = [
  ...[0, 1].flatMap((i) => [
    f('information', `items.${i}.topic`, 'code', { table: 'information_topics' }),
    f('information', `items.${i}.topic_details`, 'text'),
    f('information', `items.${i}.text`, 'textarea'),
  ]),
  ...[0, 1].flatMap((i) => [f('answers', `answers.${i}.question`, 'number'), f('answers', `answers.${i}.text`, 'textarea')]),
  f('person', 'persons.0.role', 'code', { table: 'person_roles' }),
  ...person('person', 'persons.0.person', true, 'short'),
  f('person', 'persons.0.details', 'text'),
  f('document_references', 'document_references.0.title', 'text'),
  f('document_references', 'document_references.0.reference', 'text'),
  f('document_references', 'document_references.0.date', 'date'),
  ...consent('consent'),
  f('remarks', 'remarks', 'textarea'),
];

/** Form field names carry a prefix so they never clash with the common fields. */
export const TYPED_PREFIX = 't.';
/**
 * Fields the node needs one of (services/requests/validate-*.ts, completeness.ts): neither is
 * required alone, so the form marks neither and says which other field would do instead.
 * By the end of a field's path: "victim.given_names" is one of the pair of "victim.family_names".
 */
export const EITHER: readonly (readonly [string, string])[] = [
  ['given_names', 'family_names'],
  ['verify_nationality', 'verify_residence'],
  // Only when the request concerns a victim (victimDataBasis): the hint says so.
  ['consent.written', 'legal_ground'],
  ['consent.date', 'legal_ground'],
  ['consent.recorded_by', 'legal_ground'],
];

/** Pairs the node asks for only when the request concerns a victim. */
export const isVictimBasis = (path: string): boolean => path === 'legal_ground' || path.startsWith('consent.');

/** The paths of the form that may stand in for `path` (an EITHER pair), same prefix. */
export function alternativesOf(path: string): string[] {
  const out: string[] = [];
  for (const [a, b] of EITHER) {
    for (const [mine, other] of [
      [a, b],
      [b, a],
    ] as const) {
      if (path === mine || path.endsWith(`.${mine}`)) {
        const at = path.slice(0, path.length - mine.length);
        out.push(other === 'legal_ground' ? other : `${at}${other}`);
      }
    }
  }
  return [...new Set(out)];
}

export const RESPONSE_PREFIX = 'r.';
export const PROVIDED_PREFIX = 'p.';

/** Path without indices: "offences[0].category" and "offences.0.category" both give "offences.category". */
export function plainPath(path: string): string {
  return path.replace(/\[\d+\]/g, '').replace(/\.(\d+|\*)(?=\.|$)/g, '');
}

function valueOf(field: TypedField, raw: unknown): unknown {
  const one = (x: unknown) => (Array.isArray(x) ? String(x.at(-1) ?? '') : typeof x === 'string' ? x : '');
  const many = (x: unknown) => (Array.isArray(x) ? x.map(String) : typeof x === 'string' && x !== '' ? [x] : []);
  switch (field.kind) {
    case 'bool':
      return one(raw) === 'on' || one(raw) === 'true' ? true : undefined;
    case 'codes':
      return many(raw).filter(Boolean);
    case 'lines':
      return one(raw)
        .split(/\r?\n/)
        .map((s) => s.trim())
        .filter(Boolean);
    case 'countries':
      // Chosen from a list (several values); a draft saved before may hold "AR, UY".
      return many(raw)
        .flatMap((x) => x.split(/[\s,;]+/))
        .map((s) => s.trim().toUpperCase())
        .filter(Boolean);
    case 'country':
      return one(raw).trim().toUpperCase();
    case 'number': {
      const s = one(raw).trim();
      return s === '' ? undefined : Number(s);
    }
    case 'text':
    case 'textarea':
    case 'date':
    case 'code':
    case 'language':
      return one(raw).trim();
    default: {
      const _exhaustive: never = field.kind;
      return _exhaustive;
    }
  }
}

function isEmpty(v: unknown): boolean {
  return v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
}

/** The nested snake_case body (proto JSON) for one form, from the flat form fields. */
export function bodyFromForm(fields: readonly TypedField[], form: Record<string, unknown>, prefix: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const field of fields) {
    const value = valueOf(field, form[prefix + field.path]);
    if (isEmpty(value)) continue;
    const parts = field.path.split('.');
    if (parts.includes('*')) {
      const at = parts.indexOf('*');
      const list = setPath(root, parts.slice(0, at), []) as Record<string, unknown>[];
      const codes = value as string[];
      codes.forEach((c, i) => {
        list[i] ??= {};
        setPath(list[i], parts.slice(at + 1), c);
      });
      continue;
    }
    setPath(root, parts, value);
  }
  return root;
}

/** Sets a value at a path, creating objects and arrays (numeric segments) on the way; returns the value there. */
function setPath(root: Record<string, unknown>, parts: string[], value: unknown): unknown {
  let node: Record<string | number, unknown> = root;
  for (let i = 0; i < parts.length - 1; i++) {
    const key = parts[i]!;
    const nextIsIndex = /^\d+$/.test(parts[i + 1]!);
    node[key] ??= nextIsIndex ? [] : {};
    node = node[key] as Record<string | number, unknown>;
  }
  const last = parts.at(-1)!;
  node[last] ??= value;
  return node[last];
}

/** The form's values back from a body (to show a form again after review). */
export function formFromBody(fields: readonly TypedField[], body: Record<string, unknown>, prefix: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const field of fields) {
    const parts = field.path.split('.');
    let v: unknown;
    if (parts.includes('*')) {
      const at = parts.indexOf('*');
      const list = getPath(body, parts.slice(0, at));
      v = Array.isArray(list) ? list.map((o) => getPath(o as Record<string, unknown>, parts.slice(at + 1))) : undefined;
    } else v = getPath(body, parts);
    if (v === undefined) continue;
    const key = prefix + field.path;
    if (field.kind === 'bool') out[key] = v ? 'on' : '';
    else if (field.kind === 'lines') out[key] = (v as string[]).join('\n');
    else if (field.kind === 'countries') out[key] = (v as string[]).map(String);
    else if (field.kind === 'codes') out[key] = (v as string[]).map(String);
    else if (typeof v === 'string' || typeof v === 'number') out[key] = String(v);
  }
  return out;
}

function getPath(root: Record<string, unknown>, parts: string[]): unknown {
  let node: unknown = root;
  for (const p of parts) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[p];
  }
  return node;
}
