/**
 * Nothing typed is lost (issue 17 item 2): the compose form is saved as a sealed draft as one
 * types, only its author reads it, it is resumed from the list, and a session that ended while
 * the request was being written leads back to the draft after signing in.
 */
import { describe, expect, it } from 'vitest';
import { demoUsers, signedIn as signedInAt, type HttpSession } from './_browser.js';
import { withFederation } from './_setup.js';

const { gw } = withFederation(['AR', 'UY'], { gateways: ['AR'] });

function userOf(country: string, role: string) {
  return demoUsers(country).find((x) => x.roles.includes(role as never))!;
}

const signedIn = (role: string, lang: string): Promise<HttpSession> => signedInAt(gw.AR, 'AR', role, lang);

const TYPED = { kind: 'nationality_verification', toCountry: 'UY', subject: 'Verificación pedida por la fiscalía 12', 't.victim.given_names': 'Marta Elena' };

describe('drafts', () => {
  it('are saved as one types, sealed, listed and resumed by their author only', async () => {
    const focal = await signedIn('focal_point', 'es');
    const saved = await focal.post('/api/v1/drafts', { ...TYPED, draft: '' }, { json: true });
    expect(saved.status).toBe(200);
    const { id } = (await saved.json()) as { id: string; savedAt: number };
    // Typing on: the same draft is updated, not a new one.
    const again = await focal.post('/api/v1/drafts', { ...TYPED, subject: `${TYPED.subject}, urgente`, draft: id }, { json: true });
    expect(((await again.json()) as { id: string }).id).toBe(id);

    const list = await (await focal.get('/drafts')).text();
    expect(list).toContain(`/compose?draft=${id}`);
    expect(list).toContain('Borradores');
    const form = await (await focal.get(`/compose?draft=${id}`)).text();
    expect(form).toContain('value="Verificación pedida por la fiscalía 12, urgente"');
    expect(form).toContain('value="Marta Elena"');
    expect(form).toContain('Borrador recuperado');

    // Sealed at rest: neither the subject nor the name is in the gateway's database.
    const rows = gw.AR.ctx.db.prepare('SELECT sealed, kind, to_country FROM drafts WHERE id = ?').all(id) as { sealed: Buffer; kind: string; to_country: string }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]!.sealed.toString('latin1')).not.toContain('Marta');
    expect(Buffer.from(rows[0]!.sealed).includes(Buffer.from('Marta Elena'))).toBe(false);
    expect(rows[0]!.kind).toBe('nationality_verification');

    // Another person of the same gateway neither lists nor opens it.
    const other = await signedIn('prosecutor', 'en');
    expect(await (await other.get('/drafts')).text()).not.toContain(id);
    const theirs = await other.get(`/compose?draft=${id}`);
    expect(theirs.status).toBe(303);
    expect(theirs.headers.get('location')).toBe('/drafts');
    // Saving under someone else's draft id starts a draft of one's own.
    const hijack = await other.post('/api/v1/drafts', { ...TYPED, draft: id }, { json: true });
    expect(((await hijack.json()) as { id: string }).id).not.toBe(id);
    expect(gw.AR.ctx.drafts.get(userIdOf('focal_point'), id)?.subject).toBe('Verificación pedida por la fiscalía 12, urgente');

    expect((await focal.post(`/drafts/${id}/delete`, {})).status).toBe(303);
    expect(await (await focal.get('/drafts')).text()).not.toContain(`/compose?draft=${id}`);
  });

  it('lead back to the draft after a session that ended mid-compose', async () => {
    const focal = await signedIn('focal_point', 'pt');
    const { id } = (await (await focal.post('/api/v1/drafts', { ...TYPED, draft: '' }, { json: true })).json()) as { id: string };
    // The session ends (here: every session of the person, as a password reset does).
    gw.AR.ctx.sessions.endAllFor(userIdOf('focal_point'), 'idle', Date.now());
    const posted = await focal.post('/compose', { ...TYPED, draft: id, step: 'review' });
    expect(posted.status).toBe(303);
    const next = `/compose?draft=${id}`;
    expect(posted.headers.get('location')).toBe(`/login?next=${encodeURIComponent(next)}`);
    const u = userOf('AR', 'focal_point');
    await focal.get(posted.headers.get('location')!);
    const back = await focal.post('/login', { username: u.username, password: u.password, next });
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe(next);
    expect(await (await focal.get(next)).text()).toContain('value="Marta Elena"');
  });
});

function userIdOf(role: string): number {
  const u = gw.AR.ctx.users.byUsername(userOf('AR', role).username);
  if (!u) throw new Error(`no ${role} at AR`);
  return u.id;
}
