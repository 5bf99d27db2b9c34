import { UUID_V7 } from '../envelope/wire.js';
import { InvalidArgumentError } from '../../keys/index.js';
import type { Photo } from '../../generated/enlace/v1/requests.js';
import { codeNoun, codes, isCode, requiresText, type CodeOf, type CodeTableName } from './codes.js';
import { report } from './violations.js';

/**
 * Checks of single fields, each naming the field in the error it throws. Strings come back
 * trimmed. `path` is the proto field path ("payload.mla.measures[1].code").
 */

/** Bounds on free text, in characters. */
export const LIMITS = {
  line: 200, // names, places, references
  reference: 100,
  detail: 2000, // reasons, details, conditions
  facts: 20_000,
  photoBytes: 2 * 1024 * 1024,
} as const;

export function fail(path: string, message: string): never {
  throw new InvalidArgumentError(path, message);
}

// C0 controls and DEL; text may hold tab and line breaks, a line may not.
const CONTROL_IN_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const CONTROL_IN_LINE = /[\u0000-\u001f\u007f]/;

function bounded(value: string, path: string, max: number, required: boolean, control: RegExp): string {
  const v = value.trim();
  if (required && v === '') report(path, 'must not be empty', 'required');
  else if (v.length > max) report(path, `must have at most ${max} characters`, 'too_long', { max: String(max) });
  else if (control.test(v)) report(path, 'must not contain control characters', 'control_characters');
  return v;
}

/** A single line of text (a name, a place, a reference). */
export function line(value: string, path: string, opts: { required?: boolean; max?: number } = {}): string {
  return bounded(value, path, opts.max ?? LIMITS.line, opts.required ?? false, CONTROL_IN_LINE);
}

/** Free text that may span lines. */
export function text(value: string, path: string, opts: { required?: boolean; max?: number } = {}): string {
  return bounded(value, path, opts.max ?? LIMITS.detail, opts.required ?? false, CONTROL_IN_TEXT);
}

export function code<T extends CodeTableName>(table: T, value: string, path: string): CodeOf<T>;
export function code<T extends CodeTableName>(table: T, value: string, path: string, opts: { optional: true }): CodeOf<T> | '';
export function code<T extends CodeTableName>(table: T, value: string, path: string, opts?: { optional: true }): CodeOf<T> | '' {
  if (value === '' && opts?.optional) return '';
  if (!isCode(table, value)) report(path, `must be ${article(codeNoun(table))} code (one of: ${codes(table).join(', ')})`, value === '' ? 'required' : 'code', value === '' ? {} : { table });
  return value as CodeOf<T>;
}

function article(noun: string): string {
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

/** Free text that a code needs ("other" must say what): required when `requiresText(table, value)`. */
export function textFor(table: CodeTableName, codeValue: string, codePath: string, value: string, path: string, max: number = LIMITS.detail): string {
  const required = requiresText(table, codeValue);
  const v = text(value, path, { max });
  if (required && v === '') report(path, `must not be empty when ${codePath} is ${codeValue}`, 'required');
  return v;
}

/** An empty urgency means normal; the result is always a code. */
export function urgency(value: string, path: string): CodeOf<'urgency'> {
  return value === '' ? 'normal' : code('urgency', value, path);
}

// ---------------------------------------------------------------------------------------
// Dates. "Today" depends on the time zone of the state; the checks accept any zone, from
// UTC-12 to UTC+14, so a date valid somewhere in the Americas is never rejected.

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export interface DateRule {
  required?: boolean;
  /** The date has happened: not after today anywhere (a birth, a decision, a consent). */
  past?: boolean;
  /** The date is still to come: not before today anywhere (a deadline). */
  future?: boolean;
}

export function date(value: string, path: string, now: number, rule: DateRule = {}): string {
  if (value === '') {
    if (rule.required) report(path, 'must be a date YYYY-MM-DD', 'required');
    return '';
  }
  const m = ISO_DATE.exec(value);
  const [y, mo, d] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
  if (!m || y < 1900 || utcDate(Date.UTC(y, mo - 1, d)) !== value) report(path, 'must be a date YYYY-MM-DD', 'date');
  else if (rule.past && value > utcDate(now + 14 * 3_600_000)) report(path, 'must not be in the future', 'not_future');
  else if (rule.future && value < utcDate(now - 12 * 3_600_000)) report(path, 'must not be in the past', 'not_past');
  return value;
}

/** Whole years between a birth date and `now` (UTC), for the child check. */
export function ageOn(dateOfBirth: string, now: number): number {
  const [y, m, d] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const today = new Date(now);
  let age = today.getUTCFullYear() - y;
  if (today.getUTCMonth() + 1 < m || (today.getUTCMonth() + 1 === m && today.getUTCDate() < d)) age -= 1;
  return age;
}

// ---------------------------------------------------------------------------------------

const COUNTRY = /^[A-Z]{2}$/;

export function country(value: string, path: string, opts: { required?: boolean } = {}): string {
  if (value === '' && !opts.required) return '';
  if (!COUNTRY.test(value)) report(path, 'must be an ISO 3166-1 alpha-2 code in capitals, like UY', value === '' ? 'required' : 'country');
  return value;
}

export function language(value: string, path: string): string {
  if (value !== '' && !/^[a-z]{2}$/.test(value)) report(path, 'must be an ISO 639-1 code in lower case, like es', 'language');
  return value;
}

export function requestId(value: string, path: string, opts: { required?: boolean } = {}): string {
  if (value === '' && !opts.required) return '';
  if (!UUID_V7.test(value)) report(path, 'must be a request id (UUIDv7, lower-case)', value === '' ? 'required' : 'request_id');
  return value;
}

/** A repeated field: bounds on the count, then each element with its index in the path. */
export function list<T, R = T>(items: readonly T[], path: string, max: number, each: (item: T, path: string) => R, opts: { min?: number } = {}): R[] {
  const min = opts.min ?? 0;
  if (items.length < min) report(path, min === 1 ? 'must have at least one entry' : `must have at least ${min} entries`, items.length === 0 ? 'required' : 'min_entries', { min: String(min) });
  if (items.length > max) report(path, `must have at most ${max} entries`, 'max_entries', { max: String(max) });
  return items.map((item, i) => each(item, `${path}[${i}]`));
}

/** Codes in a repeated field, each once. */
export function codeList<T extends CodeTableName>(table: T, items: readonly string[], path: string, max: number, opts: { min?: number } = {}): CodeOf<T>[] {
  const out = list(items, path, max, (v, p) => code(table, v, p), opts);
  out.forEach((v, i) => {
    if (out.indexOf(v) !== i) report(`${path}[${i}]`, `repeats ${v}`, 'repeated', { value: v });
  });
  return out;
}

const SIGNATURES: Record<string, number[]> = {
  'image/jpeg': [0xff, 0xd8, 0xff],
  'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
};

/** A photo: JPEG or PNG whose bytes start as that format does, at most 2 MiB. */
export function photo(value: Photo | undefined, path: string): Photo | undefined {
  if (value === undefined) return undefined;
  const signature = SIGNATURES[value.mediaType];
  if (!signature) fail(`${path}.media_type`, 'must be image/jpeg or image/png');
  if (value.data.byteLength === 0) fail(`${path}.data`, 'must not be empty');
  if (value.data.byteLength > LIMITS.photoBytes) fail(`${path}.data`, `must be at most ${LIMITS.photoBytes} bytes (2 MiB)`);
  if (!signature.every((b, i) => value.data[i] === b)) fail(`${path}.data`, `must be an image of type ${value.mediaType}`);
  return { mediaType: value.mediaType, data: value.data };
}
