import { bytesEqual } from '../../../keys/index.js';
import { KIND } from '../../envelope/index.js';
import { declineProposal, sentEnvelope, stepEventIdOf, type RequestRow } from '../../store/index.js';
import { scheduleOnArrival } from '../schedule.js';
import { quarantine, type ApplyContext } from './apply.js';
import { verifiedBy, type Verdict } from './verdict.js';

type ReceiptVerdict = Extract<Verdict, { type: 'receipt' }>;

/** A signed receipt from a peer: for one of this node's requests, or for one of its step envelopes. */
export function applyReceipt(ctx: ApplyContext, v: ReceiptVerdict, bytes: Uint8Array): void {
  const request = ctx.deps.store.getRequest(v.facts.envelopeId);
  if (request) requestReceipt(ctx, v, bytes, request);
  else stepReceipt(ctx, v, bytes);
}

function requestReceipt(ctx: ApplyContext, v: ReceiptVerdict, bytes: Uint8Array, request: RequestRow): void {
  const { store, clock } = ctx.deps;
  const { facts, opened } = v;
  const now = clock.now();
  const who = opened.senderCountry;
  if (request.direction !== 'outbound' || request.counterpart !== who) return quarantine(ctx, bytes, 'ERR_RECEIPT_UNMATCHED', undefined);
  const matches = keep(ctx, v, bytes, request.id, request.envelopeSha256);
  if (!matches) {
    store.addTimeline(request.id, 'rejected', now, `${who} rejected an altered copy of this envelope (${facts.reasonCode ?? 'no code'}); the original is still being delivered`);
    return;
  }
  store.deleteOutbox(request.id);
  if (facts.outcome === 'rejected') {
    // Delivered is final (docs/protocol.md §10): a later rejection is kept as evidence only.
    if (request.status !== 'submitted' && request.status !== 'failed') return;
    store.setStatus(request.id, 'failed', facts.reasonCode ?? 'rejected', now);
    const forTime = facts.reasonCode === 'ERR_NOT_YET_VALID' || facts.reasonCode === 'ERR_EXPIRED';
    const clocks = forTime ? `; refused for its time, so a clock is wrong: ${ctx.deps.clockHealth?.describe(who) ?? "this node's clock offset is not measured"}` : '';
    store.addTimeline(request.id, 'rejected', facts.receivedAt, `${who} rejected the envelope: ${facts.reasonCode ?? 'no code'}${facts.detail ? ` (${facts.detail})` : ''}${clocks}`);
    return;
  }
  if (store.receiptsFor(request.id).filter((x) => x.matchesSent && x.outcome === 'accepted').length > 1) return;
  const late = request.status === 'failed';
  if (request.status === 'submitted' || late) store.setStatus(request.id, 'delivered', '', now);
  if (request.receivedAt === null) scheduleOnArrival(ctx.deps, request, facts.receivedAt);
  const signed = `receipt signature verified (key ${opened.header.senderKeyId.slice(0, 8)}…)`;
  store.addTimeline(
    request.id,
    'delivered',
    facts.receivedAt,
    late ? `delivered to ${who} after all: its receipt arrived after this node had marked the request failed; ${signed}` : `delivered to ${who}, ${signed}`,
    { code: 'delivered_to', params: { country: who, key_id: opened.header.senderKeyId, late: late ? 'yes' : '' } },
  );
}

/** A receipt for a step envelope this node sent: a step, a proposal, or the ordering of a proposal. */
function stepReceipt(ctx: ApplyContext, v: ReceiptVerdict, bytes: Uint8Array): void {
  const { store, clock } = ctx.deps;
  const { facts, opened } = v;
  const sent = sentEnvelope(store, facts.envelopeId);
  if (sent) return sentReceipt(ctx, v, bytes, sent);
  const eventId = stepEventIdOf(store, facts.envelopeId);
  const step = eventId ? store.getTransition(eventId) : undefined;
  const request = step ? store.getRequest(step.requestId) : undefined;
  const ordering = step !== undefined && step.orderId === facts.envelopeId && step.origin === 'remote';
  if (!step || !request || request.counterpart !== opened.senderCountry || (step.origin !== 'local' && !ordering)) {
    return quarantine(ctx, bytes, 'ERR_RECEIPT_UNMATCHED', undefined);
  }
  const stepSha256 = ordering ? step.orderSha256 : step.envelopeSha256;
  if (!keep(ctx, v, bytes, request.id, stepSha256 ?? new Uint8Array())) return;
  store.deleteOutbox(facts.envelopeId);
  const who = opened.senderCountry;
  const what = step.action.replaceAll('_', ' ');
  if (ordering) {
    if (facts.outcome === 'rejected') {
      store.addTimeline(request.id, 'rejected', clock.now(), `${who} did not accept the ordering of its step "${what}" (${facts.reasonCode ?? 'no code'})`);
    }
    return;
  }
  store.setTransitionDelivery(step.eventId, facts.outcome === 'accepted' ? 'delivered' : 'rejected', facts.reasonCode ?? '');
  if (facts.outcome === 'accepted') return;
  if (step.state === 'proposed') {
    declineProposal(store, step.eventId, facts.reasonCode ?? 'ERR_INVALID_TRANSITION');
    store.addTimeline(request.id, 'rejected', clock.now(), `${who} did not accept the proposed step "${what}" (${facts.reasonCode ?? 'no code'}): the request had moved on`);
  } else {
    store.addTimeline(request.id, 'rejected', clock.now(), `${who} did not accept the step "${what}" (${facts.reasonCode ?? 'no code'}${facts.detail ? `: ${facts.detail}` : ''})`);
  }
}

/** A receipt for an erasure or an erasure answer this node sent. */
function sentReceipt(ctx: ApplyContext, v: ReceiptVerdict, bytes: Uint8Array, sent: { requestId: string; kind: string; sha256: Uint8Array }): void {
  const { store, clock } = ctx.deps;
  const request = store.getRequest(sent.requestId);
  if (!request || request.counterpart !== v.opened.senderCountry) return quarantine(ctx, bytes, 'ERR_RECEIPT_UNMATCHED', undefined);
  if (!keep(ctx, v, bytes, request.id, sent.sha256)) return;
  store.deleteOutbox(v.facts.envelopeId);
  if (v.facts.outcome === 'rejected') {
    store.addTimeline(request.id, 'rejected', clock.now(), `${v.opened.senderCountry} did not accept the ${sent.kind.replaceAll('_', ' ')} (${v.facts.reasonCode ?? 'no code'})`);
  }
}

/** Records a receipt with its signature verdict (its id is never accepted twice); true when it is about the exact bytes sent. */
function keep(ctx: ApplyContext, v: ReceiptVerdict, bytes: Uint8Array, requestId: string, sentSha256: Uint8Array): boolean {
  const { store, clock } = ctx.deps;
  const { opened, facts } = v;
  const now = clock.now();
  store.insertDedup(opened.header.id, opened.sha256, opened.senderCountry, KIND.receipt, now, null);
  const matches = bytesEqual(facts.envelopeSha256, sentSha256);
  store.insertReceipt({
    receiptId: opened.header.id,
    requestId,
    signerCountry: opened.senderCountry,
    signerKid: opened.header.senderKeyId,
    outcome: facts.outcome,
    reasonCode: facts.reasonCode ?? '',
    receivedAt: facts.receivedAt,
    envelopeSha256: facts.envelopeSha256,
    matchesSent: matches,
    bytes,
    storedAt: now,
    verdict: verifiedBy(opened, now),
  });
  return matches;
}
