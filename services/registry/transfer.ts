import { z } from 'zod';
import { InvalidArgumentError } from '../../keys/index.js';
import { LANGUAGES } from '../vocabulary.js';
import { CsvSyntaxError, formatCsv, looksLikeFormula, parseCsv, unneutralise } from './csv.js';
import { formatHours, parseHours } from './hours.js';
import { isLanguage } from './languages.js';
import { blankContact, contactPointSchema, countryProfileSchema, type ContactEntry, type ContactPoint, type CountryProfile } from './model.js';
import { contactProblems, validContact, validCountryProfile } from './validate.js';

/**
 * A country's directory as a file: CSV (one contact point per row) or JSON (contacts and
 * the country profile). Import is all or nothing: any problem and nothing is applied.
 */
export type TransferFormat = 'csv' | 'json';

export interface ImportProblem {
  /** CSV: the file line where the row starts; JSON: the entry number (1-based); 0 = whole file. */
  line: number;
  field: string;
  /** In English, for logs and the CLI. */
  message: string;
  /** Stable snake_case name of what is wrong (`formula`, `email`, `field_count`), for a message in the reader's language. */
  rule: string;
  /** What that message needs, e.g. `{ expected: 'UY' }`. */
  params: Record<string, string>;
}

export interface ParsedImport {
  contacts: ContactPoint[];
  profile: CountryProfile | undefined;
  problems: ImportProblem[];
}

const LIST_COLUMNS = ['themes', 'request_kinds', 'languages'] as const;
const TEXT_COLUMNS = ['role_title', 'person', 'email', 'phone', 'time_zone', 'address', 'valid_from', 'valid_until', 'notes', 'last_verified'] as const;
const OTHER_COLUMNS = ['id', 'country', 'available_24_7', 'office_hours'] as const;
/** The ContactPoint fields that hold one string. */
type TextField = { [K in keyof ContactPoint]: ContactPoint[K] extends string ? K : never }[keyof ContactPoint];
const FIELD_OF: Record<(typeof TEXT_COLUMNS)[number], TextField> = {
  role_title: 'roleTitle',
  person: 'person',
  email: 'email',
  phone: 'phone',
  time_zone: 'timeZone',
  address: 'address',
  valid_from: 'validFrom',
  valid_until: 'validUntil',
  notes: 'notes',
  last_verified: 'lastVerified',
};

/** `contact.themes[2]` → `themes`; `contact.authority.es` → `authority_es`. */
function columnOf(field: string): string {
  const f = field.replace(/^contact\./, '').replace(/\[\d+\].*$/, '');
  const m = /^(authority|unit)\.([a-z]{2})$/.exec(f);
  return m ? `${m[1]}_${m[2]}` : f;
}

function problemOf(e: unknown, line: number, column = ''): ImportProblem {
  if (e instanceof InvalidArgumentError) return { line, field: columnOf(e.field), message: e.message.slice(e.field.length + 1), rule: e.rule || 'invalid', params: { ...e.params } };
  return { line, field: column, message: e instanceof Error ? e.message : String(e), rule: 'invalid', params: {} };
}

const problem = (line: number, field: string, rule: string, message: string, params: Record<string, string> = {}): ImportProblem => ({ line, field, message, rule, params });

function bool(text: string): boolean {
  const v = text.trim().toLowerCase();
  if (['', 'no', 'non', 'não', 'nao', 'false', '0', 'n'].includes(v)) return false;
  if (['yes', 'true', '1', 'y', 'si', 'sí', 'sim', 'oui'].includes(v)) return true;
  throw new InvalidArgumentError('available_24_7', `"${text}" is not yes or no`, 'yes_no', { value: text });
}

function hours(text: string): ContactPoint['officeHours'] {
  try {
    return parseHours(text);
  } catch (e) {
    throw new InvalidArgumentError('office_hours', (e as Error).message, 'office_hours', { value: text });
  }
}

const FORMULA = "starts with =, +, -, @, a tab or a carriage return, which a spreadsheet runs as a formula; put an apostrophe (') in front to keep it as text";

function headerProblems(columns: string[], line: number): ImportProblem[] {
  const problems: ImportProblem[] = [];
  const known = new Set<string>([...LIST_COLUMNS, ...TEXT_COLUMNS, ...OTHER_COLUMNS]);
  for (const col of columns) {
    const loc = /^(authority|unit)_([a-z]{2})$/.exec(col);
    if (!known.has(col) && !(loc && isLanguage(loc[2]!))) problems.push(problem(line, col, 'unknown_column', 'is not a known column', { column: col }));
  }
  for (const required of ['id', 'themes', 'languages', 'email', 'time_zone']) {
    if (!columns.includes(required)) problems.push(problem(line, required, 'missing_column', 'column is missing', { column: required }));
  }
  if (!columns.some((c) => c.startsWith('authority_'))) problems.push(problem(line, 'authority_es', 'authority_column', 'at least one authority_<language> column is needed'));
  return problems;
}

/**
 * Every problem of every row is reported, each once: a cell that looks like a formula is
 * reported as such and its other checks are skipped; the rest of the row is still checked.
 */
function parseCsvImport(content: string, country: string, today: string): ParsedImport {
  let rows;
  try {
    rows = parseCsv(content);
  } catch (e) {
    if (!(e instanceof CsvSyntaxError)) throw e;
    return { contacts: [], profile: undefined, problems: [problem(e.line, '', 'unclosed_quote', 'a quoted field is not closed')] };
  }
  const [header, ...body] = rows;
  if (!header) return { contacts: [], profile: undefined, problems: [problem(0, '', 'empty_file', 'the file is empty')] };
  const columns = header.cells.map((c) => c.trim().toLowerCase());
  const problems = headerProblems(columns, header.line);
  if (problems.length) return { contacts: [], profile: undefined, problems };
  const contacts: ContactPoint[] = [];
  const seen = new Map<string, number>();
  for (const raw of body) {
    if (raw.cells.length !== columns.length) {
      problems.push(problem(raw.line, '', 'field_count', `has ${raw.cells.length} fields, the header has ${columns.length}`, { found: String(raw.cells.length), expected: String(columns.length) }));
      continue;
    }
    const rowProblems: ImportProblem[] = [];
    const formulas = new Set(raw.cells.flatMap((v, i) => (looksLikeFormula(v) ? [columns[i]!] : [])));
    for (const field of formulas) rowProblems.push(problem(raw.line, field, 'formula', FORMULA));
    const cells = raw.cells.map(unneutralise);
    const cell = (name: string) => cells[columns.indexOf(name)] ?? '';
    const attempt = <T>(check: () => T, otherwise: T): T => {
      try {
        return check();
      } catch (e) {
        rowProblems.push(problemOf(e, raw.line));
        return otherwise;
      }
    };
    const c = blankContact(country, cell('id').trim());
    if (columns.includes('country') && cell('country').trim() !== '' && cell('country').trim() !== country) {
      rowProblems.push(problem(raw.line, 'country', 'wrong_country', `must be ${country}: a node imports only its own country's directory`, { expected: country }));
    }
    columns.forEach((col, i) => {
      const m = /^(authority|unit)_([a-z]{2})$/.exec(col);
      if (m && cells[i]!.trim()) c[m[1] as 'authority' | 'unit'][m[2]!] = cells[i]!;
    });
    c.themes = split(cell('themes'));
    c.requestKinds = split(cell('request_kinds'));
    c.languages = split(cell('languages'));
    for (const col of TEXT_COLUMNS) c[FIELD_OF[col]] = cell(col);
    c.available247 = attempt(() => bool(cell('available_24_7')), false);
    c.officeHours = attempt(() => hours(cell('office_hours')), []);
    for (const e of contactProblems(c, 'contact', today)) rowProblems.push(problemOf(e, raw.line));
    const id = c.id;
    const before = seen.get(id);
    if (id && before !== undefined) rowProblems.push(problem(raw.line, 'id', 'duplicate_id', `${id} already appears on line ${before}`, { line: String(before) }));
    else if (id) seen.set(id, raw.line);
    const reported = new Set<string>();
    const kept = rowProblems.filter((p) => {
      if (p.rule !== 'formula' && formulas.has(p.field)) return false;
      const key = `${p.field} ${p.rule}`;
      if (reported.has(key)) return false;
      reported.add(key);
      return true;
    });
    if (kept.length) problems.push(...kept);
    else contacts.push(validContact(c, 'contact', today));
  }
  return { contacts, profile: undefined, problems };
}

function split(text: string): string[] {
  return text
    .split('|')
    .map((s) => s.trim())
    .filter(Boolean);
}

const jsonFileSchema = z.object({
  country: z.string().optional(),
  profile: countryProfileSchema.optional(),
  contacts: z.array(z.unknown()).default([]),
});

function parseJsonImport(content: string, country: string, today: string): ParsedImport {
  let file: z.infer<typeof jsonFileSchema>;
  try {
    file = jsonFileSchema.parse(JSON.parse(content));
  } catch (e) {
    return { contacts: [], profile: undefined, problems: [problem(0, '', 'json_file', `not a directory JSON file: ${(e as Error).message.slice(0, 300)}`)] };
  }
  const problems: ImportProblem[] = [];
  if (file.country !== undefined && file.country !== country)
    problems.push(problem(0, 'country', 'wrong_country', `must be ${country}: a node imports only its own country's directory`, { expected: country }));
  let profile: CountryProfile | undefined;
  if (file.profile) {
    try {
      if (file.profile.country !== country) throw new InvalidArgumentError('profile.country', `must be ${country}`, 'wrong_country', { expected: country });
      profile = validCountryProfile(file.profile, 'profile');
    } catch (e) {
      problems.push(e instanceof InvalidArgumentError ? { ...problemOf(e, 0), field: e.field } : problemOf(e, 0));
    }
  }
  const contacts: ContactPoint[] = [];
  const seen = new Set<string>();
  file.contacts.forEach((raw, i) => {
    const n = i + 1;
    const parsed = contactPointSchema.safeParse({ ...blankContact(country, ''), ...(raw as object) });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      problems.push(problem(n, issue.path.join('.'), 'invalid', issue.message));
      return;
    }
    try {
      if (parsed.data.country !== country)
        throw new InvalidArgumentError('contact.country', `must be ${country}: a node imports only its own country's directory`, 'wrong_country', { expected: country });
      const valid = validContact(parsed.data, 'contact', today);
      if (seen.has(valid.id)) throw new InvalidArgumentError('contact.id', `${valid.id} appears twice`, 'duplicate_id');
      seen.add(valid.id);
      contacts.push(valid);
    } catch (e) {
      problems.push(problemOf(e, n));
    }
  });
  return { contacts, profile, problems };
}

/** Parses and validates a whole file; `problems` lists every bad line (nothing is applied then). */
export function parseImport(format: TransferFormat, content: string, country: string, today: string): ParsedImport {
  return format === 'csv' ? parseCsvImport(content, country, today) : parseJsonImport(content, country, today);
}

/** The directory of one country as CSV or JSON; the result imports back unchanged. */
export function exportDirectory(format: TransferFormat, country: string, contacts: ContactEntry[], profile: CountryProfile | undefined): string {
  const sorted = [...contacts].sort((a, b) => a.id.localeCompare(b.id));
  if (format === 'json') {
    return JSON.stringify({ v: 1, country, ...(profile ? { profile } : {}), contacts: sorted.map((e) => e.data) }, null, 2) + '\n';
  }
  const extra = (field: 'authority' | 'unit') => [...new Set(sorted.flatMap((e) => Object.keys(e.data[field])))].filter((l) => !(LANGUAGES as readonly string[]).includes(l)).sort();
  const authorityLangs = [...LANGUAGES, ...extra('authority')];
  const unitLangs = [...LANGUAGES, ...extra('unit')];
  const header = [
    'id',
    ...authorityLangs.map((l) => `authority_${l}`),
    ...unitLangs.map((l) => `unit_${l}`),
    ...LIST_COLUMNS,
    ...TEXT_COLUMNS.slice(0, 5),
    'available_24_7',
    'office_hours',
    ...TEXT_COLUMNS.slice(5),
  ];
  const rows = sorted.map(({ data: c }) => [
    c.id,
    ...authorityLangs.map((l) => c.authority[l] ?? ''),
    ...unitLangs.map((l) => c.unit[l] ?? ''),
    c.themes.join('|'),
    c.requestKinds.join('|'),
    c.languages.join('|'),
    ...TEXT_COLUMNS.slice(0, 5).map((col) => c[FIELD_OF[col]]),
    c.available247 ? 'yes' : 'no',
    formatHours(c.officeHours),
    ...TEXT_COLUMNS.slice(5).map((col) => c[FIELD_OF[col]]),
  ]);
  return formatCsv([header, ...rows]);
}
