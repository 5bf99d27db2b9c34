/**
 * Nothing typed is lost, in Chromium (issue 17 item 2): the compose form saves itself as one
 * types and comes back after a reload; a live update never replaces a note being typed.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, demoUser, signedInPage } from './_browser.js';
import { withFederation } from './_setup.js';
import { clientsFor, eventually, submitRequestOf } from './_util.js';

const net = withFederation(['AR', 'UY'], { gateways: ['AR', 'UY'], browser: true });
const { nodes, gw } = net;

const signIn = (country: 'AR' | 'UY', role: string, locale = 'en-US'): Promise<Page> => signedInPage(net.browser, gw[country], country, role, { locale });

describe.skipIf(!chromiumAvailable())('nothing typed is lost, in Chromium', () => {
  it('the compose form is saved as a draft as one types and is still there after a reload', async () => {
    const ar = await signIn('AR', 'focal_point', 'es-AR');
    await ar.goto(`${gw.AR.url}/lang/es?next=${encodeURIComponent('/compose?kind=nationality_verification&to=UY')}`);
    await ar.locator('[name="subject"]').fill('Verificación pedida por la fiscalía 7');
    await ar.locator('[data-draft-status][data-state="data-saved"]').waitFor();
    expect(await ar.locator('[data-draft-status]').textContent()).toContain('Borrador guardado');
    expect(ar.url()).toMatch(/\/compose\?draft=[0-9a-f-]{36}$/);
    await ar.reload();
    expect(await ar.locator('[name="subject"]').inputValue()).toBe('Verificación pedida por la fiscalía 7');
    await ar.goto(`${gw.AR.url}/drafts`);
    expect(await ar.locator('[data-draft]').count()).toBe(1);
  });

  it('a draft is resumed after the session expired: the form says so, links to sign in, and signing in brings the draft back', async () => {
    const ar = await signIn('AR', 'focal_point', 'fr-FR');
    await ar.goto(`${gw.AR.url}/lang/fr?next=${encodeURIComponent('/compose?kind=nationality_verification&to=UY')}`);
    await ar.locator('[name="subject"]').fill('Vérification demandée par le parquet 9');
    await ar.locator('[data-draft-status][data-state="data-saved"]').waitFor();
    const draft = new URL(ar.url()).searchParams.get('draft')!;
    expect(draft).toMatch(/^[0-9a-f-]{36}$/);
    // The session ends while the person writes (idle timeout, a password reset elsewhere...).
    const u = demoUser('AR', 'focal_point');
    gw.AR.ctx.sessions.endAllFor(gw.AR.ctx.users.byUsername(u.username)!.id, 'idle', Date.now());
    await ar.locator('[name="t.victim.given_names"]').fill('Marta');
    await ar.locator('[data-draft-status][data-state="data-signed-out"]').waitFor();
    expect(await ar.locator('[data-draft-status]').textContent()).toContain('Votre session a pris fin');
    const again = ar.locator('[data-draft-status] a[data-sign-in-again]');
    expect(await again.textContent()).toBe('Se reconnecter');
    await again.click();
    await ar.waitForURL((url) => url.pathname === '/login');
    await ar.locator('input[name="username"]').fill(u.username);
    await ar.locator('input[name="password"]').fill(u.password);
    await Promise.all([ar.waitForURL((url) => url.pathname === '/compose'), ar.locator('form[action="/login"] button[type="submit"]').click()]);
    expect(new URL(ar.url()).searchParams.get('draft')).toBe(draft);
    expect(await ar.locator('[name="subject"]').inputValue()).toBe('Vérification demandée par le parquet 9');
    expect(await ar.locator('[data-draft-status]').textContent()).toContain('Brouillon restauré');
  });

  it('choosing the request type with the keyboard shows its form in place, without a reload or a focus move', async () => {
    const ar = await signIn('AR', 'focal_point');
    await ar.goto(`${gw.AR.url}/compose`);
    const marker = await ar.evaluate(() => ((window as unknown as { __kept: number }).__kept = Math.random()));
    const kind = ar.locator('select[name="kind"]');
    await kind.focus();
    await ar.keyboard.press('ArrowDown');
    await ar.locator('[data-typed-part] [name="subject"]').waitFor();
    // Same document (a reload would have dropped the marker), same focus.
    expect(await ar.evaluate(() => (window as unknown as { __kept: number }).__kept)).toBe(marker);
    expect(await ar.evaluate(() => (document.activeElement as HTMLSelectElement | null)?.name)).toBe('kind');
  });

  it('inbox, compose and a request are usable at 390 px: nothing wider than the screen', async () => {
    const api = await clientsFor(nodes.AR, ['focal_point']);
    let id = '';
    try {
      id = (await api.submit(submitRequestOf({ senderReference: 'small-screen' }))).request!.id;
    } finally {
      api.close();
    }
    const uy = await signIn('UY', 'focal_point', 'es-UY');
    await uy.setViewportSize({ width: 390, height: 844 });
    await eventually(async () => ((await uy.goto(`${gw.UY.url}/requests/${id}`))?.status() === 200 ? true : undefined), 20_000, 'the request at UY');
    for (const path of ['/inbox', '/compose?kind=nationality_verification&to=AR', `/requests/${id}`]) {
      await uy.goto(`${gw.UY.url}${path}`);
      const wide = await uy.evaluate(() => document.documentElement.scrollWidth);
      // The failure names what sticks out.
      const over = await uy.evaluate(() =>
        [...document.querySelectorAll('body *')]
          .filter((e) => e.getBoundingClientRect().right > 391)
          .slice(0, 8)
          .map((e) => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().right)}px`),
      );
      expect(wide, `${path}: ${over.join(', ')}`).toBeLessThanOrEqual(390);
    }
  });

  it('a live update does not replace a note being typed: the person is told instead', async () => {
    const api = await clientsFor(nodes.AR, ['focal_point']);
    let id = '';
    try {
      id = (await api.submit(submitRequestOf({ senderReference: 'live-typing' }))).request!.id;
      const uy = await signIn('UY', 'focal_point');
      await eventually(async () => ((await uy.goto(`${gw.UY.url}/requests/${id}`))?.status() === 200 ? true : undefined), 20_000, 'the request at UY');
      await uy.locator('body[data-live-ready="1"]').waitFor();
      await uy.locator('#f-note').fill('Half of what I want to say');
      // AR proposes a step meanwhile: the page learns of it live.
      await new Promise((res, rej) =>
        api.exchange.transition(
          { requestId: id, action: 'withdraw', note: '', response: new Uint8Array(), responseType: '', stage: '', stageDate: '', typedResponse: undefined },
          api.metadata,
          (e, r) => (e ? rej(e) : res(r)),
        ),
      );
      await uy.locator('[data-live-stale="1"]').waitFor({ timeout: 20_000 });
      expect(await uy.locator('#f-note').inputValue()).toBe('Half of what I want to say');
      expect(await uy.locator('#live').textContent()).toContain('What you typed is kept');
    } finally {
      api.close();
    }
  });
});
