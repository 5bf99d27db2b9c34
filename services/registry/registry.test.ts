import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../keys/index.js';
import { signerOf, testNetwork } from '../envelope/testkit.js';
import { REQUEST_KINDS } from '../grpc/validate.js';
import { placeRecord, type ChainView } from './chain.js';
import { parseCsv } from './csv.js';
import { DEMO_DIRECTORY } from './demo-data.js';
import { formatHours, parseHours } from './hours.js';
import type { ContactPoint, RecordPayload } from './model.js';
import { GENESIS_PREV, signRecord, verifyRecord } from './record.js';
import { LABEL_LANGUAGES, REQUEST_KIND_THEMES, THEMES, THEME_LABELS } from './themes.js';
import { exportDirectory, parseImport } from './transfer.js';
import { isTimeZone, validContact } from './validate.js';

const contact = (over: Partial<ContactPoint> = {}): ContactPoint => ({ ...DEMO_DIRECTORY.UY!.contacts[1]!, ...over });

function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof InvalidArgumentError) return e.field;
    throw e;
  }
  throw new Error('expected an InvalidArgumentError');
}

describe('registry vocabularies', () => {
  it('maps exactly the request types of the API to themes, and labels every theme in es, en, fr, pt', () => {
    expect(Object.keys(REQUEST_KIND_THEMES).sort()).toEqual([...REQUEST_KINDS].sort());
    for (const t of THEMES) for (const l of LABEL_LANGUAGES) expect(THEME_LABELS[t][l].length).toBeGreaterThan(2);
    expect(THEMES).toHaveLength(14);
  });

  it('demo data: valid, every theme covered in each country, all four languages present', () => {
    const langs = new Set<string>();
    for (const [country, demo] of Object.entries(DEMO_DIRECTORY)) {
      const themes = new Set<string>();
      for (const c of demo.contacts) {
        expect(() => validContact(c, 'contact', '2026-01-15')).not.toThrow();
        c.themes.forEach((t) => themes.add(t));
        c.languages.forEach((l) => langs.add(l));
        Object.keys(c.authority).forEach((l) => langs.add(l));
        expect(c.country).toBe(country);
      }
      expect([...themes].sort()).toEqual([...THEMES].sort());
    }
    for (const l of LABEL_LANGUAGES) expect(langs).toContain(l);
  });
});

describe('contact point validation', () => {
  it('names the field of each invalid value', () => {
    const today = '2026-01-15';
    expect(fieldOf(() => validContact(contact({ email: 'not-an-address' }), 'contact', today))).toBe('contact.email');
    expect(fieldOf(() => validContact(contact({ phone: '02 915 1234' }), 'contact', today))).toBe('contact.phone');
    expect(fieldOf(() => validContact(contact({ languages: ['es', 'xx'] }), 'contact', today))).toBe('contact.languages[1]');
    expect(fieldOf(() => validContact(contact({ themes: ['trafficking'] }), 'contact', today))).toBe('contact.themes[0]');
    expect(fieldOf(() => validContact(contact({ timeZone: 'America/Atlantis' }), 'contact', today))).toBe('contact.time_zone');
    expect(fieldOf(() => validContact(contact({ validFrom: '2026-02-30' }), 'contact', today))).toBe('contact.valid_from');
    expect(fieldOf(() => validContact(contact({ lastVerified: '2026-03-01' }), 'contact', today))).toBe('contact.last_verified');
    expect(fieldOf(() => validContact(contact({ officeHours: [{ days: [1], open: '18:00', close: '09:00' }] }), 'contact', today))).toBe('contact.office_hours[0].close');
  });

  it('normalizes phone numbers and language codes', () => {
    const c = validContact(contact({ phone: '+598 (2) 555-0202', languages: ['ES', 'pt', 'es'] }), 'contact', '2026-01-15');
    expect(c.phone).toBe('+59825550202');
    expect(c.languages).toEqual(['es', 'pt']);
  });

  it('knows IANA zones and aliases, not offsets or inventions', () => {
    expect(isTimeZone('America/Montevideo')).toBe(true);
    expect(isTimeZone('America/Buenos_Aires')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('GMT-3')).toBe(false);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});

describe('CSV and office hours', () => {
  it('parses quoted fields with commas, quotes and line breaks, keeping start lines', () => {
    const rows = parseCsv('a,b\r\n"x, y","say ""hi"""\n"multi\nline",z\n\nlast,1');
    expect(rows.map((r) => r.line)).toEqual([1, 2, 3, 6]);
    expect(rows[1]!.cells).toEqual(['x, y', 'say "hi"']);
    expect(rows[2]!.cells).toEqual(['multi\nline', 'z']);
  });

  it('round-trips office hours', () => {
    const h = parseHours('mon-fri 09:00-17:00; sat,sun 10:00-12:00');
    expect(h).toEqual([
      { days: [1, 2, 3, 4, 5], open: '09:00', close: '17:00' },
      { days: [6, 7], open: '10:00', close: '12:00' },
    ]);
    expect(formatHours(h)).toBe('mon-fri 09:00-17:00; sat-sun 10:00-12:00');
  });

  it('exports a directory that imports back unchanged, and reports a bad line by number', () => {
    const entries = DEMO_DIRECTORY.AR!.contacts.map((c) => ({
      country: 'AR',
      type: 'contact' as const,
      id: c.id,
      version: 1,
      status: 'active' as const,
      data: validContact(c, 'c', '2026-01-15'),
      seq: 1,
      updatedAt: 0,
      updatedBy: 'x',
    }));
    const csv = exportDirectory('csv', 'AR', entries, undefined);
    const back = parseImport('csv', csv, 'AR', '2026-01-15');
    expect(back.problems).toEqual([]);
    expect(back.contacts).toEqual(entries.map((e) => e.data).sort((a, b) => a.id.localeCompare(b.id)));
    const lines = csv.split('\r\n');
    lines[3] = lines[3]!.replace('@', ' at ');
    const bad = parseImport('csv', lines.join('\r\n'), 'AR', '2026-01-15');
    expect(bad.problems).toEqual([{ line: 4, field: 'email', message: expect.stringContaining('e-mail'), rule: 'email', params: {} }]);
  });
});

describe('signed records', () => {
  it("verifies a record of the signer's own country, rejects one about another country", async () => {
    const now = Date.now();
    const net = await testNetwork(['AR', 'BR'], now);
    const payload = (country: string): RecordPayload => ({
      v: 1,
      networkId: net.networkId,
      country,
      seq: 1,
      prev: GENESIS_PREV,
      at: now,
      by: 'admin',
      changes: [{ op: 'upsert', type: 'contact', id: 'pf-trafico', version: 1, entry: { ...DEMO_DIRECTORY.BR!.contacts[6]!, country } }],
    });
    const ctx = { networkId: net.networkId, trust: net.trust, now };
    const ok = await verifyRecord(await signRecord(payload('BR'), signerOf(net, 'BR')), { country: 'BR', seq: 1 }, ctx);
    expect(ok.payload.changes[0]!.id).toBe('pf-trafico');
    const forged = await signRecord(payload('BR'), signerOf(net, 'AR'));
    await expect(verifyRecord(forged, { country: 'BR', seq: 1 }, ctx)).rejects.toMatchObject({ code: 'ERR_REGISTRY_WRONG_COUNTRY' });
    const inOwnLog = await signRecord({ ...payload('AR'), country: 'AR', changes: payload('BR').changes }, signerOf(net, 'AR'));
    await expect(verifyRecord(inOwnLog, { country: 'AR', seq: 1 }, ctx)).rejects.toMatchObject({ code: 'ERR_REGISTRY_WRONG_COUNTRY' });
    const [h, p, s] = (await signRecord(payload('BR'), signerOf(net, 'BR'))).split('.');
    const tampered = `${h}.${Buffer.from(Buffer.from(p!, 'base64url').toString().replace('pf-trafico', 'pf-traficx')).toString('base64url')}.${s}`;
    await expect(verifyRecord(tampered, { country: 'BR', seq: 1 }, ctx)).rejects.toMatchObject({ code: 'ERR_REGISTRY_SIGNATURE' });

    const view = (version: number): ChainView => ({
      head: () => ({ seq: 0, hash: '', at: 0 }),
      hashAt: () => undefined,
      entry: () => ({ version, status: 'active' }),
    });
    expect(placeRecord(view(0), ok)).toEqual({ kind: 'append' });
    expect(() => placeRecord(view(3), ok)).toThrow(expect.objectContaining({ code: 'ERR_REGISTRY_STALE' }));
  });
});
