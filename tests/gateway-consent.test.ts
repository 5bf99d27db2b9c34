/**
 * A victim's withdrawal of consent through the gateway (docs/protocol.md §21.4): UY's focal
 * point records it in Spanish, her identity disappears from both states' pages, and each page
 * says in its reader's language what happened at this node and at the other state.
 */
import { describe, expect, it } from 'vitest';
import { completeRequest } from '../services/requests/testkit.js';
import { signedIn } from './_browser.js';
import { withFederation } from './_setup.js';
import { clientsFor, eventually, submitRequestOf } from './_util.js';

const { nodes, gw } = withFederation(['AR', 'UY'], { gateways: ['AR', 'UY'] });

describe('withdrawal of consent in the gateway', () => {
  it('is recorded with a confirmation, in the reader language, and her identity leaves both pages', async () => {
    const arApi = await clientsFor(nodes.AR, ['focal_point']);
    let id: string;
    try {
      const typed = completeRequest('nationality_verification');
      id = (await arApi.submit(submitRequestOf({ payload: new Uint8Array(), payloadType: '', typed, senderReference: 'gw-consent' }))).request!.id;
    } finally {
      arApi.close();
    }
    const uyFocal = await signedIn(gw.UY, 'UY', 'focal_point', 'es');
    const page = await eventually(
      async () => {
        const res = await uyFocal.get(`/requests/${id}`);
        return res.status === 200 ? await res.text() : undefined;
      },
      15_000,
      'the request at UY',
    );
    expect(page).toContain('Pérez Gómez nv');
    expect(page).toContain('Si la víctima retira su consentimiento');

    // Without the confirmation nothing happens, and the page says why in Spanish.
    const unconfirmed = await uyFocal.post(`/requests/${id}/consent`, { legalGround: '' });
    expect(unconfirmed.status).toBe(400);
    expect(await unconfirmed.text()).toContain('Marque la casilla para confirmar');
    expect(await (await uyFocal.get(`/requests/${id}`)).text()).toContain('Pérez Gómez nv');

    const done = await uyFocal.post(`/requests/${id}/consent`, { legalGround: '', confirm: '1' });
    expect(done.status).toBe(303);
    const after = await (await uyFocal.get(`/requests/${id}?consent=1`)).text();
    expect(after).toContain('Se registró el retiro del consentimiento');
    expect(after).toContain('Sus datos de identidad se borraron en este nodo');
    expect(after).not.toContain('Pérez Gómez nv');
    // Recorded once: the form is gone.
    expect(after).not.toContain('name="confirm"');
    await eventually(
      async () => ((await (await uyFocal.get(`/requests/${id}`)).text()).includes('AR confirmó que borró sus datos de identidad') ? true : undefined),
      15_000,
      'AR’s confirmation at UY',
    );

    const arFocal = await signedIn(gw.AR, 'AR', 'focal_point', 'pt');
    const atAr = await eventually(
      async () => {
        const text = await (await arFocal.get(`/requests/${id}`)).text();
        return text.includes('A vítima retirou seu consentimento em') ? text : undefined;
      },
      15_000,
      'the withdrawal at AR',
    );
    expect(atAr).toContain('Seus dados de identidade foram apagados neste nó');
    expect(atAr).not.toContain('Pérez Gómez nv');

    // An auditor reads what happened, and has no form to record it.
    const uyAuditor = await signedIn(gw.UY, 'UY', 'auditor', 'en');
    const audited = await (await uyAuditor.get(`/requests/${id}`)).text();
    expect(audited).toContain('Her identity data was erased at this node');
    expect(audited).not.toContain(`/requests/${id}/consent`);
    expect((await uyAuditor.post(`/requests/${id}/consent`, { confirm: '1' })).status).toBe(403);
  });
});
