/** RFC 4180 CSV: comma-separated, double quotes around fields with commas, quotes or line breaks. */

export interface CsvRow {
  /** Line of the file where the row starts (1-based). */
  line: number;
  cells: string[];
}

/** Parses CSV text; throws with the line number when a quoted field never closes. */
export function parseCsv(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  const s = text.startsWith('\uFEFF') ? text.slice(1) : text;
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
          if (i >= s.length) throw new Error(`line ${start}: a quoted field is not closed`);
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
        while (i < s.length && s[i] !== ',' && s[i] !== '\n' && s[i] !== '\r') cell += s[i++];
      } else {
        while (i < s.length && s[i] !== ',' && s[i] !== '\n' && s[i] !== '\r') cell += s[i++];
      }
      cells.push(cell);
      if (s[i] === ',') {
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

function quote(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
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

/** Every cell neutralised (see `neutralise`), quoted where RFC 4180 needs it. */
export function formatCsv(rows: string[][]): string {
  return rows.map((r) => r.map((c) => quote(neutralise(c))).join(',')).join('\r\n') + '\r\n';
}
