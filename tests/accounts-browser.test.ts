/**
 * Issue 12 in real Chromium: the four-eyes grant (a user admin asks, a focal point approves),
 * TOTP set up from the account page with its QR code and then asked at sign-in, an open page
 * told at once that its session ended when the person signs out elsewhere, throttled sign-in
 * that says how many seconds to wait in the user's language, and the off-site redirect refused.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { totpCode } from '../gateway/auth/totp.js';
import { chromiumAvailable, demoUsers, newSession, expectNoAxeViolations, screenshot } from './_browser.js';
import { withFederation } from './_setup.js';

/** A screenshot of a page state, which axe-core must find no violation in (WCAG 2.0-2.2 A and AA, best practices). */
async function shot(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  await expectNoAxeViolations(page, name);
}

const LOGIN_LIMIT = { perIp: 50, perUser: 3, windowMs: 60_000, maxAccountDelayMs: 5_000, maxAddressDelayMs: 30_000 };
const net = withFederation(['AR', 'UY'], { gateways: ['AR'], auth: { AR: { loginLimit: LOGIN_LIMIT } }, browser: true, timeoutMs: 90_000 });
const { gw } = net;

const account = (role: string) => demoUsers('AR').find((u) => u.roles.includes(role as never))!;

async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto(`${gw.AR.url}/login`);
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await Promise.all([page.waitForURL((u) => u.pathname !== '/login'), page.locator('form[action="/login"] button[type="submit"]').click()]);
}

describe.skipIf(!chromiumAvailable())('accounts in Chromium', () => {
  it('a user admin asks for a focal point; it waits until a focal point approves it', async () => {
    const { page: admin } = await newSession(net.browser, 'es-AR');
    await signIn(admin, account('user_admin').username, account('user_admin').password);
    await admin.goto(`${gw.AR.url}/lang/es?next=/admin/users`);
    await admin.locator('input[name="username"]').fill('nueva.fp');
    await admin.locator('input[name="displayName"]').fill('Nueva punto focal');
    await admin.locator('form.user-form input[name="roles"][value="focal_point"]').check();
    await admin.locator('form.user-form button[type="submit"]').click();
    await admin.locator('[data-issued-password]').waitFor();
    expect(await admin.locator('.flash').first().textContent()).toContain('Pendiente de la aprobación de una segunda persona: Punto focal');
    expect(await admin.locator('tr[data-user="nueva.fp"] [data-pending-role="focal_point"]').count()).toBe(1);
    await shot(admin, 'accounts-grant-requested-es');
    expect((await admin.goto(`${gw.AR.url}/approvals`))?.status()).toBe(403);

    const { page: focal } = await newSession(net.browser);
    await signIn(focal, account('focal_point').username, account('focal_point').password);
    await focal.goto(`${gw.AR.url}/lang/en?next=/approvals`);
    const row = focal.locator('tr', { hasText: 'nueva.fp' });
    expect(await row.textContent()).toContain('users.ar');
    await shot(focal, 'accounts-approvals-en');
    await row.getByRole('button', { name: /Approve/ }).click();
    expect(await focal.locator('.flash').first().textContent()).toContain('Focal point approved for nueva.fp');
    await admin.goto(`${gw.AR.url}/admin/users`);
    expect(await admin.locator('tr[data-user="nueva.fp"] td').nth(1).textContent()).toContain('Punto focal');
  });

  it('sets up TOTP with the QR code on the account page, then asks for the code at sign-in', async () => {
    const p = account('prosecutor');
    const { page } = await newSession(net.browser, 'fr-FR');
    await signIn(page, p.username, p.password);
    await page.goto(`${gw.AR.url}/lang/fr?next=/account`);
    await page.getByRole('button', { name: 'Configurer le second facteur' }).click();
    const qr = page.locator('[data-totp-qr] svg');
    await qr.waitFor();
    expect((await qr.boundingBox())!.width).toBeGreaterThan(100);
    await shot(page, 'accounts-totp-qr-fr');
    const secret = (await page.locator('[data-totp-secret]').textContent())!;
    await page.locator('input[name="code"]').fill(totpCode(secret, Date.now()));
    await page.getByRole('button', { name: 'Activer' }).click();
    await page.waitForURL((u) => u.search.includes('enrolled'));
    expect(await page.locator('[data-totp]').textContent()).toContain('actif');

    const { page: again } = await newSession(net.browser, 'fr-FR');
    await signIn(again, p.username, p.password);
    expect(new URL(again.url()).pathname).toBe('/login/code');
    await again.locator('input[name="code"]').fill('000000');
    await again.locator('form[action="/login/code"] button[type="submit"]').click();
    expect(await again.locator('.flash').first().textContent()).toMatch(/not right|pas bon|no es correcto|não está correto/);
    await again.locator('input[name="code"]').fill(totpCode(secret, Date.now() + 30_000));
    await Promise.all([again.waitForURL((u) => !u.pathname.startsWith('/login')), again.locator('form[action="/login/code"] button[type="submit"]').click()]);
    expect(new URL(again.url()).pathname).toBe('/inbox');
  });

  it('an open inbox is told at once that the session ended when the person signs out on another device', async () => {
    const f = account('focal_point');
    const { page: desk } = await newSession(net.browser);
    await signIn(desk, f.username, f.password);
    await desk.goto(`${gw.AR.url}/inbox`);
    await desk.locator('body[data-live-ready="1"]').waitFor();
    const { page: phone } = await newSession(net.browser);
    await signIn(phone, f.username, f.password);
    await phone.locator('form[action="/logout"] button').first().click();
    await desk.locator('body[data-session-ended="1"]').waitFor({ timeout: 5_000 });
    expect(await desk.locator('#live .notice').last().textContent()).toContain('Your session has ended');
    await shot(desk, 'accounts-session-ended');
    await desk.reload();
    expect(new URL(desk.url()).pathname).toBe('/login');
  });

  it('wrong passwords slow the account down by seconds, said in the user language, and the right one gets in after', async () => {
    const a = account('auditor');
    const { page } = await newSession(net.browser, 'pt-BR');
    await page.goto(`${gw.AR.url}/login`);
    // Someone keeps typing wrong passwords, each as soon as the gateway lets them (the page's own form, posted from a script).
    const statuses = await page.evaluate(async (username) => {
      const csrf = (document.querySelector('input[name="_csrf"]') as HTMLInputElement).value;
      const seen: number[] = [];
      while (seen.filter((x) => x === 401).length < 7) {
        const res = await fetch('/login', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ _csrf: csrf, username, password: `senha errada ${seen.length}` }),
        });
        seen.push(res.status);
        if (res.status === 429) await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after')) * 1000));
      }
      return seen;
    }, a.username);
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.every((x) => x === 401 || x === 429)).toBe(true);
    await page.locator('input[name="username"]').fill(a.username);
    await page.locator('input[name="password"]').fill(a.password);
    await page.locator('form[action="/login"] button[type="submit"]').click();
    await page.waitForLoadState();
    if ((await page.locator('.flash').count()) === 0) throw new Error(`${page.url()} ${statuses.join(',')} ${(await page.content()).slice(0, 3000)}`);
    const text = (await page.locator('.flash').first().textContent())!;
    expect(text).toMatch(/Aguarde \d segundos e tente novamente/);
    await shot(page, 'accounts-throttled-pt');
    await page.waitForTimeout(Number(/Aguarde (\d)/.exec(text)![1]) * 1000);
    await signIn(page, a.username, a.password);
    expect(new URL(page.url()).pathname).toBe('/inbox');
  });

  it('the language switch does not send the net.browser off site', async () => {
    const { page } = await newSession(net.browser);
    await page.goto(`${gw.AR.url}/lang/en?next=/%09/127.0.0.2:9/pwned`);
    expect(new URL(page.url()).origin).toBe(new URL(gw.AR.url).origin);
  });
});
