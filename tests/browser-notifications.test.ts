/**
 * The notification bell in Chromium (issue 17 item 6): a new request from another state
 * raises the count on an open page without a reload, the list names what happened, opening it
 * marks it read and goes to the request, and "mark all read" clears the rest.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, expectNoAxeViolations, screenshot, signedInPage } from './_browser.js';
import { withFederation } from './_setup.js';
import { eventually, submitRequestOf } from './_util.js';

const net = withFederation(['AR', 'UY'], { api: { ar: ['AR', 'focal_point'] }, gateways: ['UY'], browser: true });
const { api, gw } = net;

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
});
