/**
 * Documents end to end in Chromium (issue 17 items 1, 5 and 7): a focal point of AR, her pages
 * in Spanish, sends UY a nationality verification with documents chosen with the file input and
 * dropped on the drop zone, one refused before sending (its type, in Spanish), one removed, one
 * moved up; the upload shows its progress. Without the page's checks the server refuses every
 * bad document at once, in Spanish. Both nodes list the two documents with type, size
 * and the SHA-256 the test computes itself; both download them byte for byte; an auditor sees
 * that they exist and cannot download them; the PDF letter names each document with its hash.
 * On the way: the focus lands on the result of each action, and every page fits 390 px.
 * Screenshots go to /tmp/shots (ENLACE_SHOTS), outside the repository.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DICTIONARIES } from '../gateway/index.js';
import { chromiumAvailable, signedInPage } from './_browser.js';
import { fillVerification } from './_compose.js';
import { pdfText } from './_pdf.js';
import { withFederation } from './_setup.js';
import { eventually } from './_util.js';

const SHOTS = process.env.ENLACE_SHOTS ?? '/tmp/shots';
const es = DICTIONARIES.es;
const fill = (t: string, p: Record<string, string | number>) => t.replace(/\{(\w+)\}/g, (m, k: string) => (p[k] !== undefined ? String(p[k]) : m));
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** The files of the test: real signatures (the node checks content, not names), random bodies. */
const birth = { name: 'acta-de-nacimiento.pdf', mimeType: 'application/pdf', buffer: Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(40_000), Buffer.from('\n%%EOF\n')]) };
const idCard = { name: 'cédula-de-identidad.png', mimeType: 'image/png', buffer: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(180_000)]) };
const photo = { name: 'foto.jpg', mimeType: 'image/jpeg', buffer: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(20_000)]) };
const notes = { name: 'notas.txt', mimeType: 'text/plain', buffer: Buffer.from('notas de la entrevista\n') };
const spaced = { name: ' espacio.png', mimeType: 'image/png', buffer: idCard.buffer.subarray(0, 2000) };

const net = withFederation(['AR', 'UY'], { gateways: ['AR', 'UY'], browser: true });
const { gw } = net;

const signIn = (country: 'AR' | 'UY', role: string, lang: 'es' | 'en' = 'es'): Promise<Page> =>
  signedInPage(net.browser, gw[country], country, role, { locale: lang === 'es' ? 'es-AR' : 'en-US', lang });

async function shot(page: Page, name: string): Promise<void> {
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** What has the focus: its id, or its tag and class, or its data-* marker. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return '';
    return el.id || [...el.attributes].find((a) => a.name.startsWith('data-'))?.name || `${el.tagName.toLowerCase()}.${el.className}`;
  });

/** The page's width against a 390 px screen, and what sticks out, for the failure message. */
async function expectFits390(page: Page, what: string): Promise<void> {
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  const over = await page.evaluate(() =>
    [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > 391)
      .slice(0, 8)
      .map((e) => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().right)}px`),
  );
  expect(wide, `${what}: ${over.join(', ')}`).toBeLessThanOrEqual(390);
}

const AXE = readFile(new URL('../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');

/** axe-core's violations inside `selector` (the parts this feature draws), each as "rule: target". */
async function axeViolations(page: Page, selector: string): Promise<string[]> {
  // Evaluated by the test driver, not as a page script: the gateway's CSP rightly refuses inline scripts.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(await AXE);
  return page.evaluate(async (include) => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown) => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run({ include: [include] });
    return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
  }, selector);
}

/** A file dropped on the drop zone, as a person drags it from the file manager. */
async function drop(page: Page, files: { name: string; mimeType: string; buffer: Buffer }[]): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    (list) => {
      const dt = new DataTransfer();
      for (const f of list) dt.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name, { type: f.type }));
      return dt;
    },
    files.map((f) => ({ name: f.name, type: f.mimeType, b64: f.buffer.toString('base64') })),
  );
  await page.locator('[data-dropzone]').dispatchEvent('drop', { dataTransfer });
}

/** The documents a detail page lists, in order: name, the shown hash, and whether it links to a download. */
const listed = (page: Page) =>
  page
    .locator('ol.doc-files > li')
    .evaluateAll((lis) =>
      lis.map((li) => ({ name: li.querySelector('.doc-name')?.textContent?.trim() ?? '', sha: li.querySelector('[data-sha256]')?.textContent ?? '', link: !!li.querySelector('a[download]') })),
    );

/** Downloads each listed document through its link and returns the bytes by file name. */
async function downloadAll(page: Page): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const link of await page.locator('ol.doc-files a[download]').all()) {
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    out.set((await link.textContent())!.trim(), await readFile(await download.path()));
  }
  return out;
}

describe.skipIf(!chromiumAvailable())('documents in Chromium', () => {
  it('AR sends two documents (two refused in Spanish and removed, one moved up, one more removed); both sides show and download them byte for byte; an auditor cannot; the letter lists them with their hashes', async () => {
    const ar = await signIn('AR', 'focal_point');
    await ar.goto(`${gw.AR.url}/compose`);
    // "Tipo de solicitud" chosen with the arrow keys: its form comes in place, no reload (the marker survives), the focus stays.
    const marker = await ar.evaluate(() => ((window as unknown as { __kept: number }).__kept = Math.random()));
    await ar.getByLabel(es['compose.kind']).focus();
    await ar.keyboard.press('ArrowDown');
    await ar.locator('form[data-typed-kind]').waitFor();
    expect(await ar.evaluate(() => (window as unknown as { __kept: number }).__kept)).toBe(marker);
    expect(await ar.evaluate(() => (document.activeElement as HTMLSelectElement | null)?.name)).toBe('kind');
    await ar.getByLabel(es['compose.kind']).selectOption('nationality_verification');
    await ar.locator('form[data-typed-kind="nationality_verification"]').waitFor();
    await ar.getByLabel(es['compose.toCountry']).selectOption('UY');
    expect(await ar.evaluate(() => (window as unknown as { __kept: number }).__kept)).toBe(marker);
    await expectFits390AtPhone(ar, 'compose');
    // An empty subject: the error summary takes the focus.
    await ar.locator('button[name="step"][value="review"]').click();
    await ar.locator('.error-summary').waitFor();
    expect(await ar.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true);
    await fillVerification(ar, 'Nacionalidad de una presunta víctima hallada en Buenos Aires', { givenNames: 'María José', familyNames: 'Rodríguez Pérez', dateOfBirth: '1999-04-12' });
    await ar.locator('button[name="step"][value="review"]').click();
    await ar.getByRole('heading', { level: 1, name: es['review.title'] }).waitFor();
    expect(await ar.locator('ul.checklist li.bad').count()).toBe(0);
    // The step reached has the focus (its heading).
    expect(await focused(ar)).toBe('data-focus');

    // Without the page's checks (a browser without script), the server refuses every bad document at once, in Spanish.
    const serverRefusal = await ar.evaluate(
      async (files) => {
        const form = document.querySelector<HTMLFormElement>('form[data-upload-form]')!;
        const body = new FormData(form);
        body.delete('documents');
        body.set('step', 'send');
        for (const f of files) body.append('documents', new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name, { type: f.type }), f.name);
        const res = await fetch('/compose', { method: 'POST', body, headers: { 'x-csrf-token': document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')!.content } });
        const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
        return { status: res.status, problems: [...doc.querySelectorAll('[data-documents-problems] li')].map((li) => li.textContent) };
      },
      [notes, { name: 'vacío.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(0) }, { ...idCard, name: 'cédula.pdf' }, spaced].map((f) => ({
        name: f.name,
        type: f.mimeType,
        b64: f.buffer.toString('base64'),
      })),
    );
    expect(serverRefusal).toEqual({
      status: 400,
      problems: [
        fill(es['docs.rule.type'], { name: notes.name }),
        fill(es['docs.rule.empty'], { name: 'vacío.pdf' }),
        fill(es['docs.rule.extension'], { name: 'cédula.pdf', ext: '.png', type: 'PNG' }),
        fill(es['docs.rule.name'], { name: spaced.name }),
      ],
    });

    // Two files with the file input, two dropped; the text file is refused at once, in Spanish, and takes the focus.
    await ar.locator('#f-documents').setInputFiles([birth, notes]);
    await drop(ar, [idCard, spaced, photo]);
    const problems = ar.locator('[data-documents-problems]');
    await expect.poll(() => problems.locator('li').allTextContents()).toEqual([fill(es['docs.rule.type'], { name: notes.name }), fill(es['docs.rule.name'], { name: spaced.name })]);
    expect(await focused(ar)).toBe('documents-error');
    const names = () => ar.locator('[data-documents-list] .doc-name').allTextContents();
    expect(await names()).toEqual([birth.name, notes.name, idCard.name, spaced.name, photo.name]);
    await shot(ar, 'compose-documents-refused');
    expect(await axeViolations(ar, '[data-documents]')).toEqual([]);
    // Removing one leaves the other refusal; the focus goes to the next document's remove button.
    const item = (name: string) => ar.locator('[data-documents-list] li').filter({ has: ar.locator('.doc-name', { hasText: new RegExp(`^${name}$`) }) });
    await item(notes.name).locator('[data-doc-remove]').click();
    await expect.poll(() => problems.locator('li').allTextContents()).toEqual([fill(es['docs.rule.name'], { name: spaced.name })]);
    expect(await ar.evaluate(() => document.activeElement?.closest('li')?.querySelector('.doc-name')?.textContent)).toBe(idCard.name);
    await ar.locator('[data-documents-list] li').nth(2).locator('[data-doc-remove]').click();
    await expect.poll(() => problems.isHidden()).toBe(true);
    expect(await names()).toEqual([birth.name, idCard.name, photo.name]);
    // The ID card moves up to the top: the focus stays on it (its other move button, "up" is now disabled).
    await item(idCard.name).locator('[data-doc-up]').click();
    expect(await names()).toEqual([idCard.name, birth.name, photo.name]);
    expect(await ar.evaluate(() => document.activeElement?.closest('li')?.querySelector('.doc-name')?.textContent)).toBe(idCard.name);
    expect(await focused(ar)).toBe('data-doc-down');
    await item(photo.name).locator('[data-doc-remove]').click();
    expect(await names()).toEqual([idCard.name, birth.name]);
    expect(await ar.locator('[data-documents-list] li').first().textContent()).toContain('PNG');
    await shot(ar, 'compose-documents');
    await expectFits390AtPhone(ar, 'review with documents');

    // The send is slowed to a modem's pace so the progress bar is seen moving.
    const cdp = await ar.context().newCDPSession(ar);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 96 * 1024 });
    await ar.locator('button[name="step"][value="send"]').click();
    await ar.locator('[data-upload]').waitFor({ state: 'visible' });
    await expect.poll(async () => Number(await ar.locator('[data-upload] progress').getAttribute('value')), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await ar.locator('[data-upload-label]').textContent()).toMatch(new RegExp(fill(es['docs.sending'], { percent: '\\d+' })));
    await shot(ar, 'compose-uploading');
    await ar.waitForURL(/\/requests\/[0-9a-f-]+\?sent=1/, { timeout: 60_000 });
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    const id = /\/requests\/([0-9a-f-]+)/.exec(ar.url())![1]!;
    // The result of the send has the focus.
    expect(await ar.evaluate(() => document.activeElement?.textContent)).toBe(es['compose.sent']);

    const expected = [
      { name: idCard.name, sha: sha256(idCard.buffer), link: true },
      { name: birth.name, sha: sha256(birth.buffer), link: true },
    ];
    expect(await listed(ar)).toEqual(expected);
    const arText = (await ar.locator('ol.doc-files').textContent())!;
    expect(arText).toContain('PNG');
    expect(arText).toContain('PDF');
    const downloadedAr = await downloadAll(ar);
    expect(downloadedAr.get(idCard.name)?.equals(idCard.buffer)).toBe(true);
    expect(downloadedAr.get(birth.name)?.equals(birth.buffer)).toBe(true);
    await shot(ar, 'detail-documents-sender');
    expect(await axeViolations(ar, 'section.attachments')).toEqual([]);

    // UY receives it, sees the same documents and hashes, downloads them, and answers.
    const uy = await signIn('UY', 'focal_point');
    await eventually(async () => ((await uy.goto(`${gw.UY.url}/requests/${id}`))?.status() === 200 ? true : undefined), 30_000, 'the request at UY');
    expect(await listed(uy)).toEqual(expected);
    const downloadedUy = await downloadAll(uy);
    expect(downloadedUy.get(idCard.name)?.equals(idCard.buffer)).toBe(true);
    expect(downloadedUy.get(birth.name)?.equals(birth.buffer)).toBe(true);
    await expectFits390AtPhone(uy, 'detail with documents');
    await uy.locator('button[name="action"][value="acknowledge"]').click();
    await uy.waitForURL(/done=acknowledge/);
    // The result of the step has the focus.
    expect(await uy.evaluate(() => document.activeElement?.hasAttribute('data-flash'))).toBe(true);
    await uy.locator('#f-note').fill('Confirmado: inscripta como nacional uruguaya; puede emitirse pasaporte.');
    await uy.locator('details.answer-form summary').click();
    await uy.locator('[name="r.outcome"]').selectOption('confirmed');
    await uy.locator('[name="r.national"]').check();
    await uy.locator('button[name="action"][value="complete"]').click();
    await uy.waitForURL(/done=complete/);
    expect(await uy.evaluate(() => document.activeElement?.hasAttribute('data-flash'))).toBe(true);
    expect(await uy.locator('[data-status]').getAttribute('data-status')).toBe('completed');
    await shot(uy, 'detail-documents-recipient');
    await expect.poll(async () => (await ar.reload(), ar.locator('[data-status]').getAttribute('data-status')), { timeout: 30_000 }).toBe('completed');

    // An auditor of UY sees two documents, their type and size, no name, no hash, no link; the download is refused.
    const auditor = await signIn('UY', 'auditor');
    await auditor.goto(`${gw.UY.url}/requests/${id}`);
    const seen = await listed(auditor);
    expect(seen.map((d) => ({ sha: d.sha, link: d.link }))).toEqual([
      { sha: '', link: false },
      { sha: '', link: false },
    ]);
    expect(await auditor.locator('[data-documents-withheld]').textContent()).toBe(es['docs.withheld']);
    const page = (await auditor.locator('main').textContent())!;
    expect(page).not.toContain(idCard.name);
    expect(page).not.toContain(sha256(idCard.buffer));
    expect(page).toContain('PNG');
    const attachmentIds = await uy.locator('ol.doc-files > li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-attachment')!));
    const refused = await auditor.request.get(`${gw.UY.url}/requests/${id}/attachments/${attachmentIds[0]}`);
    expect(refused.status()).toBe(403);
    expect(Buffer.from(await refused.body()).includes(idCard.buffer.subarray(0, 64))).toBe(false);
    await shot(auditor, 'detail-documents-auditor');
    expect(await axeViolations(auditor, 'section.attachments')).toEqual([]);

    // The letter, as the focal point of AR opens it: each document by name, with its hash.
    const letter = await ar.request.get(`${gw.AR.url}/requests/${id}/letter.pdf`);
    expect(letter.status()).toBe(200);
    expect(letter.headers()['content-type']).toBe('application/pdf');
    const text = await pdfText(new Uint8Array(await letter.body()));
    for (const d of expected) {
      expect(text).toContain(d.name);
      expect(text).toContain(d.sha);
    }
    expect(text).toContain(es['docs.sha']);
    expect(text.indexOf(idCard.name)).toBeLessThan(text.indexOf(birth.name));
  });

  it('the inbox and a detail page fit 390 px and print without navigation', async () => {
    const uy = await signIn('UY', 'focal_point');
    await uy.goto(`${gw.UY.url}/inbox`);
    await expectFits390AtPhone(uy, 'inbox');
    await uy.setViewportSize({ width: 390, height: 844 });
    await shot(uy, 'inbox-390');
    await uy.locator('table.requests tbody tr a').first().click();
    await uy.locator('ol.doc-files').waitFor();
    await shot(uy, 'detail-390');
    // The print stylesheet: the page prints its facts, documents and timeline, not the navigation or the forms.
    await uy.emulateMedia({ media: 'print' });
    const shown = await uy.evaluate(() => ({
      nav: getComputedStyle(document.querySelector('.top')!).display,
      forms: [...document.querySelectorAll('main form')].map((f) => getComputedStyle(f).display),
      documents: getComputedStyle(document.querySelector('ol.doc-files')!).display,
      timeline: getComputedStyle(document.querySelector('#timeline')!).display,
    }));
    expect(shown.nav).toBe('none');
    expect(new Set(shown.forms)).toEqual(new Set(['none']));
    expect(shown.documents).not.toBe('none');
    expect(shown.timeline).not.toBe('none');
  });
});

/** Checks `page` at 390 px wide (and keeps a screenshot of it) and puts it back to the laptop size. */
async function expectFits390AtPhone(page: Page, what: string): Promise<void> {
  const before = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  try {
    await expectFits390(page, what);
    await shot(page, `390-${what.replaceAll(' ', '-')}`);
  } finally {
    if (before) await page.setViewportSize(before);
  }
}
