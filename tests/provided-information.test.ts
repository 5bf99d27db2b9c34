import { describe, expect, it } from 'vitest';
import { RequestStatus, type GetRequestResponse, type Step } from '../generated/enlace/v1/exchange.js';
import type { ProvidedInformation } from '../generated/enlace/v1/requests.js';
import { REDACTED } from '../services/requests/index.js';
import { completeProvidedInformation, completeResponse, testSuspect } from '../services/requests/testkit.js';
import { step, transition } from './_requests.js';
import { withFederation } from './_setup.js';
import { eventually, GRPC, rejectionOf, submitRequestOf, type Clients } from './_util.js';

function providedOf(res: GetRequestResponse): { step: Step; info: ProvidedInformation; language: string } | undefined {
  const st = res.steps.find((s) => s.action === 'provide_information');
  const body = st?.response?.body;
  return st && body?.$case === 'providedInformation' ? { step: st, info: body.value, language: st.response!.language } : undefined;
}

describe('information provided after a request for information', () => {
  const { api } = withFederation(['AR', 'UY'], { transport: true, api: { ar: ['AR', 'focal_point'], uy: ['UY', 'focal_point'], uyAuditor: ['UY', 'auditor'] } });

  async function statusAt(c: Clients, id: string, status: RequestStatus): Promise<GetRequestResponse> {
    return eventually(
      async () => {
        const got = await c.get(id).catch(() => undefined);
        return got?.request?.status === status ? got : undefined;
      },
      15_000,
      `status ${RequestStatus[status]}`,
    );
  }

  async function askedForInformation(reference: string): Promise<string> {
    const id = (await api.ar.submit(submitRequestOf({ senderReference: reference }))).request!.id;
    await statusAt(api.uy, id, RequestStatus.REQUEST_STATUS_RECEIVED);
    await transition(api.uy, step(id, 'request_information', { note: '1. Where does she live now?\n2. When did she arrive?' }));
    await statusAt(api.ar, id, RequestStatus.REQUEST_STATUS_INFORMATION_REQUESTED);
    return id;
  }

  it('travels typed: the requested focal point reads it field by field, its auditor without identity', async () => {
    const id = await askedForInformation('provided-1');
    const sent = completeProvidedInformation('ar');
    await transition(api.ar, step(id, 'provide_information', { typedResponse: sent }));

    const atUy = await statusAt(api.uy, id, RequestStatus.REQUEST_STATUS_IN_PROGRESS);
    const got = providedOf(atUy);
    expect(got, 'the provided information at UY').toBeDefined();
    expect(got!.step.by).toBe('AR');
    expect(got!.language).toBe('es');
    const want = (sent.body as { value: ProvidedInformation }).value;
    expect(got!.info.items).toEqual([{ topic: 'whereabouts', text: want.items[0]!.text, topicDetails: '' }]);
    expect(got!.info.answers).toEqual(want.answers);
    expect(got!.info.persons[0]!.role).toBe('victim');
    expect(got!.info.persons[0]!.person).toEqual(want.persons[0]!.person);
    expect(got!.info.persons[1]!.person!.familyNames).toBe(testSuspect().familyNames);
    expect(got!.info.documentReferences).toEqual(want.documentReferences);
    expect(got!.info.consent).toEqual(want.consent);
    expect(got!.info.remarks).toBe(want.remarks);
    expect(providedOf(await api.ar.get(id))!.info).toEqual(got!.info);

    const audited = providedOf(await api.uyAuditor.get(id));
    expect(audited, 'the auditor sees that information was provided').toBeDefined();
    const victim = audited!.info.persons[0]!.person!;
    expect([victim.givenNames, victim.familyNames, victim.dateOfBirth, victim.motherName, victim.documents[0]!.number]).toEqual([REDACTED, REDACTED, REDACTED, REDACTED, REDACTED]);
    expect(victim.nationalities).toEqual(['PY']);
    expect(audited!.info.items[0]).toEqual({ topic: 'whereabouts', text: REDACTED, topicDetails: '' });
    expect(audited!.info.answers.map((a) => [a.question, a.text])).toEqual([
      [1, REDACTED],
      [2, REDACTED],
    ]);
    expect(audited!.info.documentReferences[0]!.reference).toBe('ACTA-2026-88');
    expect(JSON.stringify(audited!.info)).not.toMatch(/ api.ar\b|Ana Gómez|Rivera 1234/);
  });

  it('refuses an invalid answer with INVALID_ARGUMENT naming the field, and changes nothing', async () => {
    const id = await askedForInformation('provided-2');
    const bad = completeProvidedInformation('bad');
    (bad.body as { value: ProvidedInformation }).value.items[0]!.topic = 'gossip';
    const e = await rejectionOf(transition(api.ar, step(id, 'provide_information', { typedResponse: bad })));
    expect(e.code).toBe(GRPC.INVALID_ARGUMENT);
    expect(e.enlaceCode).toBe('ERR_INVALID_ARGUMENT');
    expect(e.details).toMatch(/^typed_response\.provided_information\.items\[0\]\.topic /);

    const noConsent = completeProvidedInformation('bad');
    (noConsent.body as { value: ProvidedInformation }).value.consent = undefined;
    expect((await rejectionOf(transition(api.ar, step(id, 'provide_information', { typedResponse: noConsent })))).details).toMatch(/^typed_response\.provided_information\.consent /);
    expect((await rejectionOf(transition(api.ar, step(id, 'provide_information', { typedResponse: completeResponse('nationality_verification') })))).details).toMatch(
      /^typed_response\.provided_information /,
    );
    const opaque = await rejectionOf(transition(api.ar, step(id, 'provide_information', { response: new TextEncoder().encode('{"mother":"Ana"}'), responseType: 'application/json' })));
    expect([opaque.code, opaque.details.split(' ')[0]]).toEqual([GRPC.INVALID_ARGUMENT, 'response']);

    const still = await api.ar.get(id);
    expect(still.request!.status).toBe(RequestStatus.REQUEST_STATUS_INFORMATION_REQUESTED);
    expect(still.steps.some((s) => s.action === 'provide_information')).toBe(false);
  });
});
