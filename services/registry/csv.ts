/**
 * CSV as RFC 4180 writes it (comma-separated, double quotes around fields with separators,
 * quotes or line breaks) and as spreadsheets in es, fr and pt save it: semicolon-separated.
 * The separator is read from the header line; a UTF-8 byte order mark is skipped.
 */

export interface CsvRow {
  /** Line of the file where the row starts (1-based). */
  line: number;
  cells: string[];
}

export type CsvSeparator = ',' | ';';

/** A quoted field that never closes; `line` is where it opened. */
export class CsvSyntaxError extends Error {
  readonly line: number;
  constructor(line: number) {
    super(`line ${line}: a quoted field is not closed`);
    this.name = 'CsvSyntaxError';
    this.line = line;
  }
}

/** `;` when the first line (outside quotes) holds more semicolons than commas, else `,`. */
export function detectSeparator(text: string): CsvSeparator {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch === ',') commas++;
    else if (!quoted && ch === ';') semicolons++;
  }
  return semicolons > commas ? ';' : ',';
}

/**
 * Parses CSV text with `separator` (default: detected from the header line); throws
 * CsvSyntaxError when a quoted field never closes.
 *
 * @example parseCsv('id;email\r\nx;"a@b.example"') // [{ line: 1, cells: ['id', 'email'] }, { line: 2, cells: ['x', 'a@b.example'] }]
 */
export function parseCsv(text: string, separator?: CsvSeparator): CsvRow[] {
  const rows: CsvRow[] = [];
  const s = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const sep = separator ?? detectSeparator(s);
  let line = 1;
  let i = 0;
  while (i < s.length) {
    const start = line;
    const cells: string[] = [];
    for (;;) {
      let cell = '';
      if (s[i] === '"') {
        i++;
        for (;;) {
          if (i >= s.length) throw new CsvSyntaxError(start);
          const ch = s[i]!;
          if (ch === '"') {
            if (s[i + 1] === '"') {
              cell += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (ch === '\n') line++;
          cell += ch;
          i++;
        }
      }
      while (i < s.length && s[i] !== sep && s[i] !== '\n' && s[i] !== '\r') cell += s[i++];
      cells.push(cell);
      if (s[i] === sep) {
        i++;
        continue;
      }
      if (s[i] === '\r') i++;
      if (s[i] === '\n') i++;
      line++;
      break;
    }
    if (!(cells.length === 1 && cells[0]!.trim() === '')) rows.push({ line: start, cells });
  }
  return rows;
}

function quote(cell: string, separator: CsvSeparator): string {
  return /["\r\n]/.test(cell) || cell.includes(separator) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** What a spreadsheet reads as the start of a formula (OWASP, CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A cell a spreadsheet would run as a formula (`=1+1`, `@SUM(...)`, `+54 11...`) gets an
 * apostrophe in front, so it is shown as text; `unneutralise` takes it off on import, so an
 * export imports back unchanged.
 */
export function neutralise(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

export function unneutralise(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}

/**
 * Whether an imported cell (before `unneutralise`) would run as a formula in a spreadsheet;
 * a phone number (`+54 11 5555 0101`) would not and is allowed.
 */
export function looksLikeFormula(cell: string): boolean {
  if (!FORMULA_START.test(cell)) return false;
  return !/^\+[\d\s().-]+$/.test(cell);
}

/** Every cell neutralised (see `neutralise`), quoted where RFC 4180 needs it; `separator` `;` for spreadsheets in es, fr and pt. */
export function formatCsv(rows: string[][], separator: CsvSeparator = ','): string {
  return rows.map((r) => r.map((c) => quote(neutralise(c), separator)).join(separator)).join('\r\n') + '\r\n';
}
