/**
 * Issue 11 through the gateway: a person sought for extradition, sent by AR, is read in full
 * by UY's focal point and by no one else. UY's auditor and operator see the request page, the
 * JSON API, the lists and the extradition board without any identity or free text of the form.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { principalOf } from '../gateway/context.js';
import { submit } from '../gateway/app/requests.js';
import { requestFields } from '../services/requests/index.js';
import { completeRequest, testSuspect } from '../services/requests/testkit.js';
import { signedIn } from './_browser.js';
import { withFederation } from './_setup.js';
import { eventually } from './_util.js';

const { gw } = withFederation(['AR', 'UY'], { gateways: ['AR', 'UY'] });
let id: string;

const form = completeRequest('extradition');
const suspect = testSuspect();
/** What identifies the person sought, and the form's free text: none of it may reach a role without content access. */
const SECRETS = [
  suspect.givenNames,
  suspect.familyNames,
  ...suspect.nameVariants,
  suspect.placeOfBirth,
  suspect.fatherName,
  suspect.motherName,
  suspect.lastKnownAddress,
  suspect.description,
  suspect.documents[0]!.number,
  ...requestFields(form)
    .filter((f) => f.cls !== 'metadata' && typeof f.value === 'string')
    .map((f) => f.value as string),
].filter((s) => s.length > 3 && s !== 'Rosario');

const leaks = (text: string) => SECRETS.filter((s) => text.includes(s) || text.includes(s.replaceAll('&', '&amp;')));

beforeAll(async () => {
  const focal = gw.AR.ctx.users.byUsername('focal.ar')!;
  const sent = await submit(gw.AR.ctx, principalOf(focal), { toCountry: 'UY', kind: 'extradition', subject: 'Extradition, formal request', typed: form, senderReference: 'EXT-POLICY-1' });
  id = sent.id;
  const uyFocal = await signedIn(gw.UY, 'UY', 'focal_point');
  await eventually(async () => ((await uyFocal.get(`/api/v1/requests/${id}`)).status === 200 ? true : undefined), 20_000, 'the extradition at UY');
}, 90_000);

describe('the person sought, through the gateway', () => {
  it('is shown to the requested focal point (the content role)', async () => {
    const s = await signedIn(gw.UY, 'UY', 'focal_point');
    const page = await (await s.get(`/requests/${id}`)).text();
    expect(page).toContain(suspect.familyNames);
    expect(page).toContain(suspect.documents[0]!.number);
  });

  it.each([['auditor'], ['operator']])('is withheld from the %s on the request page, the JSON API, the lists and the board', async (role) => {
    const s = await signedIn(gw.UY, 'UY', role);
    const page = await s.get(`/requests/${id}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('redacted-note');
    expect(leaks(html), `${role} request page`).toEqual([]);
    for (const path of [`/api/v1/requests/${id}`, '/api/v1/requests?box=inbox', '/inbox', '/extradition']) {
      const res = await s.get(path);
      if (res.status === 403) continue;
      expect(res.status, path).toBe(200);
      expect(leaks(await res.text()), `${role} ${path}`).toEqual([]);
    }
  });
});
