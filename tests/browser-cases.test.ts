/**
 * Issue 19 in the gateway, in Chromium, with AR, UY, BR and PY: AR files a nationality
 * verification to UY under a case, starts the travel-document request from its page (linked,
 * both sides show it), sends one spontaneous information "no third states" to UY, BR and PY at
 * once (three requests, three receipts); each state's case page lists only its own requests;
 * UY's attempt to pass the restricted information on to BR is refused in its language, then
 * goes with a typed reason that the audit log records. axe on every new page; AR in Spanish,
 * UY in English.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DICTIONARIES } from '../gateway/index.js';
import { chromiumAvailable, expectNoAxeViolations, signedIn, signedInPage } from './_browser.js';
import { fillVerification } from './_compose.js';
import { pdfText } from './_pdf.js';
import { withFederation } from './_setup.js';
import { eventually } from './_util.js';

const es = DICTIONARIES.es;
const en = DICTIONARIES.en;
const COUNTRIES = ['AR', 'UY', 'BR', 'PY'] as const;
const CASE = 'AR-TRATA-2026-19';

const net = withFederation(COUNTRIES, { transport: true, gateways: COUNTRIES, browser: true, timeoutMs: 90_000 });
const { gw } = net;

const signIn = (country: (typeof COUNTRIES)[number], role: string, lang: 'es' | 'en'): Promise<Page> =>
  signedInPage(net.browser, gw[country], country, role, { locale: lang === 'es' ? 'es-AR' : 'en-US', lang });

async function reviewAndSend(page: Page): Promise<void> {
  await page.locator('button[name="step"][value="review"]').click();
  await page.locator('form[data-upload-form]').waitFor();
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/compose')), page.locator('button[name="step"][value="send"]').click()]);
}

/** The id of the request a detail page shows. */
const idOf = (page: Page) => page.locator('#timeline').getAttribute('data-request');

describe.skipIf(!chromiumAvailable())('cases, linked requests, use restrictions and several recipients in Chromium', () => {
  let verificationId = '';
  let travelId = '';
  const spontaneous: Record<string, string> = {};

  it('AR opens a case with a nationality verification to UY and starts the linked travel-document request from its page; both sides show the link', async () => {
    const ar = await signIn('AR', 'focal_point', 'es');
    await ar.goto(`${gw.AR.url}/compose`);
    await ar.getByLabel(es['compose.kind']).selectOption('nationality_verification');
    await ar.locator('form[data-typed-kind="nationality_verification"]').waitFor();
    await ar.getByLabel(es['compose.toCountry']).selectOption('UY');
    await fillVerification(ar, 'Nacionalidad de una víctima hallada en San Pablo');
    await ar.locator('[name="caseReference"]').fill(CASE);
    await ar.locator('[name="caseTitle"]').fill('Ruta Uruguay–Argentina–Brasil');
    await expectNoAxeViolations(ar, 'compose with the case fields (es)');
    await reviewAndSend(ar);
    verificationId = (await idOf(ar))!;
    expect(await ar.locator('[data-case-link]').textContent()).toBe(CASE);

    // The follow-up from the verification's page: prefilled with the parent, the type, UY and the case.
    await ar.locator('[data-follow-up="nationality_verification"]').click();
    await ar.locator('[data-compose-parent]').waitFor();
    expect(await ar.locator('input[name="parent"]').inputValue()).toBe(verificationId);
    expect(await ar.getByLabel(es['compose.toCountry']).inputValue()).toBe('UY');
    expect(await ar.locator('[name="caseReference"]').inputValue()).toBe(CASE);
    await fillVerification(ar, 'Documento de viaje para la nacional verificada');
    await reviewAndSend(ar);
    travelId = (await idOf(ar))!;
    expect(travelId).not.toBe(verificationId);
    expect(await ar.locator(`[data-parent] a[data-linked="${verificationId}"]`).count()).toBe(1);
    // Named by its type and subject, from the node's listing of the linked requests.
    expect(await ar.locator(`[data-parent] a[data-linked="${verificationId}"]`).textContent()).toContain(' · Nacionalidad de una víctima hallada en San Pablo');
    await expectNoAxeViolations(ar, 'request detail with links (es)');
    await ar.goto(`${gw.AR.url}/requests/${verificationId}`);
    expect(await ar.locator(`[data-children] a[data-linked="${travelId}"]`).count()).toBe(1);

    // UY, in English, sees the same link both ways once both arrived.
    const uy = await signIn('UY', 'focal_point', 'en');
    await eventually(async () => {
      const res = await uy.goto(`${gw.UY.url}/requests/${travelId}`);
      return res?.status() === 200 ? true : undefined;
    }, 20_000);
    expect(await uy.locator(`[data-parent] a[data-linked="${verificationId}"]`).count()).toBe(1);
    expect(await uy.locator('#h-links').textContent()).toBe(en['links.title']);
    await uy.goto(`${gw.UY.url}/requests/${verificationId}`);
    expect(await uy.locator(`[data-children] a[data-linked="${travelId}"]`).count()).toBe(1);
  });

  it('one spontaneous information "no third states" goes to UY, BR and PY: three requests, three receipts, the restriction first on each page', async () => {
    const ar = await signIn('AR', 'focal_point', 'es');
    await ar.goto(`${gw.AR.url}/compose`);
    await ar.getByLabel(es['compose.kind']).selectOption('spontaneous_information');
    await ar.locator('form[data-typed-kind="spontaneous_information"]').waitFor();
    await ar.getByLabel(es['compose.toCountry']).selectOption('UY');
    await ar.locator('[name="subject"]').fill('Ruta de captación y traslado');
    await ar.locator('[name="t.facts"]').fill('Captada en Rivera, trasladada por Paso de los Libres, explotada en San Pablo.');
    await ar.locator('[name="caseReference"]').fill(CASE);
    await ar.locator('input[name="handling"][value="no_third_states"]').check();
    await ar.locator('input[name="alsoTo"][value="BR"]').check();
    await ar.locator('input[name="alsoTo"][value="PY"]').check();
    await ar.locator('button[name="step"][value="review"]').click();
    await ar.locator('[data-recipients]').waitFor();
    await Promise.all([ar.waitForURL((u) => u.pathname === '/sent'), ar.locator('button[name="step"][value="send"]').click()]);
    const rows = await ar.locator('[data-sent] li').evaluateAll((lis) => lis.map((li) => [li.getAttribute('data-to'), li.getAttribute('data-id')] as const));
    expect(rows.map(([to]) => to)).toEqual(['UY', 'BR', 'PY']);
    for (const [to, id] of rows) spontaneous[to!] = id!;
    expect(new Set(Object.values(spontaneous)).size).toBe(3);
    await expectNoAxeViolations(ar, 'the sent page (es)');
    // Each its own receipt: the page shows each delivered, on its own status link.
    await eventually(
      async () => {
        await ar.reload();
        const st = await ar.locator('[data-sent] [data-status]').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
        return st.every((s) => s === 'delivered') ? true : undefined;
      },
      30_000,
      'three receipts',
    );
    for (const id of Object.values(spontaneous)) {
      await ar.goto(`${gw.AR.url}/requests/${id}`);
      expect(await ar.locator('[data-receipt], details.receipt').count()).toBeGreaterThan(0);
    }
    const uy = await signIn('UY', 'focal_point', 'en');
    await eventually(async () => ((await uy.goto(`${gw.UY.url}/requests/${spontaneous.UY}`))?.status() === 200 ? true : undefined), 20_000);
    // The restriction comes before everything else of the request.
    const first = await uy.evaluate(() => {
      const main = document.querySelector('main') ?? document.body;
      const r = main.querySelector('[data-restrictions]');
      const facts = main.querySelector('#h-facts');
      return !!r && !!facts && !!(r.compareDocumentPosition(facts) & Node.DOCUMENT_POSITION_FOLLOWING);
    });
    expect(first).toBe(true);
    expect(await uy.locator('[data-restrictions] li').textContent()).toBe('Not to be shared with third states without consent');
    await expectNoAxeViolations(uy, 'restricted request (en)');
    // The letter of request prints the restriction too, in UY's language (Spanish) beside AR's.
    const http = await signedIn(gw.UY, 'UY', 'focal_point');
    const pdf = await http.get(`/requests/${spontaneous.UY}/letter.pdf`);
    expect(pdf.status).toBe(200);
    const text = await pdfText(new Uint8Array(await pdf.arrayBuffer()));
    expect(text).toContain(es['restrict.title']);
    expect(text).toContain('No compartir con terceros Estados sin consentimiento');
  });

  it('each state sees only its own requests of the case; the title only for content roles', async () => {
    const ar = await signIn('AR', 'focal_point', 'es');
    await ar.goto(`${gw.AR.url}/cases?q=${CASE}`);
    await expectNoAxeViolations(ar, 'cases list (es)');
    await ar.locator(`a:text("${CASE}")`).click();
    await ar.locator('[data-case-requests]').waitFor();
    expect(await ar.locator('[data-case-title]').textContent()).toBe('Ruta Uruguay–Argentina–Brasil');
    const arRows = await ar.locator('[data-case-requests] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-counterpart')).sort());
    expect(arRows).toEqual(['BR', 'PY', 'UY', 'UY', 'UY']);
    expect(await ar.locator('[data-case-timeline] li').count()).toBeGreaterThanOrEqual(5);
    await expectNoAxeViolations(ar, 'case page (es)');

    for (const [country, mine] of [
      ['UY', 3],
      ['BR', 1],
    ] as const) {
      const page = await signIn(country, 'focal_point', 'en');
      await page.goto(`${gw[country].url}/cases`);
      await page.locator(`a:text("${CASE}")`).click();
      const rows = await page.locator('[data-case-requests] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-counterpart')));
      expect(rows).toEqual(Array(mine).fill('AR'));
      await expectNoAxeViolations(page, `case page at ${country} (en)`);
    }
    // An auditor of AR sees the case and its requests, and that the title is withheld.
    const aud = await signIn('AR', 'auditor', 'en');
    await aud.goto(`${gw.AR.url}/cases`);
    expect(await aud.locator('[data-title-withheld]').first().textContent()).toBe(en['cases.titleWithheld']);
    expect(await aud.locator('body').textContent()).not.toContain('Ruta Uruguay');
    // The inbox filter by case: UY's inbox under the case holds its three requests only.
    const uy = await signIn('UY', 'focal_point', 'en');
    await uy.goto(`${gw.UY.url}/inbox`);
    const caseOption = uy.locator('#f-case option', { hasText: CASE });
    await uy.locator('#f-case').selectOption(await caseOption.getAttribute('value'));
    await uy.getByRole('button', { name: en['list.apply'] }).click();
    await uy.waitForURL((u) => u.searchParams.has('case'));
    expect(await uy.locator('table.requests tbody tr').count()).toBe(3);
  });

  it('UY passing the restricted information on to BR is refused in English; with a typed reason it goes, and the audit log records the override', async () => {
    const uy = await signIn('UY', 'focal_point', 'en');
    await uy.goto(`${gw.UY.url}/requests/${spontaneous.UY}`);
    await uy.locator('[data-pass-on]').click();
    await uy.locator('[data-compose-derived]').waitFor();
    await uy.getByLabel(en['compose.toCountry']).selectOption('BR');
    await uy.locator('[name="subject"]').fill('Information received about a route');
    await uy.locator('[name="t.facts"]').fill('A route through Rivera reported by a partner.');
    await uy.locator('button[name="step"][value="review"]').click();
    await uy.locator('form[data-upload-form]').waitFor();
    await uy.locator('button[name="step"][value="send"]').click();
    await uy.locator('[data-flash]').waitFor();
    expect(await uy.locator('[data-flash]').textContent()).toBe(en['error.ERR_USE_RESTRICTED']);
    await expectNoAxeViolations(uy, 'refused pass-on (en)');
    await uy.getByLabel(en['compose.override']).fill('Urgent protection of the victim, agreed by phone with AR');
    await reviewAndSend(uy);
    expect(await uy.locator('[data-flash]').textContent()).toContain(en['sent.override']);
    const newId = (await idOf(uy))!;
    // The new request carries the restriction on to BR.
    expect(await uy.locator('[data-restrictions] [data-handling="no_third_states"]').count()).toBe(1);

    const auditor = await signedIn(gw.UY, 'UY', 'auditor');
    const page = await (await auditor.get('/audit?action=override_restriction')).text();
    expect(page).toContain(newId);
    const source = await (await auditor.get('/audit?action=restriction_overridden')).text();
    expect(source).toContain(spontaneous.UY);
    expect(page).not.toContain('agreed by phone');
  });
});
