/**
 * The web UI in Debian's Chromium (playwright-core, headless) against real gateways, real
 * nodes and a real nats-server: what people do, end to end, with screenshots of each main
 * screen under test-artifacts/screenshots/.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { LANGS, type Lang } from '../gateway/index.js';
import { accessibilityProblems, axeViolations, chromiumAvailable, expectNoAxeViolations, newSession, screenshot, signedInPage, untranslated } from './_browser.js';
import { answerVerificationByLabel, fillVerificationByLabel } from './_compose.js';
import { withFederation } from './_setup.js';

/** A screenshot of a page state, which axe-core must find no violation in (WCAG 2.0-2.2 A and AA, best practices). */
async function shot(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  await expectNoAxeViolations(page, name);
}

const COUNTRIES = ['AR', 'UY', 'BR'] as const;
// The nodes serve gRPC over TLS (the default federation); each gateway verifies its node against the network CA.
const net = withFederation(COUNTRIES, { gateways: COUNTRIES, browser: true });
const { gw } = net;
let sentId = '';

const signIn = (country: (typeof COUNTRIES)[number], role: string, locale = 'en-US'): Promise<Page> => signedInPage(net.browser, gw[country], country, role, { locale });

describe.skipIf(!chromiumAvailable())('web UI in Chromium', () => {
  it('AR sends to UY; UY sees it arrive live, acknowledges and answers; AR sees delivery and the whole timeline', async () => {
    const uy = await signIn('UY', 'focal_point');
    await uy.goto(`${gw.UY.url}/inbox`);
    await uy.locator('body[data-live-ready="1"]').waitFor();

    const ar = await signIn('AR', 'focal_point');
    await ar.goto(`${gw.AR.url}/compose`);
    await shot(ar, 'compose-start');
    // Choosing the type brings up its typed form.
    await ar.getByLabel('Type of request').selectOption('nationality_verification');
    await ar.getByLabel('Given names').waitFor();
    await ar.getByLabel('Destination state').selectOption('UY');
    // Validation as you type: a too-short subject is flagged before anything is sent.
    await ar.getByLabel('Subject').fill('abc');
    await ar.getByLabel('Your reference').focus();
    await expect.poll(() => ar.locator('[data-error-for="subject"]').textContent()).toBe('Write at least 5 characters.');
    await ar.getByLabel('Subject').fill('Nationality of a presumed victim found in Buenos Aires');
    await fillVerificationByLabel(ar, { reference: 'AR-2026-0042', givenNames: 'María José', familyNames: 'Rodríguez Pérez', dateOfBirth: '1999-04-12' });
    await expect.poll(() => ar.locator('[data-error-for="subject"]').isHidden()).toBe(true);
    await shot(ar, 'compose-typed');
    await ar.getByRole('button', { name: 'Check and preview' }).click();
    await ar.getByRole('heading', { name: 'Check before sending' }).waitFor();
    expect(await ar.locator('ul.checklist li.bad').count()).toBe(0);
    expect(await ar.locator('ul.checklist li.opt').count()).toBeGreaterThan(0);
    // Uruguay reads Spanish: the preview shows the labels in the recipient's language.
    const preview = (await ar.locator('section[aria-labelledby="h-preview"]').textContent())!;
    expect(preview).toContain('Verificación de nacionalidad y residencia de víctimas');
    expect(preview).toContain('Apellidos');
    expect(preview).toContain('Femenino');
    await shot(ar, 'review');
    await ar.getByRole('button', { name: 'Send now' }).click();
    await ar.waitForURL(/\/requests\/[0-9a-f-]+\?sent=1/);
    const id = /\/requests\/([0-9a-f-]+)/.exec(ar.url())![1]!;
    sentId = id;

    // UY: the row appears without reloading, with a live notice.
    await uy.locator(`tr[data-id="${id}"]`).waitFor();
    await uy.locator('#live .notice').first().waitFor();
    expect(await uy.locator('#live .notice').first().textContent()).toContain('New request from Argentina');
    expect(await uy.locator('[data-count="new"] .n').textContent()).toBe('1');
    await shot(uy, 'inbox-live');
    await uy.locator(`tr[data-id="${id}"] a`).click();
    await uy.getByRole('heading', { name: 'Nationality of a presumed victim found in Buenos Aires' }).waitFor();
    await uy.getByRole('button', { name: 'Acknowledge receipt' }).click();
    await uy.waitForURL(/done=acknowledge/);
    expect(await uy.locator('main').textContent()).toContain('Rodríguez Pérez');
    await answerVerificationByLabel(uy, 'Confirmed: registered as a Uruguayan national; a passport can be issued.');
    expect(await uy.locator('[data-status]').getAttribute('data-status')).toBe('completed');
    await shot(uy, 'detail-requested');

    // AR: the open detail page follows the steps live.
    await expect.poll(() => ar.locator('[data-status]').getAttribute('data-status'), { timeout: 20_000 }).toBe('completed');
    const timeline = (await ar.locator('#timeline').textContent())!;
    expect(timeline).toMatch(/Delivered to Uruguay .*, signature verified/);
    expect(timeline).toContain('Acknowledge receipt');
    expect(timeline).toContain('Confirmed: registered as a Uruguayan national');
    expect(timeline).toContain('Outcome');
    expect(timeline).toMatch(/Is a national\s*Yes/);
    // Dates of the content read as dates in the person's language, not as ISO strings.
    expect(await ar.locator('main').textContent()).toContain('Apr 12, 1999');
    await shot(ar, 'detail-timeline');
    await ar.goto(`${gw.AR.url}/outbox`);
    await shot(ar, 'outbox');

    // An AR auditor reads the timeline, sees no content and cannot send.
    const auditor = await signIn('AR', 'auditor');
    await auditor.goto(`${gw.AR.url}/requests/${id}`);
    expect(await auditor.locator('.redacted-note').count()).toBe(1);
    const seen = (await auditor.locator('main').textContent())!;
    expect(seen).not.toContain('Rodríguez');
    expect(seen).not.toContain('1999-04-12');
    expect(seen).not.toContain('Apr 12, 1999');
    expect(seen).toContain('withheld for your role');
    expect(seen).toContain('Identification');
    await shot(auditor, 'detail-auditor-redacted');
    expect(await auditor.getByRole('link', { name: 'New request' }).count()).toBe(0);
    const denied = await auditor.goto(`${gw.AR.url}/compose`);
    expect(denied?.status()).toBe(403);
    expect(await auditor.locator('main').textContent()).toContain('Your role does not allow this.');
  });

  it('a prosecutor in UY moves an extradition through three stages and AR sees them on its board', async () => {
    const ar = await signIn('AR', 'prosecutor');
    await ar.goto(`${gw.AR.url}/compose?kind=extradition&to=UY`);
    const field = (name: string) => ar.locator(`[name="t.${name}"]`);
    await ar.getByLabel('Subject').fill('Extradition of the leader of a trafficking ring');
    await field('purpose').selectOption('prosecution');
    await field('person_sought.given_names').fill('Ramón');
    await field('person_sought.family_names').fill('Benítez');
    await field('person_sought.nationalities').selectOption('AR');
    await field('offences.0.category').selectOption('trafficking_in_persons');
    await ar.locator('input[name="t.offences.0.exploitation_forms"]').first().check();
    await field('warrant_reference').fill('Orden de detención 77/2026, Juzgado Federal 3');
    await field('legal_bases.0.code').selectOption('reciprocity');
    await field('facts').fill('Leader of a network that recruited women in Salta for sexual exploitation.');
    await ar.getByRole('button', { name: 'Check and preview' }).click();
    expect(await ar.locator('ul.checklist li.bad').count()).toBe(0);
    await ar.getByRole('button', { name: 'Send now' }).click();
    await ar.waitForURL(/\/requests\/[0-9a-f-]+\?sent=1/);
    const id = /\/requests\/([0-9a-f-]+)/.exec(ar.url())![1]!;

    const uy = await signIn('UY', 'prosecutor');
    await expect.poll(async () => (await uy.goto(`${gw.UY.url}/requests/${id}`))?.status(), { timeout: 20_000 }).toBe(200);
    for (const stage of ['provisional_arrest', 'formal_request_received', 'judicial_proceedings']) {
      await uy.locator('select[name="stage"]').selectOption(stage);
      await uy.getByRole('button', { name: 'Record stage' }).click();
      await uy.waitForURL(/done=record_stage/);
      expect(await uy.locator('[data-stage]').first().getAttribute('data-stage')).toBe(stage);
    }
    await shot(uy, 'extradition-detail-requested');

    await ar.goto(`${gw.AR.url}/extradition`);
    await expect
      .poll(
        async () => {
          await ar.reload();
          return ar.locator(`section[data-column="judicial_proceedings"] article[data-id="${id}"]`).count();
        },
        { timeout: 20_000 },
      )
      .toBe(1);
    await shot(ar, 'extradition-board');
    // Every stage column is on screen at 1280 px: the board wraps instead of scrolling sideways.
    await ar.setViewportSize({ width: 1280, height: 800 });
    const widths = await ar.evaluate(() => {
      const board = document.querySelector('.board')!;
      return { board: board.scrollWidth - board.clientWidth, page: document.documentElement.scrollWidth };
    });
    expect(widths.board).toBeLessThanOrEqual(0);
    expect(widths.page).toBeLessThanOrEqual(1280);
    await ar.goto(`${gw.AR.url}/requests/${id}`);
    const timeline = (await ar.locator('#timeline').textContent())!;
    for (const label of ['Provisional arrest', 'Formal extradition request received', 'Judicial proceedings']) expect(timeline.toLowerCase()).toContain(label.toLowerCase());
  });

  it('a BR directory admin adds a contact point that AR then finds; a bad CSV is reported line by line', async () => {
    const br = await signIn('BR', 'directory_admin');
    await br.goto(`${gw.BR.url}/directory/new`);
    await br.locator('input[name="id"]').fill('pf-trafico-pessoas');
    await br.locator('input[name="authority_pt"]').fill('Polícia Federal — Divisão de Repressão ao Tráfico de Pessoas');
    await br.locator('input[name="authority_es"]').fill('Policía Federal — División de Represión de la Trata de Personas');
    await br.locator('input[name="themes"][value="police_investigation"]').check();
    await br.locator('input[name="requestKinds"][value="mla"]').check();
    await br.locator('input[name="languages"][value="es"]').check();
    await br.locator('input[name="languages"][value="pt"]').check();
    await br.locator('input[name="roleTitle"]').fill('Delegado de plantão');
    await br.locator('input[name="email"]').fill('not an address');
    await br.locator('input[name="timeZone"]').fill('America/Sao_Paulo');
    await br.getByRole('button', { name: 'Save and sign' }).click();
    expect(await br.locator('[data-error-for="email"]').textContent()).toBe('Write an e-mail address, like trata@fiscalia.example.');
    await br.locator('input[name="email"]').fill('trafico@pf.example');
    await br.locator('input[name="phone"]').fill('+55 61 2024 8000');
    await br.getByRole('button', { name: 'Save and sign' }).click();
    await br.waitForURL(/done=saved/);
    await br.locator('article[data-address="BR/pf-trafico-pessoas"]').waitFor();
    await shot(br, 'directory-saved');

    await br.goto(`${gw.BR.url}/directory/import`);
    await br
      .getByLabel('CSV content')
      .fill(
        'id,authority_pt,themes,languages,email,time_zone\nok-point,Ponto,police_investigation,pt,ok@pf.example,America/Sao_Paulo\nbad-point,Ponto,police_investigation,pt,no-at-sign,America/Sao_Paulo\n',
      );
    await br.getByRole('button', { name: 'Check only' }).click();
    await br.locator('[data-import="problems"]').waitFor();
    expect(await br.locator('[data-import="problems"] tbody tr').first().textContent()).toMatch(/3\s*email/);
    await shot(br, 'directory-import-report');
    // A file through the form, as a spreadsheet in pt saves it: semicolons, a BOM, a quoted cell.
    await br.locator('input[type="file"][name="file"]').setInputFiles({
      name: 'pontos.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('\uFEFFid;authority_pt;themes;languages;email;time_zone\r\nponto-csv;"Polícia Federal; plantão";police_investigation;pt;csv@pf.example;America/Sao_Paulo\r\n', 'utf8'),
    });
    await br.getByRole('button', { name: 'Import', exact: true }).click();
    await br.locator('[data-import="applied"]').waitFor();
    await br.goto(`${gw.BR.url}/directory/BR/ponto-csv`);
    expect(await br.locator('article[data-address="BR/ponto-csv"] h2').textContent()).toContain('Polícia Federal; plantão');

    const ar = await signIn('AR', 'focal_point');
    await expect
      .poll(
        async () => {
          await ar.goto(`${gw.AR.url}/directory?text=${encodeURIComponent('policia federal trafico')}&country=BR`);
          return ar.locator('article[data-address="BR/pf-trafico-pessoas"]').count();
        },
        { timeout: 20_000 },
      )
      .toBe(1);
    await shot(ar, 'directory-search');
  });

  it('shows the network, the directory and the user admin screens', async () => {
    const op = await signIn('AR', 'operator');
    await op.goto(`${gw.AR.url}/network`);
    expect(await op.locator('tr[data-country="UY"]').count()).toBe(1);
    await shot(op, 'network');
    const users = await signIn('BR', 'user_admin', 'pt-BR');
    await users.goto(`${gw.BR.url}/admin/users`);
    await shot(users, 'users-pt');
    const admin = await signIn('BR', 'directory_admin', 'pt-BR');
    await admin.goto(`${gw.BR.url}/directory`);
    await shot(admin, 'directory-pt');
    const anonymous = (await newSession(net.browser, 'fr-FR')).page;
    await anonymous.goto(`${gw.UY.url}/login`);
    await shot(anonymous, 'login-fr');
  });

  it('every page in every language has no missing translation and labels every control', async () => {
    const pages = [
      '/inbox',
      '/outbox',
      '/inbox?q=palabra',
      '/drafts',
      '/compose',
      '/compose?kind=nationality_verification&to=UY',
      '/compose?kind=mla',
      '/extradition',
      '/directory',
      '/network',
      '/account',
      `/requests/${sentId}`,
    ];
    const page = await signIn('AR', 'focal_point');
    const missing: string[] = [];
    for (const lang of LANGS) {
      await page.goto(`${gw.AR.url}/lang/${lang}?next=/inbox`);
      for (const path of pages) {
        const res = await page.goto(`${gw.AR.url}${path}`);
        if (res?.status() !== 200) missing.push(`${lang} ${path}: status ${res?.status()}`);
        expect(await page.getAttribute('html', 'lang')).toBe(lang);
        missing.push(...untranslated(await page.content(), lang).map((k) => `${lang} ${path}: ${k}`));
        if (lang === 'es') missing.push(...[...(await accessibilityProblems(page)), ...(await axeViolations(page))].map((a) => `${path}: ${a}`));
      }
    }
    expect(missing).toEqual([]);
    await page.goto(`${gw.AR.url}/lang/es?next=/inbox`);
    await shot(page, 'inbox-es');
    for (const [role, paths] of [
      ['user_admin', ['/admin/users']],
      ['directory_admin', ['/directory/new', '/directory/import']],
      ['auditor', ['/audit']],
    ] as const) {
      const admin = await signIn('AR', role);
      for (const path of paths) {
        expect((await admin.goto(`${gw.AR.url}${path}`))?.status(), path).toBe(200);
        expect(untranslated(await admin.content(), (await admin.getAttribute('html', 'lang')) as Lang), path).toEqual([]);
        expect(await accessibilityProblems(admin), path).toEqual([]);
        await expectNoAxeViolations(admin, path);
      }
    }
  }, 150_000);
});
