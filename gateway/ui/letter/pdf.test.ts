import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import { GetRequestResponse, Request } from '../../../generated/enlace/v1/exchange.js';
import { RequestPayload } from '../../../generated/enlace/v1/requests.js';
import { completeRequest } from '../../../services/requests/testkit.js';
import { letterText } from './content.js';
import { chunks, renderLetter } from './pdf.js';

async function pages(pdf: Buffer): Promise<string[]> {
  const doc = await getDocument({ data: new Uint8Array(pdf), isEvalSupported: false }).promise;
  const out: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) out.push((await (await doc.getPage(i)).getTextContent()).items.map((it) => ('str' in it ? it.str : '')).join(' '));
  await doc.destroy();
  return out;
}

const at = { country: 'AR', timeZone: 'UTC', now: Date.UTC(2026, 11, 2, 9, 30) };

function extradition(facts: string) {
  const typed = completeRequest('extradition');
  const json = RequestPayload.toJSON(typed) as { extradition: Record<string, unknown> };
  json.extradition.facts = facts;
  return GetRequestResponse.fromPartial({
    request: Request.fromPartial({ id: '019ad1e2-0000-7000-8000-000000000001', from: 'AR/fiscalia', to: 'HT', kind: 'extradition', typed: RequestPayload.fromJSON(json), createdAt: at.now }),
  });
}

describe('the letter layout', () => {
  it('cuts long text at white space into pieces that each fit a page, losing nothing', () => {
    const text = Array.from({ length: 900 }, (_, i) => `palabra${i}`).join(' ');
    const parts = chunks(text);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.every((p) => p.length <= 400)).toBe(true);
    expect(parts.join(' ')).toBe(text);
    expect(chunks('x'.repeat(1000)).join('')).toBe('x'.repeat(1000));
  });

  it('lays 20,000 characters of facts over several pages, every word in both columns, with the page numbers', async () => {
    const words = Array.from({ length: 2000 }, (_, i) => `hecho${i}`);
    const res = extradition(words.join(' '));
    const pdf = await renderLetter([letterText(res, 'es', at), letterText(res, 'fr', at)]);
    const text = await pages(pdf);
    expect(text.length).toBeGreaterThan(3);
    const all = text.join(' ').replace(/\s+/g, ' ');
    for (const w of [words[0]!, words[999]!, words[1999]!]) expect(all.split(` ${w} `).length - 1, w).toBe(2);
    expect(text.at(-1)).toContain(`Página ${text.length} de ${text.length}`);
    expect(text.at(-1)).toContain(`Page ${text.length} sur ${text.length}`);
    expect(all).toContain('Commission rogatoire');
    expect(all).toContain('Haïti (HT)');
  });

  it('is one column when both states write the same language', async () => {
    const res = extradition('Hechos breves.');
    const all = (await pages(await renderLetter([letterText(res, 'es', at), letterText(res, 'es', at)]))).join(' ');
    expect(all.split('Autoridad requirente').length - 1).toBe(1);
  });
});
