import { describe, expect, it } from 'vitest';
import { RequestStatus, type EraseCaseResponse, type SetLegalHoldResponse } from '../generated/enlace/v1/exchange.js';
import { transition, untilArrived, untilDelivered } from './_requests.js';
import { withFederation } from './_setup.js';
import { clientsFor, eventually, GRPC, rejectionOf, submitRequestOf, type Clients } from './_util.js';

/** Erasure reaches both states (docs/protocol.md §21). */
describe('bilateral erasure', () => {
  const { nodes, api } = withFederation(['AR', 'UY'], {
    start: { UY: { settings: { retentionMs: 2_000, retentionCheckMs: 3_600_000 } } },
    transport: true,
    api: { ar: ['AR', 'focal_point'], uy: ['UY', 'focal_point'] },
  });

  const erase = (c: Clients, requestId: string, reason: string) =>
    new Promise<EraseCaseResponse>((res, rej) => c.exchange.eraseCase({ requestId, reason }, c.metadata, (e, r) => (e ? rej(e) : res(r))));
  const hold = (c: Clients, requestId: string, reason: string) =>
    new Promise<SetLegalHoldResponse>((res, rej) => c.exchange.setLegalHold({ requestId, reason }, c.metadata, (e, r) => (e ? rej(e) : res(r))));
  const step = (c: Clients, requestId: string, action: string) => transition(c, { requestId, action });

  async function shared(): Promise<string> {
    const id = (await api.ar.submit(submitRequestOf())).request!.id;
    await untilDelivered(api.ar, id, 15_000, 'delivery');
    await untilArrived(api.uy, id, 15_000, 'arrival at UY');
    return id;
  }

  it('erasing at the requesting state erases the other copy, confirmed with a signed answer; later steps are refused at both', async () => {
    const id = await shared();
    expect((await api.uy.get(id)).request!.payload.byteLength).toBeGreaterThan(0);
    const erased = await erase(api.ar, id, 'the victim withdrew her consent');
    expect(erased.request!.erased).toBe(true);
    expect(erased.request!.peerErasure).toBe('requested');

    const atUy = await eventually(
      async () => {
        const got = await api.uy.get(id);
        return got.request!.erased ? got : undefined;
      },
      15_000,
      'erasure at UY',
    );
    expect(atUy.request!.payload.byteLength).toBe(0);
    expect(atUy.request!.typed).toBeUndefined();
    expect(atUy.request!.peerErasure).toBe('erased');
    // The reason is free text of a case now erased at UY too: it went with the case.
    expect(atUy.request!.peerErasureReason).toBe('');
    expect(atUy.timeline.some((t) => t.detail.includes('erased at this node too'))).toBe(true);
    expect(atUy.request!.allowedActions).toEqual([]);
    // UY audited the erasure it did on AR's request.
    expect(nodes.UY.deps.store.audit.list({ requestId: id, limit: 50 }).some((a) => a.action === 'erase' && a.actor === 'peer:AR')).toBe(true);

    const atAr = await eventually(
      async () => {
        const got = await api.ar.get(id);
        return got.request!.peerErasure === 'erased' ? got : undefined;
      },
      15_000,
      'the signed confirmation at AR',
    );
    expect(atAr.timeline.some((t) => t.detail.startsWith('UY: confirmed, signed, that it erased its copy'))).toBe(true);
    // Timeline and receipts stay as evidence.
    expect(atAr.receipt?.signatureVerified).toBe(true);

    const refusedAtUy = await rejectionOf(step(api.uy, id, 'acknowledge'));
    expect(refusedAtUy.enlaceCode).toBe('ERR_INVALID_TRANSITION');
    expect(refusedAtUy.details).toContain('erased');
    const refusedAtAr = await rejectionOf(step(api.ar, id, 'withdraw'));
    expect(refusedAtAr.enlaceCode).toBe('ERR_INVALID_TRANSITION');
  });

  it('a legal hold at the other state keeps its copy; both sides show it, the ground stays where the case is', async () => {
    const id = await shared();
    const held = await hold(api.uy, id, 'Criminal proceedings 123/2026 are open (Art. 45 CPP)');
    expect(held.request!.legalHold).toBe('Criminal proceedings 123/2026 are open (Art. 45 CPP)');
    await erase(api.ar, id, 'retention period ended');
    const atAr = await eventually(
      async () => {
        const got = await api.ar.get(id);
        return got.request!.peerErasure === 'legal_hold' ? got : undefined;
      },
      15_000,
      'the legal hold answer at AR',
    );
    // The ground is free text, sealed with the case key: AR's case is erased, so AR keeps that UY holds its copy, not the ground.
    expect(atAr.request!.peerErasureReason).toBe('');
    expect(atAr.timeline.some((t) => t.detail.includes('keeps its copy of the case under a legal hold'))).toBe(true);
    expect((await api.uy.get(id)).request!.legalHold).toBe('Criminal proceedings 123/2026 are open (Art. 45 CPP)');
    // Typed by a person: an auditor sees that there is one, not what it says.
    const uyAuditor = await clientsFor(nodes.UY, ['auditor']);
    try {
      expect((await uyAuditor.get(id)).request!.legalHold).toBe('[redacted]');
    } finally {
      uyAuditor.close();
    }
    const auditor = await clientsFor(nodes.AR, ['auditor']);
    try {
      const seen = await auditor.get(id);
      expect(seen.request!.peerErasure).toBe('legal_hold');
      // Nor in the audit log, which auditors read: the erasure's reason is free text too.
      const log = await new Promise<{ action: string; detail: string }[]>((res, rej) =>
        auditor.node.listAudit({ requestId: id, pageSize: 50, beforeSeq: 0 }, auditor.metadata, (e, r) => (e ? rej(e) : res(r.entries))),
      );
      expect(log.find((a) => a.action === 'erase')?.detail).toBe('[redacted]');
    } finally {
      auditor.close();
    }
    const atUy = await api.uy.get(id);
    expect(atUy.request!.erased).toBe(false);
    expect(atUy.request!.payload.byteLength).toBeGreaterThan(0);
    expect(atUy.request!.peerErasure).toBe('erased');
    expect(atUy.timeline.some((t) => t.detail.includes('keeps its copy under a legal hold'))).toBe(true);
    // On disk too, the log keeps only that there was a ground or a reason (it is append-only, so it could not forget them with the case).
    for (const node of [nodes.AR, nodes.UY]) {
      const kept = node.deps.store.audit.list({ requestId: id, limit: 50 }).filter((a) => a.action === 'erase' || a.action === 'legal_hold');
      expect(kept.length).toBeGreaterThan(0);
      expect(kept.map((a) => a.detail)).toEqual(kept.map(() => '[redacted]'));
    }
    // The holder cannot erase by mistake while the hold stands (told why, not the ground), and no step is taken any more.
    const refused = await rejectionOf(erase(api.uy, id, 'by mistake'));
    expect(refused.enlaceCode).toBe('ERR_INVALID_TRANSITION');
    expect(refused.details).not.toContain('Criminal proceedings');
    expect((await rejectionOf(step(api.uy, id, 'acknowledge'))).enlaceCode).toBe('ERR_INVALID_TRANSITION');
  });

  it('the retention policy takes the same path: the other state erases its copy too', async () => {
    const id = await shared();
    await step(api.uy, id, 'complete');
    await eventually(async () => ((await api.ar.get(id)).request!.status === RequestStatus.REQUEST_STATUS_COMPLETED ? true : undefined), 15_000, 'completed at AR');
    // UY keeps final cases 2 s (its own timer is off in this file): its check erases this one once that has passed.
    await eventually(async () => ((await nodes.UY.retention.check()) >= 1 ? true : undefined), 15_000, 'the retention check at UY');
    const atUy = await api.uy.get(id);
    expect(atUy.request!.erased).toBe(true);
    expect(atUy.timeline.some((t) => /retention period/.test(t.detail))).toBe(true);
    await eventually(async () => ((await api.ar.get(id)).request!.erased ? true : undefined), 15_000, 'erasure at AR');
    expect((await api.ar.get(id)).request!.peerErasure).toBe('erased');
  });

  it('checks the legal ground and the reason', async () => {
    const id = await shared();
    expect((await rejectionOf(hold(api.uy, id, 'x'))).code).toBe(GRPC.INVALID_ARGUMENT);
    expect((await rejectionOf(erase(api.ar, id, ''))).code).toBe(GRPC.INVALID_ARGUMENT);
  });
});
