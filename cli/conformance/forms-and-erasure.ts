import { ErasureAnswer, ErasureRequest, RequestBody, type Receipt } from '../../generated/enlace/v1/envelope.js';
import { RequestPayload, ResponsePayload } from '../../generated/enlace/v1/requests.js';
import { KIND } from '../../services/envelope/index.js';
import { REQUEST_TYPE_CODES, TYPED_REQUEST, type RequestType } from '../../services/requests/index.js';
import { completeRequest, completeResponse } from '../../services/requests/testkit.js';
import { ACCEPTED, REJECTED, statusStep, type Probe } from './probe.js';

export type Check = (section: string, name: string, run: () => Promise<[boolean, string]>) => Promise<void>;

export const describeReceipt = (r: Receipt | undefined) =>
  r === undefined ? 'no receipt' : `${r.outcome === ACCEPTED ? 'accepted' : r.outcome === REJECTED ? 'rejected' : `outcome ${r.outcome}`}${r.reasonCode ? ` ${r.reasonCode}` : ''}`;

/**
 * A complete typed form of `kind` (synthetic people, services/requests/testkit.ts) that is valid
 * today: the deadlines it carries are dropped (they are optional, and dated for the test clock).
 */
export function formOf(kind: RequestType): RequestPayload {
  const form = RequestPayload.decode(RequestPayload.encode(completeRequest(kind)).finish());
  const body = form.body!;
  if (body.$case === 'mla') body.value.requestedDeadline = '';
  if (body.$case === 'additionalInformation') body.value.replyBy = '';
  return form;
}

/** A complete answer form of `kind` that is valid today: the planned date it carries (optional, dated for the test clock) is dropped. */
export function answerFormOf(kind: RequestType): ResponsePayload {
  const form = ResponsePayload.decode(ResponsePayload.encode(completeResponse(kind)).finish());
  if (form.body?.$case === 'consularNotification') form.body.value.plannedContactDate = '';
  return form;
}

function typedBody(kind: string, payload: Uint8Array): Uint8Array {
  return RequestBody.encode({
    requestKind: kind,
    toAuthority: '',
    subject: `Conformance: ${kind}`,
    payload,
    payloadType: TYPED_REQUEST,
    senderReference: 'CONFORMANCE',
    urgency: '',
    attachments: [],
    links: undefined,
  }).finish();
}

/** Sends a complete typed request of `kind` to the node under test; resolves with its id and receipt (undefined when none came in time). */
export async function sendTypedRequest(probe: Probe, kind: RequestType, timeoutMs: number): Promise<{ id: string; receipt: Receipt | undefined }> {
  const e = await probe.sealed(KIND.request, typedBody(kind, RequestPayload.encode(formOf(kind)).finish()));
  await probe.publish(e.bytes, e.id);
  return { id: e.id, receipt: await probe.receipt(e.id, timeoutMs) };
}

/**
 * §18.1, §18.7, §18.8: one typed request of each type is accepted; a typed form breaking a rule
 * is rejected ERR_CONTENT_INVALID. Returns the ids of the accepted requests, by type.
 */
export async function typedRequests(probe: Probe, timeoutMs: number, check: Check): Promise<Map<RequestType, string>> {
  const accepted = new Map<RequestType, string>();
  for (const kind of REQUEST_TYPE_CODES) {
    await check('§18.1, §18.7', `a typed ${kind} request is accepted`, async () => {
      const { id, receipt: r } = await sendTypedRequest(probe, kind, timeoutMs);
      if (r?.outcome === ACCEPTED) accepted.set(kind, id);
      return [r?.outcome === ACCEPTED, `${describeReceipt(r)}${r?.detail ? ` (${r.detail})` : ''}`];
    });
  }
  await check('§18.7', 'a typed form breaking a rule (mla without measures) is rejected ERR_CONTENT_INVALID', async () => {
    const form = formOf('mla');
    if (form.body?.$case === 'mla') form.body.value.measures = [];
    const e = await probe.sealed(KIND.request, typedBody('mla', RequestPayload.encode(form).finish()));
    await probe.publish(e.bytes, e.id);
    const r = await probe.receipt(e.id, timeoutMs);
    return [r?.outcome === REJECTED && r.reasonCode === 'ERR_CONTENT_INVALID', `${describeReceipt(r)}${r?.detail ? ` (${r.detail})` : ''}`];
  });
  await check('§18.8', 'a nationality verification without consent or legal ground is rejected ERR_CONTENT_INVALID', async () => {
    const form = formOf('nationality_verification');
    if (form.body?.$case === 'nationalityVerification') {
      form.body.value.consent = undefined;
      form.body.value.legalGround = '';
    }
    const e = await probe.sealed(KIND.request, typedBody('nationality_verification', RequestPayload.encode(form).finish()));
    await probe.publish(e.bytes, e.id);
    const r = await probe.receipt(e.id, timeoutMs);
    return [r?.outcome === REJECTED && r.reasonCode === 'ERR_CONTENT_INVALID', `${describeReceipt(r)}${r?.detail ? ` (${r.detail})` : ''}`];
  });
  return accepted;
}

const erasure = (requestId: string, scope: string, reason: string) => ErasureRequest.encode({ requestId, reason, at: Date.now(), scope, legalGround: '' }).finish();

/**
 * §21 and §21.4 as the other state: a withdrawal of the victim's consent, answered with its
 * scope and the request going on; a case erasure, answered erased, after which a step is
 * refused; an erasure of an unknown request, and one of an unknown scope, rejected.
 */
export async function erasures(probe: Probe, timeoutMs: number, check: Check, requests: Map<RequestType, string>): Promise<void> {
  const answerTo = (erasureId: string) =>
    probe.until(() => {
      const got = probe.received.find((x) => x.opened.header.kind === KIND.erasureAnswer && ErasureAnswer.decode(x.opened.body).erasureId === erasureId);
      return got && ErasureAnswer.decode(got.opened.body);
    }, timeoutMs);
  const send = async (body: Uint8Array) => {
    const e = await probe.sealed(KIND.erasure, body);
    await probe.publish(e.bytes, e.id);
    return { id: e.id, receipt: await probe.receipt(e.id, timeoutMs) };
  };

  const verification = requests.get('nationality_verification');
  await check('§21.4', "a withdrawal of the victim's consent (scope victim_identity) is answered erased or legal_hold with that scope", async () => {
    if (!verification) return [false, 'no nationality verification was accepted to withdraw consent on'];
    const { id, receipt } = await send(erasure(verification, 'victim_identity', 'the victim withdrew her consent'));
    const a = await answerTo(id);
    const ok = receipt?.outcome === ACCEPTED && a !== undefined && a.requestId === verification && a.scope === 'victim_identity' && ['erased', 'legal_hold'].includes(a.outcome);
    return [ok, `${describeReceipt(receipt)}; answer ${a ? `${a.outcome}, scope "${a.scope}"` : 'not received'}`];
  });

  const mla = requests.get('mla');
  await check('§21', 'an erasure of a case is answered erased (or legal_hold with its ground)', async () => {
    if (!mla) return [false, 'no mla request was accepted to erase'];
    const { id, receipt } = await send(erasure(mla, '', 'retention period ended'));
    const a = await answerTo(id);
    const ok = receipt?.outcome === ACCEPTED && a !== undefined && a.requestId === mla && a.scope === '' && (a.outcome === 'erased' || (a.outcome === 'legal_hold' && a.reason !== ''));
    return [ok, `${describeReceipt(receipt)}; answer ${a ? `${a.outcome}${a.reason ? ` (${a.reason})` : ''}` : 'not received'}`];
  });
  await check('§21 step 4', 'a step on an erased case is refused ERR_INVALID_TRANSITION', async () => {
    if (!mla) return [false, 'no mla request was erased'];
    const u = statusStep(mla, 'withdraw', 'withdrawn');
    const e = await probe.sealed(KIND.status, u);
    await probe.publish(e.bytes, e.id);
    const r = await probe.receipt(e.id, timeoutMs);
    return [r?.outcome === REJECTED && r.reasonCode === 'ERR_INVALID_TRANSITION', describeReceipt(r)];
  });
  await check('§21 step 2', 'an erasure of a request the node does not hold is rejected ERR_INVALID_TRANSITION', async () => {
    const { receipt } = await send(erasure('019bc2a0-0000-7000-8000-000000000000', '', 'retention period ended'));
    return [receipt?.outcome === REJECTED && receipt.reasonCode === 'ERR_INVALID_TRANSITION', describeReceipt(receipt)];
  });
  await check('§21', 'an erasure with an unknown scope is rejected ERR_CONTENT_INVALID', async () => {
    const target = requests.get('criminal_records') ?? requests.values().next().value;
    if (!target) return [false, 'no request was accepted'];
    const { receipt } = await send(erasure(target, 'everything', 'retention period ended'));
    return [receipt?.outcome === REJECTED && receipt.reasonCode === 'ERR_CONTENT_INVALID', describeReceipt(receipt)];
  });
}
