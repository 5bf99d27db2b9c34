/** Edges of the gateway's cases and use restrictions (issue 19), over HTTP against AR and UY. */
import { describe, expect, it } from 'vitest';
import { DICTIONARIES } from '../gateway/index.js';
import { signedIn } from './_browser.js';
import { withFederation } from './_setup.js';
import { eventually } from './_util.js';

const SPONTANEOUS = { kind: 'spontaneous_information', toCountry: 'UY', subject: 'Routes across the border', 't.facts': 'Victims are moved across the border at Rivera.' };

describe('gateway cases and use restrictions', () => {
  const { gw } = withFederation(['AR', 'UY'], { gateways: ['AR', 'UY'] });

  it('files a send under its case; an operator sees the case with its title withheld; a malformed or unknown case is not found', async () => {
    const focal = await signedIn(gw.AR, 'AR', 'focal_point', 'es');
    const sent = await focal.post('/compose', { ...SPONTANEOUS, step: 'send', caseReference: 'AR-EDGE-1', caseTitle: 'Secret title', handling: ['intelligence_only', 'bogus'] });
    expect(sent.status).toBe(303);
    const id = /\/requests\/([0-9a-f-]{36})/.exec(sent.headers.get('location') ?? '')![1]!;
    const detail = await (await focal.get(`/requests/${id}`)).text();
    expect(detail).toContain('data-handling="intelligence_only"');
    expect(detail).not.toContain('bogus');
    const operator = await signedIn(gw.AR, 'AR', 'operator', 'fr');
    const list = await (await operator.get('/cases?q=AR-EDGE-1')).text();
    expect(list).toContain('AR-EDGE-1');
    expect(list).toContain('data-title-withheld');
    expect(list).not.toContain('Secret title');
    expect((await focal.get('/cases/not-a-case')).status).toBe(404);
    expect((await focal.get('/cases/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('refuses an override reason shorter than 3 characters in the page language; an auditor may not open the several-recipients result', async () => {
    const focal = await signedIn(gw.AR, 'AR', 'focal_point', 'pt');
    const first = await focal.post('/compose', { ...SPONTANEOUS, step: 'send', handling: 'no_third_states' });
    const source = /\/requests\/([0-9a-f-]{36})/.exec(first.headers.get('location') ?? '')![1]!;
    await eventually(async () => ((await (await focal.get(`/requests/${source}`)).text()).includes('data-status="delivered"') ? true : undefined), 20_000, 'delivered');
    const short = await focal.post('/compose', { ...SPONTANEOUS, step: 'send', derived: source, override: 'no' });
    expect(short.status).toBe(400);
    expect(await short.text()).toContain(DICTIONARIES.pt['compose.overrideLength']);
    const auditor = await signedIn(gw.AR, 'AR', 'auditor');
    expect((await auditor.get(`/sent?id=${source}`)).status).toBe(403);
  });
});
