import { describe, expect, it } from 'vitest';
import type { ListCasesResponse } from '../generated/enlace/v1/cases.js';
import { RequestStatus, type Request, type SubmitLinks } from '../generated/enlace/v1/exchange.js';
import { decodeOuter, uuidv7 } from '../services/envelope/index.js';
import type { NationalNode } from '../services/index.js';
import { withFederation } from './_setup.js';
import { untilArrived, untilDelivered } from './_requests.js';
import { eventually, GRPC, rejectionOf, submitRequestOf, type Clients } from './_util.js';

/**
 * One request to several states (docs/protocol.md §25.4) and the receiver's own check of a
 * request's links (§25.1), through gRPC with four real nodes (AR, UY, BR, CL) on one broker.
 */

const links = (over: Partial<SubmitLinks>): SubmitLinks => ({ parentRequestId: '', caseReference: '', caseTitle: '', handling: [], derivedFromRequestId: '', restrictionOverride: '', ...over });
const COUNTRIES = ['AR', 'UY', 'BR', 'CL'] as const;

function listCases(c: Clients, text: string): Promise<ListCasesResponse> {
  return new Promise((ok, ko) => c.exchange.listCases({ text, owner: '', pageSize: 50, pageToken: '', ids: [] }, c.metadata, (e, r) => (e ? ko(e) : ok(r))));
}

describe('one request to several states, and links the receiver checks itself', () => {
  const net = withFederation(COUNTRIES, { transport: true, api: { AR: ['AR', 'focal_point'], UY: ['UY', 'focal_point'], BR: ['BR', 'focal_point'], CL: ['CL', 'focal_point'] } });
  /** The nodes, and a focal point's client of each, by country. */
  const nodes: Record<string, NationalNode> = net.nodes;
  const focal: Record<string, Clients> = net.api;

  const delivered = (c: Clients, id: string) => untilDelivered(c, id, 30_000, `the receipt for ${id}`);

  it('sends one spontaneous information to UY, BR and CL: three requests, three receipts, each recipient sees only its own', async () => {
    const sent = await focal.AR!.submit(
      submitRequestOf({
        toCountry: 'UY',
        alsoToCountries: ['BR', 'CL'],
        kind: 'spontaneous_information',
        subject: 'A recruiting network moving women from Uruguay through Argentina to Brazil',
        senderReference: 'AR-SI-ROUTE-1',
        links: links({ caseReference: 'AR-ROUTE-2026-3', handling: ['no_third_states'] }),
      }),
    );
    const all: Request[] = [sent.request!, ...sent.also];
    expect(all.map((r) => r.to.slice(0, 2))).toEqual(['UY', 'BR', 'CL']);
    expect(new Set(all.map((r) => r.id)).size).toBe(3);

    for (const r of all) {
      const at = await delivered(focal.AR!, r.id);
      expect(at).toBe(true);
      const got = await focal.AR!.get(r.id);
      // Each request has its own signed receipt, from its own recipient, about its own envelope.
      expect(got.receipt).toMatchObject({ signerCountry: r.to.slice(0, 2), outcome: 'accepted', signatureVerified: true });
      expect(Buffer.from(got.receipt!.envelopeSha256).equals(Buffer.from(nodes.AR!.deps.store.getRequest(r.id)!.envelopeSha256))).toBe(true);
    }
    const receipts = all.map((r) => nodes.AR!.deps.store.receiptsFor(r.id).filter((x) => x.outcome === 'accepted'));
    expect(receipts.map((x) => x.length)).toEqual([1, 1, 1]);

    // At AR, the three are one case with three counterparts.
    const arCase = (await listCases(focal.AR!, 'AR-ROUTE-2026-3')).cases.find((c) => c.reference === 'AR-ROUTE-2026-3')!;
    expect(arCase).toMatchObject({ owner: 'AR', requestCount: 3, counterparts: ['BR', 'CL', 'UY'] });

    for (const r of all) {
      const theirs = focal[r.to.slice(0, 2)]!;
      const own = (await theirs.get(r.id)).request!;
      expect(own.links).toMatchObject({ caseReference: 'AR-ROUTE-2026-3', handling: ['no_third_states'] });
      // The header a recipient holds names only itself; the others' requests do not exist for it.
      const header = decodeOuter(nodes[r.to.slice(0, 2)]!.deps.store.getRequest(r.id)!.envelope)!.header;
      expect(header.to.map((t) => t.address.slice(0, 2))).toEqual([r.to.slice(0, 2)]);
      for (const other of all.filter((o) => o.id !== r.id)) expect((await rejectionOf(theirs.get(other.id))).code).toBe(GRPC.NOT_FOUND);
      const seen = (await listCases(theirs, 'AR-ROUTE-2026-3')).cases.filter((c) => c.reference === 'AR-ROUTE-2026-3');
      expect(seen.map((c) => [c.requestCount, c.counterparts])).toEqual([[1, ['AR']]]);
    }

    // Each recipient answers on its own timeline: UY acknowledges its copy, BR's and CL's stay as delivered.
    await new Promise((ok, ko) =>
      focal.UY!.exchange.transition(
        { requestId: all[0]!.id, action: 'acknowledge', note: '', response: new Uint8Array(), responseType: '', stage: '', stageDate: '', typedResponse: undefined },
        focal.UY!.metadata,
        (e, res) => (e ? ko(e) : ok(res)),
      ),
    );
    await eventually(async () => ((await focal.AR!.get(all[0]!.id)).request!.status === RequestStatus.REQUEST_STATUS_ACKNOWLEDGED ? true : undefined), 30_000, 'UY acknowledging its copy, seen at AR');
    for (const r of all.slice(1)) expect((await focal.AR!.get(r.id)).request!.status).toBe(RequestStatus.REQUEST_STATUS_DELIVERED);
  });

  it('refuses several recipients for a request that goes to one state, and sends to none when one destination is wrong', async () => {
    const mla = await rejectionOf(focal.AR!.submit(submitRequestOf({ toCountry: 'UY', alsoToCountries: ['BR'], kind: 'mla', senderReference: 'AR-MLA-TWO' })));
    expect(mla.code).toBe(GRPC.INVALID_ARGUMENT);
    expect(mla.details).toContain('also_to_countries');
    const unknown = await rejectionOf(
      focal.AR!.submit(submitRequestOf({ toCountry: 'UY', alsoToCountries: ['PY'], kind: 'spontaneous_information', subject: 'Route information', senderReference: 'AR-SI-PY' })),
    );
    expect(unknown.code).toBe(GRPC.INVALID_ARGUMENT);
    expect(unknown.details).toContain('also_to_countries[0]');
    expect((await focal.AR!.list({ text: 'AR-SI-PY' })).totalCount).toBe(0);
  });

  it('passing restricted information on to several states is checked toward each: a third state among them refuses all, an override is recorded for the third state only', async () => {
    const info = (
      await focal.UY!.submit(
        submitRequestOf({ toCountry: 'AR', kind: 'spontaneous_information', subject: 'Route seen from Uruguay', senderReference: 'UY-SI-SEVERAL', links: links({ handling: ['no_third_states'] }) }),
      )
    ).request!;
    await untilArrived(focal.AR!, info.id, 30_000, 'the restricted information at AR');
    const onward = { toCountry: 'UY', alsoToCountries: ['BR'], kind: 'spontaneous_information', subject: 'Route, passed on', senderReference: 'AR-SI-ONWARD' };
    const refused = await rejectionOf(focal.AR!.submit(submitRequestOf({ ...onward, links: links({ derivedFromRequestId: info.id }) })));
    expect(refused.enlaceCode).toBe('ERR_USE_RESTRICTED');
    // Not even to UY, where it came from: a problem with one destination sends to none.
    expect((await focal.AR!.list({ text: 'AR-SI-ONWARD' })).totalCount).toBe(0);

    const sent = await focal.AR!.submit(submitRequestOf({ ...onward, links: links({ derivedFromRequestId: info.id, restrictionOverride: 'Uruguay agreed in the joint team meeting' }) }));
    const [toUy, toBr] = [sent.request!, ...sent.also];
    expect([toUy.to.slice(0, 2), toBr!.to.slice(0, 2)]).toEqual(['UY', 'BR']);
    for (const r of [toUy, toBr!]) expect(r.links?.handling).toEqual(['no_third_states']);
    const audit = nodes.AR!.deps.store.db.prepare(
      "SELECT action, request_id AS requestId, detail FROM audit_log WHERE action IN ('override_restriction', 'restriction_overridden') AND (request_id IN (?, ?) OR detail LIKE ?)",
    );
    const entries = audit.all(toUy.id, toBr!.id, `%${toBr!.id}%`) as { action: string; requestId: string; detail: string }[];
    expect(entries.map((e) => [e.action, e.requestId]).sort()).toEqual([
      ['override_restriction', toBr!.id],
      ['restriction_overridden', info.id],
    ]);
    expect(entries.find((e) => e.action === 'restriction_overridden')!.detail).toContain('passed on to BR');
  });

  /**
   * A sender whose own check was bypassed: AR's store is given a request it never exchanged
   * (as a node with a broken or malicious database would hold), so AR's node signs and sends a
   * link UY must refuse on its own.
   */
  async function forgedFollowUp(parentId: string, reference: string): Promise<Request> {
    const real = (await focal.AR!.submit(submitRequestOf({ toCountry: 'UY', senderReference: `template-${reference}` }))).request!;
    const template = nodes.AR!.deps.store.getRequest(real.id)!;
    nodes.AR!.deps.store.insertRequest({ ...template, id: parentId, counterpart: 'UY', kind: 'nationality_verification', idempotencyKey: null, senderReference: `forged-parent-${reference}` });
    return (await focal.AR!.submit(submitRequestOf({ toCountry: 'UY', senderReference: reference, links: links({ parentRequestId: parentId }) }))).request!;
  }

  it('refuses, with a signed reason, a link to a request it does not hold or holds with another state', async () => {
    const betweenUyAndBr = (await focal.UY!.submit(submitRequestOf({ toCountry: 'BR', senderReference: 'UY-BR-1' }))).request!;
    await untilArrived(focal.BR!, betweenUyAndBr.id, 30_000, 'UY to BR');
    for (const [parentId, reference] of [
      [uuidv7(Date.now()), 'AR-DANGLING'],
      [betweenUyAndBr.id, 'AR-NOT-PARTY'],
    ] as const) {
      const forged = await forgedFollowUp(parentId, reference);
      const failed = await eventually(
        async () => {
          const got = await focal.AR!.get(forged.id);
          return got.request!.status === RequestStatus.REQUEST_STATUS_FAILED ? got : undefined;
        },
        30_000,
        `UY's rejection of ${reference}`,
      );
      expect(failed.request!.failureReason).toBe('ERR_CONTENT_INVALID');
      expect(failed.receipt).toMatchObject({ signerCountry: 'UY', outcome: 'rejected', reasonCode: 'ERR_CONTENT_INVALID', signatureVerified: true });
      expect(failed.timeline.find((t) => t.detail.includes('links.parent_request_id'))).toBeDefined();
      expect((await rejectionOf(focal.UY!.get(forged.id))).code).toBe(GRPC.NOT_FOUND);
    }
  });
});
