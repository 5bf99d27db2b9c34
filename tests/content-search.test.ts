/**
 * Searching requests (issue 17): everyone who sees requests finds one by its sender's or case
 * reference (metadata); content roles also by its content (subject, persons' names, free text
 * of the typed form), which the node decrypts itself and audits for each request it shows.
 * An auditor's or operator's words never reach the content, at the gateway or over gRPC.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeAudit } from '../gateway/app/audit.js';
import { submit } from '../gateway/app/requests.js';
import { principalOf } from '../gateway/context.js';
import { completeRequest } from '../services/requests/testkit.js';
import { signedIn } from './_browser.js';
import { withFederation } from './_setup.js';
import { clientsFor, type Clients } from './_util.js';

const { nodes, gw } = withFederation(['AR', 'UY'], { gateways: ['AR'] });
let id: string;
let other: string;

const rowsOf = (page: string) => [...page.matchAll(/<tr class="[^"]*" data-id="([0-9a-f-]{36})">/g)].map((m) => m[1]);

beforeAll(async () => {
  const p = principalOf(gw.AR.ctx.users.byUsername('focal.ar')!);
  const base = { toCountry: 'UY', kind: 'nationality_verification', typed: completeRequest('nationality_verification') };
  id = (
    await submit(gw.AR.ctx, p, {
      ...base,
      subject: 'Paradero en el albergue de Palermo',
      senderReference: 'SR-2026-77',
      idempotencyKey: 'search-0001',
      links: { parentRequestId: '', caseReference: 'CASO 2026/14', caseTitle: '', handling: [], derivedFromRequestId: '', restrictionOverride: '' },
    })
  ).id;
  const plain = completeRequest('criminal_records');
  other = (await submit(gw.AR.ctx, p, { toCountry: 'UY', kind: 'criminal_records', typed: plain, subject: 'Antecedentes bancarias', senderReference: 'SR-2026-78', idempotencyKey: 'search-0002' })).id;
});

describe('inbox and outbox search', () => {
  it('finds a request by its sender’s or case reference for every role that lists requests', async () => {
    for (const role of ['focal_point', 'auditor', 'operator']) {
      const s = await signedIn(gw.AR, 'AR', role);
      expect(rowsOf(await (await s.get('/outbox?q=sr-2026-77')).text()), role).toEqual([id]);
      expect(rowsOf(await (await s.get(`/outbox?q=${encodeURIComponent('caso 2026/14')}`)).text()), role).toEqual([id]);
    }
  });

  it('finds by content (a victim’s name, accents aside; the free text; the subject) for content roles, each request shown audited', async () => {
    const focal = await signedIn(gw.AR, 'AR', 'focal_point');
    const since = Date.now();
    expect(rowsOf(await (await focal.get('/outbox?q=perez+gomez')).text())).toEqual([id]);
    expect(rowsOf(await (await focal.get(`/outbox?q=${encodeURIComponent('Maria José')}`)).text())).toEqual([id]);
    expect(rowsOf(await (await focal.get('/outbox?q=shelter')).text())).toEqual([id]);
    expect(rowsOf(await (await focal.get('/outbox?q=palermo')).text())).toEqual([id]);
    expect(rowsOf(await (await focal.get('/outbox?q=bancarias')).text())).toEqual([other]);
    expect(rowsOf(await (await focal.get('/outbox?q=nadie+aqui')).text())).toEqual([]);
    // The photo's bytes are not words: the start of its base64 finds nothing.
    expect(rowsOf(await (await focal.get('/outbox?q=ivborw0kggo')).text())).toEqual([]);

    const auditor = principalOf(gw.AR.ctx.users.byUsername('auditor.ar')!);
    const searched = await nodeAudit(gw.AR.ctx, auditor, { action: 'search_content', person: 'focal.ar', since });
    expect(searched.entries.filter((e) => e.requestId === id).length).toBe(4);
    expect(searched.entries.every((e) => e.requestId === id || e.requestId === other)).toBe(true);
    expect(searched.entries.find((e) => e.requestId === id)!.fields.split(',')).toEqual(expect.arrayContaining(['identity', 'sensitive', 'metadata']));
    // The words are not in the log, which auditors read: a name searched for is itself case content.
    expect(searched.entries.some((e) => /perez|maria|palermo/i.test(e.detail))).toBe(false);
  });

  it('an auditor or an operator cannot search by content: the same words find nothing, and nothing is audited as a content search', async () => {
    for (const role of ['auditor', 'operator']) {
      const s = await signedIn(gw.AR, 'AR', role);
      for (const q of ['perez', 'Maria+José', 'shelter', 'palermo', 'bancarias']) expect(rowsOf(await (await s.get(`/outbox?q=${q}`)).text()), `${role} ${q}`).toEqual([]);
    }
    const auditor = principalOf(gw.AR.ctx.users.byUsername('auditor.ar')!);
    for (const person of ['auditor.ar', 'operator.ar']) expect((await nodeAudit(gw.AR.ctx, auditor, { action: 'search_content', person })).entries).toEqual([]);
  });

  it('the node enforces it over gRPC: an auditor’s token gets no match and no count on content words', async () => {
    const node = nodes.AR;
    const asAuditor: Clients = await clientsFor(node, ['auditor']);
    const asFocal: Clients = await clientsFor(node, ['focal_point']);
    try {
      expect((await asAuditor.list({ text: 'perez' })).totalCount).toBe(0);
      expect((await asAuditor.list({ text: 'SR-2026-77' })).requests.map((r) => r.id)).toEqual([id]);
      const found = await asFocal.list({ text: 'perez' });
      expect(found.requests.map((r) => r.id)).toEqual([id]);
      expect(found.totalCount).toBe(1);
    } finally {
      asAuditor.close();
      asFocal.close();
    }
  });
});

describe('the search field says what it searches', () => {
  it('content for content roles, references for the others', async () => {
    expect(await (await (await signedIn(gw.AR, 'AR', 'focal_point')).get('/inbox')).text()).toContain('names of persons, free text');
    expect(await (await (await signedIn(gw.AR, 'AR', 'auditor')).get('/inbox')).text()).toContain('Your role does not search the content of requests.');
  });
});
