import { ImportRequest, type ImportProblem, type ImportResponse } from '../../generated/enlace/v1/directory.js';
import type { Principal } from '../../services/index.js';
import type { GatewayContext } from '../context.js';
import { translateDynamic, type Lang } from '../i18n/index.js';
import type { UploadedFile } from '../multipart.js';
import { csvText, isXlsx, xlsxToCsv } from './directory-files.js';

/** The largest file an admin uploads (the node takes at most 4 MiB of CSV). */
export const MAX_IMPORT_BYTES = 3 * 1024 * 1024;

/**
 * Every rule an import problem can name, from the node (services/registry/transfer.ts and
 * validate.ts) and from reading the file here; each has `dir.rule.<rule>` in every language
 * (a test checks it). A rule not listed reads as `dir.rule.invalid`.
 */
export const IMPORT_RULES = [
  'formula',
  'unknown_column',
  'missing_column',
  'authority_column',
  'field_count',
  'wrong_country',
  'yes_no',
  'office_hours',
  'duplicate_id',
  'empty_file',
  'unclosed_quote',
  'invalid',
  'required',
  'too_long',
  'date',
  'time_zone',
  'languages_required',
  'language',
  'authority_required',
  'days_required',
  'weekday',
  'time',
  'hours_order',
  'request_kind',
  'slug',
  'country_code',
  'theme',
  'themes_required',
  'email',
  'phone',
  'date_order',
  'future_date',
  'unreadable_file',
  'too_large',
] as const;

export type ImportSource = 'csv' | 'xlsx';

export interface ImportOutcome {
  report: ImportResponse;
  source: ImportSource;
}

const fileProblem = (rule: string, params: Record<string, string> = {}): ImportResponse => ({
  applied: false,
  problems: [{ line: 0, field: '', message: rule, rule, params }],
  created: 0,
  updated: 0,
  retired: 0,
  unchanged: 0,
  seq: 0,
});

/**
 * Checks (`dryRun`) or applies an uploaded CSV or XLSX file, or pasted CSV text, through the
 * node's import: all or nothing, every problem of every line. Problems on an XLSX file name
 * the sheet's rows.
 */
export async function importUpload(ctx: GatewayContext, p: Principal, input: { file?: UploadedFile; text?: string }, dryRun: boolean): Promise<ImportOutcome> {
  const data = input.file && input.file.data.length > 0 ? input.file.data : Buffer.from(input.text ?? '', 'utf8');
  const source: ImportSource = isXlsx(data) ? 'xlsx' : 'csv';
  if (data.length > MAX_IMPORT_BYTES) return { source, report: fileProblem('too_large', { max: String(MAX_IMPORT_BYTES / 1024 / 1024) }) };
  let csv: string;
  let rowOf: Map<number, number> | undefined;
  if (source === 'xlsx') {
    const sheet = await xlsxToCsv(data);
    if (!sheet) return { source, report: fileProblem('unreadable_file') };
    ({ csv, rowOf } = sheet);
  } else {
    csv = csvText(data);
  }
  if (csv.replace(/^\uFEFF/, '').trim() === '') return { source, report: fileProblem('empty_file') };
  const report = await ctx.node.call(p, ctx.node.directory, ctx.node.directory.import, ImportRequest.fromPartial({ format: 'csv', content: new TextEncoder().encode(csv), dryRun, replace: false }));
  if (rowOf) report.problems = report.problems.map((pr) => ({ ...pr, line: pr.line === 0 ? 0 : (rowOf.get(pr.line) ?? pr.line) }));
  return { source, report };
}

/** What is wrong and what to do, in the user's language. */
export function problemText(lang: Lang, pr: ImportProblem): string {
  const params = { column: pr.field, ...pr.params };
  return translateDynamic(lang, `dir.rule.${pr.rule}`, translateDynamic(lang, 'dir.rule.invalid', 'dir.rule.invalid', params), params);
}
