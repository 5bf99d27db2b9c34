import { KIND } from '../../envelope/index.js';
import { recordSent, setPeerConsent, setPeerErasure, withdrawVictimIdentity, type RequestRow } from '../../store/index.js';
import { typedDetail } from '../erase.js';
import { VICTIM_IDENTITY } from '../withdraw-consent.js';
import { sealOnLane, type Outgoing } from '../seal-for.js';
import { quarantine, type ApplyContext } from './apply.js';
import type { Verdict } from './verdict.js';

/**
 * The other state erased its copy of a case and asks this node to erase (docs/protocol.md
 * §21): erased here too, or kept under the legal hold recorded here; either way answered
 * with a signed `erasure_answer` through the outbox. 'retry' when the legal hold changed
 * since `classify` sealed the answer.
 */
export function applyErasure(ctx: ApplyContext, v: Extract<Verdict, { type: 'erasure' }>, bytes: Uint8Array): 'applied' | 'retry' {
  const { store, clock, country } = ctx.deps;
  const { header, sha256: digest, senderCountry } = v.opened;
  const r = store.getRequest(v.erasure.requestId);
  if (!r || r.counterpart !== senderCountry) return refuse(ctx, bytes, digest, header.id, senderCountry, v.refuse, 'no such request shared with the sender');
  if (r.legalHold !== v.hold) return 'retry';
  const now = clock.now();
  store.insertDedup(header.id, digest, senderCountry, KIND.erasure, now, v.accept.bytes);
  ctx.replies.send(v.accept);
  if (v.erasure.scope === VICTIM_IDENTITY) {
    withdrawnThere(ctx, r, v.hold, now);
    enqueueSent(ctx, v.answerBody, r);
    return 'applied';
  }
  setPeerErasure(store, r.id, 'erased', v.erasure.reason, now);
  if (v.hold) {
    store.addTimeline(r.id, 'transition', now, `${senderCountry}: case data erased there; ${country} keeps its copy under a legal hold`);
  } else {
    if (!r.erased) {
      store.eraseCase(r.id, now);
      store.audit.append({ at: now, actor: `peer:${senderCountry}`, roles: [], action: 'erase', requestId: r.id, detail: typedDetail(v.erasure.reason) });
    }
    store.addTimeline(r.id, 'transition', now, `${senderCountry}: case data erased there; erased at this node too`);
  }
  enqueueSent(ctx, v.answerBody, r);
  return 'applied';
}

/** What the other state did with its copy after this node erased: confirmed, or kept under a legal hold. */
export function applyErasureAnswer(ctx: ApplyContext, v: Extract<Verdict, { type: 'erasure_answer' }>, bytes: Uint8Array): void {
  const { store, clock } = ctx.deps;
  const { header, sha256: digest, senderCountry } = v.opened;
  const r = store.getRequest(v.answer.requestId);
  const asked = v.answer.scope === VICTIM_IDENTITY ? r?.consentWithdrawal !== '' : r?.erased;
  if (!r || r.counterpart !== senderCountry || !asked) {
    refuse(ctx, bytes, digest, header.id, senderCountry, v.refuse, 'answers an erasure this node did not ask for');
    return;
  }
  const now = clock.now();
  store.insertDedup(header.id, digest, senderCountry, KIND.erasureAnswer, now, v.accept.bytes);
  ctx.replies.send(v.accept);
  if (v.answer.scope === VICTIM_IDENTITY) {
    setPeerConsent(store, r.id, v.answer.outcome === 'erased' ? 'erased' : 'legal_hold', v.answer.reason, now);
    const what =
      v.answer.outcome === 'erased' ? 'that it erased the identity data of the victim' : 'that it keeps the identity data of the victim restricted, under a legal hold (see peer_consent_reason)';
    store.addTimeline(r.id, 'transition', now, `${senderCountry}: confirmed, signed, ${what}`);
    return;
  }
  if (v.answer.outcome === 'erased') {
    setPeerErasure(store, r.id, 'erased', '', now);
    store.addTimeline(r.id, 'transition', now, `${senderCountry}: confirmed, signed, that it erased its copy of the case`);
  } else {
    setPeerErasure(store, r.id, 'legal_hold', v.answer.reason, now);
    store.addTimeline(r.id, 'transition', now, `${senderCountry}: keeps its copy of the case under a legal hold (see peer_erasure_reason)`);
  }
}

/**
 * The other state recorded that a victim withdrew her consent (§21.4): her identity data is
 * erased here too, or kept restricted under this node's legal hold. The request goes on.
 */
function withdrawnThere(ctx: ApplyContext, r: RequestRow, hold: string, now: number): void {
  const { store, country } = ctx.deps;
  const sender = r.counterpart;
  if (r.erased || r.consentWithdrawal !== '') {
    store.addTimeline(r.id, 'transition', now, `${sender}: the victim withdrew her consent; ${country} holds none of her identity data any more`);
    return;
  }
  const done = withdrawVictimIdentity(store, r, hold, now);
  store.audit.append({ at: now, actor: `peer:${sender}`, roles: [], action: 'withdraw_consent', requestId: r.id, detail: hold ? 'kept restricted under a legal hold' : 'erased' });
  const here = done.state === 'erased' ? `erased at ${country} too` : `kept restricted at ${country} under a legal hold`;
  store.addTimeline(r.id, 'transition', now, `${sender}: the victim withdrew her consent; her identity data ${here}`);
}

/** The erasure answer, sealed at the next position of the lane to the asking state (docs/protocol.md §24). */
function enqueueSent(ctx: ApplyContext, body: Uint8Array, r: RequestRow): void {
  const { store, clock } = ctx.deps;
  const out = sealOnLane(ctx.deps, r.counterpart, KIND.erasureAnswer, body);
  recordSent(store, out.id, r.id, out.kind, out.sha256);
  store.enqueue({ envelopeId: out.id, destination: out.to, kind: out.kind, bytes: out.bytes, expectsReceipt: true, nextAttemptAt: clock.now() });
}

function refuse(ctx: ApplyContext, bytes: Uint8Array, digest: Uint8Array, id: string, sender: string, reply: Outgoing, reason: string): 'applied' {
  ctx.deps.logger.warn({ from: sender, id, reason }, 'erasure message refused');
  ctx.deps.store.insertDedup(id, digest, sender, KIND.erasure, ctx.deps.clock.now(), reply.bytes);
  quarantine(ctx, bytes, 'ERR_INVALID_TRANSITION', reply, true);
  return 'applied';
}
