/**
 * The notification bell in Chromium (issue 17 item 6): a new request from another state
 * raises the count on an open page without a reload, the list names what happened, opening it
 * marks it read and goes to the request, and "mark all read" clears the rest. A person who
 * gives an address on the account page gets an e-mail through a real SMTP server started here,
 * with no case content, whose link opens the request.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Gateway } from '../gateway/index.js';
import { chromiumAvailable, demoUsers, expectNoAxeViolations, gatewayConfig, screenshot, signedInPage } from './_browser.js';
import { withFederation } from './_setup.js';
import { startSmtp, type LocalSmtp } from './_smtp.js';
import { eventually, PASSPHRASE, quietLogger, submitRequestOf, type Federation } from './_util.js';

/** Where the e-mail's links point; the test follows them on the gateway's own address. */
const PUBLIC_URL = 'https://enlace.uy.example';
let smtp: LocalSmtp | undefined;

/** UY's gateway, sending notification e-mail to the SMTP server of this test. */
async function gatewayWithMail(fed: Federation, country: string): Promise<Gateway> {
  smtp = await startSmtp();
  const cfg = gatewayConfig(fed, country);
  cfg.notifications = { scanSeconds: 3600, mail: { host: '127.0.0.1', port: smtp.port, tls: 'none', from: 'Enlace UY <enlace@uy.example>', publicUrl: PUBLIC_URL } };
  cfg.seedUsersFile = join(fed.dir, `users-${country}.json`);
  await writeFile(cfg.seedUsersFile, JSON.stringify(demoUsers(country)));
  const g = await Gateway.create(cfg, { passphrase: PASSPHRASE }, { logger: quietLogger });
  await g.start();
  return g;
}

const net = withFederation(['AR', 'UY'], { api: { ar: ['AR', 'focal_point'] }, gateways: ['UY'], startGateway: gatewayWithMail, browser: true });
const { api, gw } = net;
afterAll(() => smtp?.close());

const signIn = (role: string): Promise<Page> => signedInPage(net.browser, gw.UY, 'UY', role);

const count = (page: Page) => page.locator('[data-bell] [data-count]');

describe.skipIf(!chromiumAvailable())('the notification bell, in Chromium', () => {
  beforeAll(() => gw.UY.notifier.ready);

  it('counts a new request live, lists it, and is read once opened; mark all read clears the rest', async () => {
    const focal = await signIn('focal_point');
    await focal.goto(`${gw.UY.url}/inbox`);
    await focal.locator('body[data-live-ready="1"]').waitFor();
    expect(await count(focal).isHidden()).toBe(true);
    expect(await focal.locator('[data-bell]').getAttribute('aria-label')).toBe('Notifications: 0 unread');

    const first = (await api.ar.submit(submitRequestOf({ senderReference: 'AR-BELL-1' }))).request!.id;
    // On the open page, without a reload: the count and the bell's name for screen readers.
    await eventually(async () => ((await count(focal).textContent()) === '1' && (await count(focal).isVisible()) ? true : undefined), 20_000, 'the bell to count 1');
    expect(await focal.locator('[data-bell]').getAttribute('aria-label')).toBe('Notifications: 1 unread');
    expect(await focal.evaluate(() => document.body.getAttribute('data-last-notification'))).toBe('new_request');
    await screenshot(focal, 'bell-unread');

    await focal.locator('[data-bell]').click();
    await focal.waitForURL(/\/notifications$/);
    const item = focal.locator('li[data-kind="new_request"].unread');
    expect(await item.count()).toBe(1);
    expect(await item.textContent()).toContain('Victim nationality');
    expect(await item.textContent()).toContain('Argentina');
    await expectNoAxeViolations(focal, 'the notifications page');
    await screenshot(focal, 'notifications');
    await item.locator('a').click();
    await focal.waitForURL(new RegExp(`/requests/${first}$`));
    expect(await count(focal).isHidden()).toBe(true);
    expect(await focal.locator('[data-bell]').getAttribute('aria-label')).toBe('Notifications: 0 unread');
    await focal.goto(`${gw.UY.url}/notifications`);
    expect(await focal.locator('li[data-kind="new_request"]:not(.unread)').count()).toBe(1);

    // Read per person: the prosecutor still has it; two more, then "mark all read".
    const prosecutor = await signIn('prosecutor');
    await prosecutor.goto(`${gw.UY.url}/inbox`);
    expect(await count(prosecutor).textContent()).toBe('1');
    await prosecutor.locator('body[data-live-ready="1"]').waitFor();
    await api.ar.submit(submitRequestOf({ senderReference: 'AR-BELL-2' }));
    await api.ar.submit(submitRequestOf({ senderReference: 'AR-BELL-3' }));
    await eventually(async () => ((await count(prosecutor).textContent()) === '3' ? true : undefined), 20_000, 'the bell to count 3');
    await prosecutor.locator('[data-bell]').click();
    await prosecutor.waitForURL(/\/notifications$/);
    expect(await prosecutor.locator('li.unread').count()).toBe(3);
    await prosecutor.getByRole('button', { name: 'Mark all as read' }).click();
    await prosecutor.waitForURL(/\/notifications$/);
    expect(await prosecutor.locator('li.unread').count()).toBe(0);
    expect(await count(prosecutor).isHidden()).toBe(true);
    await expectNoAxeViolations(prosecutor, 'the notifications page, all read');
    // The focal point's own two new ones are still unread: marking is per person.
    await focal.goto(`${gw.UY.url}/inbox`);
    expect(await count(focal).textContent()).toBe('2');
  });

  it('e-mails a person who asked on the account page, with a link and no case content; the link opens the request', async () => {
    const focal = await signIn('focal_point');
    await focal.goto(`${gw.UY.url}/account`);
    await focal.getByLabel('E-mail address').fill('not an address');
    await Promise.all([focal.waitForEvent('load'), focal.locator('section[aria-labelledby="mail-title"] button[type="submit"]').click()]);
    expect(await focal.locator('[data-error-for="email"]').textContent()).toContain('Enter an e-mail address like name@example.gov');
    await focal.getByLabel('E-mail address').fill('focal@uy.example');
    await Promise.all([focal.waitForURL(/mail=saved/), focal.locator('section[aria-labelledby="mail-title"] button[type="submit"]').click()]);
    expect(await focal.getByLabel('E-mail address').inputValue()).toBe('focal@uy.example');
    await expectNoAxeViolations(focal, 'the account page with a notification e-mail');
    await screenshot(focal, 'account-mail');

    const subject = 'Paradero de Rosa Villalba, presunta víctima';
    const id = (await api.ar.submit(submitRequestOf({ subject, senderReference: 'AR-MAIL-1' }))).request!.id;
    const mail = await eventually(() => smtp!.mails.find((m) => m.raw.includes(id)), 20_000, 'the notification e-mail');
    expect(mail.to).toEqual(['focal@uy.example']);
    expect(mail.raw).toMatch(/Subject: Enlace UY: New request/);
    for (const content of ['Rosa', 'Villalba', 'AR-MAIL-1', 'M. R.']) expect(mail.raw).not.toContain(content);
    // Nobody else asked: one message for this request.
    expect(smtp!.mails.filter((m) => m.raw.includes(id))).toHaveLength(1);
    const link = new RegExp(`${PUBLIC_URL.replace(/\./g, '\\.')}(/requests/${id})`).exec(mail.raw)![1]!;
    await focal.goto(`${gw.UY.url}${link}`);
    expect(await focal.getByRole('heading', { level: 1 }).textContent()).toContain(subject);
  });
});
