/** Edges of the gateway's cases and use restrictions (issue 19), over HTTP against AR and UY (BR as a third state, without a gateway). */
import { describe, expect, it } from 'vitest';
import { nodeAudit } from '../gateway/app/audit.js';
import { submit } from '../gateway/app/requests.js';
import { principalOf } from '../gateway/context.js';
import { DICTIONARIES } from '../gateway/index.js';
import { signedIn } from './_browser.js';
import { withFederation } from './_setup.js';
import { eventually, submitRequestOf } from './_util.js';

const SPONTANEOUS = { kind: 'spontaneous_information', toCountry: 'UY', subject: 'Routes across the border', 't.facts': 'Victims are moved across the border at Rivera.' };

describe('gateway cases and use restrictions', () => {
  const { gw } = withFederation(['AR', 'UY', 'BR'], { gateways: ['AR', 'UY'] });

  it('files a send under its case; an operator sees the case with its title withheld, and a case without one as untitled; a malformed or unknown case is not found', async () => {
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
    // A case without a title says so to every role, instead of "withheld".
    await focal.post('/compose', { ...SPONTANEOUS, step: 'send', caseReference: 'AR-EDGE-UNTITLED' });
    for (const [who, lang] of [
      [operator, 'fr'],
      [focal, 'es'],
    ] as const) {
      const untitled = await (await who.get('/cases?q=AR-EDGE-UNTITLED')).text();
      expect(untitled).toContain('AR-EDGE-UNTITLED');
      expect(untitled).not.toContain('data-title-withheld');
      expect(untitled).toContain(`data-no-title>${DICTIONARIES[lang]['cases.noTitle']}<`);
    }
    const untitledId = /data-case="([0-9a-f-]{36})"/.exec(await (await operator.get('/cases?q=AR-EDGE-UNTITLED')).text())![1]!;
    expect(await (await operator.get(`/cases/${untitledId}`)).text()).toContain(`data-no-title>${DICTIONARIES.fr['cases.noTitle']}<`);
    const titledId = /data-case="([0-9a-f-]{36})"/.exec(list)![1]!;
    const titledPage = await (await operator.get(`/cases/${titledId}`)).text();
    expect(titledPage).toContain('data-title-withheld');
    expect(titledPage).not.toContain('data-no-title');
    expect(titledPage).not.toContain('Secret title');
    expect((await focal.get('/cases/not-a-case')).status).toBe(404);
    expect((await focal.get('/cases/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('a request page names its parent and follow-ups from one listing: a content read is audited for the request opened only', async () => {
    const focal = await signedIn(gw.AR, 'AR', 'focal_point', 'en');
    const idOf = (res: Response) => /\/requests\/([0-9a-f-]{36})/.exec(res.headers.get('location') ?? '')![1]!;
    const parent = idOf(await focal.post('/compose', { ...SPONTANEOUS, step: 'send', subject: 'Parent route report' }));
    const child = idOf(await focal.post('/compose', { ...SPONTANEOUS, step: 'send', subject: 'Follow-up route report', parent }));
    const auditor = principalOf(gw.AR.ctx.users.byUsername('auditor.ar')!);
    const count = async (requestId: string, action: string) => (await nodeAudit(gw.AR.ctx, auditor, { requestId, action, person: 'focal.ar' })).entries.length;
    const counts = async () => ({
      parentRead: await count(parent, 'read_content'),
      childRead: await count(child, 'read_content'),
      parentListed: await count(parent, 'list_requests'),
      childListed: await count(child, 'list_requests'),
    });
    const before = await counts();
    const parentPage = await (await focal.get(`/requests/${parent}`)).text();
    expect(parentPage).toMatch(new RegExp(`data-linked="${child}">[^<]*Follow-up route report<`));
    const afterParent = await counts();
    expect(afterParent).toEqual({ ...before, parentRead: before.parentRead + 1, childListed: before.childListed + 1 });
    const childPage = await (await focal.get(`/requests/${child}`)).text();
    expect(childPage).toMatch(new RegExp(`data-linked="${parent}">[^<]*Parent route report<`));
    expect(await counts()).toEqual({ ...afterParent, childRead: afterParent.childRead + 1, parentListed: afterParent.parentListed + 1 });
  });

  it('the page after a send to several states lists them in order without a content read of each; an unknown id is not found', async () => {
    const focal = await signedIn(gw.AR, 'AR', 'focal_point', 'en');
    const idOf = (res: Response) => /\/requests\/([0-9a-f-]{36})/.exec(res.headers.get('location') ?? '')![1]!;
    const first = idOf(await focal.post('/compose', { ...SPONTANEOUS, step: 'send', subject: 'First of two sent' }));
    const second = idOf(await focal.post('/compose', { ...SPONTANEOUS, step: 'send', subject: 'Second of two sent' }));
    const auditor = principalOf(gw.AR.ctx.users.byUsername('auditor.ar')!);
    const count = async (requestId: string, action: string) => (await nodeAudit(gw.AR.ctx, auditor, { requestId, action, person: 'focal.ar' })).entries.length;
    const counts = async () => Promise.all([first, second].flatMap((id) => [count(id, 'read_content'), count(id, 'list_requests')]));
    const before = await counts();
    const page = await (await focal.get(`/sent?id=${second}&id=${first}`)).text();
    expect([...page.matchAll(/<li data-id="([0-9a-f-]{36})"/g)].map((m) => m[1])).toEqual([second, first]);
    expect(page).toContain('Second of two sent');
    expect(await counts()).toEqual([before[0], before[1]! + 1, before[2], before[3]! + 1]);
    expect((await focal.get('/sent?id=019bc2a0-0000-7000-8000-000000000000')).status).toBe(404);
  });

  it('the inbox and the sent list offer in their case filter the cases of the rows shown and the one selected, not every case', async () => {
    const focal = await signedIn(gw.AR, 'AR', 'focal_point', 'es');
    await focal.post('/compose', { ...SPONTANEOUS, step: 'send', caseReference: 'AR-BOX-SENT' });
    const caseId = /data-case="([0-9a-f-]{36})"/.exec(await (await focal.get('/cases?q=AR-BOX-SENT')).text())![1]!;
    const options = (page: string) => [...page.matchAll(/<option value="([0-9a-f-]{36})"( selected)?>/g)].map((m) => `${m[1]}${m[2] ?? ''}`);
    const sent = await (await focal.get('/outbox')).text();
    expect(options(sent)).toContain(caseId);
    expect(sent).toContain(DICTIONARIES.es['list.caseHint']);
    // AR received nothing in that case: its inbox does not offer it, unless it is the filter chosen (from the case's page).
    expect(options(await (await focal.get('/inbox')).text())).not.toContain(caseId);
    const filtered = await (await focal.get(`/inbox?case=${caseId}`)).text();
    expect(options(filtered)).toEqual([`${caseId} selected`]);
    expect(filtered).not.toMatch(/<tr[^>]*data-id=/);
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

  it('duplicating a received restricted request passes it on: the form names its source, and toward a third state the node refuses it until a reason is given', async () => {
    const ar = await signedIn(gw.AR, 'AR', 'focal_point', 'en');
    const idOf = (res: Response) => /\/requests\/([0-9a-f-]{36})/.exec(res.headers.get('location') ?? '')![1]!;
    const restricted = idOf(await ar.post('/compose', { ...SPONTANEOUS, step: 'send', subject: 'Restricted route report', handling: 'no_third_states' }));
    const plain = idOf(await ar.post('/compose', { ...SPONTANEOUS, step: 'send', subject: 'Unrestricted route report' }));
    const uy = await signedIn(gw.UY, 'UY', 'focal_point', 'fr');
    for (const id of [restricted, plain]) await eventually(async () => ((await uy.get(`/requests/${id}`)).status === 200 ? true : undefined), 20_000, `${id} at UY`);
    const derivedOf = (form: string) => /<input type="hidden" name="derived" value="([^"]*)">/.exec(form)?.[1];
    const form = await (await uy.get(`/compose?from=${restricted}`)).text();
    expect(form).toContain('Restricted route report');
    expect(derivedOf(form)).toBe(restricted);
    expect(form).toContain('data-compose-derived');
    // Nothing to carry over: an unrestricted request, or one this node sent with its own restriction, is copied as before.
    expect(derivedOf(await (await uy.get(`/compose?from=${plain}`)).text())).toBe('');
    expect(derivedOf(await (await ar.get(`/compose?from=${restricted}`)).text())).toBe('');

    const copy = { ...SPONTANEOUS, toCountry: 'BR', subject: 'Restricted route report', step: 'send', derived: derivedOf(form)! };
    const refused = await uy.post('/compose', copy);
    expect(await refused.text()).toContain(`data-flash>${DICTIONARIES.fr['error.ERR_USE_RESTRICTED'].replaceAll("'", '&#39;')}<`);
    expect(refused.headers.get('location') ?? '').not.toMatch(/\/requests\//);
    const sent = await uy.post('/compose', { ...copy, override: 'AR consented by note 12/2026' });
    const onward = idOf(sent);
    expect(await (await uy.get(`/requests/${onward}`)).text()).toContain('data-handling="no_third_states"');
    const auditor = principalOf(gw.UY.ctx.users.byUsername('auditor.uy')!);
    const entries = await nodeAudit(gw.UY.ctx, auditor, { requestId: restricted, action: 'restriction_overridden' });
    expect(entries.entries.map((e) => e.detail).join('\n')).toContain(onward);
  });

  it('the JSON API takes the case, restriction and recipient fields and returns them with each request; a restricted source passed on is refused there too', async () => {
    const ar = await signedIn(gw.AR, 'AR', 'focal_point', 'en');
    const sent = await ar.post('/api/v1/requests', { ...SPONTANEOUS, subject: 'Route report over the API', caseReference: 'AR-API-1', handling: 'no_third_states', alsoTo: 'BR' }, { json: true });
    expect(sent.status).toBe(201);
    type Json = { id: string; to: string; links: { caseReference: string }; restrictions: { code: string; label: string }[] };
    const { request, also } = (await sent.json()) as { request: Json; also: Json[] };
    expect([request, ...also].map((r) => [r.to.slice(0, 2), r.links.caseReference, r.restrictions.map((x) => x.code)])).toEqual([
      ['UY', 'AR-API-1', ['no_third_states']],
      ['BR', 'AR-API-1', ['no_third_states']],
    ]);
    const uy = await signedIn(gw.UY, 'UY', 'focal_point', 'pt');
    const atUy = await eventually(
      async () => {
        const res = await uy.get(`/api/v1/requests/${request.id}`);
        return res.status === 200 ? ((await res.json()) as { request: Json }).request : undefined;
      },
      20_000,
      'the request at UY',
    );
    expect(atUy.restrictions).toEqual([{ code: 'no_third_states', label: 'Não compartilhar com terceiros Estados sem consentimento' }]);
    expect(atUy.links.caseReference).toBe('AR-API-1');
    // UY's cases page files it under AR's case: found by AR as owner, not under UY's own cases.
    const cases = async (q: string) => [...(await (await uy.get(`/cases?${q}`)).text()).matchAll(/data-case="([0-9a-f-]{36})"/g)].map((m) => m[1]);
    const underAr = await cases('q=AR-API-1&owner=AR');
    expect(underAr).toHaveLength(1);
    expect(await cases('q=AR-API-1&owner=UY')).toEqual([]);
    expect(await (await uy.get(`/cases/${underAr[0]}`)).text()).toContain(`data-id="${request.id}"`);

    const onward = { ...SPONTANEOUS, toCountry: 'BR', subject: 'Passed on over the API', derived: request.id };
    const refused = await uy.post('/api/v1/requests', onward, { json: true });
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('ERR_USE_RESTRICTED');
    expect(refused.status).toBe(409);
    const passed = await uy.post('/api/v1/requests', { ...onward, override: 'AR consented by note 13/2026' }, { json: true });
    expect(passed.status).toBe(201);
    expect(((await passed.json()) as { request: Json }).request.restrictions.map((x) => x.code)).toEqual(['no_third_states']);
  });

  it('a restricted request says its restrictions beside the documents one may download, at both states; one without restrictions does not', async () => {
    const principal = principalOf(gw.AR.ctx.users.byUsername('focal.ar')!);
    const pdf = new TextEncoder().encode('%PDF-1.7\n%%EOF\n');
    const withDocs = (senderReference: string, handling: string[]) =>
      submit(
        gw.AR.ctx,
        principal,
        submitRequestOf({
          senderReference,
          attachments: [{ fileName: 'acta.pdf', mediaType: 'application/pdf', content: pdf }],
          links: { parentRequestId: '', caseReference: '', caseTitle: '', derivedFromRequestId: '', restrictionOverride: '', handling },
        }),
      );
    const restricted = (await withDocs('AR-DOCS-RESTRICTED', ['intelligence_only'])).id;
    const plain = (await withDocs('AR-DOCS-PLAIN', [])).id;
    const uy = await signedIn(gw.UY, 'UY', 'focal_point', 'es');
    const page = async (id: string) =>
      eventually(
        async () => {
          const res = await uy.get(`/requests/${id}`);
          const text = res.status === 200 ? await res.text() : '';
          return text.includes('data-attachment=') ? text : undefined;
        },
        20_000,
        `${id} with its document at UY`,
      );
    const marked = new RegExp(`data-documents-restricted>${DICTIONARIES.es['docs.restricted']} <strong>Solo para inteligencia`);
    expect(await page(restricted)).toMatch(marked);
    expect(await (await (await signedIn(gw.AR, 'AR', 'focal_point', 'es')).get(`/requests/${restricted}`)).text()).toMatch(marked);
    expect(await page(plain)).not.toContain('data-documents-restricted');
  });
});
