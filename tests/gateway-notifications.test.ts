/**
 * Daily conveniences (issue 17 item 6): notifications for the people who should act, a bell
 * with their count, read per person, and opt-in e-mail through a real SMTP server started
 * here, carrying the kind of event, the request's reference and a link, and no case content.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Gateway } from '../gateway/index.js';
import { demoUsers, gatewayConfig, signedIn } from './_browser.js';
import { withFederation } from './_setup.js';
import { startSmtp, type LocalSmtp } from './_smtp.js';
import { clientsForIssuer, eventually, grpcCredentials, PASSPHRASE, quietLogger, submitRequestOf, TestClock } from './_util.js';

let smtp: LocalSmtp;
let mails: LocalSmtp['mails'] = [];
let uy: Gateway;
const uyClock = new TestClock();
const net = withFederation(['AR', 'UY'], { start: { UY: { clock: uyClock } }, api: { ar: ['AR', 'focal_point'] } });
const PUBLIC_URL = 'https://enlace.uy.example';
const SUBJECT = 'Paradero de Marta Quispe, presunta víctima';

beforeAll(async () => {
  smtp = await startSmtp();
  mails = smtp.mails;
  const port = smtp.port;
  const cfg = gatewayConfig(net.fed, 'UY');
  cfg.notifications = { scanSeconds: 3600, mail: { host: '127.0.0.1', port, tls: 'none', from: 'Enlace UY <enlace@uy.example>', publicUrl: PUBLIC_URL } };
  cfg.seedUsersFile = join(net.fed.dir, 'users-UY.json');
  await writeFile(cfg.seedUsersFile, JSON.stringify(demoUsers('UY')));
  // The gateway shares the node's clock: its tokens must stay valid when the test moves time.
  uy = await Gateway.create(cfg, { passphrase: PASSPHRASE }, { logger: quietLogger, now: () => uyClock.now() });
  await uy.start();
  await uy.notifier.ready;
});

afterAll(async () => {
  await uy?.destroy();
  await smtp?.close();
});

function withdraw(id: string): Promise<unknown> {
  return new Promise((res, rej) =>
    net.api.ar.exchange.transition(
      { requestId: id, action: 'withdraw', note: '', response: new Uint8Array(), responseType: '', stage: '', stageDate: '', typedResponse: undefined },
      net.api.ar.metadata,
      (e, r) => (e ? rej(e) : res(r)),
    ),
  );
}

const kindsFor = (gw: Gateway, username: string, requestId: string) => {
  const u = gw.ctx.users.byUsername(username)!;
  return gw.ctx.notifications
    .list(u)
    .filter((n) => n.requestId === requestId)
    .map((n) => n.kind);
};

describe('notifications', () => {
  it('tell the people who should act of a new request, count unread per person, and mail only those who asked, with a link and no content', async () => {
    const focal = await signedIn(uy, 'UY', 'focal_point', 'en');
    // Opting in: a wrong address is refused in the person's language, a right one kept.
    const wrong = await focal.post('/account/notifications', { email: 'not an address' });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('Enter an e-mail address like name@example.gov');
    expect((await focal.post('/account/notifications', { email: 'focal@uy.example' })).status).toBe(303);
    expect(await (await focal.get('/account?mail=saved')).text()).toContain('value="focal@uy.example"');

    const id = (await net.api.ar.submit(submitRequestOf({ subject: SUBJECT, senderReference: 'AR-NOTIFY-1' }))).request!.id;
    await eventually(() => (kindsFor(uy, 'focal.uy', id).includes('new_request') ? true : undefined), 20_000, 'the new-request notification');
    // The roles that act see it; an auditor has neither the page nor the bell.
    expect(kindsFor(uy, 'prosecutor.uy', id)).toEqual(['new_request']);
    expect(kindsFor(uy, 'auditor.uy', id)).toEqual([]);
    const auditor = await signedIn(uy, 'UY', 'auditor', 'en');
    expect((await auditor.get('/notifications')).status).toBe(403);
    expect(await (await auditor.get('/inbox')).text()).not.toContain('data-bell');

    const list = await (await focal.get('/notifications')).text();
    expect(list).toContain('New request');
    expect(list).toContain('Victim nationality');
    expect(list).not.toContain(SUBJECT);
    const nid = uy.ctx.notifications.list(uy.ctx.users.byUsername('focal.uy')!).find((n) => n.requestId === id)!.id;
    expect(await (await focal.get('/inbox')).text()).toMatch(/aria-label="Notifications: 1 unread"/);

    // The e-mail: to the one person who asked, the event, the reference and the link; nothing of the case.
    const mail = await eventually(() => mails.find((m) => m.raw.includes(id)), 20_000, 'the notification e-mail');
    expect(mail.to).toEqual(['focal@uy.example']);
    expect(mail.raw).toContain(`${PUBLIC_URL}/requests/${id}`);
    expect(mail.raw).toMatch(/Subject: Enlace UY: New request/);
    expect(mail.raw).toContain('This message carries no case content');
    for (const content of ['Marta', 'Quispe', 'AR-NOTIFY-1', 'M. R.']) expect(mail.raw).not.toContain(content);

    // Read per person: the focal point opens it, the prosecutor still has it unread.
    const opened = await focal.get(`/notifications/${nid}/open`);
    expect(opened.status).toBe(303);
    expect(opened.headers.get('location')).toBe(`/requests/${id}`);
    expect(await (await focal.get('/inbox')).text()).toMatch(/aria-label="Notifications: 0 unread"/);
    const prosecutor = await signedIn(uy, 'UY', 'prosecutor', 'es');
    expect(await (await prosecutor.get('/inbox')).text()).toMatch(/aria-label="Notificaciones: 1 sin leer"/);
    expect((await prosecutor.post('/notifications/read', {})).status).toBe(303);
    expect(await (await prosecutor.get('/inbox')).text()).toMatch(/aria-label="Notificaciones: 0 sin leer"/);
    // Someone else's notification id is not opened by a role it is not for.
    expect((await auditor.get(`/notifications/${nid}/open`)).status).toBe(403);
  });

  it('tell of a step by the other state, and of a deadline due soon and then passed, once each', async () => {
    const first = (await net.api.ar.submit(submitRequestOf({ senderReference: 'AR-NOTIFY-2' }))).request!.id;
    const second = (await net.api.ar.submit(submitRequestOf({ senderReference: 'AR-NOTIFY-3' }))).request!.id;
    await eventually(() => (kindsFor(uy, 'focal.uy', second).includes('new_request') ? true : undefined), 20_000, 'both requests at UY');
    await withdraw(second);
    await eventually(() => (kindsFor(uy, 'focal.uy', second).includes('new_step') ? true : undefined), 20_000, 'the step notification');

    // The deadline of the first: a day before it, due soon; after it, overdue. A second scan adds nothing.
    const dueAt = await eventually(async () => {
      const r = (await uy.ctx.node.call({ subject: 'test', roles: ['auditor'] }, uy.ctx.node.exchange, uy.ctx.node.exchange.getRequest, { id: first, recheckSignatures: false })).request;
      return r?.dueAt ? Number(r.dueAt) : undefined;
    });
    uyClock.advance(dueAt - uyClock.now() - 86_400_000);
    expect(await uy.notifier.scanDeadlines()).toBeGreaterThanOrEqual(1);
    expect(kindsFor(uy, 'focal.uy', first)).toContain('due_soon');
    expect(kindsFor(uy, 'focal.uy', first)).not.toContain('overdue');
    uyClock.advance(3 * 86_400_000);
    await uy.notifier.scanDeadlines();
    expect(kindsFor(uy, 'focal.uy', first)).toContain('overdue');
    const before = kindsFor(uy, 'focal.uy', first).length;
    await uy.notifier.scanDeadlines();
    expect(kindsFor(uy, 'focal.uy', first)).toHaveLength(before);
    // The withdrawn request is closed: no deadline notification for it.
    expect(kindsFor(uy, 'focal.uy', second).filter((k) => k === 'due_soon' || k === 'overdue')).toEqual([]);
  });

  it('tell the people of the sending state of a request that could not be delivered, once', async () => {
    // AR is down: UY's request gets no receipt, and past the delivery horizon (72 h) it is FAILED at UY.
    await net.fed.stopNode('AR');
    const node = net.nodes.UY;
    const api = await clientsForIssuer(node.issuer, node.grpcAddress, ['focal_point'], uyClock.now(), await grpcCredentials());
    try {
      const id = (await api.submit(submitRequestOf({ toCountry: 'AR', senderReference: 'UY-NOTIFY-FAILED' }))).request!.id;
      uyClock.advance(73 * 3600_000);
      await eventually(() => (kindsFor(uy, 'focal.uy', id).includes('failed') ? true : undefined), 20_000, 'the failed-delivery notification at UY');
      await uy.notifier.scanDeadlines();
      expect(kindsFor(uy, 'focal.uy', id).filter((k) => k === 'failed')).toHaveLength(1);
    } finally {
      api.close();
    }
  });
});
