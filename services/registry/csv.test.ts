import { describe, expect, it } from 'vitest';
import { formatCsv, looksLikeFormula, neutralise, parseCsv, unneutralise } from './csv.js';
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
    expect(bad.problems).toEqual([{ line: 2, field: 'notes', message: expect.stringContaining('formula') }]);
    expect(bad.contacts).toEqual([]);
  });
});
