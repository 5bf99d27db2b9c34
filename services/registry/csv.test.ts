import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, detectSeparator, formatCsv, looksLikeFormula, neutralise, parseCsv, unneutralise } from './csv.js';
import { DEMO_DIRECTORY } from './demo-data.js';
import { exportDirectory, parseImport } from './transfer.js';
import { validContact } from './validate.js';

describe('CSV injection (OWASP)', () => {
  it.each(['=1+1', '@SUM(A1:A2)', '+cmd|calc', '-2+3', '\t=1', '\r=1'])('neutralises %j on export and restores it on import', (cell) => {
    expect(neutralise(cell)).toBe(`'${cell}`);
    expect(unneutralise(neutralise(cell))).toBe(cell);
    const [row] = parseCsv(formatCsv([[cell, 'x']]));
    expect(row!.cells[0]!.startsWith("'")).toBe(true);
  });

  it('leaves ordinary text alone and allows phone numbers on import', () => {
    expect(neutralise('Fiscalía')).toBe('Fiscalía');
    expect(unneutralise("'quoted")).toBe("'quoted");
    expect(looksLikeFormula('+54 11 5555 0101')).toBe(false);
    expect(looksLikeFormula('=HYPERLINK("http://evil")')).toBe(true);
  });

  it('a directory export carries no live formula and imports back unchanged; an import with one is reported by line and column', () => {
    const base = DEMO_DIRECTORY.AR!.contacts[0]!;
    const evil = validContact({ ...base, notes: '=1+1', roleTitle: '@SUM(1,2)' }, 'c', '2026-01-15');
    const entries = [{ country: 'AR', type: 'contact' as const, id: evil.id, version: 1, status: 'active' as const, data: evil, seq: 1, updatedAt: 0, updatedBy: 'x' }];
    const csv = exportDirectory('csv', 'AR', entries, undefined);
    for (const row of parseCsv(csv)) for (const cell of row.cells) expect(/^[=+\-@\t\r]/.test(cell), cell).toBe(false);
    expect(parseImport('csv', csv, 'AR', '2026-01-15').contacts).toEqual([evil]);
    const raw = csv.replace("'=1+1", '=1+1');
    const bad = parseImport('csv', raw, 'AR', '2026-01-15');
    expect(bad.problems).toEqual([{ line: 2, field: 'notes', message: expect.stringContaining('formula'), rule: 'formula', params: {} }]);
    expect(bad.contacts).toEqual([]);
  });
});

describe('separators, byte order mark, every problem at once', () => {
  it('reads the separator from the header line and skips a UTF-8 BOM', () => {
    expect(detectSeparator('id;email;notes\r\nx;"a,b";c')).toBe(';');
    expect(detectSeparator('id,email\r\nx;y;z,w')).toBe(',');
    expect(detectSeparator('"a;b;c",d,e\r\n')).toBe(',');
    const rows = parseCsv('\uFEFFid;notes\r\nx;"uno; dos ""tres"""\r\n"multi\nline";z\r\n');
    expect(rows).toEqual([
      { line: 1, cells: ['id', 'notes'] },
      { line: 2, cells: ['x', 'uno; dos "tres"'] },
      { line: 3, cells: ['multi\nline', 'z'] },
    ]);
    expect(() => parseCsv('id;notes\r\nx;"never closed\r\n')).toThrow(CsvSyntaxError);
  });

  it('reports every bad cell of every line with its rule, and imports nothing', () => {
    const header = 'id;authority_es;themes;languages;email;time_zone;available_24_7;notes';
    const csv = [
      header,
      'Bad Id;Fiscalía;nope;xx;no-at;Mars/Base;maybe;=1+1',
      'ok;Fiscalía;victim_identification;es;a@b.example;America/Montevideo;sí;',
      'ok;Otra;victim_identification;es;c@d.example;UTC;no;',
    ].join('\r\n');
    const parsed = parseImport('csv', csv, 'AR', '2026-01-15');
    expect(parsed.problems.map((p) => `${p.line} ${p.field} ${p.rule}`)).toEqual([
      '2 notes formula',
      '2 available_24_7 yes_no',
      '2 id slug',
      '2 themes theme',
      '2 email email',
      '2 languages language',
      '2 time_zone time_zone',
      '4 id duplicate_id',
    ]);
    expect(parsed.problems.find((p) => p.rule === 'duplicate_id')!.params).toEqual({ line: '3' });
  });
});
