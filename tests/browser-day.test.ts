/**
 * A focal point's day in Chromium (issue 17 items 4, 6): AR starts a request from a template it
 * saved, files it under a case and finds it by the case reference and by the victim's name
 * (an auditor only by the reference), duplicates it from its page with and without the persons;
 * withdraw and refuse ask first and change nothing until confirmed; the extradition clock says
 * what is due from whom by when, how many days are left, how they are counted, and shows the
 * due-soon and overdue states. axe on every page state; screenshots of each main screen.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { RequestStatus } from '../generated/enlace/v1/exchange.js';
import { completeRequest } from '../services/requests/testkit.js';
import { chromiumAvailable, expectNoAxeViolations, screenshot, signedInPage } from './_browser.js';
import { fillVerification } from './_compose.js';
import { withFederation } from './_setup.js';
import { eventually, submitRequestOf } from './_util.js';

const COUNTRIES = ['AR', 'UY'] as const;
const CASE = 'AR-TRATA-2026-77';
const FAMILY = 'Zabaleta Quiroga';

const net = withFederation(COUNTRIES, {
  gateways: COUNTRIES,
  browser: true,
  timeoutMs: 90_000,
  api: { ar: ['AR', 'focal_point', 'prosecutor'], uy: ['UY', 'focal_point', 'prosecutor'] },
});
const { gw, api } = net;

const signIn = (country: (typeof COUNTRIES)[number], role: string): Promise<Page> => signedInPage(net.browser, gw[country], country, role, { locale: 'en-US', lang: 'en' });

/** A screenshot of a page state that axe-core must find no violation in. */
async function shot(page: Page, name: string): Promise<void> {
  await screenshot(page, `day-${name}`);
  await expectNoAxeViolations(page, name);
}

/** The ids of the rows a request list shows. */
const rows = (page: Page) => page.locator('tr[data-id]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-id')));

/** A request from AR that UY holds (received), sent through the API. */
async function receivedAtUy(over: Parameters<typeof submitRequestOf>[0]): Promise<string> {
  const id = (await api.ar.submit(submitRequestOf(over))).request!.id;
  await eventually(async () => ((await api.uy.get(id).catch(() => undefined))?.request ? true : undefined), 20_000, `request ${id} at UY`);
  return id;
}

/** YYYY-MM-DD of `days` days before today in Montevideo (UY records the stage in its calendar). */
function daysAgoInUy(days: number): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Montevideo' }).format(new Date());
  const d = new Date(`${today}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

describe.skipIf(!chromiumAvailable())("a focal point's day in Chromium", () => {
  let sentId = '';

  it('starts a request from a saved template, files it under a case, finds it by the case reference and by content, and duplicates it', async () => {
    const ar = await signIn('AR', 'focal_point');
    await ar.goto(`${gw.AR.url}/compose?kind=nationality_verification&to=UY`);
    await ar.locator('[name="subject"]').fill('Nationality of a presumed victim (template)');
    await ar.locator('[name="t.purpose"]').selectOption('identification');
    await ar.locator('[name="templateName"]').fill('Verification for UY');
    await Promise.all([ar.waitForURL(/saved=/), ar.locator('button[data-save-template]').click()]);
    await ar.locator('[data-templates] li[data-template]').first().waitFor();
    expect(await ar.locator('[data-templates]').textContent()).toContain('Verification for UY');
    await shot(ar, 'compose-templates');

    // A fresh compose page: the template starts the request with its type, state, subject and purpose.
    await ar.goto(`${gw.AR.url}/compose`);
    await Promise.all([ar.waitForURL(/template=/), ar.getByRole('link', { name: 'Start a request from it' }).first().click()]);
    expect(await ar.locator('[name="toCountry"]').inputValue()).toBe('UY');
    expect(await ar.locator('[name="subject"]').inputValue()).toBe('Nationality of a presumed victim (template)');
    expect(await ar.locator('[name="t.purpose"]').inputValue()).toBe('identification');
    await shot(ar, 'compose-from-template');

    await fillVerification(ar, 'Nationality of a presumed victim found in Mendoza', { givenNames: 'Lucía', familyNames: FAMILY, dateOfBirth: '2001-02-03' });
    await ar.locator('[name="caseReference"]').fill(CASE);
    await ar.locator('button[name="step"][value="review"]').click();
    await ar.locator('form[data-upload-form]').waitFor();
    await Promise.all([ar.waitForURL((u) => !u.pathname.startsWith('/compose')), ar.locator('button[name="step"][value="send"]').click()]);
    sentId = (await ar.locator('#timeline').getAttribute('data-request'))!;
    expect(sentId).toMatch(/^[0-9a-f-]{36}$/);
    // Another request, which no search below may find.
    await api.ar.submit(submitRequestOf({ senderReference: 'AR-OTHER-1', subject: 'Another verification' }));

    // Search: by the case reference (metadata) and, for a content role, by the victim's family name.
    await ar.goto(`${gw.AR.url}/outbox?q=${encodeURIComponent(CASE)}`);
    expect(await rows(ar)).toEqual([sentId]);
    await ar.goto(`${gw.AR.url}/outbox?q=zabaleta`);
    expect(await rows(ar)).toEqual([sentId]);
    await shot(ar, 'outbox-search-content');
    // An auditor's search reads no content: the reference finds it, the name does not, and the hint says so.
    const auditor = await signIn('AR', 'auditor');
    await auditor.goto(`${gw.AR.url}/outbox?q=${encodeURIComponent(CASE)}`);
    expect(await rows(auditor)).toEqual([sentId]);
    await auditor.goto(`${gw.AR.url}/outbox?q=zabaleta`);
    expect(await rows(auditor)).toEqual([]);
    expect(await auditor.locator('#q-hint').textContent()).not.toBe(await ar.locator('#q-hint').textContent());
    await shot(auditor, 'outbox-search-auditor');
    // UY's inbox finds it by AR's case reference too.
    const uy = await signIn('UY', 'focal_point');
    await expect.poll(async () => (await uy.goto(`${gw.UY.url}/inbox?q=${encodeURIComponent(CASE)}`), await rows(uy)), { timeout: 20_000 }).toEqual([sentId]);

    // Duplicate from the request's page: type, state and subject come along; the persons only when ticked.
    await ar.goto(`${gw.AR.url}/requests/${sentId}`);
    await shot(ar, 'detail-duplicate');
    await Promise.all([ar.waitForURL(/\/compose\?from=/), ar.locator('button[data-duplicate-start]').click()]);
    expect(await ar.locator('[name="toCountry"]').inputValue()).toBe('UY');
    expect(await ar.locator('[name="subject"]').inputValue()).toBe('Nationality of a presumed victim found in Mendoza');
    expect(await ar.locator('[name="t.victim.family_names"]').inputValue()).toBe('');
    expect(await ar.locator('#attachments-list li, [data-attachment]').count()).toBe(0);
    await shot(ar, 'compose-duplicate');
    await ar.goto(`${gw.AR.url}/requests/${sentId}`);
    await ar.locator('#f-dup-persons').check();
    await Promise.all([ar.waitForURL(/persons=1/), ar.locator('button[data-duplicate-start]').click()]);
    expect(await ar.locator('[name="t.victim.family_names"]').inputValue()).toBe(FAMILY);
  });

  it('withdraw and refuse ask first, keep what was typed, change nothing until confirmed, and then take effect', async () => {
    const toRefuse = await receivedAtUy({ senderReference: 'AR-REFUSE-1', subject: 'A request UY refuses' });
    const toWithdraw = await receivedAtUy({ senderReference: 'AR-WITHDRAW-1', subject: 'A request AR withdraws' });

    const uy = await signIn('UY', 'focal_point');
    await uy.goto(`${gw.UY.url}/requests/${toRefuse}`);
    await uy.getByLabel('Note or answer').fill('Double criminality not met');
    await uy.getByRole('button', { name: 'Refuse', exact: true }).click();
    const dialog = uy.getByRole('alertdialog', { name: 'Refuse this request?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Argentina is told, in a signed step, that the request is refused');
    // The confirmation has the focus, and what was typed goes with it.
    expect(await uy.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Yes, refuse the request');
    expect(await uy.locator('[data-confirm="refuse"] input[name="note"]').inputValue()).toBe('Double criminality not met');
    expect((await api.uy.get(toRefuse)).request!.status).not.toBe(RequestStatus.REQUEST_STATUS_REFUSED);
    await shot(uy, 'confirm-refuse');
    await Promise.all([uy.waitForURL(/done=refuse/), dialog.getByRole('button', { name: 'Yes, refuse the request' }).click()]);
    expect(await uy.locator('[data-status]').getAttribute('data-status')).toBe('refused');
    expect(await uy.locator('#timeline').textContent()).toContain('Double criminality not met');

    const ar = await signIn('AR', 'focal_point');
    await ar.goto(`${gw.AR.url}/requests/${toWithdraw}`);
    await ar.getByRole('button', { name: 'Withdraw the request', exact: true }).click();
    const ask = ar.getByRole('alertdialog', { name: 'Withdraw this request?' });
    await ask.waitFor();
    await shot(ar, 'confirm-withdraw');
    // "No, go back": nothing happened.
    await Promise.all([ar.waitForURL((u) => u.pathname === `/requests/${toWithdraw}`), ask.getByRole('link', { name: 'No, go back' }).click()]);
    expect(await ar.locator('[data-confirm]').count()).toBe(0);
    await ar.getByRole('button', { name: 'Withdraw the request', exact: true }).waitFor();
    expect((await api.ar.get(toWithdraw)).request!.status).not.toBe(RequestStatus.REQUEST_STATUS_WITHDRAWN);
    await ar.getByRole('button', { name: 'Withdraw the request', exact: true }).click();
    await Promise.all([ar.waitForURL(/done=withdraw/), ar.getByRole('button', { name: 'Yes, withdraw the request' }).click()]);
    // The requested state orders the steps: the page follows live until UY has taken the withdrawal in.
    await expect.poll(() => ar.locator('[data-status]').getAttribute('data-status'), { timeout: 20_000 }).toBe('withdrawn');
    await expect.poll(async () => (await api.uy.get(toWithdraw)).request!.status, { timeout: 20_000 }).toBe(RequestStatus.REQUEST_STATUS_WITHDRAWN);
  });

  it('the extradition clock: the formal request from AR, by when, the calendar days left and the rule; due soon and overdue', async () => {
    const uy = await signIn('UY', 'prosecutor');
    const ar = await signIn('AR', 'prosecutor');
    // Arrested on 1 December 2025: the formal request was due by 30 January 2026 (60 calendar days from the day after).
    const cases = [
      { ref: 'AR-EX-OVERDUE', arrested: '2025-12-01', state: 'overdue', due: 'Jan 30, 2026' },
      { ref: 'AR-EX-SOON', arrested: daysAgoInUy(58), state: 'soon', left: '2 days left' },
      { ref: 'AR-EX-OK', arrested: daysAgoInUy(0), state: 'ok', left: '60 days left' },
    ];
    let last = '';
    for (const c of cases) {
      const id = await receivedAtUy({
        kind: 'extradition',
        senderReference: c.ref,
        subject: `Extradition ${c.ref}`,
        typed: completeRequest('extradition'),
        payload: new Uint8Array(),
        payloadType: '',
      });
      await uy.goto(`${gw.UY.url}/requests/${id}`);
      await uy.locator('select[name="stage"]').selectOption('provisional_arrest');
      await uy.locator('[name="stageDate"]').fill(c.arrested);
      await Promise.all([uy.waitForURL(/done=record_stage/), uy.getByRole('button', { name: 'Record stage' }).click()]);
      // Both sides: who must act (AR), what, by when, what is left and how it is counted.
      for (const [page, url] of [
        [uy, gw.UY.url],
        [ar, gw.AR.url],
      ] as const) {
        await expect
          .poll(
            async () => (
              await page.goto(`${url}/requests/${id}`),
              await page
                .locator('[data-due-what]')
                .getAttribute('data-due-what')
                .catch(() => null)
            ),
            { timeout: 20_000 },
          )
          .toBe('formal_request');
        const clock = page.locator('[data-due-what]').first();
        expect(await clock.getAttribute('data-due-from')).toBe('AR');
        expect(await clock.getAttribute('data-deadline')).toBe(c.state);
        const text = (await clock.textContent())!;
        expect(text).toContain('Formal extradition request from Argentina due by');
        expect(text).toContain('Counted as 60 calendar days from the day after the provisional arrest.');
        if (c.due) expect(text).toContain(`due by ${c.due}`);
        if (c.left) expect(text).toContain(c.left);
        if (c.state === 'overdue') expect(text).toMatch(/\d+ days overdue/);
      }
      await shot(ar, `extradition-clock-${c.state}`);
      last = id;
    }

    // Withdrawing by the stage list asks first, like the button: nothing changes until confirmed.
    await ar.goto(`${gw.AR.url}/requests/${last}`);
    await ar.locator('select[name="stage"]').selectOption('withdrawn');
    await ar.locator('#f-stage-note').fill('The suspect was arrested in Argentina');
    await ar.getByRole('button', { name: 'Record stage' }).click();
    const ask = ar.getByRole('alertdialog', { name: 'Withdraw this request?' });
    await ask.waitFor();
    expect(await ar.locator('[data-confirm="withdraw"] input[name="stage"]').inputValue()).toBe('withdrawn');
    expect((await api.ar.get(last)).request!.stage).toBe('provisional_arrest');
    await expectNoAxeViolations(ar, 'withdrawing an extradition by its stage');
    await Promise.all([ar.waitForURL(/done=record_stage/), ask.getByRole('button', { name: 'Yes, withdraw the request' }).click()]);
    await expect.poll(async () => (await api.uy.get(last)).request!.status, { timeout: 20_000 }).toBe(RequestStatus.REQUEST_STATUS_WITHDRAWN);
  });
});
