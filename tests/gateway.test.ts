/**
 * The gateway over HTTP against real nodes, a real nats-server and SQLite: sign-in, cookies,
 * CSRF, rate limits, roles, user administration, validation in the user's language, sending
 * through the JSON API, and every page in every language without a missing translation.
 */
import { describe, expect, it } from 'vitest';
import { LANGS } from '../gateway/index.js';
import { principalOf } from '../gateway/context.js';
import { submit } from '../gateway/app/requests.js';
import { demoUsers, HttpSession, signedIn, untranslated } from './_browser.js';
import { withFederation } from './_setup.js';
import { eventually } from './_util.js';

const LOGIN_LIMIT = { perIp: 50, perUser: 3, windowMs: 60_000, maxAccountDelayMs: 4_000, maxAddressDelayMs: 30_000 };
const { gw } = withFederation(['AR', 'UY'], { gateways: ['AR', 'UY'], auth: { AR: { loginLimit: LOGIN_LIMIT } } });

const user = (country: string, role: string) => {
  const u = demoUsers(country).find((x) => x.roles.includes(role as never))!;
  return { username: u.username, password: u.password };
};

describe('sign-in and sessions', () => {
  it('sets HttpOnly SameSite=Strict cookies and refuses a wrong password in the browser language', async () => {
    const s = new HttpSession(gw.AR.url);
    const page = await s.get('/login', { 'accept-language': 'pt-BR,pt;q=0.9' });
    expect(await page.text()).toContain('Entrar');
    const bad = await s.post('/login', { username: 'focal.ar', password: 'wrong password!' }, { headers: { 'accept-language': 'pt-BR' } });
    expect(bad.status).toBe(401);
    expect(await bad.text()).toContain('O usuário ou a senha não estão corretos');
    const ok = await s.post('/login', user('AR', 'focal_point'));
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/inbox');
    const session = ok.headers.getSetCookie().find((c) => c.startsWith('enlace_AR_session='))!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Strict/);
    expect((await s.get('/inbox')).status).toBe(200);
    const out = await s.post('/logout', {});
    expect(out.headers.get('location')).toBe('/login?bye=1');
    expect((await s.get('/inbox')).headers.get('location')).toMatch(/^\/login/);
  });

  it('slows failed logins per user down, even the right password, for a second or so and no more', async () => {
    const s = new HttpSession(gw.AR.url);
    await s.get('/login');
    for (let i = 0; i < 3; i++) expect((await s.post('/login', { username: 'prosecutor.ar', password: `nope-${i}-nope-nope` })).status).toBe(401);
    const limited = await s.post('/login', user('AR', 'prosecutor'));
    expect(limited.status).toBe(429);
    expect(await limited.text()).toMatch(/Wait \d+ seconds|Espere \d+ segundos/);
    await new Promise((r) => setTimeout(r, Number(limited.headers.get('retry-after')) * 1000));
    expect((await s.post('/login', user('AR', 'prosecutor'))).status).toBe(303);
  });

  it('refuses posts without the CSRF token or from another origin', async () => {
    const s = await signedIn(gw.AR, 'AR', 'focal_point');
    const form = { kind: 'mla', toCountry: 'UY', subject: 'CSRF probe', facts: 'x'.repeat(30) };
    expect((await s.post('/api/v1/requests', form, { json: true, csrf: 'forged-token-forged-token' })).status).toBe(403);
    expect((await s.post('/api/v1/requests', form, { json: true, origin: 'http://evil.example' })).status).toBe(403);
    expect((await s.post('/api/v1/requests', form, { json: true, origin: null })).status).toBe(403);
    const err = (await (await s.post('/api/v1/requests', form, { json: true, origin: 'http://evil.example' })).json()) as { error: { code: string } };
    expect(err.error.code).toBe('ERR_CSRF');
  });
});

describe('roles', () => {
  it('an auditor reads but cannot send, and the node refuses it too', async () => {
    const s = await signedIn(gw.AR, 'AR', 'auditor');
    expect((await s.get('/inbox')).status).toBe(200);
    expect((await s.get('/compose')).status).toBe(403);
    const api = await s.post('/api/v1/requests', { kind: 'mla', toCountry: 'UY', subject: 'Not allowed', facts: 'y'.repeat(30) }, { json: true });
    expect(api.status).toBe(403);
    // Even if the gateway's own check were bypassed, the node sees the auditor's roles and refuses.
    const auditor = gw.AR.ctx.users.byUsername('auditor.ar')!;
    await expect(submit(gw.AR.ctx, principalOf(auditor), { toCountry: 'UY', kind: 'mla', subject: 'bypass', payload: new Uint8Array() })).rejects.toMatchObject({ code: 'ERR_PERMISSION_DENIED' });
  });

  it('a user admin manages users but has no inbox; a directory admin does not manage users', async () => {
    const s = await signedIn(gw.AR, 'AR', 'user_admin');
    expect((await s.get('/inbox')).status).toBe(403);
    expect((await s.get('/admin/users')).status).toBe(200);
    expect((await (await signedIn(gw.AR, 'AR', 'directory_admin')).get('/admin/users')).status).toBe(403);
    const focal = await signedIn(gw.AR, 'AR', 'focal_point');
    expect((await focal.get('/admin/users')).status).toBe(403);
  });
});

describe('user administration', () => {
  it('creates an account with a one-time password, disables it (ending its session) and resets it', async () => {
    const admin = await signedIn(gw.AR, 'AR', 'user_admin');
    const bad = await admin.post('/admin/users', { username: 'X', displayName: '', roles: [] });
    expect(bad.status).toBe(400);
    const badText = await bad.text();
    expect(badText).toContain('Choose at least one role.');
    expect(badText).toContain('3 to 64 characters');

    const created = await admin.post('/admin/users', { username: 'new.focal', displayName: 'New Focal', roles: ['focal_point'], lang: 'fr' });
    expect(created.status).toBe(200);
    const password = /data-issued-password>([^<]+)</.exec(await created.text())![1]!;

    const person = new HttpSession(gw.AR.url);
    const first = await person.login('new.focal', password);
    expect(first.headers.get('location')).toBe('/account');
    expect((await person.get('/inbox')).headers.get('location')).toBe('/account');
    const changed = await person.post('/account/password', { current: password, password: 'a brand new passphrase', confirm: 'a brand new passphrase' });
    expect(changed.status).toBe(303);
    // The focal point role waits for a second person: another focal point approves it.
    expect((await person.get('/inbox')).status).toBe(403);
    const approver = await signedIn(gw.AR, 'AR', 'focal_point');
    const grant = /data-grant="(\d+)"><th scope="row">new\.focal/.exec(await (await approver.get('/approvals')).text())![1]!;
    expect((await approver.post(`/approvals/${grant}/approve`, {})).status).toBe(200);
    expect((await person.login('new.focal', 'a brand new passphrase')).status).toBe(303);
    expect((await person.get('/inbox')).status).toBe(200);

    const id = gw.AR.ctx.users.byUsername('new.focal')!.id;
    expect((await admin.post(`/admin/users/${id}/disable`, {})).status).toBe(200);
    expect((await person.get('/inbox')).headers.get('location')).toMatch(/^\/login/);
    expect((await new HttpSession(gw.AR.url).login('new.focal', 'a brand new passphrase')).status).toBe(401);

    await admin.post(`/admin/users/${id}/enable`, {});
    const reset = await admin.post(`/admin/users/${id}/reset`, {});
    const again = /data-issued-password>([^<]+)</.exec(await reset.text())![1]!;
    expect((await new HttpSession(gw.AR.url).login('new.focal', again)).headers.get('location')).toBe('/account');
  });
});

describe('requests through the gateway', () => {
  it('checks the compose form as you type, in the user language', async () => {
    const s = await signedIn(gw.AR, 'AR', 'focal_point', 'fr');
    const res = await s.post('/api/v1/compose/check', { kind: '', toCountry: 'ZZ', subject: 'ab' });
    const { problems } = (await res.json()) as { problems: Record<string, string> };
    expect(problems.kind).toBe('Choisissez le type de demande.');
    expect(problems.toCountry).toBe('Choisissez un État du réseau.');
    expect(problems.subject).toBe('Écrivez au moins 5 caractères.');
    const typed = await s.post('/api/v1/compose/check', { kind: 'nationality_verification', toCountry: 'UY', subject: 'Nationality of a victim', 't.victim.date_of_birth': '12/04/1999' });
    const t = (await typed.json()) as { problems: Record<string, string>; missing: string[] };
    expect(t.problems['t.victim.date_of_birth']).toBe('Utilisez une date comme 2026-12-31.');
    expect(t.missing).toContain('t.victim.family_names');
    const none = await s.post('/api/v1/compose/check', {
      kind: 'spontaneous_information',
      toCountry: 'UY',
      subject: 'Routes across the border',
      't.facts': 'Victims are moved across the border at Rivera.',
    });
    expect(((await none.json()) as { problems: object }).problems).toEqual({});
  });

  it('sends from AR, UY receives it, AR sees the verified receipt', async () => {
    const s = await signedIn(gw.AR, 'AR', 'focal_point');
    const incomplete = await s.post('/api/v1/requests', { kind: 'spontaneous_information', toCountry: 'UY', subject: 'Routes across the border' }, { json: true });
    expect(incomplete.status).toBe(400);
    expect(((await incomplete.json()) as { error: { problems: { field: string }[] } }).error.problems.map((p) => p.field)).toContain('t.facts');
    const sent = await s.post(
      '/api/v1/requests',
      { kind: 'spontaneous_information', toCountry: 'UY', subject: 'Routes across the border', 't.facts': 'Victims are moved across the border at Rivera.', senderReference: 'AR-GW-1' },
      { json: true },
    );
    expect(sent.status).toBe(201);
    const { request } = (await sent.json()) as { request: { id: string } };
    const uyFocal = await signedIn(gw.UY, 'UY', 'focal_point');
    await eventually(async () => {
      const inbox = (await (await uyFocal.get('/api/v1/requests?box=inbox')).json()) as { requests: { id: string; unread: boolean }[]; counts: { new: number } };
      return inbox.requests.find((r) => r.id === request.id && r.unread) && inbox.counts.new > 0 ? true : undefined;
    });
    const detail = await eventually(async () => {
      const d = (await (await s.get(`/api/v1/requests/${request.id}`)).json()) as { request: { status: string }; receipt: { signer: string; signatureVerified: boolean } | null };
      return d.request.status === 'delivered' ? d : undefined;
    });
    expect(detail.receipt).toMatchObject({ signer: 'UY', signatureVerified: true });
  });
});

describe('translations', () => {
  it('every page answers and renders in every language without a missing or untranslated key', async () => {
    // A delivered request, so that lists, statuses and the timeline of a request page are swept too.
    const focal = await signedIn(gw.AR, 'AR', 'focal_point');
    const sent = await focal.post(
      '/api/v1/requests',
      { kind: 'spontaneous_information', toCountry: 'UY', subject: 'Routes across the border', 't.facts': 'Victims are moved across the border at Rivera.' },
      { json: true },
    );
    expect(sent.status).toBe(201);
    const { request } = (await sent.json()) as { request: { id: string } };
    await eventually(async () => {
      const d = (await (await focal.get(`/api/v1/requests/${request.id}`)).json()) as { request: { status: string } };
      return d.request.status === 'delivered' ? true : undefined;
    });
    /** Each page a role opens, with the status it must answer. */
    const pages: Record<string, [path: string, status: number][]> = {
      focal_point: [
        ['/inbox', 200],
        ['/outbox', 200],
        [`/requests/${request.id}`, 200],
        ['/compose', 200],
        ['/compose?kind=nationality_verification&to=UY', 200],
        ['/extradition', 200],
        ['/network', 200],
        ['/account', 200],
        ['/approvals', 200],
        ['/inbox?due=overdue', 200],
        ['/directory', 200],
        ['/directory?text=zzzz', 200],
        ['/nowhere', 404],
      ],
      user_admin: [
        ['/admin/users', 200],
        ['/inbox', 403],
        ['/account', 200],
      ],
      directory_admin: [
        ['/admin/users', 403],
        ['/network', 200],
        ['/inbox', 403],
        ['/directory', 200],
        ['/directory/new', 200],
        ['/directory/import', 200],
      ],
      auditor: [
        ['/inbox', 200],
        ['/outbox', 200],
        [`/requests/${request.id}`, 200],
        ['/network', 200],
        ['/audit', 200],
      ],
    };
    const anonymous = new HttpSession(gw.AR.url);
    for (const lang of LANGS) {
      await anonymous.get(`/lang/${lang}?next=/login`);
      const res = await anonymous.get('/login');
      expect(res.status, `login ${lang}`).toBe(200);
      const login = await res.text();
      expect(login).toContain(`<html lang="${lang}">`);
      expect(untranslated(login, lang), `login ${lang}`).toEqual([]);
    }
    const problems: string[] = [];
    for (const [role, paths] of Object.entries(pages)) {
      for (const lang of LANGS) {
        const s = await signedIn(gw.AR, 'AR', role, lang);
        for (const [path, status] of paths) {
          const res = await s.get(path);
          const text = await res.text();
          if (res.status !== status) problems.push(`${role} ${lang} ${path}: status ${res.status}, not ${status}`);
          if (!text.includes(`<html lang="${lang}">`)) problems.push(`${role} ${lang} ${path}: not in ${lang}`);
          problems.push(...untranslated(text, lang).map((k) => `${role} ${lang} ${path}: ${k}`));
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
