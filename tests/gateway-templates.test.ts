/**
 * Starting a request from something earlier (issue 17): personal templates, saved from the
 * compose form, sealed like drafts and seen by their author only; and "duplicate" on a
 * request's page, which copies what the node shows the person (content for content roles,
 * persons' identity only if asked) and never the documents.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { submit } from '../gateway/app/requests.js';
import { principalOf } from '../gateway/context.js';
import { nodeAudit } from '../gateway/app/audit.js';
import { completeRequest } from '../services/requests/testkit.js';
import { demoUsers, signedIn } from './_browser.js';
import { withFederation } from './_setup.js';

const { gw } = withFederation(['AR', 'UY'], { gateways: ['AR'] });

const FORM = { kind: 'nationality_verification', toCountry: 'UY', subject: 'Verificación para el consulado', 't.purpose': 'repatriation', 't.victim.given_names': 'Marta Elena', draft: '' };

const userId = (role: string) => gw.AR.ctx.users.byUsername(demoUsers('AR').find((u) => u.roles.includes(role as never))!.username)!.id;

describe('templates', () => {
  it('are saved from the compose form under a name, sealed, listed on compose for their author only, started from and deleted', async () => {
    const focal = await signedIn(gw.AR, 'AR', 'focal_point', 'fr');
    const saved = await focal.post('/templates', { ...FORM, templateName: 'Vérification pour le consulat' });
    expect(saved.status).toBe(303);
    const back = saved.headers.get('location')!;
    expect(back).toMatch(/^\/compose\?draft=[0-9a-f-]{36}&saved=[0-9a-f-]{36}$/);
    const form = await (await focal.get(back)).text();
    // The form comes back as it was (the draft was saved with it) and says the template is saved.
    expect(form).toContain('value="Marta Elena"');
    expect(form).toContain('Modèle « Vérification pour le consulat » enregistré.');
    const [template] = gw.AR.ctx.drafts.templates(userId('focal_point'));
    expect(template).toMatchObject({ name: 'Vérification pour le consulat', kind: 'nationality_verification', toCountry: 'UY' });
    expect(form).toContain(`href="/compose?template=${template!.id}"`);
    // Not a draft: the list of drafts does not show it.
    expect(await (await focal.get('/drafts')).text()).not.toContain(template!.id);

    // Sealed at rest like a draft.
    const row = gw.AR.ctx.db.prepare('SELECT sealed FROM drafts WHERE id = ?').get(template!.id) as { sealed: Buffer };
    expect(row.sealed.includes(Buffer.from('Marta Elena'))).toBe(false);
    expect(row.sealed.includes(Buffer.from('consulado'))).toBe(false);

    // Starting from it: a new form with its values, a new draft (not the template) as one types.
    const started = await (await focal.get(`/compose?template=${template!.id}`)).text();
    expect(started).toContain('value="Verificación para el consulado"');
    expect(started).toContain('value="Marta Elena"');
    expect(started).toContain('<input type="hidden" name="draft" value="">');
    expect(started).toContain('Commencée avec le modèle « Vérification pour le consulat »');
    // Autosaving under the template's id starts a draft of its own; the template stays as it was.
    const autosaved = (await (await focal.post('/api/v1/drafts', { ...FORM, subject: 'Otro asunto', draft: template!.id }, { json: true })).json()) as { id: string };
    expect(autosaved.id).not.toBe(template!.id);
    expect(gw.AR.ctx.drafts.get(userId('focal_point'), template!.id)?.subject).toBe('Verificación para el consulado');
    // Discarding a draft by the template's id leaves the template.
    await focal.post(`/drafts/${template!.id}/delete`, {});
    expect(gw.AR.ctx.drafts.templates(userId('focal_point'))).toHaveLength(1);

    // Saving again under the same name replaces it; without a name, nothing is saved and the form says why.
    await focal.post('/templates', { ...FORM, subject: 'Verificación, segunda versión', templateName: 'Vérification pour le consulat' });
    expect(gw.AR.ctx.drafts.templates(userId('focal_point'))).toHaveLength(1);
    expect(gw.AR.ctx.drafts.get(userId('focal_point'), template!.id)?.subject).toBe('Verificación, segunda versión');
    const unnamed = await focal.post('/templates', { ...FORM, templateName: '  ' });
    expect(await (await focal.get(unnamed.headers.get('location')!)).text()).toContain('Donnez un nom au modèle');
    expect(gw.AR.ctx.drafts.templates(userId('focal_point'))).toHaveLength(1);

    // Someone else neither sees, starts from nor deletes it.
    const other = await signedIn(gw.AR, 'AR', 'prosecutor');
    const theirs = await (await other.get(`/compose?template=${template!.id}`)).text();
    expect(theirs).not.toContain(`href="/compose?template=${template!.id}"`);
    expect(theirs).not.toContain('Vérification pour le consulat');
    expect(theirs).not.toContain('Marta Elena');
    await other.post(`/templates/${template!.id}/delete`, {});
    expect(gw.AR.ctx.drafts.templates(userId('focal_point'))).toHaveLength(1);

    expect((await focal.post(`/templates/${template!.id}/delete`, {})).status).toBe(303);
    expect(gw.AR.ctx.drafts.templates(userId('focal_point'))).toHaveLength(0);
    expect(await (await focal.get('/compose?template_deleted=1')).text()).toContain('Le modèle a été supprimé.');
  });
});

describe('duplicating a request', () => {
  let id: string;
  beforeAll(async () => {
    const focal = gw.AR.ctx.users.byUsername('focal.ar')!;
    const r = await submit(gw.AR.ctx, principalOf(focal), {
      toCountry: 'UY',
      kind: 'nationality_verification',
      subject: 'Verificación de nacionalidad, albergue de Palermo',
      typed: completeRequest('nationality_verification'),
      senderReference: 'DUP-1',
      idempotencyKey: 'dup-test-0001',
    });
    id = r.id;
  });

  it('copies the content for a content role, the identity of the persons only when asked, never the references', async () => {
    const focal = await signedIn(gw.AR, 'AR', 'focal_point');
    const detail = await (await focal.get(`/requests/${id}`)).text();
    expect(detail).toContain('data-duplicate');
    expect(detail).toContain('Not copied: the documents');
    expect(detail).toContain('name="persons"');

    const copy = await (await focal.get(`/compose?from=${id}`)).text();
    expect(copy).toContain('Documents were not copied');
    expect(copy).toContain('value="Verificación de nacionalidad, albergue de Palermo"');
    expect(copy).toMatch(/<option value="nationality_verification" selected>/);
    expect(copy).toMatch(/<option value="UY" selected>/);
    expect(copy).toMatch(/<option value="repatriation" selected>/);
    expect(copy).toContain('Identified in a shelter in Buenos Aires nv');
    expect(copy).not.toContain('María José nv');
    expect(copy).not.toContain('CI-4455667-nv');
    expect(copy).not.toContain('DUP-1');

    const withPersons = await (await focal.get(`/compose?from=${id}&persons=1`)).text();
    expect(withPersons).toContain('value="María José nv"');
    expect(withPersons).toContain('value="CI-4455667-nv"');
  });

  it('copies only metadata for a role that is not shown content, and the node audits the read', async () => {
    const operator = await signedIn(gw.AR, 'AR', 'operator');
    const detail = await (await operator.get(`/requests/${id}`)).text();
    expect(detail).toContain('none of it is copied');
    expect(detail).not.toContain('name="persons"');
    const copy = await (await operator.get(`/compose?from=${id}&persons=1`)).text();
    expect(copy).toMatch(/<option value="nationality_verification" selected>/);
    expect(copy).not.toContain('albergue de Palermo');
    expect(copy).not.toContain('Identified in a shelter');
    expect(copy).not.toContain('María José');
    const auditor = principalOf(gw.AR.ctx.users.byUsername('auditor.ar')!);
    const reads = await nodeAudit(gw.AR.ctx, auditor, { requestId: id, action: 'read_content', person: 'operator.ar' });
    expect(reads.entries.length).toBeGreaterThanOrEqual(2);
    expect(reads.entries.every((e) => !e.fields.includes('identity'))).toBe(true);

    // An auditor is not offered it.
    const aud = await signedIn(gw.AR, 'AR', 'auditor');
    expect(await (await aud.get(`/requests/${id}`)).text()).not.toContain('data-duplicate');
  });
});
