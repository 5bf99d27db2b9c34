import ExcelJS from 'exceljs';
import { ExportRequest } from '../../generated/enlace/v1/directory.js';
import type { Principal } from '../../services/index.js';
import { formatCsv, neutralise, parseCsv, type CsvSeparator } from '../../services/index.js';
import type { GatewayContext } from '../context.js';
import type { Lang, Translate } from '../i18n/index.js';

/**
 * The directory as files a person opens in a spreadsheet: the node's CSV export (its columns,
 * every cell that would run as a formula already neutralised with an apostrophe) written as
 * CSV with the separator of the user's spreadsheet, or as XLSX with every cell text. An
 * upload goes the other way: XLSX becomes the node's CSV, row for row, so the node checks one
 * format and its line numbers are the sheet's row numbers.
 */

/** Spreadsheets in es, fr and pt read and save CSV with semicolons (the comma is their decimal mark). */
export function separatorFor(lang: Lang): CsvSeparator {
  return lang === 'en' ? ',' : ';';
}

/** The node's CSV export of this country, as rows (the first is the header). */
export async function exportRows(ctx: GatewayContext, p: Principal): Promise<string[][]> {
  const res = await ctx.node.call(p, ctx.node.directory, ctx.node.directory.export, ExportRequest.fromPartial({ country: ctx.country, format: 'csv', includeRetired: false }));
  return parseCsv(new TextDecoder().decode(res.content), ',').map((r) => r.cells);
}

/** UTF-8 with a byte order mark, so that spreadsheets read the accents right. */
export function csvFile(rows: string[][], separator: CsvSeparator): Buffer {
  return Buffer.from('\uFEFF' + formatCsv(rows, separator), 'utf8');
}

export async function xlsxFile(rows: string[][], sheetName: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  for (const r of rows) ws.addRow(r.map(neutralise));
  ws.columns.forEach((col, i) => {
    col.numFmt = '@';
    col.width = Math.min(60, Math.max(12, ...rows.map((r) => (r[i] ?? '').length + 2)));
  });
  ws.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The export's header and one example contact point in the user's language. */
export function templateRows(header: string[], lang: Lang, t: Translate, timeZone: string): string[][] {
  const example: Record<string, string> = {
    id: t('dir.template.id'),
    [`authority_${lang}`]: t('dir.template.authority'),
    [`unit_${lang}`]: t('dir.template.unit'),
    themes: 'victim_identification|consular_assistance',
    request_kinds: 'nationality_verification',
    languages: lang === 'es' ? 'es|en' : `${lang}|es`,
    role_title: t('dir.template.role'),
    email: 'trata@fiscalia.example',
    phone: '+59821234567',
    time_zone: timeZone,
    available_24_7: 'no',
    office_hours: 'mon-fri 09:00-17:00',
    valid_from: '2026-01-01',
  };
  return [header, header.map((col) => example[col] ?? '')];
}

/** A cell of an uploaded sheet as the text the CSV would hold; a formula keeps its `=` so the node reports it. */
function cellText(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (v === null || v === undefined) return '';
  if (cell.type === ExcelJS.ValueType.Formula || (typeof v === 'object' && ('formula' in v || 'sharedFormula' in v))) {
    const f = v as { formula?: string; sharedFormula?: string };
    return `=${f.formula ?? f.sharedFormula ?? ''}`;
  }
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return neutralise(v);
  if ('richText' in v) return neutralise(v.richText.map((r) => r.text).join(''));
  if ('text' in v) return neutralise(String(v.text));
  if ('error' in v) return String(v.error);
  return '';
}

/** An XLSX file as the node's CSV; `rowOf` maps the CSV line where each row starts back to its sheet row. */
export interface SheetAsCsv {
  csv: string;
  rowOf: Map<number, number>;
}

/** A sheet's text cells are never formulas, so they are neutralised here (the node takes the apostrophe off); formula cells stay formulas and are reported. */
export async function xlsxToCsv(data: Buffer): Promise<SheetAsCsv | undefined> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(data as unknown as ExcelJS.Buffer);
  } catch {
    return undefined;
  }
  const ws = wb.worksheets[0];
  if (!ws) return undefined;
  const width = ws.getRow(1).cellCount;
  const rows: string[][] = [];
  const sheetRows: number[] = [];
  ws.eachRow({ includeEmpty: false }, (row, n) => {
    const cells = Array.from({ length: Math.max(width, row.cellCount) }, (_, i) => cellText(row.getCell(i + 1)));
    if (cells.every((c) => c.trim() === '')) return;
    rows.push(cells);
    sheetRows.push(n);
  });
  const rowOf = new Map<number, number>();
  let line = 1;
  const lines = rows.map((cells, i) => {
    rowOf.set(line, sheetRows[i]!);
    const text = cells.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');
    line += (text.match(/\n/g) ?? []).length + 1;
    return text;
  });
  return { csv: lines.join('\n') + '\n', rowOf };
}

const ZIP = Buffer.from('PK\u0003\u0004', 'latin1');

export function isXlsx(data: Buffer): boolean {
  return data.subarray(0, 4).equals(ZIP);
}

/** CSV bytes as text: UTF-8 (a BOM is fine), else Windows-1252, which spreadsheets on Windows still save. */
export function csvText(data: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return new TextDecoder('windows-1252').decode(data);
  }
}
