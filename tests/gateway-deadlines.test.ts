/**
 * Clocks people understand, and steps that cannot be taken back ask first (issue 17 item 4):
 * the request page says what is due, from whom, by when, how much is left and how it is
 * counted, in the reader's language, as the node computed it.
 */
import { describe, expect, it } from 'vitest';
import { RequestStatus } from '../generated/enlace/v1/exchange.js';
import { signedIn } from './_browser.js';
import { withFederation } from './_setup.js';
import { eventually, submitRequestOf } from './_util.js';

const { api, gw } = withFederation(['AR', 'UY'], { gateways: ['UY'], api: { ar: ['AR', 'focal_point'], uy: ['UY', 'focal_point'] } });

async function received(ref: string): Promise<string> {
  const id = (await api.ar.submit(submitRequestOf({ senderReference: ref }))).request!.id;
  await eventually(async () => ((await api.uy.get(id).catch(() => undefined))?.request?.deadline ? true : undefined), 15_000, 'the deadline at UY');
  return id;
}

describe('deadlines and confirmations in the gateway', () => {
  it('says who must answer by when, how many working days are left, and how they are counted', async () => {
    const id = await received('deadline-1');
    const deadline = (await api.uy.get(id)).request!.deadline!;
    expect(deadline).toMatchObject({ what: 'answer', from: 'UY', days: 10, counting: 'working_days' });
    expect(deadline.daysLeft).toBeGreaterThan(0);
    const focal = await signedIn(gw.UY, 'UY', 'focal_point', 'es');
    const page = await (await focal.get(`/requests/${id}`)).text();
    expect(page).toContain('Respuesta de Uruguay a más tardar el');
    expect(page).toContain(`data-days-left="${deadline.daysLeft}"`);
    expect(page).toContain(`quedan ${deadline.daysLeft} días hábiles`);
    expect(page).toContain('Se cuentan 10 días hábiles desde el día siguiente a la recepción, según el calendario de Uruguay');
    // The inbox shows the same count.
    expect(await (await focal.get('/inbox')).text()).toContain(`data-days-left="${deadline.daysLeft}"`);
  });

  it('asks before a refusal, keeps what was typed, and refuses only once confirmed', async () => {
    const id = await received('deadline-2');
    const focal = await signedIn(gw.UY, 'UY', 'focal_point', 'pt');
    const asked = await focal.post(`/requests/${id}/actions`, { action: 'refuse', note: 'Dupla incriminação não verificada' });
    expect(asked.status).toBe(200);
    const text = await asked.text();
    expect(text).toContain('Recusar esta solicitação?');
    expect(text).toContain('value="Dupla incriminação não verificada"');
    expect((await api.uy.get(id)).request!.status).not.toBe(RequestStatus.REQUEST_STATUS_REFUSED);

    const done = await focal.post(`/requests/${id}/actions`, { action: 'refuse', note: 'Dupla incriminação não verificada', confirmed: '1' });
    expect(done.status).toBe(303);
    expect((await api.uy.get(id)).request!.status).toBe(RequestStatus.REQUEST_STATUS_REFUSED);
  });
});
