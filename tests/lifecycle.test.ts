import { describe, expect, it } from 'vitest';
import { EventType, RequestStatus, type Request } from '../generated/enlace/v1/exchange.js';
import { RequestPayload } from '../generated/enlace/v1/requests.js';
import { localDate } from '../services/requests/deadlines.js';
import { validRequestPayload } from '../services/requests/index.js';
import { completeRequest, completeResponse } from '../services/requests/testkit.js';
import { step, transition, untilArrived } from './_requests.js';
import { withFederation } from './_setup.js';
import { clientsForIssuer, eventually, GRPC, rejectionOf, submitRequestOf, TestClock, type Clients } from './_util.js';

describe('shared lifecycle between the requesting and the requested state', () => {
  const arClock = new TestClock();
  const { nodes, api } = withFederation(['AR', 'UY'], {
    start: { AR: { clock: arClock } },
    transport: true,
    api: { ar: ['AR', 'focal_point'], uy: ['UY', 'focal_point'], uyProsecutor: ['UY', 'prosecutor'] },
  });

  async function sendAndWait(over = {}) {
    const sent = await api.ar.submit(submitRequestOf(over));
    const id = sent.request!.id;
    await eventually(async () => ((await api.ar.get(id)).request!.dueAt > 0 ? true : undefined), 15_000, 'delivery with a due date');
    await untilArrived(api.uy, id, 15_000, 'arrival at UY');
    return id;
  }

  async function statusAt(c: Clients, id: string, status: RequestStatus) {
    return eventually(
      async () => {
        const got = await c.get(id);
        return got.request!.status === status ? got : undefined;
      },
      15_000,
      `status ${RequestStatus[status]}`,
    );
  }

  it('walks a nationality verification through acknowledge, information requested and back, and completion, the same on both sides', async () => {
    const id = await sendAndWait({ urgency: 'urgent', senderReference: 'lifecycle-1' });
    const [a0, u0] = [await api.ar.get(id), await api.uy.get(id)];
    expect(a0.request!.dueAt).toBe(u0.request!.dueAt);
    expect(u0.request!.side).toBe('requested');
    expect(u0.request!.allowedActions).toEqual(expect.arrayContaining(['acknowledge', 'request_information', 'refuse']));
    expect(a0.request!.allowedActions).toEqual(['withdraw']);

    await transition(api.uy, step(id, 'acknowledge'));
    await statusAt(api.ar, id, RequestStatus.REQUEST_STATUS_ACKNOWLEDGED);

    await transition(api.uy, step(id, 'request_information', { note: "Please send the mother's full name" }));
    const paused = await statusAt(api.ar, id, RequestStatus.REQUEST_STATUS_INFORMATION_REQUESTED);
    expect(paused.request!.deadlinePaused).toBe(true);
    expect(paused.request!.allowedActions).toEqual(expect.arrayContaining(['provide_information', 'withdraw']));

    await transition(api.ar, step(id, 'provide_information', { note: 'Mother: M. R. G.' }));
    await statusAt(api.uy, id, RequestStatus.REQUEST_STATUS_IN_PROGRESS);

    await transition(api.uy, step(id, 'complete', { response: new TextEncoder().encode('{"result":"confirmed"}'), responseType: 'application/json' }));
    const doneAr = await statusAt(api.ar, id, RequestStatus.REQUEST_STATUS_COMPLETED);
    const doneUy = await api.uy.get(id);
    expect(doneAr.request!.allowedActions).toEqual([]);
    expect(doneAr.request!.dueAt).toBe(doneUy.request!.dueAt);
    expect(doneAr.request!.dueAt).toBeGreaterThanOrEqual(a0.request!.dueAt);
    const steps = (t: typeof doneAr.timeline) => t.filter((e) => e.type === EventType.EVENT_TYPE_TRANSITION).map((e) => [e.at, e.detail]);
    expect(steps(doneAr.timeline)).toEqual(steps(doneUy.timeline));
    expect(steps(doneAr.timeline)).toHaveLength(4);
  });

  it('refuses steps the state machine does not allow, with a stable code, and steps outside the role', async () => {
    const id = await sendAndWait({ senderReference: 'lifecycle-2' });
    const wrongSide = await rejectionOf(transition(api.ar, step(id, 'acknowledge')));
    expect(wrongSide.code).toBe(9);
    expect(wrongSide.enlaceCode).toBe('ERR_INVALID_TRANSITION');
    expect((await rejectionOf(transition(api.uy, step(id, 'withdraw')))).enlaceCode).toBe('ERR_INVALID_TRANSITION');
    expect((await rejectionOf(transition(api.uy, step(id, 'refuse')))).details).toMatch(/why/);
    expect((await rejectionOf(transition(api.uy, step(id, 'fly')))).details).toMatch(/^action /);
    await transition(api.uy, step(id, 'refuse', { note: 'dual criminality not met' }));
    await statusAt(api.ar, id, RequestStatus.REQUEST_STATUS_REFUSED);
    expect((await rejectionOf(transition(api.uy, step(id, 'complete')))).enlaceCode).toBe('ERR_INVALID_TRANSITION');
    const auditor = await clientsForIssuer(nodes.UY.issuer, nodes.UY.grpcAddress, ['auditor']);
    try {
      expect((await rejectionOf(transition(auditor, step(id, 'acknowledge')))).code).toBe(GRPC.PERMISSION_DENIED);
      expect((await auditor.get(id)).request!.payloadRedacted).toBe(true);
      expect((await auditor.get(id)).request!.payload).toHaveLength(0);
    } finally {
      auditor.close();
    }
  });

  it('moves an extradition through stages that the requesting state sees, with the formal request clock', async () => {
    const id = await sendAndWait({ kind: 'extradition', subject: 'Extradition of a trafficking suspect', senderReference: 'ext-1' });
    await transition(api.uyProsecutor, step(id, 'record_stage', { stage: 'provisional_arrest', stageDate: '2026-11-20' }));
    const arrested = await eventually(
      async () => {
        const r = (await api.ar.get(id)).request!;
        return r.stage === 'provisional_arrest' ? r : undefined;
      },
      15_000,
      'provisional arrest at AR',
    );
    expect(localDate(arrested.dueAt, 'UTC')).toBe('2027-01-19');
    // In words: the requesting state owes the formal request, 60 calendar days from the day after the arrest.
    expect(arrested.deadline).toMatchObject({ what: 'formal_request', from: 'AR', dueDate: '2027-01-19', days: 60, counting: 'calendar_days' });
    await transition(api.uyProsecutor, step(id, 'record_stage', { stage: 'formal_request_received', stageDate: '2026-12-01' }));
    await transition(api.uyProsecutor, step(id, 'record_stage', { stage: 'judicial_proceedings', stageDate: '2026-12-05' }));
    const atAr = await eventually(
      async () => {
        const r = (await api.ar.get(id)).request!;
        return r.stage === 'judicial_proceedings' ? r : undefined;
      },
      15_000,
      'judicial proceedings at AR',
    );
    expect(atAr.status).toBe(RequestStatus.REQUEST_STATUS_IN_PROGRESS);
    expect((await rejectionOf(transition(api.uyProsecutor, step(id, 'record_stage', { stage: 'provisional_arrest', stageDate: '2026-12-06' })))).enlaceCode).toBe('ERR_INVALID_TRANSITION');
    expect((await rejectionOf(transition(api.ar, step(id, 'record_stage', { stage: 'surrendered' })))).enlaceCode).toBe('ERR_INVALID_TRANSITION');
  });

  it('lists overdue and soon-due requests', async () => {
    const id = await sendAndWait({ urgency: 'urgent', kind: 'consular_notification', subject: 'Detained national', senderReference: 'due-1' });
    const soon = await api.ar.list({ dueWithinDays: 10 });
    expect(soon.requests.map((r) => r.id)).toContain(id);
    expect((await api.ar.list({ overdue: true })).requests.map((r) => r.id)).not.toContain(id);
    arClock.advance(20 * 86_400_000);
    const later = await clientsForIssuer(nodes.AR.issuer, nodes.AR.grpcAddress, ['focal_point'], arClock.now());
    try {
      const overdue = await later.list({ overdue: true });
      expect(overdue.requests.map((r) => r.id)).toContain(id);
      expect(overdue.requests.find((r) => r.id === id)!.overdue).toBe(true);
    } finally {
      later.close();
      arClock.offsetMs = 0;
    }
  });
});

describe('victim data at rest', () => {
  const { nodes, api } = withFederation(['AR', 'UY'], { transport: true, api: { ar: ['AR', 'focal_point'], uy: ['UY', 'focal_point'] } });

  it('keeps contents encrypted with a key per case in SQLite, and erasing destroys the key for good', async () => {
    const secret = 'Maria Rosa Gonzalez, born 2009-04-12 in Salto';
    const sent = await api.ar.submit(submitRequestOf({ payload: new TextEncoder().encode(JSON.stringify({ victim: secret })), senderReference: 'vault-1' }));
    const id = sent.request!.id;
    await untilArrived(api.uy, id, 15_000, 'arrival');
    const raw = nodes.UY.deps.store.db.prepare('SELECT payload, sealed FROM requests WHERE id = ?').get(id) as { payload: Buffer; sealed: number };
    expect(raw.sealed).toBe(1);
    expect(raw.payload.toString('latin1')).not.toContain('Maria');
    expect(new TextDecoder().decode((await api.uy.get(id)).request!.payload)).toContain(secret);

    expect((await api.uy.list({})).requests.find((r) => r.id === id)!.payload).toHaveLength(0);
    const auditor = await clientsForIssuer(nodes.UY.issuer, nodes.UY.grpcAddress, ['auditor']);
    const audit = () =>
      new Promise<{ entries: { action: string; requestId: string; actor: string }[]; chainIntact: boolean }>((res, rej) =>
        auditor.node.listAudit({ requestId: id, pageSize: 50, beforeSeq: 0 }, auditor.metadata, (e, r) => (e ? rej(e) : res(r))),
      );
    const reads = await audit();
    expect(reads.chainIntact).toBe(true);
    expect(reads.entries.filter((e) => e.action === 'read_content' && e.requestId === id).length).toBeGreaterThanOrEqual(1);
    expect(() => nodes.UY.deps.store.db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect((await rejectionOf(new Promise((res, rej) => api.uy.node.listAudit({ requestId: '', pageSize: 1, beforeSeq: 0 }, api.uy.metadata, (e, r) => (e ? rej(e) : res(r)))))).code).toBe(
      GRPC.PERMISSION_DENIED,
    );

    const erase = (reason: string) => new Promise<{ request?: Request }>((res, rej) => api.uy.exchange.eraseCase({ requestId: id, reason }, api.uy.metadata, (e, r) => (e ? rej(e) : res(r))));
    expect((await rejectionOf(erase(''))).details).toMatch(/^reason /);
    const erased = await erase('the victim withdrew consent');
    expect(erased.request!.erased).toBe(true);
    expect(erased.request!.payload).toHaveLength(0);
    const after = await api.uy.get(id);
    // Free text is case content: the subject goes with the case.
    expect(after.request!.subject).toBe('');
    expect(after.timeline.at(-1)!.detail).toMatch(/^UY: case data erased at this node/);
    const row = nodes.UY.deps.store.db.prepare('SELECT wrapped FROM case_keys WHERE request_id = ?').get(id) as { wrapped: Buffer | null };
    expect(row.wrapped).toBeNull();
    const env = nodes.UY.deps.store.db.prepare('SELECT length(envelope) AS n FROM requests WHERE id = ?').get(id) as { n: number };
    expect(env.n).toBe(0);
    expect((await audit()).entries.map((e) => e.action)).toContain('erase');
    auditor.close();
  });
});

describe('typed requests and responses', () => {
  const { api } = withFederation(['AR', 'UY'], { transport: true, api: { ar: ['AR', 'focal_point'], uy: ['UY', 'focal_point'], uyAuditor: ['UY', 'auditor'] } });

  it('carries a typed nationality verification and its typed answer; victim identity is redacted for an auditor', async () => {
    const form = completeRequest('nationality_verification');
    const sent = await api.ar.submit(submitRequestOf({ payload: new Uint8Array(), payloadType: '', typed: form, senderReference: 'typed-1' }));
    const id = sent.request!.id;
    const atUy = await eventually(async () => (await api.uy.get(id).catch(() => undefined))?.request, 15_000, 'arrival');
    expect(RequestPayload.toJSON(atUy.typed!)).toEqual(RequestPayload.toJSON(validRequestPayload('nationality_verification', form, { field: 'typed' })));
    const victimName = JSON.stringify(form).match(/"givenNames":\["([^"]+)"/)?.[1] ?? '';
    const redacted = (await api.uyAuditor.get(id)).request!;
    expect(redacted.payloadRedacted).toBe(true);
    expect(redacted.typed?.body?.$case).toBe('nationalityVerification');
    if (victimName) expect(JSON.stringify(redacted.typed)).not.toContain(victimName);

    await transition(api.uy, step(id, 'complete', { typedResponse: completeResponse('nationality_verification') }));
    const done = await eventually(
      async () => {
        const got = await api.ar.get(id);
        return got.request!.status === RequestStatus.REQUEST_STATUS_COMPLETED ? got : undefined;
      },
      15_000,
      'completion at AR',
    );
    expect(done.steps).toHaveLength(1);
    expect(done.steps[0]!.by).toBe('UY');
    expect(done.steps[0]!.response?.body?.$case).toBe('nationalityVerification');
  });

  it('flags a request that concerns a child, for every role', async () => {
    const form = completeRequest('nationality_verification');
    const body = form.body as { $case: 'nationalityVerification'; value: { victim?: { child: boolean; dateOfBirth: string } } };
    body.value.victim!.child = true;
    body.value.victim!.dateOfBirth = '2013-02-03';
    const sent = await api.ar.submit(submitRequestOf({ payload: new Uint8Array(), payloadType: '', typed: form, senderReference: 'child-1' }));
    expect(sent.request!.involvesChild).toBe(true);
    const id = sent.request!.id;
    await eventually(async () => ((await api.uyAuditor.get(id).catch(() => undefined))?.request?.involvesChild ? true : undefined), 15_000, 'child flag at UY');
    expect((await api.uy.list({})).requests.find((r) => r.id === id)!.involvesChild).toBe(true);
  });

  it('checks the typed form at the edge, naming the field', async () => {
    const form = completeRequest('nationality_verification');
    const bad = { ...form, language: 'spanish' };
    const r = await rejectionOf(api.ar.submit(submitRequestOf({ payload: new Uint8Array(), payloadType: '', typed: bad })));
    expect(r.code).toBe(GRPC.INVALID_ARGUMENT);
    expect(r.details).toMatch(/^typed\.language/);
    const wrongKind = await rejectionOf(api.ar.submit(submitRequestOf({ kind: 'mla', payload: new Uint8Array(), payloadType: '', typed: form })));
    expect(wrongKind.details).toMatch(/^typed/);
  });
});
