import type { CodeEntry, CodeLanguage, CodeTable, Labels } from './code-table.js';
import { EXPLOITATION_FORMS, OFFENCE_CATEGORIES, SENTENCE_TYPES } from './codes-offences.js';
import { EXTRADITION_STAGES, INFORMATION_TOPICS, REQUEST_STATUSES, REQUEST_TYPES, URGENCY } from './codes-requests.js';
import { EXTRADITION_PURPOSES, LEGAL_BASES, MEASURES, REFUSAL_GROUNDS } from './codes-legal.js';
import { CONSULAR_SITUATIONS, IDENTITY_DOCUMENTS, PERSON_ROLES, RECORDS_PURPOSES, SEX, VERIFICATION_PURPOSES } from './codes-persons.js';
import { AGE_GROUPS, NOTIFICATION_OUTCOMES } from './codes-stats.js';
import { HANDLING_CODES } from './links.js';
import { EXTRADITION_OUTCOMES, MLA_OUTCOMES, RECORDS_OUTCOMES, VERIFICATION_OUTCOMES } from './codes-outcomes.js';

/**
 * Every code table of the cooperation requests, by name. A coded field in requests.proto
 * names its table ("code: measures"); the UI shows the label in the reader's language, so
 * a request written in Spanish reads in Portuguese.
 */
export const CODE_TABLES = {
  request_types: REQUEST_TYPES,
  request_statuses: REQUEST_STATUSES,
  extradition_stages: EXTRADITION_STAGES,
  urgency: URGENCY,
  exploitation_forms: EXPLOITATION_FORMS,
  offence_categories: OFFENCE_CATEGORIES,
  sentence_types: SENTENCE_TYPES,
  legal_bases: LEGAL_BASES,
  measures: MEASURES,
  refusal_grounds: REFUSAL_GROUNDS,
  extradition_purposes: EXTRADITION_PURPOSES,
  identity_documents: IDENTITY_DOCUMENTS,
  person_roles: PERSON_ROLES,
  sex: SEX,
  consular_situations: CONSULAR_SITUATIONS,
  verification_purposes: VERIFICATION_PURPOSES,
  records_purposes: RECORDS_PURPOSES,
  mla_outcomes: MLA_OUTCOMES,
  verification_outcomes: VERIFICATION_OUTCOMES,
  records_outcomes: RECORDS_OUTCOMES,
  extradition_outcomes: EXTRADITION_OUTCOMES,
  information_topics: INFORMATION_TOPICS,
  age_groups: AGE_GROUPS,
  notification_outcomes: NOTIFICATION_OUTCOMES,
  handling_codes: HANDLING_CODES,
} as const;

export type CodeTableName = keyof typeof CODE_TABLES;
/** The codes of one table, as a string union: `CodeOf<'urgency'>` is `'normal' | 'urgent'`. */
export type CodeOf<T extends CodeTableName> = T extends unknown ? ((typeof CODE_TABLES)[T] extends CodeTable<infer C> ? C : never) : never;

export type RequestType = CodeOf<'request_types'>;
export type RequestStatusCode = CodeOf<'request_statuses'>;
export type ExtraditionStage = CodeOf<'extradition_stages'>;
export type Urgency = CodeOf<'urgency'>;

export const CODE_TABLE_NAMES = Object.keys(CODE_TABLES) as CodeTableName[];

function entryOf(table: CodeTableName, code: string): CodeEntry | undefined {
  const entries: Readonly<Record<string, CodeEntry>> = CODE_TABLES[table].entries;
  return Object.hasOwn(entries, code) ? entries[code] : undefined;
}

/** The codes of a table, in display order. `codes('urgency')` is `['normal', 'urgent']`. */
export function codes<T extends CodeTableName>(table: T): readonly CodeOf<T>[] {
  return Object.keys(CODE_TABLES[table].entries) as CodeOf<T>[];
}

/** Whether `code` belongs to `table`: `isCode('measures', 'bank_records')` is true. */
export function isCode<T extends CodeTableName>(table: T, code: string): code is CodeOf<T> {
  return entryOf(table, code) !== undefined;
}

/**
 * The label of a code in one language: `label('measures', 'search_and_seizure', 'pt')` is
 * "Busca e apreensão". A code this node does not know (sent by a node with a newer table)
 * is returned as it is, so that it still shows; check with `isCode` where that matters.
 */
export function label(table: CodeTableName, code: string, lang: CodeLanguage): string {
  return entryOf(table, code)?.[lang] ?? code;
}

/** The four labels of a code, or undefined for a code not in the table. */
export function labels(table: CodeTableName, code: string): Labels | undefined {
  const entry = entryOf(table, code);
  return entry && { es: entry.es, en: entry.en, fr: entry.fr, pt: entry.pt };
}

/** Whether a value with this code must come with free text ("other", a bilateral treaty's name). */
export function requiresText(table: CodeTableName, code: string): boolean {
  return entryOf(table, code)?.text === true;
}

/** What one code of the table is, for messages: `codeNoun('measures')` is "measure". */
export function codeNoun(table: CodeTableName): string {
  return CODE_TABLES[table].noun;
}

export function isRequestType(code: string): code is RequestType {
  return isCode('request_types', code);
}

export const REQUEST_TYPE_CODES: readonly RequestType[] = codes('request_types');
