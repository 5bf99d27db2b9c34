/**
 * Directory admins over HTTP against a real gateway and node: the export and the empty
 * template as CSV and XLSX, and imports of semicolon CSV (as spreadsheets in es, fr and pt
 * save it) and of XLSX built here with exceljs, every problem of every line reported in the
 * user's language, all or nothing.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { demoUser, HttpSession, signedIn } from './_browser.js';
import { HEADER, row, semicolons } from './_directory.js';
import { withFederation } from './_setup.js';

const { gw } = withFederation(['AR'], { gateways: ['AR'] });

const admin = (lang: string): Promise<HttpSession> => signedIn(gw.AR, 'AR', 'directory_admin', lang);

/** Posts the import form as a browser does: multipart/form-data with the file and the mode. */
async function upload(s: HttpSession, name: string, data: Uint8Array | string, mode: 'check' | 'apply'): Promise<{ status: number; body: string }> {
  const form = new FormData();
  form.set('_csrf', s.csrf('AR'));
  form.set('mode', mode);
  form.set('csv', '');
  form.set('file', new Blob([typeof data === 'string' ? data : new Uint8Array(data)]), name);
  const res = await fetch(`${gw.AR.url}/directory/import`, { method: 'POST', headers: { cookie: s.cookieHeader, origin: gw.AR.url }, body: form });
  return { status: res.status, body: await res.text() };
}

/** The report's problem rows: line, column, rule and the text a person reads. */
function problems(page: string): { line: string; column: string; rule: string; text: string }[] {
  return [...page.matchAll(/<tr data-line="(\d+)" data-column="([^"]*)" data-rule="([^"]*)"><td>[^<]*<\/td><td>.*?<\/td><td>(.*?)<\/td><\/tr>/g)].map((m) => ({
    line: m[1]!,
    column: m[2]!,
    rule: m[3]!,
    text: m[4]!,
  }));
}

async function exportCsv(s: HttpSession): Promise<string> {
  const res = await s.get('/directory/export.csv');
  expect(res.status).toBe(200);
  return res.text();
}

describe('directory files', () => {
  it('imports a good semicolon CSV with a BOM and quoted cells', async () => {
    const s = await admin('es');
    const csv = semicolons([HEADER, row('fiscalia-trata'), row('migraciones', { themes: 'migration|victim_identification', languages: 'es|en', authority_en: 'Migration office' })]);
    const checked = await upload(s, 'directorio.csv', csv, 'check');
    expect(checked.status, checked.body).toBe(200);
    expect(checked.body).toContain('data-import="checked"');
    const applied = await upload(s, 'directorio.csv', csv, 'apply');
    expect(applied.status).toBe(200);
    expect(applied.body).toContain('data-import="applied"');
    expect(applied.body).toContain('Importado: 2 nuevos');
    const entry = await (await s.get('/directory/AR/fiscalia-trata')).text();
    expect(entry).toContain('Punto focal; guardia');
    expect(entry).toContain('Atiende &quot;urgencias&quot;; también fines de semana');
  });

  it('reports both bad lines of a Spanish semicolon CSV, every problem, in Spanish, and changes nothing', async () => {
    const s = await admin('es');
    const before = await exportCsv(s);
    const csv = semicolons([
      HEADER,
      row('nuevo-punto'),
      row('Mal Id', { email: 'sin-arroba', time_zone: 'America/Atlantida', notes: '=HIPERVINCULO("http://x")' }),
      row('otro-punto', { themes: 'trata', available_24_7: 'quizás' }),
    ]);
    for (const mode of ['check', 'apply'] as const) {
      const res = await upload(s, 'directorio.csv', csv, mode);
      expect(res.status).toBe(400);
      expect(res.body).toContain('data-import="problems"');
      expect(res.body).toContain('6 problemas: no se cambió nada.');
      const found = problems(res.body);
      expect(found.map((p) => `${p.line} ${p.column} ${p.rule}`)).toEqual(['3 notes formula', '3 id slug', '3 email email', '3 time_zone time_zone', '4 available_24_7 yes_no', '4 themes theme']);
      expect(found.find((p) => p.rule === 'formula')!.text).toContain('una hoja de cálculo la ejecutaría como fórmula');
      expect(found.find((p) => p.rule === 'email')!.text).toBe('Esto no es una dirección de correo electrónico. Escriba una como trata@fiscalia.example.');
      expect(found.find((p) => p.rule === 'yes_no')!.text).toBe('«quizás» no es sí ni no. Escriba sí o no.');
    }
    expect(await exportCsv(s)).toBe(before);
    expect((await s.get('/directory/AR/nuevo-punto')).status).toBe(404);
  });

  it('imports an XLSX file built with exceljs: a formula cell is reported by its sheet row in French, a fixed sheet is applied', async () => {
    const s = await admin('fr');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Annuaire');
    ws.addRow(HEADER);
    ws.addRow(row('point-xlsx', { authority_es: 'Ministerio Público', notes: '- voir aussi le bureau de garde' }));
    ws.addRow([]);
    const bad = ws.addRow(row('point-formule'));
    bad.getCell(HEADER.indexOf('role_title') + 1).value = { formula: 'CONCATENATE("a","b")', result: 'ab' };
    const withFormula = Buffer.from(await wb.xlsx.writeBuffer());
    const refused = await upload(s, 'annuaire.xlsx', withFormula, 'apply');
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('Ligne de la feuille');
    expect(problems(refused.body)).toEqual([{ line: '4', column: 'role_title', rule: 'formula', text: expect.stringContaining('un tableur l’exécuterait comme une formule') }]);
    expect((await s.get('/directory/AR/point-xlsx')).status).toBe(404);

    bad.getCell(HEADER.indexOf('role_title') + 1).value = 'Point focal';
    bad.getCell(HEADER.indexOf('available_24_7') + 1).value = true;
    const fixed = await upload(s, 'annuaire.xlsx', Buffer.from(await wb.xlsx.writeBuffer()), 'apply');
    expect(fixed.status, fixed.body).toBe(200);
    expect(fixed.body).toContain('data-import="applied"');
    const entry = await (await s.get('/directory/AR/point-xlsx')).text();
    expect(entry).toContain('- voir aussi le bureau de garde');
  });

  it('exports CSV and XLSX that import back to the same directory', async () => {
    const s = await admin('pt');
    const first = await s.get('/directory/export.csv');
    expect(first.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(first.headers.get('content-disposition')).toMatch(/^attachment; filename="directory-AR-\d{4}-\d{2}-\d{2}\.csv"$/);
    const csv = await first.text();
    const lines = csv
      .replace(/^\uFEFF/, '')
      .split('\r\n')
      .filter(Boolean);
    expect(lines[0]!.split(';').slice(0, 3)).toEqual(['id', 'authority_es', 'authority_en']);
    expect(lines.length).toBeGreaterThanOrEqual(5);
    expect(csv).toContain("'- voir aussi le bureau de garde");
    const again = await upload(s, 'export.csv', csv, 'apply');
    expect(again.status, again.body).toBe(200);
    expect(again.body).toContain(`Nada a alterar: 0 novos, 0 alterados, 0 desativados, ${lines.length - 1} sem alterações.`);
    expect(await exportCsv(s)).toBe(csv);

    const xlsx = await s.get('/directory/export.xlsx');
    expect(xlsx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const data = Buffer.from(await xlsx.arrayBuffer());
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(data as unknown as ExcelJS.Buffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.rowCount).toBe(lines.length);
    sheet.eachRow((r) => r.eachCell((c) => expect(typeof c.value, JSON.stringify(c.value)).toBe('string')));
    const fromXlsx = await upload(s, 'export.xlsx', data, 'apply');
    expect(fromXlsx.status, fromXlsx.body).toBe(200);
    expect(fromXlsx.body).toContain(`${lines.length - 1} sem alterações`);
    expect(await exportCsv(s)).toBe(csv);
  });

  it("downloads the empty template as CSV and XLSX with the export's columns and one example row that imports", async () => {
    const s = await admin('es');
    const header = (await exportCsv(s)).replace(/^\uFEFF/, '').split('\r\n')[0]!;
    const csv = await (await s.get('/directory/template.csv')).text();
    const [head, example, ...rest] = csv.replace(/^\uFEFF/, '').split('\r\n');
    expect(head).toBe(header);
    expect(rest).toEqual(['']);
    expect(example).toContain('punto-de-ejemplo;Ministerio Público — Unidad de Trata de Personas');
    const checked = await upload(s, 'plantilla.csv', csv, 'check');
    expect(checked.status, checked.body).toBe(200);
    expect(checked.body).toContain('Todas las líneas son válidas: 1 nuevos');

    const res = await s.get('/directory/template.xlsx');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="directory-template-AR.xlsx"');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ExcelJS.Buffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.rowCount).toBe(2);
    expect((sheet.getRow(1).values as unknown[]).slice(1).join(';')).toBe(header);
    expect(sheet.getRow(2).getCell(1).value).toBe('punto-de-ejemplo');
    const page = await (await s.get('/directory')).text();
    for (const href of ['/directory/export.csv', '/directory/export.xlsx', '/directory/template.csv', '/directory/template.xlsx']) expect(page).toContain(`href="${href}"`);
  });

  it('refuses a file that is neither CSV nor XLSX, and the directory of a focal point offers no files', async () => {
    const s = await admin('en');
    const res = await upload(s, 'photo.xlsx', Buffer.from('PK\u0003\u0004 not really a workbook', 'latin1'), 'check');
    expect(res.status).toBe(400);
    expect(problems(res.body)).toEqual([{ line: '0', column: '', rule: 'unreadable_file', text: expect.stringContaining('cannot be read as CSV or XLSX') }]);
    const big = await upload(s, 'big.csv', `${HEADER.join(',')}\n${'x'.repeat(3 * 1024 * 1024)}\n`, 'check');
    expect(big.status).toBe(400);
    expect(problems(big.body)).toEqual([{ line: '0', column: '', rule: 'too_large', text: 'The file is larger than 3 MB. Split it into several files.' }]);
    const focal = new HttpSession(gw.AR.url);
    const u = demoUser('AR', 'focal_point');
    await focal.login(u.username, u.password);
    expect((await focal.get('/directory/export.csv')).status).toBe(403);
    expect(await (await focal.get('/directory')).text()).not.toContain('/directory/template.csv');
  });
});
