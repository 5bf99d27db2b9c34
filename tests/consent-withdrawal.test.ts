import { describe, expect, it } from 'vitest';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { RequestStatus, type GetRequestResponse, type WithdrawConsentResponse } from '../generated/enlace/v1/exchange.js';
import type { ResponsePayload } from '../generated/enlace/v1/requests.js';
import { completeRequest, completeResponse } from '../services/requests/testkit.js';
import { transition, untilArrived, untilDelivered } from './_requests.js';
import { withFederation } from './_setup.js';
import { clientsFor, eventually, rejectionOf, submitRequestOf, type Clients } from './_util.js';

/**
 * A victim withdraws her consent (docs/protocol.md §21.4): her identity data is erased, or kept
 * restricted under a legal ground, at both states, and the request goes on.
 */
describe('withdrawal of a victim’s consent', () => {
  const { nodes, api } = withFederation(['AR', 'UY'], { transport: true, api: { ar: ['AR', 'focal_point'], uy: ['UY', 'focal_point'] } });

  const withdraw = (c: Clients, requestId: string, legalGround = '') =>
    new Promise<WithdrawConsentResponse>((res, rej) => c.exchange.withdrawConsent({ requestId, legalGround }, c.metadata, (e, r) => (e ? rej(e) : res(r))));
  const hold = (c: Clients, requestId: string, reason: string) => new Promise((res, rej) => c.exchange.setLegalHold({ requestId, reason }, c.metadata, (e, r) => (e ? rej(e) : res(r))));
  const step = (c: Clients, requestId: string, action: string, typedResponse?: ResponsePayload) => transition(c, { requestId, action, typedResponse });

  /** Her scanned identity card: a document of a request about the victim herself. */
  const idCard = { fileName: 'cedula.pdf', mediaType: 'application/pdf', content: new TextEncoder().encode(`%PDF-1.7\n${'x'.repeat(2_000)}`) };

  async function shared(kind: Parameters<typeof completeRequest>[0], ref: string, withDocument = false): Promise<string> {
    const typed = completeRequest(kind);
    // The test kit's forms are dated for a fixed clock; these nodes run on today's.
    if (typed.body?.$case === 'mla') typed.body.value.requestedDeadline = '';
    const attachments = withDocument ? [idCard] : [];
    const id = (await api.ar.submit(submitRequestOf({ kind, payload: new Uint8Array(), payloadType: '', typed, senderReference: ref, attachments }))).request!.id;
    await untilDelivered(api.ar, id, 15_000, 'delivery');
    await untilArrived(api.uy, id, 15_000, 'arrival at UY');
    return id;
  }

  /** Everything a content role reads of the request, as text. */
  const seen = (g: GetRequestResponse): string => JSON.stringify({ typed: g.request!.typed, steps: g.steps.map((s) => s.response), timeline: g.timeline });

  it('erases the victim’s identity at both states, keeps the suspect and the facts, and the request goes on', async () => {
    const id = await shared('mla', 'consent-mla');
    expect(seen(await api.uy.get(id))).toContain('Pérez Gómez mla');

    const done = (await withdraw(api.ar, id)).request!;
    expect(done.consentWithdrawal).toBe('erased');
    expect(done.peerConsent).toBe('requested');
    expect(done.consentWithdrawnAt).toBeGreaterThan(0);
    expect(done.erased).toBe(false);

    for (const [c, where] of [
      [api.ar, 'AR'],
      [api.uy, 'UY'],
    ] as const) {
      const got = await eventually(
        async () => {
          const g = await c.get(id);
          return g.request!.consentWithdrawal === 'erased' ? g : undefined;
        },
        15_000,
        `withdrawal at ${where}`,
      );
      const text = seen(got);
      for (const value of ['Pérez Gómez mla', 'María José mla', 'CI-4455667-mla', 'Calle Palma 123', 'Juan Pérez mla']) expect(text, `${value} at ${where}`).not.toContain(value);
      const persons = got.request!.typed!.body!.$case === 'mla' ? got.request!.typed!.body!.value.persons : [];
      const victim = persons.find((p) => p.role === 'victim')!;
      // What stays of her: the metadata of the data policy (sex, nationalities, the child flag).
      expect(victim.person).toMatchObject({ givenNames: '', familyNames: '', documents: [], sex: 'female', nationalities: ['PY'] });
      // The suspect and the facts are not hers: they stay.
      expect(text).toContain('Rodríguez');
      expect(got.request!.allowedActions.length).toBeGreaterThan(0);
    }
    // The envelope UY could open again to read her identity is gone there.
    expect(nodes.UY.deps.store.getRequest(id)!.envelope.byteLength).toBe(0);

    const confirmed = await eventually(
      async () => {
        const g = await api.ar.get(id);
        return g.request!.peerConsent === 'erased' ? g : undefined;
      },
      15_000,
      'the signed confirmation at AR',
    );
    expect(confirmed.timeline.some((t) => t.detail.startsWith('UY: confirmed, signed, that it erased the identity data of the victim'))).toBe(true);
    expect((await api.uy.get(id)).timeline.some((t) => t.detail === 'AR: the victim withdrew her consent; her identity data erased at UY too')).toBe(true);
    // Both nodes audited it; the other state's erasure is not a case erasure: steps go on.
    expect(nodes.AR.deps.store.audit.list({ requestId: id, limit: 50 }).some((a) => a.action === 'withdraw_consent' && a.actor === 'test')).toBe(true);
    expect(nodes.UY.deps.store.audit.list({ requestId: id, limit: 50 }).some((a) => a.action === 'withdraw_consent' && a.actor === 'peer:AR')).toBe(true);
    expect((await api.uy.get(id)).request!.peerErasure).toBe('');
    await step(api.uy, id, 'acknowledge');
    await eventually(async () => ((await api.ar.get(id)).request!.status === RequestStatus.REQUEST_STATUS_ACKNOWLEDGED ? true : undefined), 15_000, 'acknowledged at AR');
    // A second withdrawal changes nothing and sends nothing.
    const again = (await withdraw(api.ar, id)).request!;
    expect(again.consentWithdrawnAt).toBe(done.consentWithdrawnAt);
  });

  it('keeps her data restricted where a legal ground obliges, shown to no one; both states say which ground', async () => {
    const id = await shared('nationality_verification', 'consent-nv', true);
    const documentId = (await api.ar.get(id)).request!.attachments[0]!.id;
    expect((await api.ar.attachment(id, documentId)).content.byteLength).toBe(idCard.content.byteLength);
    const ground = 'Ley 26.364 art. 8: the criminal proceedings FRO 88/2026 are open';
    const uyHold = 'Proceso penal 311/2026 en curso (art. 45 CPP)';
    await hold(api.uy, id, uyHold);
    await step(api.uy, id, 'complete', completeResponse('nationality_verification'));
    await eventually(async () => ((await api.ar.get(id)).request!.status === RequestStatus.REQUEST_STATUS_COMPLETED ? true : undefined), 15_000, 'completed at AR');
    expect(seen(await api.ar.get(id))).toContain('Pérez Gómez reg');

    const done = (await withdraw(api.ar, id, ground)).request!;
    expect(done.consentWithdrawal).toBe('restricted');
    expect(done.consentLegalGround).toBe(ground);
    const atAr = await api.ar.get(id);
    // Neither the victim of the request nor the identity the registry answered with is shown, to anyone.
    for (const value of ['Pérez Gómez nv', 'CI-4455667-nv', 'Pérez Gómez reg', 'Registered in Asunción reg']) expect(seen(atAr)).not.toContain(value);
    expect(atAr.request!.typed!.body!.$case === 'nationalityVerification' && atAr.request!.typed!.body!.value.photo).toBeFalsy();
    // Kept: the full contents are still there, sealed, in the restricted columns no read opens.
    const kept = nodes.AR.deps.store.db.prepare('SELECT restricted_payload IS NOT NULL AS k FROM requests WHERE id = ?').get(id) as { k: number };
    expect(kept.k).toBe(1);
    const keptAnswer = nodes.AR.deps.store.db.prepare('SELECT COUNT(*) AS n FROM transitions WHERE request_id = ? AND restricted_response IS NOT NULL').get(id) as { n: number };
    expect(keptAnswer.n).toBe(1);
    // Her document is kept too, and served to no one.
    const refusedDocument = await rejectionOf(api.ar.attachment(id, documentId));
    expect(refusedDocument.enlaceCode).toBe('ERR_INVALID_TRANSITION');
    expect(refusedDocument.details).toContain('kept restricted');

    // UY keeps its copy restricted under its own hold, and AR shows the ground it answered with.
    const answered = await eventually(
      async () => {
        const g = await api.ar.get(id);
        return g.request!.peerConsent === 'legal_hold' ? g : undefined;
      },
      15_000,
      'the legal hold answer at AR',
    );
    expect(answered.request!.peerConsentReason).toBe(uyHold);
    const atUy = await eventually(
      async () => {
        const g = await api.uy.get(id);
        return g.request!.consentWithdrawal === 'restricted' ? g : undefined;
      },
      15_000,
      'restriction at UY',
    );
    expect(atUy.request!.consentLegalGround).toBe(uyHold);
    for (const value of ['Pérez Gómez nv', 'Pérez Gómez reg']) expect(seen(atUy)).not.toContain(value);

    // Grounds are typed by people: an auditor sees that there is one, not what it says, here or in the audit log.
    const logged = nodes.AR.deps.store.audit.list({ requestId: id, limit: 50 }).find((a) => a.action === 'withdraw_consent')!;
    expect(logged.detail).toBe('kept restricted under a legal ground');
    const loggedAtUy = nodes.UY.deps.store.audit.list({ requestId: id, limit: 50 }).filter((a) => a.action === 'withdraw_consent');
    expect(loggedAtUy.map((a) => a.detail)).toEqual(['kept restricted under a legal hold']);
    const auditor = await clientsFor(nodes.AR, ['auditor']);
    try {
      const a = (await auditor.get(id)).request!;
      expect(a.consentWithdrawal).toBe('restricted');
      expect(a.consentLegalGround).toBe('[redacted]');
      expect(a.peerConsentReason).toBe('[redacted]');
      expect((await rejectionOf(withdraw(auditor, id))).code).toBe(GrpcStatus.PERMISSION_DENIED);
    } finally {
      auditor.close();
    }
  });

  it('refuses, after the withdrawal, an answer that carries her identity, and a withdrawal where no victim is named', async () => {
    const id = await shared('nationality_verification', 'consent-nv-2', true);
    await withdraw(api.ar, id);
    await eventually(async () => ((await api.uy.get(id)).request!.consentWithdrawal === 'erased' ? true : undefined), 15_000, 'withdrawal at UY');
    // Her document is erased at both states.
    const documentId = (await api.ar.get(id)).request!.attachments[0]!.id;
    expect((await rejectionOf(api.ar.attachment(id, documentId))).enlaceCode).toBe('ERR_NOT_FOUND');
    expect((await rejectionOf(api.uy.attachment(id, documentId))).enlaceCode).toBe('ERR_NOT_FOUND');
    const refused = await rejectionOf(step(api.uy, id, 'complete', completeResponse('nationality_verification')));
    expect(refused.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(refused.details).toContain('withdrew her consent');
    // The same answer without her identity is taken.
    const answer = completeResponse('nationality_verification');
    if (answer.body?.$case === 'nationalityVerification') {
      answer.body.value.registeredIdentity = undefined;
      answer.body.value.remarks = '';
    }
    await step(api.uy, id, 'complete', answer);
    await eventually(async () => ((await api.ar.get(id)).request!.status === RequestStatus.REQUEST_STATUS_COMPLETED ? true : undefined), 15_000, 'completed at AR');

    const noVictim = await shared('extradition', 'consent-none');
    const before = (await api.uy.get(noVictim)).timeline.length;
    const none = await rejectionOf(withdraw(api.ar, noVictim));
    expect(none.enlaceCode).toBe('ERR_INVALID_TRANSITION');
    expect(none.details).toContain('no identity data of a victim');
    const atAr = (await api.ar.get(noVictim)).request!;
    expect(atAr.consentWithdrawal).toBe('');
    expect(atAr.peerConsent).toBe('');
    expect((await api.uy.get(noVictim)).timeline.length).toBe(before);
  });
});
