/**
 * Provided information through the gateways: AR's focal point answers UY's request for
 * information in the typed form, UY reads it labelled in its own language, UY's auditor
 * without the victim's identity.
 */
import { describe, expect, it } from 'vitest';
import { submit } from '../gateway/app/requests.js';
import { principalOf } from '../gateway/context.js';
import { completeRequest } from '../services/requests/testkit.js';
import { signedIn, type HttpSession } from './_browser.js';
import { withFederation } from './_setup.js';
import { eventually } from './_util.js';

const { gw } = withFederation(['AR', 'UY'], { gateways: ['AR', 'UY'] });

async function statusOf(s: HttpSession, id: string, status: string): Promise<void> {
  await eventually(
    async () => {
      const res = await s.get(`/api/v1/requests/${id}`);
      if (res.status !== 200) return undefined;
      const d = (await res.json()) as { request: { status: string } };
      return d.request.status === status ? true : undefined;
    },
    15_000,
    `status ${status}`,
  );
}

describe('provided information in the gateway', () => {
  it('is filled in a form with every problem at once, and read field by field in the reader language', async () => {
    const arFocal = await signedIn(gw.AR, 'AR', 'focal_point', 'pt');
    const sent = await arFocal.post(
      '/api/v1/requests',
      { kind: 'spontaneous_information', toCountry: 'UY', subject: 'Routes across the border', 't.facts': 'Victims are moved across the border at Rivera.' },
      { json: true },
    );
    expect(sent.status).toBe(201);
    const { request } = (await sent.json()) as { request: { id: string } };
    const id = request.id;

    const uyFocal = await signedIn(gw.UY, 'UY', 'focal_point', 'fr');
    await statusOf(uyFocal, id, 'received');
    expect((await uyFocal.post(`/requests/${id}/actions`, { action: 'request_information', note: '1. Where does she live?\n2. Her mother’s name?' })).status).toBe(303);
    await statusOf(arFocal, id, 'information_requested');

    const page = await (await arFocal.get(`/requests/${id}`)).text();
    expect(page).toContain('As informações enviadas (estruturadas)');
    expect(page).toContain('name="p.items.0.topic"');

    const bad = await arFocal.post(`/requests/${id}/actions`, {
      action: 'provide_information',
      'p.items.0.topic': 'other',
      'p.items.0.text': 'Ela mora em Rivera',
      'p.answers.0.question': '99',
      'p.answers.0.text': 'x',
      'p.persons.0.role': 'victim',
      'p.persons.0.person.family_names': 'Pérez Gómez',
    });
    expect(bad.status).toBe(400);
    const badText = await bad.text();
    expect(badText).toContain('Informe o número de uma pergunta feita, de 1 a 50.');
    expect(badText).toContain('Uma vítima é nomeada');
    expect(badText).toContain('Este campo é obrigatório.');
    expect(badText).not.toMatch(/⟦/);

    const ok = await arFocal.post(`/requests/${id}/actions`, {
      action: 'provide_information',
      'p.items.0.topic': 'whereabouts',
      'p.items.0.text': 'Vive con su madre en Rivera 1234',
      'p.answers.0.question': '2',
      'p.answers.0.text': 'Su madre se llama Ana Gómez',
      'p.persons.0.role': 'victim',
      'p.persons.0.person.given_names': 'María José',
      'p.persons.0.person.family_names': 'Pérez Gómez',
      'p.persons.0.person.nationalities': 'PY',
      'p.document_references.0.title': 'Acta de declaración',
      'p.document_references.0.reference': 'ACTA-2026-88',
      'p.consent.written': 'on',
      'p.consent.date': '2026-03-01',
      'p.consent.recorded_by': 'Lic. Ana Silva',
    });
    expect(ok.status).toBe(303);
    await statusOf(uyFocal, id, 'in_progress');

    const read = await (await uyFocal.get(`/requests/${id}`)).text();
    expect(read).not.toMatch(/⟦/);
    for (const s of [
      'Localisation ou adresse',
      'Sujet',
      'Réponses',
      'Victime',
      'Pérez Gómez',
      'Vive con su madre en Rivera 1234',
      'Su madre se llama Ana Gómez',
      'ACTA-2026-88',
      'Pièces justificatives',
    ]) {
      expect(read, s).toContain(s);
    }

    const auditor = await signedIn(gw.UY, 'UY', 'auditor', 'es');
    const audited = await (await auditor.get(`/requests/${id}`)).text();
    expect(audited).toContain('Paradero o domicilio');
    expect(audited).toContain('ACTA-2026-88');
    for (const s of ['Pérez Gómez', 'María José', 'Rivera 1234', 'Ana Gómez']) expect(audited, s).not.toContain(s);
    expect(audited).toContain('■■■■');
  });

  it('a request for additional information is answered question by question in the typed answer, which a remark alone is not', async () => {
    const p = principalOf(gw.AR.ctx.users.byUsername('focal.ar')!);
    const typed = completeRequest('additional_information');
    // The test kit's reply-by date is fixed; here the node's clock is today's.
    if (typed.body?.$case === 'additionalInformation') typed.body.value.replyBy = '';
    const { id } = await submit(gw.AR.ctx, p, {
      toCountry: 'UY',
      kind: 'additional_information',
      subject: 'Two questions on the bank records',
      typed,
      senderReference: 'AR-ADD-1',
    });
    const uyFocal = await signedIn(gw.UY, 'UY', 'focal_point', 'es');
    await statusOf(uyFocal, id, 'received');
    const page = await (await uyFocal.get(`/requests/${id}`)).text();
    // The answer's question number and text are marked: the node needs one answered question.
    expect(page).toMatch(/<label for="f-r\.answers\.0\.question">Pregunta 1<span class="req"/);
    expect(page).toMatch(/<label for="f-r\.answers\.0\.text">Respuesta 1<span class="req"/);
    // The second entry reads as the second, not as a copy of the first.
    expect(page).toMatch(/<label for="f-r\.answers\.1\.text">Respuesta 2</);
    const remarkOnly = await uyFocal.post(`/requests/${id}/actions`, { action: 'complete', note: 'Respondido', 'r.remarks': 'Ver adjunto' });
    expect(remarkOnly.status).toBe(400);
    const answered = await uyFocal.post(`/requests/${id}/actions`, {
      action: 'complete',
      note: 'Respondido',
      'r.answers.0.question': '1',
      'r.answers.0.text': 'Sucursal Centro, cuenta 4411',
      'r.remarks': 'Ver adjunto',
    });
    expect(answered.status).toBe(303);
    const arFocal = await signedIn(gw.AR, 'AR', 'focal_point', 'en');
    await statusOf(arFocal, id, 'completed');
    expect(await (await arFocal.get(`/requests/${id}`)).text()).toContain('Sucursal Centro, cuenta 4411');
  });
});
