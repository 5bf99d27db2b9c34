/**
 * Accounts a ministry can trust, over HTTP against a real gateway and node: the four-eyes
 * grant of content roles, one-time passwords that open only the change-password form on every
 * route and method, sessions that end (logout, password change, reset, idle) with the open
 * event stream, throttling that never keeps the right password out for more than a few
 * seconds, NIST password rules, redirects that stay on site, TOTP, HSTS behind a proxy.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Gateway, type GatewayConfig, type SeedUser } from '../gateway/index.js';
import Database from 'better-sqlite3';
import { totpCode } from '../gateway/auth/totp.js';
import { submit } from '../gateway/app/requests.js';
import { principalOf } from '../gateway/context.js';
import { completeRequest } from '../services/requests/testkit.js';
import { demoUsers, gatewayConfig, HttpSession } from './_browser.js';
import { withFederation } from './_setup.js';
import { clientsFor, PASSPHRASE, quietLogger, rejectionOf, submitRequestOf, type Federation } from './_util.js';

let skewMs = 0;

const pw = (name: string) => `test-${name}-long-password`;
const extra: (SeedUser & { password: string })[] = [
  { username: 'users.ar', displayName: 'User admin AR', roles: ['user_admin'], password: pw('users'), lang: 'en' },
  { username: 'dual.ar', displayName: 'Focal point and user admin AR', roles: ['user_admin', 'focal_point'], password: pw('dual'), lang: 'en' },
  { username: 'focal2.ar', displayName: 'Second focal point AR', roles: ['focal_point'], password: pw('focal2'), lang: 'es' },
];
const seeded = (name: string) => [...demoUsers('AR'), ...extra].find((u) => u.username === name)!;

/** A gateway with its own seed and a trusted proxy at 127.0.0.1, so tests speak for several addresses. */
async function startAccountsGateway(fed: Federation, over: Partial<GatewayConfig['auth']> = {}, now?: () => number): Promise<Gateway> {
  const cfg = gatewayConfig(fed, 'AR', { loginLimit: { perIp: 10, perUser: 3, windowMs: 60_000, maxAccountDelayMs: 2_000, maxAddressDelayMs: 20_000 }, ...over });
  cfg.http.trustedProxies = ['127.0.0.1'];
  const seed = join(fed.dir, `accounts-users-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(seed, JSON.stringify([...demoUsers('AR'), ...extra]));
  cfg.seedUsersFile = seed;
  const gw = await Gateway.create(cfg, { passphrase: PASSPHRASE }, { logger: quietLogger, ...(now ? { now } : {}) });
  await gw.start();
  return gw;
}

const net = withFederation(['AR', 'UY'], { gateways: ['AR'], startGateway: (fed) => startAccountsGateway(fed, {}, () => Date.now() + skewMs) });
const { gw } = net;

async function signIn(name: string, from = '10.1.0.1', password = seeded(name).password): Promise<HttpSession> {
  const s = new HttpSession(gw.AR.url);
  await s.get('/login', { 'x-forwarded-for': from });
  const res = await s.post('/login', { username: name, password }, { headers: { 'x-forwarded-for': from } });
  expect(res.status, `sign-in of ${name}`).toBe(303);
  return s;
}

/** Reads an event stream until `until` appears in it or it ends; returns what was read. */
async function readStream(res: Response, until: string, timeoutMs = 10_000): Promise<string> {
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let text = '';
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const chunk = await Promise.race([reader.read(), new Promise<{ done: true; value: undefined }>((r) => setTimeout(() => r({ done: true, value: undefined }), deadline - Date.now()))]);
    if (chunk.value) text += dec.decode(chunk.value);
    if (text.includes(until) || chunk.done) break;
  }
  await reader.cancel().catch(() => undefined);
  return text;
}

function issuedPassword(html: string): string {
  return /data-issued-password>([^<]+)</.exec(html)![1]!;
}

describe('separation of duties', () => {
  it('a directory admin no longer manages accounts; a user admin does, and a content role waits for a second person', async () => {
    const dirAdmin = await signIn('admin.ar');
    const refused = await dirAdmin.get('/admin/users');
    expect(refused.status).toBe(403);

    const admin = await signIn('users.ar');
    const created = await admin.post('/admin/users', { username: 'self.ar', displayName: 'The admin, again', roles: ['focal_point'], lang: 'en' });
    const page = await created.text();
    expect(page).toContain('Waiting for a second person’s approval: Focal point');
    const oneTime = issuedPassword(page);

    // The admin signs in with the account they made: no content, nothing but the password form until changed.
    const self = await signIn('self.ar', '10.1.0.2', oneTime);
    await self.post('/account/password', { current: oneTime, password: 'a sentence only I know', confirm: 'a sentence only I know' });
    expect((await self.get('/api/v1/me').then((r) => r.json())) as { roles: string[] }).toMatchObject({ roles: [] });
    expect((await self.get('/inbox')).status).toBe(403);

    // Neither the user admin (not a focal point) nor a focal point who asked for it may approve.
    expect((await admin.get('/approvals')).status).toBe(403);
    const dual = await signIn('dual.ar');
    const own = await dual.post('/admin/users', { username: 'mine.ar', displayName: 'Mine', roles: ['focal_point'], lang: 'en' });
    expect(own.status).toBe(200);
    const list = await (await dual.get('/approvals')).text();
    const mineId = /data-grant="(\d+)"><th scope="row">mine\.ar/.exec(list)![1]!;
    expect(list).toContain('you asked for it: another person approves it');
    const selfApproval = await dual.post(`/approvals/${mineId}/approve`, {});
    expect(selfApproval.status).toBe(403);
    expect(await selfApproval.text()).toContain('You cannot approve this');

    // A second focal point approves (in Spanish); the grant takes effect and is in the audit.
    const second = await signIn('focal2.ar');
    const selfId = /data-grant="(\d+)"><th scope="row">self\.ar/.exec(await (await second.get('/approvals')).text())![1]!;
    const ok = await second.post(`/approvals/${selfId}/approve`, {});
    expect(await ok.text()).toContain('Punto focal aprobado para self.ar');
    // Approval changed self.ar's roles: their session ended.
    expect((await self.get('/account')).headers.get('location')).toMatch(/^\/login/);
    const again = await signIn('self.ar', '10.1.0.2', 'a sentence only I know');
    expect(((await again.get('/api/v1/me').then((r) => r.json())) as { roles: string[] }).roles).toEqual(['focal_point']);
  });

  it('a reset gives a one-time password that opens only the change-password form, on pages, forms, the JSON API and the event stream; content roles wait for approval again', async () => {
    const victim = await signIn('prosecutor.ar', '10.1.0.3');
    const admin = await signIn('users.ar');
    const users = await (await admin.get('/admin/users')).text();
    const id = /<tr data-user="prosecutor\.ar">[^]*?action="\/admin\/users\/(\d+)\//.exec(users)![1]!;
    const reset = await admin.post(`/admin/users/${id}/reset`, {});
    const text = await reset.text();
    expect(text).toContain('Waiting for a second person’s approval: Prosecutor');
    const oneTime = issuedPassword(text);
    // The victim's own session ended with the reset.
    expect((await victim.get('/inbox')).headers.get('location')).toMatch(/^\/login/);

    const intruder = await signIn('prosecutor.ar', '10.1.0.4', oneTime);
    await intruder.get('/lang/fr?next=/account');
    expect((await intruder.get('/inbox')).headers.get('location')).toBe('/account');
    const api = await intruder.get('/api/v1/requests');
    expect(api.status).toBe(403);
    expect(((await api.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'ERR_PERMISSION_DENIED', message: expect.stringContaining('administrateur') });
    const post = await intruder.post('/requests/AR-0000000000000000000000000000/actions', { action: 'acknowledge' });
    expect(post.status).toBe(403);
    expect(await post.text()).toContain('administrateur');
    const apiPost = await intruder.post('/api/v1/requests', { kind: 'mla', toCountry: 'UY', subject: 'x' }, { json: true });
    expect(apiPost.status).toBe(403);
    expect((await intruder.get('/events')).status).toBe(403);
    expect((await intruder.get('/account')).status).toBe(200);
    // Changing the password gives no content back: the prosecutor role waits for a second person.
    const changed = await intruder.post('/account/password', { current: oneTime, password: 'intruder keeps this one', confirm: 'intruder keeps this one' });
    expect(changed.status).toBe(303);
    expect(((await intruder.get('/api/v1/me').then((r) => r.json())) as { roles: string[] }).roles).toEqual([]);
  });
});

describe('sessions that end', () => {
  it('a cookie copied before logout opens nothing afterwards, and the open event stream ends at logout', async () => {
    const s = await signIn('focal.ar');
    const copy = new HttpSession(gw.AR.url);
    for (const [k, v] of s.cookies) copy.cookies.set(k, v);
    const stream = await copy.get('/events');
    expect(stream.status).toBe(200);
    const reading = readStream(stream, 'event: ended');
    await new Promise((r) => setTimeout(r, 300));
    expect((await s.post('/logout', {})).headers.get('location')).toBe('/login?bye=1');
    const text = await reading;
    expect(text, text).toContain('event: ended');
    expect(text).toContain('Your session has ended');
    expect((await copy.get('/inbox')).headers.get('location')).toMatch(/^\/login/);
    expect((await copy.get('/api/v1/me')).status).toBe(401);
    expect((await copy.get('/events')).headers.get('location')).toMatch(/^\/login/);
  });

  it('a password change ends every other session of that person, event stream included', async () => {
    const laptop = await signIn('auditor.ar', '10.1.0.5');
    const phone = await signIn('auditor.ar', '10.1.0.6');
    const stream = await phone.get('/events');
    const reading = readStream(stream, 'event: ended');
    await new Promise((r) => setTimeout(r, 300));
    const next = 'auditors read every line';
    expect((await laptop.post('/account/password', { current: seeded('auditor.ar').password, password: next, confirm: next })).status).toBe(303);
    expect(await reading).toContain('event: ended');
    expect((await phone.get('/network')).headers.get('location')).toMatch(/^\/login/);
    expect((await laptop.get('/network')).status).toBe(200);
  });

  it('a session ends after the idle timeout and after its absolute lifetime', async () => {
    const s = await signIn('operator.ar');
    expect((await s.get('/account')).status).toBe(200);
    skewMs = 31 * 60_000;
    try {
      expect((await s.get('/account')).headers.get('location')).toMatch(/^\/login/);
    } finally {
      skewMs = 0;
    }
    const t = await signIn('operator.ar');
    try {
      // Activity every 20 minutes keeps it from idling, not from its 12 hours.
      for (let m = 20; m < 12 * 60; m += 20) {
        skewMs = m * 60_000;
        expect((await t.get('/account')).status, `minute ${m}`).toBe(200);
      }
      skewMs = 12 * 3600_000;
      expect((await t.get('/account')).headers.get('location')).toMatch(/^\/login/);
    } finally {
      skewMs = 0;
    }
  });
});

describe('sign-in without lockout abuse', () => {
  it('an outsider typing wrong passwords keeps the owner out for at most a few seconds', async () => {
    const attacker = new HttpSession(gw.AR.url);
    await attacker.get('/login');
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await attacker.post('/login', { username: 'focal2.ar', password: `guess number ${i}` }, { headers: { 'x-forwarded-for': '203.0.113.9' } })).status);
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses).toContain(429);
    const limited = await attacker.post('/login', { username: 'focal2.ar', password: 'one more guess' }, { headers: { 'x-forwarded-for': '203.0.113.9', 'accept-language': 'es' } });
    expect(limited.status).toBe(429);
    expect(await limited.text()).toMatch(/Espere \d+ segundos/);

    const owner = new HttpSession(gw.AR.url);
    await owner.get('/login', { 'x-forwarded-for': '198.51.100.7' });
    const started = Date.now();
    const ownerSignsIn = () => owner.post('/login', { username: 'focal2.ar', password: seeded('focal2.ar').password }, { headers: { 'x-forwarded-for': '198.51.100.7' } });
    let res = await ownerSignsIn();
    while (res.status === 429) {
      const wait = Number(res.headers.get('retry-after'));
      expect(wait).toBeLessThanOrEqual(2);
      await new Promise((r) => setTimeout(r, wait * 1000));
      res = await ownerSignsIn();
    }
    expect(res.status).toBe(303);
    expect(Date.now() - started).toBeLessThan(3_000);

    // A browser that signed in before is spared the account's delay altogether.
    for (let i = 0; i < 5; i++) await attacker.post('/login', { username: 'focal2.ar', password: `again ${i} wrong` }, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    await owner.post('/logout', {});
    const back = await ownerSignsIn();
    expect(back.status).toBe(303);
  });

  it('refuses aaaaaaaaaaaa and common passwords with the reason, in the user language', async () => {
    const s = await signIn('operator.ar', '10.1.0.8');
    await s.get('/lang/es?next=/account');
    const cur = seeded('operator.ar').password;
    const bad = await s.post('/account/password', { current: cur, password: 'aaaaaaaaaaaa', confirm: 'aaaaaaaaaaaa' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Esta contraseña es una repetición o una secuencia');
    const common = await s.post('/account/password', { current: cur, password: 'Password2024!', confirm: 'Password2024!' });
    expect(await common.text()).toContain('Esta contraseña está entre las más usadas o filtradas');
  });
});

describe('links that stay on site', () => {
  it('the language switch and the sign-in next never leave the gateway', async () => {
    const anon = new HttpSession(gw.AR.url);
    for (const next of ['/%09/127.0.0.2:9/pwned', '//evil.example/', '/\\evil.example', 'https://evil.example/', '/%0a/evil.example', '/ /evil']) {
      const res = await anon.get(`/lang/en?next=${encodeURIComponent(next)}`);
      expect(res.status, next).toBe(302);
      expect(new URL(res.headers.get('location')!, gw.AR.url).origin, next).toBe(new URL(gw.AR.url).origin);
    }
    expect((await anon.get('/lang/en?next=/%09/127.0.0.2:9/pwned')).headers.get('location')).toBe('/');
    expect((await anon.get('/lang/en?next=%2Fdirectory%3Fq%3Dx')).headers.get('location')).toBe('/directory?q=x');
    const s = new HttpSession(gw.AR.url);
    await s.get('/login');
    const res = await s.post('/login', { username: 'focal.ar', password: seeded('focal.ar').password, next: '/\t/127.0.0.2:9/pwned' });
    expect(res.headers.get('location')).toBe('/inbox');
  });
});

describe('documents', () => {
  it('refuses evidence.html declared and signed as PDF; a PDF downloads as an attachment with a safe name, nosniff and a sandbox', async () => {
    const node = await clientsFor(net.nodes.AR, ['focal_point']);
    const pdf = new TextEncoder().encode('%PDF-1.7\n<html><script>alert(1)</script></html>');
    const refused = await rejectionOf(node.submit(submitRequestOf({ attachments: [{ fileName: 'evidence.html', mediaType: 'application/pdf', content: pdf }] })));
    expect(refused.enlaceCode).toBe('ERR_INVALID_ARGUMENT');
    expect(refused.details).toContain('attachments[0].file_name must end in .pdf');
    const sent = (await node.submit(submitRequestOf({ senderReference: 'DOC-1', attachments: [{ fileName: 'acta "firmada".pdf', mediaType: 'application/pdf', content: pdf }] }))).request!;
    const s = await signIn('focal2.ar', '10.3.0.1');
    const page = await (await s.get(`/requests/${sent.id}`)).text();
    const href = /href="(\/requests\/[^"]+\/attachments\/[^"]+)"/.exec(page)![1]!;
    const res = await s.get(href);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="acta _firmada_.pdf"; filename*=UTF-8''acta%20_firmada_.pdf`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
  });
});

describe('TOTP and HTTPS', () => {
  it('sets up TOTP from the account page with a QR code, then asks for the code at sign-in; a wrong or replayed code is refused', async () => {
    const s = await signIn('focal.ar', '10.1.0.9');
    const started = await (await s.post('/account/totp/start', {})).text();
    expect(started).toContain('<svg');
    const secret = /data-totp-secret>([A-Z2-7]+)</.exec(started)![1]!;
    const wrong = await s.post('/account/totp/confirm', { code: '000000' === totpCode(secret, Date.now()) ? '111111' : '000000' });
    expect(await wrong.text()).toContain('This code is not right');
    expect((await s.post('/account/totp/confirm', { code: totpCode(secret, Date.now()) })).headers.get('location')).toBe('/account?enrolled=1');

    const fresh = new HttpSession(gw.AR.url);
    await fresh.get('/login');
    const first = await fresh.post('/login', { username: 'focal.ar', password: seeded('focal.ar').password });
    expect(first.headers.get('location')).toBe('/login/code');
    // The password alone opens nothing.
    expect((await fresh.get('/inbox')).headers.get('location')).toMatch(/^\/login/);
    expect((await fresh.get('/api/v1/me')).status).toBe(401);
    const bad = await fresh.post('/login/code', { code: '12345' });
    expect(bad.status).toBe(401);
    expect(await bad.text()).toContain('This code is not right');
    // The code that confirmed the set-up cannot be used again; the next one (clock drift of one step is allowed) can.
    expect((await fresh.post('/login/code', { code: totpCode(secret, Date.now()) })).status).toBe(401);
    const code = totpCode(secret, Date.now() + 30_000);
    const ok = await fresh.post('/login/code', { code });
    expect(ok.headers.get('location')).toBe('/inbox');
    expect(((await (await fresh.get('/api/v1/me')).json()) as { username: string }).username).toBe('focal.ar');

    const replay = new HttpSession(gw.AR.url);
    await replay.get('/login');
    await replay.post('/login', { username: 'focal.ar', password: seeded('focal.ar').password });
    const again = await replay.post('/login/code', { code });
    expect(again.status).toBe(401);
    expect(await again.text()).toContain('was used already');
  });

  it('requires TOTP for content roles when configured: only the account page opens until it is set up', async () => {
    const totpGw = await startAccountsGateway(net.fed, { requireTotpForContent: true });
    try {
      const s = new HttpSession(totpGw.url);
      await s.get('/login');
      expect((await s.post('/login', { username: 'focal2.ar', password: seeded('focal2.ar').password })).status).toBe(303);
      expect((await s.get('/inbox')).headers.get('location')).toBe('/account');
      const page = await (await s.get('/account')).text();
      expect(page).toContain('configure un segundo factor');
      expect((await s.get('/api/v1/requests')).status).toBe(403);
      const auditor = new HttpSession(totpGw.url);
      await auditor.get('/login');
      await auditor.post('/login', { username: 'operator.ar', password: seeded('operator.ar').password });
      expect((await auditor.get('/api/v1/me')).status).toBe(200);
    } finally {
      await totpGw.destroy();
    }
  });

  it('behind a trusted proxy that says https: HSTS and Secure cookies; plain http: neither', async () => {
    const https = await fetch(`${gw.AR.url}/login`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(https.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(https.headers.getSetCookie().every((c) => /; Secure/.test(c))).toBe(true);
    const plain = await fetch(`${gw.AR.url}/login`);
    expect(plain.headers.get('strict-transport-security')).toBeNull();
    expect(plain.headers.getSetCookie().some((c) => /; Secure/.test(c))).toBe(false);
  });
});

describe("the auditor's screens", () => {
  it('shows who read what and when with the chain the node verified, grants and approvals, account changes; filters and CSV export; a broken chain is shown as broken', async () => {
    const focal = gw.AR.ctx.users.byUsername('focal2.ar')!;
    const sent = await submit(gw.AR.ctx, principalOf(focal), {
      toCountry: 'UY',
      kind: 'extradition',
      subject: 'Extradition for the audit',
      typed: completeRequest('extradition'),
      senderReference: 'AUDIT-1',
    });
    const reader = await signIn('focal2.ar', '10.2.0.1');
    expect((await reader.get(`/requests/${sent.id}`)).status).toBe(200);

    const auditor = await signIn('auditor.ar', '10.2.0.2', 'auditors read every line');
    expect((await reader.get('/audit')).status).toBe(403);
    const page = await (await auditor.get(`/audit?person=focal2.ar&requestId=${sent.id}`)).text();
    expect(page, page.slice(page.indexOf('<main'), page.indexOf('<main') + 900)).toContain('data-chain="intact"');
    expect(page).toMatch(/Hash chain verified by the node for this page: \d+ entries/);
    expect(page).toContain('gateway:focal2.ar');
    expect(page).toContain('<span data-action="read_content">Opened a request</span> <code class="muted small">read_content</code>');
    // Grants and approvals of the four-eyes test, and the reset, are there.
    expect(page).toMatch(/<tr data-grant="\d+"><td>self\.ar<\/td><td>Focal point<\/td><td>users\.ar<\/td>[^]*?approved<\/td><td>focal2\.ar/);
    const accounts = await (await auditor.get('/audit?action=reset_password')).text();
    expect(accounts).toMatch(/<tr data-acct="reset_password"><td>[^<]+<\/td><td>users\.ar<\/td><td>password reset \(one-time\)<\/td><td>prosecutor\.ar/);

    const csv = await auditor.get(`/audit/node.csv?requestId=${sent.id}`);
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="audit-AR-node\.csv"/);
    const text = await csv.text();
    expect(text).toContain(`gateway:focal2.ar,focal_point,read_content,${sent.id}`);
    expect(text).toContain('chain_intact=true');
    const accCsv = await (await auditor.get('/audit/accounts.csv?person=dual.ar')).text();
    expect(accCsv).toMatch(/dual\.ar,request_role,mine\.ar,focal_point/);

    // Someone with the database file rewrites a line: the node's check finds it and the page says so.
    const db = new Database(join(net.fed.layout.dataDir('AR'), 'node.db'));
    try {
      db.exec('DROP TRIGGER audit_log_no_update');
      db.prepare("UPDATE audit_log SET actor = 'gateway:nobody' WHERE seq = (SELECT MIN(seq) FROM audit_log)").run();
    } finally {
      db.close();
    }
    const broken = await (await auditor.get('/audit')).text();
    expect(broken).toContain('data-chain="broken"');
    expect(broken).not.toContain('data-chain="intact"');
    expect(broken).toContain('The hash chain does not verify');
  });
});
