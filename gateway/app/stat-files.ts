import ExcelJS from 'exceljs';
import { neutralise } from '../../services/index.js';
import { AT_LEAST, SUPPRESSED } from '../ui/stat-table.js';
import { csvFile, separatorFor } from './directory-files.js';
import type { Lang } from '../i18n/index.js';
import type { StatTable, StatValue } from './stat-tables.js';

/**
 * A statistics table as a file: the header row (what the rows are, then the columns), then one
 * line per row of the page's table, the same labels and numbers. A withheld count is the
 * page's sign, or its lower bound written as on the page ("≥ 40", a text in XLSX too, so that
 * nobody adds it up as a count); a figure that does not apply is empty.
 */
const text = (n: StatValue) => (n === null ? SUPPRESSED : n === undefined ? '' : typeof n === 'object' ? `${AT_LEAST} ${n.atLeast}` : String(n));

export function statRows(t: StatTable): string[][] {
  return [[t.corner, ...t.columns.map((c) => c.label)], ...t.rows.map((r) => [r.label, ...r.values.map(text)])];
}

/** CSV with the separator of the reader's spreadsheet (directory-files.ts), UTF-8 with a byte order mark. */
export function statCsv(t: StatTable, lang: Lang): Buffer {
  return csvFile(
    statRows(t).map((r) => r.map(neutralise)),
    separatorFor(lang),
  );
}

/** XLSX: labels as text, counts as numbers, the header row frozen and bold. */
export async function statXlsx(t: StatTable): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(t.id.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.addRow([t.corner, ...t.columns.map((c) => c.label)].map(neutralise));
  for (const r of t.rows) ws.addRow([neutralise(r.label), ...r.values.map((n) => (typeof n === 'number' ? n : text(n)))]);
  ws.getRow(1).font = { bold: true };
  ws.columns.forEach((col, i) => {
    col.width = i === 0 ? Math.min(50, Math.max(14, ...t.rows.map((r) => r.label.length + 2))) : Math.min(30, Math.max(10, (t.columns[i - 1]?.label.length ?? 0) + 2));
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
