import { describe, expect, it } from 'vitest';
import type { ListCasesResponse } from '../generated/enlace/v1/cases.js';
import type { GetCaseResponse, Request, SubmitLinks } from '../generated/enlace/v1/exchange.js';
import type { AuditEntry } from '../generated/enlace/v1/node.js';
import { transition, untilArrived } from './_requests.js';
import { withFederation } from './_setup.js';
import { clientsFor, eventually, GRPC, rejectionOf, submitRequestOf, type Clients } from './_util.js';

/** Cases, linked requests and use restrictions (docs/protocol.md §25) through gRPC, with AR, UY and BR. */

const links = (over: Partial<SubmitLinks>): SubmitLinks => ({ parentRequestId: '', caseReference: '', caseTitle: '', handling: [], derivedFromRequestId: '', restrictionOverride: '', ...over });

function listCases(c: Clients, text = '', ids: string[] = [], owner = ''): Promise<ListCasesResponse> {
  return new Promise((ok, ko) => c.exchange.listCases({ text, owner, pageSize: 50, pageToken: '', ids }, c.metadata, (e, r) => (e ? ko(e) : ok(r))));
}
function getCase(c: Clients, id: string): Promise<GetCaseResponse> {
  return new Promise((ok, ko) => c.exchange.getCase({ id }, c.metadata, (e, r) => (e ? ko(e) : ok(r))));
}
function audit(c: Clients, requestId: string): Promise<AuditEntry[]> {
  return new Promise((ok, ko) => c.node.listAudit({ requestId, pageSize: 500, beforeSeq: 0 }, c.metadata, (e, r) => (e ? ko(e) : ok(r.entries))));
}

describe('cases, linked requests and use restrictions', () => {
  const { api, nodes } = withFederation(['AR', 'UY', 'BR'], {
    transport: true,
    api: { AR: ['AR', 'focal_point'], UY: ['UY', 'focal_point'], BR: ['BR', 'focal_point'], auditorAR: ['AR', 'auditor'] },
  });
  /** A focal point's client of each node, by country. */
  const focal: Record<string, Clients> = api;

  /** Submits from `from` and waits until the destination holds it. */
  async function send(from: string, over: Parameters<typeof submitRequestOf>[0]): Promise<Request> {
    const sent = (await focal[from]!.submit(submitRequestOf(over))).request!;
    const to = over?.toCountry ?? 'UY';
    await untilArrived(focal[to]!, sent.id, 20_000, `${sent.id} at ${to}`);
    return sent;
  }

  it('links a travel-document request to its nationality verification, on both sides', async () => {
    const verification = await send('AR', { toCountry: 'UY', senderReference: 'AR-TD-1' });
    const travel = await send('AR', {
      toCountry: 'UY',
      subject: 'Emergency travel document for the verified national',
      senderReference: 'AR-TD-2',
      links: links({ parentRequestId: verification.id }),
    });
    for (const c of ['AR', 'UY']) {
      const child = (await focal[c]!.get(travel.id)).request!;
      expect(child.links?.parentRequestId).toBe(verification.id);
      const parent = (await focal[c]!.get(verification.id)).request!;
      expect(parent.links?.childRequestIds).toEqual([travel.id]);
    }
    // A parent exchanged with another state, or a pair the link table does not allow, is refused at submit.
    const withBr = await send('AR', { toCountry: 'BR', senderReference: 'AR-TD-3' });
    const other = await rejectionOf(focal.AR!.submit(submitRequestOf({ toCountry: 'UY', links: links({ parentRequestId: withBr.id }) })));
    expect(other.code).toBe(GRPC.INVALID_ARGUMENT);
    const pair = await rejectionOf(focal.AR!.submit(submitRequestOf({ toCountry: 'UY', kind: 'conviction_notification', links: links({ parentRequestId: verification.id }) })));
    expect(pair.code).toBe(GRPC.INVALID_ARGUMENT);
  });

  it('stops the 60-day clock of a provisional arrest when the formal extradition request that follows up on it arrives', async () => {
    const provisional = await send('AR', { toCountry: 'UY', kind: 'extradition', subject: 'Provisional arrest of a trafficking suspect', senderReference: 'AR-EX-1' });
    const uyProsecutor = await clientsFor(nodes.UY, ['prosecutor']);
    try {
      await transition(uyProsecutor, { requestId: provisional.id, action: 'record_stage', stage: 'provisional_arrest', stageDate: '2026-11-20' });
    } finally {
      uyProsecutor.close();
    }
    await eventually(async () => ((await focal.AR!.get(provisional.id)).request!.deadline?.what === 'formal_request' ? true : undefined), 20_000, 'the formal request clock at AR');
    expect((await focal.UY!.get(provisional.id)).request!.deadline?.what).toBe('formal_request');
    const formal = await send('AR', {
      toCountry: 'UY',
      kind: 'extradition',
      subject: 'Formal extradition request',
      senderReference: 'AR-EX-2',
      links: links({ parentRequestId: provisional.id }),
    });
    for (const c of ['AR', 'UY']) {
      const parent = (await focal[c]!.get(provisional.id)).request!;
      expect(parent.deadline).toBeUndefined();
      expect(parent.links?.childRequestIds).toEqual([formal.id]);
    }
  });

  it('ties the 60-day clock to its provisional arrest only: a formal request already held keeps it from starting; an extradition the requested state links back does not stop it', async () => {
    const uyProsecutor = await clientsFor(nodes.UY, ['prosecutor']);
    const arrest = async (id: string) => {
      await transition(uyProsecutor, { requestId: id, action: 'record_stage', stage: 'provisional_arrest', stageDate: '2026-11-20' });
      await eventually(async () => ((await focal.AR!.get(id)).request!.stage === 'provisional_arrest' ? true : undefined), 20_000, `the provisional arrest of ${id} at AR`);
    };
    try {
      // The formal request is sent before the arrest is recorded: no 60 days are owed at either node.
      const early = await send('AR', { toCountry: 'UY', kind: 'extradition', subject: 'Extradition, arrest pending', senderReference: 'AR-EX-EARLY-1' });
      await send('AR', { toCountry: 'UY', kind: 'extradition', subject: 'Formal request sent early', senderReference: 'AR-EX-EARLY-2', links: links({ parentRequestId: early.id }) });
      await arrest(early.id);
      for (const c of ['AR', 'UY']) expect((await focal[c]!.get(early.id)).request!.deadline, c).toBeUndefined();

      // An extradition UY sends linked to AR's provisional arrest is not AR's formal request: the clock runs on.
      const provisional = await send('AR', { toCountry: 'UY', kind: 'extradition', subject: 'Provisional arrest, formal request owed', senderReference: 'AR-EX-BACK-1' });
      await arrest(provisional.id);
      const back = await send('UY', {
        toCountry: 'AR',
        kind: 'extradition',
        subject: 'Extradition linked back by the requested state',
        senderReference: 'UY-EX-BACK-2',
        links: links({ parentRequestId: provisional.id }),
      });
      for (const c of ['AR', 'UY']) {
        const parent = (await focal[c]!.get(provisional.id)).request!;
        expect(parent.links?.childRequestIds, c).toEqual([back.id]);
        expect(parent.deadline?.what, c).toBe('formal_request');
      }
    } finally {
      uyProsecutor.close();
    }
  });

  it('groups requests to UY and BR in one case; each state sees only its own, the title only content roles', async () => {
    const reference = 'AR-CASE-ROUTE-7';
    const toUy = await send('AR', { toCountry: 'UY', senderReference: 'route-uy', links: links({ caseReference: reference, caseTitle: 'Recruitment in Uruguay, exploitation in Brazil' }) });
    const toBr = await send('AR', { toCountry: 'BR', kind: 'mla', subject: 'Bank records of the recruiter', senderReference: 'route-br', links: links({ caseReference: reference }) });
    const outside = await send('AR', { toCountry: 'UY', senderReference: 'not-in-the-case' });

    const arCase = (await listCases(focal.AR!, reference)).cases.find((c) => c.reference === reference)!;
    expect(arCase).toMatchObject({ owner: 'AR', title: 'Recruitment in Uruguay, exploitation in Brazil', requestCount: 2, counterparts: ['BR', 'UY'] });
    const file = await getCase(focal.AR!, arCase.id);
    expect(file.requests.map((r) => r.id).sort()).toEqual([toUy.id, toBr.id].sort());
    expect(new Set(file.timeline.map((e) => e.requestId))).toEqual(new Set([toUy.id, toBr.id]));
    expect(file.timeline.map((e) => e.at)).toEqual([...file.timeline.map((e) => e.at)].sort((a, b) => a - b));
    const filtered = await focal.AR!.list({ caseId: arCase.id });
    expect(filtered.requests.map((r) => r.id).sort()).toEqual([toUy.id, toBr.id].sort());
    expect(filtered.requests.map((r) => r.id)).not.toContain(outside.id);
    expect((await listCases(api.auditorAR, reference)).cases.find((c) => c.id === arCase.id)!.title).toBe('');

    for (const [country, own, other] of [
      ['UY', toUy.id, toBr.id],
      ['BR', toBr.id, toUy.id],
    ] as const) {
      const theirs = (await listCases(focal[country]!, reference)).cases.filter((c) => c.reference === reference);
      expect(theirs).toHaveLength(1);
      expect(theirs[0]).toMatchObject({ owner: 'AR', requestCount: 1, counterparts: ['AR'], title: '' });
      const seen = await getCase(focal[country]!, theirs[0]!.id);
      expect(seen.requests.map((r) => r.id)).toEqual([own]);
      expect(seen.timeline.every((e) => e.requestId === own)).toBe(true);
      expect((await rejectionOf(focal[country]!.get(other))).code).toBe(GRPC.NOT_FOUND);
      expect((await focal[country]!.get(own)).request!.links).toMatchObject({ caseId: theirs[0]!.id, caseReference: reference });
      // Filtered by owner: the case is AR's at every node; the other state's case ids are not this node's.
      expect((await listCases(focal[country]!, reference, [], 'AR')).cases.map((c) => c.id)).toEqual([theirs[0]!.id]);
      expect((await listCases(focal[country]!, reference, [], country)).cases).toEqual([]);
      expect((await rejectionOf(getCase(focal[country]!, arCase.id))).code).toBe(GRPC.NOT_FOUND);
    }
    expect((await listCases(focal.AR!, reference, [], 'UY')).cases).toEqual([]);
  });

  it('lists requests by ids as metadata, audited list_requests and never read_content; refuses more than 50, a repeated or a malformed id', async () => {
    const a = await send('AR', { toCountry: 'UY', senderReference: 'AR-IDS-1' });
    const b = await send('AR', { toCountry: 'UY', senderReference: 'AR-IDS-2', links: links({ parentRequestId: a.id }) });
    await send('AR', { toCountry: 'UY', senderReference: 'AR-IDS-3' });
    const auditorAr = await clientsFor(nodes.AR, ['auditor']);
    try {
      const reads = async (id: string, action: string) => (await audit(auditorAr, id)).filter((e) => e.action === action).length;
      const before = { aContent: await reads(a.id, 'read_content'), bContent: await reads(b.id, 'read_content'), aListed: await reads(a.id, 'list_requests') };
      const listed = await focal.AR!.list({ ids: [b.id, a.id] });
      expect(listed.requests.map((r) => r.id).sort()).toEqual([a.id, b.id].sort());
      expect(listed.totalCount).toBe(2);
      expect(listed.requests.find((r) => r.id === a.id)!.subject).not.toBe('');
      expect(listed.requests.every((r) => r.payload.byteLength === 0 && r.typed === undefined)).toBe(true);
      expect(listed.requests.find((r) => r.id === a.id)!.links?.childRequestIds).toEqual([b.id]);
      // Combined with another filter, both hold.
      expect((await focal.AR!.list({ ids: [a.id, b.id], text: 'AR-IDS-2' })).requests.map((r) => r.id)).toEqual([b.id]);
      expect(await reads(a.id, 'read_content')).toBe(before.aContent);
      expect(await reads(b.id, 'read_content')).toBe(before.bContent);
      expect(await reads(a.id, 'list_requests')).toBe(before.aListed + 1);
    } finally {
      auditorAr.close();
    }
    const many = Array.from({ length: 51 }, (_, i) => `019bc2a0-0000-7000-8000-${String(i).padStart(12, '0')}`);
    expect((await focal.AR!.list({ ids: many.slice(0, 50) })).requests).toEqual([]);
    for (const ids of [many, [a.id, a.id], [a.id.toUpperCase()], ['00000000-0000-4000-8000-000000000000']]) {
      expect((await rejectionOf(focal.AR!.list({ ids }))).code, JSON.stringify(ids.slice(0, 2))).toBe(GRPC.INVALID_ARGUMENT);
    }
  });

  it('lists cases by ids; has_title says, for every role, whether a case has a title the auditor is not shown', async () => {
    await send('AR', { toCountry: 'UY', senderReference: 'ids-titled', links: links({ caseReference: 'AR-IDS-TITLED', caseTitle: 'A title of the case' }) });
    await send('AR', { toCountry: 'UY', senderReference: 'ids-untitled', links: links({ caseReference: 'AR-IDS-UNTITLED' }) });
    const titled = (await listCases(focal.AR!, 'AR-IDS-TITLED')).cases[0]!;
    const untitled = (await listCases(focal.AR!, 'AR-IDS-UNTITLED')).cases[0]!;
    expect(titled).toMatchObject({ title: 'A title of the case', hasTitle: true });
    expect(untitled).toMatchObject({ title: '', hasTitle: false });
    const byIds = await listCases(api.auditorAR, '', [untitled.id, titled.id]);
    expect(byIds.totalCount).toBe(2);
    expect(byIds.cases.map((c) => [c.reference, c.title, c.hasTitle]).sort()).toEqual([
      ['AR-IDS-TITLED', '', true],
      ['AR-IDS-UNTITLED', '', false],
    ]);
    // UY holds the case under AR's reference, without its title (it never travels).
    expect((await listCases(focal.UY!, 'AR-IDS-TITLED')).cases[0]).toMatchObject({ title: '', hasTitle: false });
    for (const ids of [Array.from({ length: 51 }, () => crypto.randomUUID()), [titled.id, titled.id], ['not-a-case']]) {
      expect((await rejectionOf(listCases(focal.AR!, '', ids))).code).toBe(GRPC.INVALID_ARGUMENT);
    }
  });

  it('refuses to pass restricted information on to a third state unless an override with a reason is recorded', async () => {
    const info = await send('UY', {
      toCountry: 'AR',
      kind: 'spontaneous_information',
      subject: 'Route used by a trafficking network',
      senderReference: 'UY-SI-1',
      links: links({ handling: ['no_third_states', 'intelligence_only'] }),
    });
    const atAr = (await focal.AR!.get(info.id)).request!;
    expect(atAr.links?.handling).toEqual(['no_third_states', 'intelligence_only']);

    const onward = { toCountry: 'BR', kind: 'mla', subject: 'Request based on information from Uruguay', senderReference: 'AR-FWD-1' };
    const refused = await rejectionOf(focal.AR!.submit(submitRequestOf({ ...onward, links: links({ derivedFromRequestId: info.id }) })));
    expect(refused.enlaceCode).toBe('ERR_USE_RESTRICTED');
    expect((await focal.AR!.list({ text: 'AR-FWD-1' })).totalCount).toBe(0);
    // Back to the state it came from needs no override.
    const back = await focal.AR!.submit(submitRequestOf({ toCountry: 'UY', kind: 'mla', senderReference: 'AR-BACK-1', links: links({ derivedFromRequestId: info.id }) }));
    expect(back.request!.links?.handling).toEqual(['no_third_states', 'intelligence_only']);

    const overridden = await send('AR', { ...onward, links: links({ derivedFromRequestId: info.id, restrictionOverride: 'Uruguay consented by note 45/2026' }) });
    // The restrictions travel with the information, signed: BR holds them too.
    expect((await focal.BR!.get(overridden.id)).request!.links?.handling).toEqual(['no_third_states', 'intelligence_only']);
    const auditorAr = await clientsFor(nodes.AR, ['auditor']);
    try {
      const onNew = await audit(auditorAr, overridden.id);
      const entry = onNew.find((e) => e.action === 'override_restriction')!;
      expect(entry).toBeDefined();
      expect(entry.detail).not.toContain('note 45/2026');
      const onSource = await audit(auditorAr, info.id);
      expect(onSource.find((e) => e.action === 'restriction_overridden')!.detail).toContain(overridden.id);
    } finally {
      auditorAr.close();
    }
  });
});
