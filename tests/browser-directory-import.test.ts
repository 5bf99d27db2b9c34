/**
 * The directory import through the page, in Chromium (issue 17): a directory admin downloads
 * the export and the empty template (CSV and XLSX links), then uploads a semicolon CSV and an
 * XLSX with the file input; problems come in the person's language, every one of them, and a
 * file with one bad line changes nothing even when "apply" is pressed.
 */
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { Download, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumAvailable, expectNoAxeViolations, signedInPage } from './_browser.js';
import { languageProblems } from './_scan.js';
import { HEADER, row, semicolons } from './_directory.js';
import { withFederation } from './_setup.js';

const net = withFederation(['AR'], { gateways: ['AR'], browser: true });

async function adminPage(lang: string, locale: string): Promise<Page> {
  const page = await signedInPage(net.browser, net.gw.AR, 'AR', 'directory_admin', { locale });
  await page.goto(`${net.gw.AR.url}/lang/${lang}?next=${encodeURIComponent('/directory/import')}`);
  return page;
}

async function download(page: Page, href: string): Promise<Download> {
  const [d] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-directory-files] a[href="${href}"]`).click()]);
  return d;
}

/** Chooses a file in the form's file input and presses one of its buttons; the report that comes back. */
async function submitFile(
  page: Page,
  file: { name: string; mimeType: string; buffer: Buffer },
  mode: 'check' | 'apply',
): Promise<{ state: string; problems: { line: string; field: string; rule: string; text: string }[] }> {
  await page.locator('#f-file').setInputFiles(file);
  await Promise.all([page.waitForURL(/\/directory\/import$/), page.locator(`button[name="mode"][value="${mode}"]`).click()]);
  const report = page.locator('[data-import]');
  await report.waitFor();
  const problems = await page.locator('[data-import] tr[data-rule]').evaluateAll((rows) =>
    rows.map((r) => ({
      line: r.getAttribute('data-line') ?? '',
      field: r.getAttribute('data-column') ?? '',
      rule: r.getAttribute('data-rule') ?? '',
      text: r.querySelector('td:last-child')?.textContent ?? '',
    })),
  );
  return { state: (await report.getAttribute('data-import')) ?? '', problems };
}

const TIME_ZONE_FR = 'Ce n’est pas un fuseau horaire. Écrivez son nom IANA, par exemple America/Montevideo.';

const exists = async (page: Page, id: string) => (await page.request.get(`${net.gw.AR.url}/directory/AR/${id}`)).status() === 200;

describe.skipIf(!chromiumAvailable())('directory import through the page, in Chromium', () => {
  it('the export and the template download as CSV (semicolons in Spanish, with a BOM) and as XLSX with the node’s columns', async () => {
    const page = await adminPage('es', 'es-AR');
    await expectNoAxeViolations(page, 'directory import');
    const csv = await download(page, '/directory/export.csv');
    expect(csv.suggestedFilename()).toMatch(/^directory-AR-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = await readFile(await csv.path(), 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const header = text.slice(1).split(/\r?\n/)[0]!.split(';');
    expect(header).toEqual(expect.arrayContaining(['id', 'authority_es', 'themes', 'email', 'time_zone']));

    const template = await download(page, '/directory/template.xlsx');
    expect(template.suggestedFilename()).toBe('directory-template-AR.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await readFile(await template.path())) as unknown as ExcelJS.Buffer);
    const first = wb.worksheets[0]!.getRow(1).values as unknown[];
    expect(first.filter(Boolean)).toEqual(header);

    const templateCsv = await download(page, '/directory/template.csv');
    expect(templateCsv.suggestedFilename()).toBe('directory-template-AR.csv');
    const exportXlsx = await download(page, '/directory/export.xlsx');
    expect(exportXlsx.suggestedFilename()).toMatch(/\.xlsx$/);
    expect((await readFile(await exportXlsx.path())).subarray(0, 2).toString()).toBe('PK');
  });

  it('a semicolon CSV with a bad line: every problem in Spanish, nothing changes on check nor on apply; the fixed file is applied', async () => {
    const page = await adminPage('es', 'es-AR');
    const bad = semicolons([HEADER, row('csv-bueno'), row('csv-malo', { email: 'sin-arroba', available_24_7: 'quizás' })]);
    for (const mode of ['check', 'apply'] as const) {
      const r = await submitFile(page, { name: 'directorio.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) }, mode);
      expect(r.state, mode).toBe('problems');
      expect(r.problems.map((p) => `${p.line} ${p.field} ${p.rule}`).sort()).toEqual(['3 available_24_7 yes_no', '3 email email']);
      expect(r.problems.find((p) => p.rule === 'email')!.text).toBe('Esto no es una dirección de correo electrónico. Escriba una como trata@fiscalia.example.');
      expect(r.problems.find((p) => p.rule === 'yes_no')!.text).toBe('«quizás» no es sí ni no. Escriba sí o no.');
      expect(await page.locator('[data-import] [role="alert"]').textContent()).toContain('no se cambió nada');
      expect(await languageProblems(page, 'es', ['Directory admin AR'])).toEqual([]);
      expect(await exists(page, 'csv-bueno'), 'all or nothing').toBe(false);
    }
    await expectNoAxeViolations(page, 'import report with problems');
    const good = semicolons([HEADER, row('csv-bueno'), row('csv-otro', { authority_en: 'Migration office', languages: 'es|en' })]);
    expect((await submitFile(page, { name: 'directorio.csv', mimeType: 'text/csv', buffer: Buffer.from(good) }, 'check')).state).toBe('checked');
    expect(await exists(page, 'csv-bueno')).toBe(false);
    expect((await submitFile(page, { name: 'directorio.csv', mimeType: 'text/csv', buffer: Buffer.from(good) }, 'apply')).state).toBe('applied');
    expect(await page.locator('[data-import] [role="status"]').textContent()).toContain('Importado: 2 nuevos');
    expect(await exists(page, 'csv-bueno')).toBe(true);
    expect(await exists(page, 'csv-otro')).toBe(true);
  });

  it('an XLSX with a bad row: reported by its sheet row in French, nothing changes; the fixed sheet is applied', async () => {
    const page = await adminPage('fr', 'fr-FR');
    const sheet = async (rows: string[][]) => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('Annuaire');
      for (const r of rows) ws.addRow(r);
      return Buffer.from(await wb.xlsx.writeBuffer());
    };
    const file = (buffer: Buffer) => ({ name: 'annuaire.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer });
    const bad = await sheet([HEADER, row('xlsx-bon'), row('xlsx-mauvais', { time_zone: 'America/Atlantida' })]);
    for (const mode of ['check', 'apply'] as const) {
      const r = await submitFile(page, file(bad), mode);
      expect(r.state, mode).toBe('problems');
      expect(r.problems.map((p) => `${p.line} ${p.field} ${p.rule}`)).toEqual(['3 time_zone time_zone']);
      expect(r.problems[0]!.text).toBe(TIME_ZONE_FR);
      expect(await page.locator('[data-import] th').first().textContent()).toBe('Ligne de la feuille');
      expect(await languageProblems(page, 'fr', ['Directory admin AR'])).toEqual([]);
      expect(await exists(page, 'xlsx-bon')).toBe(false);
    }
    const good = await sheet([HEADER, row('xlsx-bon')]);
    expect((await submitFile(page, file(good), 'apply')).state).toBe('applied');
    expect(await exists(page, 'xlsx-bon')).toBe(true);
  });
});
