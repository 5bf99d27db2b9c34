/**
 * Issue 17 item 5: the letter of request. AR sends BR a typed nationality verification (with
 * a document) and an extradition; the letter, fetched over HTTP from real gateways, is a PDF
 * whose text (read back with pdfjs-dist) holds the authorities, the legal basis, the coded
 * facts in Spanish and in Portuguese side by side, the persons, the documents, the envelope
 * hash and the receipt's signer key; each fetch is a content read in the node's audit log; an
 * auditor's letter has the metadata but no victim name.
 */
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Direction } from '../generated/enlace/v1/exchange.js';
import { principalOf } from '../gateway/context.js';
import { getRequest, submit } from '../gateway/app/requests.js';
import { nodeAudit } from '../gateway/app/audit.js';
import { formatBytes } from '../gateway/app/documents.js';
import { DICTIONARIES, type Gateway } from '../gateway/index.js';
import { label as codeLabel } from '../services/requests/codes.js';
import { completeRequest, testSuspect, testVictim } from '../services/requests/testkit.js';
import { chromiumAvailable, demoUsers, HttpSession, launchBrowser, login, newSession, screenshot, SCREENSHOTS } from './_browser.js';
import { pdfText } from './_pdf.js';
import { withFederation } from './_setup.js';
import { eventually } from './_util.js';

const { gw } = withFederation(['AR', 'BR'], { gateways: ['AR', 'BR'] });
let nationality: string;
let extradition: string;

const victim = testVictim('nv');
const suspect = testSuspect();
const attachment = { fileName: 'cédula.png', mediaType: 'image/png', content: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array<number>(200).fill(7)]) };

async function signedIn(gw: Gateway, country: string, role: string): Promise<HttpSession> {
  const u = demoUsers(country).find((x) => x.roles.includes(role as never))!;
  const s = new HttpSession(gw.url);
  expect((await s.login(u.username, u.password)).status).toBe(303);
  return s;
}

async function letter(s: HttpSession, id: string): Promise<string> {
  const res = await s.get(`/requests/${id}/letter.pdf`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/pdf');
  const bytes = new Uint8Array(await res.arrayBuffer());
  expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe('%PDF-');
  return pdfText(bytes);
}

beforeAll(async () => {
  const p = principalOf(gw.AR.ctx.users.byUsername('focal.ar')!);
  nationality = (
    await submit(gw.AR.ctx, p, {
      toCountry: 'BR',
      kind: 'nationality_verification',
      subject: 'Mujer hallada en el albergue San Telmo',
      typed: completeRequest('nationality_verification'),
      senderReference: 'NV-LETTER-1',
      attachments: [attachment],
    })
  ).id;
  extradition = (await submit(gw.AR.ctx, p, { toCountry: 'BR', kind: 'extradition', subject: 'Extradición, pedido formal', typed: completeRequest('extradition'), senderReference: 'EXT-LETTER-1' }))
    .id;
  // Delivered: AR holds BR's signed receipt for both, BR holds both requests.
  await eventually(
    async () => {
      const both = await Promise.all([nationality, extradition].map((id) => getRequest(gw.AR.ctx, p, id)));
      return both.every((r) => r.receipt?.receiptEnvelopeId) ? true : undefined;
    },
    30_000,
    'both receipts at AR',
  );
}, 120_000);

describe('the letter of request', () => {
  it('of a nationality verification: authorities, legal basis, coded facts in both languages, the person, the document, the envelope hash and the receipt', async () => {
    const focal = await signedIn(gw.AR, 'AR', 'focal_point');
    const page = await (await focal.get(`/requests/${nationality}`)).text();
    expect(page).toContain(`href="/requests/${nationality}/letter.pdf"`);
    const text = await letter(focal, nationality);

    // Spanish (AR, the sender) and Portuguese (BR, the recipient) side by side.
    for (const s of ['Carta rogatoria', 'Carta rogatória', 'Autoridad requirente', 'Autoridade requerente', 'Autoridad requerida', 'Autoridade requerida', 'Español', 'Português'])
      expect(text, s).toContain(s);
    expect(text).toContain('Argentina (AR)');
    expect(text).toContain('Brasil (BR)');
    // The coded facts, labelled in each language from the code tables; this form names no treaty.
    expect(text).toContain('No se indica.');
    expect(text).toContain('Não indicado.');
    for (const lang of ['es', 'pt'] as const) {
      expect(text, `purpose in ${lang}`).toContain(codeLabel('verification_purposes', 'repatriation', lang));
      expect(text, `document type in ${lang}`).toContain(codeLabel('identity_documents', 'identity_card', lang));
      expect(text, `sex in ${lang}`).toContain(codeLabel('sex', 'female', lang));
    }
    expect(codeLabel('identity_documents', 'identity_card', 'es')).not.toBe(codeLabel('identity_documents', 'identity_card', 'pt'));
    expect(text).toContain('Fundamento jurídico');
    // The photo as its type and size, not as base64.
    expect(text).toContain('image/png, 16 bytes');
    // The person, as the content role reads her (accents rendered and extracted as typed).
    for (const s of [victim.givenNames, victim.familyNames, victim.documents[0]!.number, 'Asunción']) expect(text, s).toContain(s);
    // The document, by name, type and size, and the SHA-256 of the file, computed here.
    expect(text).toContain('1. cédula.png');
    expect(text).toContain(`PNG, ${formatBytes('es', attachment.content.byteLength)}`);
    expect(text).toContain(`PNG, ${formatBytes('pt', attachment.content.byteLength)}`);
    expect(text).toContain(`${DICTIONARIES.es['docs.sha']} · ${DICTIONARIES.pt['docs.sha']}`);
    expect(text).toContain(createHash('sha256').update(attachment.content).digest('hex'));
    // The envelope hash, the receipt and its signer's key id, exactly as the node stored them.
    const rc = (await getRequest(gw.AR.ctx, principalOf(gw.AR.ctx.users.byUsername('focal.ar')!), nationality)).receipt!;
    expect(text).toContain(Buffer.from(rc.envelopeSha256).toString('hex'));
    expect(text).toContain(rc.receiptEnvelopeId);
    expect(text).toContain(rc.signerKeyId);
    expect(text).toContain('firma verificada');
    expect(text).toContain('assinatura verificada');
    expect(text).toContain('NV-LETTER-1');
  });

  it('of an extradition: the person sought and the offence, in both languages', async () => {
    const prosecutor = await signedIn(gw.AR, 'AR', 'prosecutor');
    const text = await letter(prosecutor, extradition);
    for (const s of [suspect.familyNames, suspect.documents[0]!.number, 'EXT-LETTER-1']) expect(text, s).toContain(s);
    for (const lang of ['es', 'pt'] as const) {
      expect(text, `type in ${lang}`).toContain(codeLabel('request_types', 'extradition', lang));
      expect(text, `trafficking in ${lang}`).toContain(codeLabel('offence_categories', 'trafficking_in_persons', lang));
      expect(text, `purpose in ${lang}`).toContain(codeLabel('extradition_purposes', 'prosecution', lang));
      expect(text, `legal basis in ${lang}`).toContain(codeLabel('legal_bases', 'inter_american.extradition_1981', lang));
    }
  });

  it('at the requested state: the request as BR received it, no receipt held there', async () => {
    const focal = await signedIn(gw.BR, 'BR', 'focal_point');
    await eventually(async () => ((await focal.get(`/requests/${nationality}`)).status === 200 ? true : undefined), 20_000, 'the request at BR');
    const text = await letter(focal, nationality);
    expect(text).toContain(victim.familyNames);
    expect(text).toContain('Este nó não guarda recibo de entrega');
    const inbound = (await getRequest(gw.BR.ctx, principalOf(gw.BR.ctx.users.byUsername('focal.br')!), nationality)).request!;
    expect(inbound.direction).toBe(Direction.DIRECTION_INBOUND);
  });

  it("each fetch is a content read in the node's audit log, like the page view", async () => {
    const auditor = principalOf(gw.AR.ctx.users.byUsername('auditor.ar')!);
    const reads = async () => (await nodeAudit(gw.AR.ctx, auditor, { requestId: extradition, action: 'read_content', person: 'focal.ar' })).entries.length;
    const before = await reads();
    const focal = await signedIn(gw.AR, 'AR', 'focal_point');
    await letter(focal, extradition);
    await letter(focal, extradition);
    expect(await reads()).toBe(before + 2);
  });

  it("an auditor's letter has the metadata, the hashes and the documents' types, and no name of the victim or the person sought", async () => {
    const auditor = await signedIn(gw.AR, 'AR', 'auditor');
    const text = await letter(auditor, nationality);
    expect(text).toContain('NV-LETTER-1');
    expect(text).toContain(DICTIONARIES.pt['kind.nationality_verification']);
    expect(text).toContain(DICTIONARIES.pt['typed.redacted']);
    expect(text).toContain(DICTIONARIES.es['typed.redacted']);
    const rc = (await getRequest(gw.AR.ctx, principalOf(gw.AR.ctx.users.byUsername('focal.ar')!), nationality)).receipt!;
    expect(text).toContain(Buffer.from(rc.envelopeSha256).toString('hex'));
    // The document's type and size, not its name nor its hash (a hash confirms a document one holds).
    expect(text).toContain(`PNG, ${formatBytes('es', attachment.content.byteLength)}`);
    expect(text).not.toContain(createHash('sha256').update(attachment.content).digest('hex'));
    for (const s of [victim.givenNames, victim.familyNames, victim.documents[0]!.number, victim.fatherName, victim.motherName, victim.lastKnownAddress, 'cédula.png', 'albergue San Telmo']) {
      expect(text, s).not.toContain(s);
    }
    const ext = await letter(auditor, extradition);
    for (const s of [suspect.givenNames + ' ', suspect.familyNames, suspect.documents[0]!.number, suspect.lastKnownAddress]) expect(ext, s).not.toContain(s);
  });

  it('is refused to a role that does not see requests, and for an unknown request', async () => {
    const admin = await signedIn(gw.AR, 'AR', 'directory_admin');
    expect((await admin.get(`/requests/${nationality}/letter.pdf`)).status).toBe(403);
    const focal = await signedIn(gw.AR, 'AR', 'focal_point');
    expect((await focal.get(`/requests/01900000-0000-7000-8000-000000000000/letter.pdf`)).status).toBe(404);
  });
});

describe.skipIf(!chromiumAvailable())('the request page on paper (Chromium, print media)', () => {
  it('prints the facts, the content, the receipt and the timeline, without navigation, forms or buttons', async () => {
    const browser = await launchBrowser();
    try {
      const { page } = await newSession(browser, 'en-US');
      const u = demoUsers('AR').find((x) => x.roles.includes('focal_point'))!;
      await login(page, gw.AR.url, u.username, u.password);
      await page.goto(`${gw.AR.url}/lang/en?next=/requests/${nationality}`);
      await page.emulateMedia({ media: 'print' });
      for (const sel of ['header.top', 'footer.foot', '.letter-link', 'form.actions-form', 'button']) {
        for (const el of await page.locator(sel).all()) expect(await el.isVisible(), sel).toBe(false);
      }
      for (const sel of ['#h-facts', '#timeline', 'details.receipt dd code.wrap']) expect(await page.locator(sel).first().isVisible(), sel).toBe(true);
      await screenshot(page, 'request-print-en');
      // The link on the page, followed by the browser with its session: the letter itself.
      await page.emulateMedia({ media: 'screen' });
      const [letterResponse] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/letter.pdf')), page.getByRole('link', { name: 'Letter of request (PDF)' }).click()]);
      expect(letterResponse.status()).toBe(200);
      expect(letterResponse.headers()['content-type']).toBe('application/pdf');
      // Chromium's PDF viewer takes the response over; the same URL with the browser's cookies gives the file.
      const bytes = await (await page.context().request.get(letterResponse.url())).body();
      await writeFile(join(SCREENSHOTS, 'letter-nationality-verification.pdf'), bytes);
      expect(await pdfText(new Uint8Array(bytes))).toContain(victim.familyNames);
      await page.goto(`${gw.AR.url}/requests/${nationality}`);
      await page.emulateMedia({ media: 'print' });
      const printed = await pdfText(new Uint8Array(await page.pdf({ format: 'A4' })));
      const rc = (await getRequest(gw.AR.ctx, principalOf(gw.AR.ctx.users.byUsername('focal.ar')!), nationality)).receipt!;
      expect(printed).toContain(Buffer.from(rc.envelopeSha256).toString('hex'));
      for (const s of ['Timeline', 'Delivered to Brazil', victim.familyNames, 'NV-LETTER-1']) expect(printed, s).toContain(s);
      for (const s of ['Sign out', 'Letter of request (PDF)', DICTIONARIES.en['actions.note']]) expect(printed, s).not.toContain(s);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
