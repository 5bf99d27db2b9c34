import { describe, expect, it } from 'vitest';
import { DICTIONARIES, LANGS } from '../i18n/index.js';
import { parseMultipart } from '../multipart.js';
import { IMPORT_RULES, problemText } from './directory-import.js';
import { csvText, separatorFor } from './directory-files.js';

describe('directory import messages', () => {
  it('has what is wrong and what to do for every rule in every language', () => {
    for (const lang of LANGS) {
      for (const rule of IMPORT_RULES) expect(Object.hasOwn(DICTIONARIES[lang], `dir.rule.${rule}`), `${lang} dir.rule.${rule}`).toBe(true);
    }
    const pr = { line: 3, field: 'notes', message: 'x', rule: 'formula', params: {} };
    expect(problemText('es', pr)).toMatch(/^La celda empieza con =, \+, - o @/);
    expect(problemText('pt', { ...pr, rule: 'field_count', params: { found: '4', expected: '6' } })).toBe('Esta linha tem 4 células e o cabeçalho 6. Verifique os separadores e as aspas desta linha.');
    expect(problemText('en', { ...pr, rule: 'a_rule_from_a_newer_node' })).toBe('The value in notes is not accepted. Correct it as in the template.');
  });

  it('writes CSV for the spreadsheets of each language and reads UTF-8 or Windows-1252', () => {
    expect(LANGS.map((l) => `${l}${separatorFor(l)}`)).toEqual(['es;', 'en,', 'fr;', 'pt;']);
    expect(csvText(Buffer.from('\uFEFFid;Fiscalía', 'utf8'))).toBe('id;Fiscalía');
    expect(csvText(Buffer.from('id;Fiscal\xeda', 'latin1'))).toBe('id;Fiscalía');
  });
});

describe('multipart/form-data', () => {
  it('reads the fields and the file a browser sends', async () => {
    const form = new FormData();
    form.set('_csrf', 'token');
    form.set('mode', 'apply');
    form.set('file', new Blob([new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x0d, 0x0a, 0x2d, 0x2d])]), 'a "b".xlsx');
    const req = new Request('http://x/', { method: 'POST', body: form });
    const body = parseMultipart(Buffer.from(await req.arrayBuffer()), req.headers.get('content-type')!);
    expect(body.fields).toEqual({ _csrf: 'token', mode: 'apply' });
    expect(body.files.file!.filename).toBe('a %22b%22.xlsx');
    expect([...body.files.file!.data]).toEqual([0x50, 0x4b, 0x03, 0x04, 0x0d, 0x0a, 0x2d, 0x2d]);
    expect(() => parseMultipart(Buffer.from('--x\r\ncontent-disposition: form-data; name="a"\r\n\r\nno end'), 'multipart/form-data; boundary=x')).toThrow('not closed');
  });
});
