import { StatusUpdate } from '../../../generated/enlace/v1/envelope.js';
import { decodeOuter, KIND } from '../../envelope/index.js';
import { stepResponseProblem } from '../../requests/index.js';
import { isAction, nextState, type Side } from '../../requests/lifecycle.js';
import {
  heldSteps,
  holdStep,
  lastStepSeq,
  orderProposal,
  releaseHeldStep,
  setStepVerdict,
  type HeldStep,
  type RequestRow,
  type TimelineWords,
  type TransitionRow,
  type Verdict,
} from '../../store/index.js';
import { erasureEndsSteps } from '../erase.js';
import { scheduleOnTransition } from '../schedule.js';
import { sha256, type Outgoing } from '../seal-for.js';
import { describeStep, sideOf } from '../transition.js';
import { quarantine, type ApplyContext } from './apply.js';
import { verifiedBy, type Verdict as InboxVerdict } from './verdict.js';

/** A step envelope from the peer, fresh from `classify` or released from the held steps. */
interface StepInput {
  id: string;
  sender: string;
  senderKid: string;
  bytes: Uint8Array;
  digest: Uint8Array;
  update: StatusUpdate;
  accept: Outgoing;
  refuse: Outgoing;
  verdict: Verdict;
}

/**
 * A lifecycle step from the other state (docs/protocol.md §19). The requested state orders
 * the request's one timeline: at the requested node a step of the requesting state is a
 * proposal, accepted (put on the timeline at the next position, then announced with an
 * ordering step) or declined; at the requesting node the requested state's steps are
 * applied strictly by position, a later one held until the earlier ones are there.
 */
export function applyStep(ctx: ApplyContext, v: Extract<InboxVerdict, { type: 'step' }>, bytes: Uint8Array): void {
  const { header, sha256: digest, senderCountry } = v.opened;
  const input: StepInput = {
    id: header.id,
    sender: senderCountry,
    senderKid: header.senderKeyId,
    bytes,
    digest,
    update: v.update,
    accept: v.accept,
    refuse: v.refuse,
    verdict: verifiedBy(v.opened, ctx.deps.clock.now()),
  };
  step(ctx, input, false);
}

function step(ctx: ApplyContext, s: StepInput, released: boolean): void {
  const r = ctx.deps.store.getRequest(s.update.requestId);
  if (!r) {
    // A proposal can overtake the request it is about; it waits for it.
    if (s.update.seq === 0 && !released) return hold(ctx, s);
    return violation(ctx, s, 'no such request shared with the sender');
  }
  if (r.counterpart !== s.sender) return violation(ctx, s, 'no such request shared with the sender');
  const ended = erasureEndsSteps(r);
  if (ended) return violation(ctx, s, ended);
  if (!isAction(s.update.action)) return violation(ctx, s, `unknown action ${s.update.action}`);
  // The answer a step carries is checked like a local one (dated at the step, so a late redelivery is judged as sent).
  const problem = stepResponseProblem(r.kind, s.update.action, s.update.response, s.update.responseType, s.update.at);
  if (problem) return violation(ctx, s, problem);
  if (sideOf(r) === 'requested') proposal(ctx, r, s);
  else ordered(ctx, r, s, released);
}

/** At the requested node: the requesting state proposes; the proposal takes the next position or is declined. */
function proposal(ctx: ApplyContext, r: RequestRow, s: StepInput): void {
  const { store } = ctx.deps;
  const u = s.update;
  if (u.seq !== 0 || u.proposalId !== '') return violation(ctx, s, 'only the requested state orders the steps of a request');
  const check = rule(r, 'requesting', u);
  if (!check.ok) return decline(ctx, r, s, check.reason);
  record(ctx, r, s, { seq: lastStepSeq(store, r.id) + 1, status: check.status, stage: check.stage });
  // The ordering step that tells the requesting state is sealed after the commit (orders.ts).
}

/** At the requesting node: the requested state's steps, strictly in their order. */
function ordered(ctx: ApplyContext, r: RequestRow, s: StepInput, released: boolean): void {
  const { store, country } = ctx.deps;
  const u = s.update;
  if (u.seq === 0) return violation(ctx, s, 'a step of the requested state must carry its position');
  const expected = lastStepSeq(store, r.id) + 1;
  if (u.seq < expected) return violation(ctx, s, `position ${u.seq} on this request's timeline is already taken`);
  if (u.seq > expected) {
    if (!released) hold(ctx, s);
    return;
  }
  if (u.proposalId === '') {
    const check = rule(r, 'requested', u);
    if (!check.ok) return violation(ctx, s, check.reason);
    record(ctx, r, s, { seq: u.seq, status: check.status, stage: check.stage });
  } else {
    const proposed = store.getTransition(u.proposalId);
    if (!proposed || proposed.requestId !== r.id || proposed.origin !== 'local' || proposed.state !== 'proposed' || proposed.action !== u.action) {
      return violation(ctx, s, 'orders a step this node did not propose');
    }
    const check = rule(r, 'requesting', u);
    if (!check.ok) return violation(ctx, s, check.reason);
    store.insertDedup(s.id, s.digest, s.sender, KIND.status, ctx.deps.clock.now(), s.accept.bytes);
    orderProposal(store, proposed.eventId, u.seq, s.id);
    setStepVerdict(store, proposed.eventId, s.verdict);
    advance(ctx, r, check.status, check.stage, u, describeStep(country, u.action, check.stage));
    ctx.replies.send(s.accept);
  }
  releaseHeld(ctx, r.id);
}

type Rule = { ok: true; status: RequestRow['status']; stage: string } | { ok: false; reason: string };

/** The shared state machine, applied to the side that took the step; the signed status must be what it leads to. */
function rule(r: RequestRow, side: Side, u: StatusUpdate): Rule {
  const next = nextState({ status: r.status, kind: r.kind, stage: r.stage }, side, {
    action: u.action as Parameters<typeof nextState>[2]['action'],
    stage: u.stage,
    hasReason: u.note.trim() !== '' || u.response.byteLength > 0,
  });
  if (!next.ok) return next;
  if (next.status !== u.status || next.stage !== u.stage) return { ok: false, reason: `the step leads to ${next.status}, not ${u.status}` };
  return { ok: true, status: next.status, stage: next.stage };
}

/** The transitions row of a step received from the peer, at `seq` (0: not on the timeline) in `state`. */
function remoteRow(r: RequestRow, s: StepInput, at: { seq: number; state: TransitionRow['state']; status: RequestRow['status']; stage: string; reasonCode: string }): TransitionRow {
  const u = s.update;
  return {
    eventId: s.id,
    requestId: r.id,
    origin: 'remote',
    action: u.action,
    statusAfter: at.status,
    stage: at.stage,
    stageDate: u.stageDate,
    note: u.note,
    response: u.response.byteLength > 0 ? u.response : null,
    responseType: u.responseType,
    actorRole: u.actorRole,
    at: u.at,
    delivery: 'received',
    reasonCode: at.reasonCode,
    envelope: s.bytes,
    envelopeSha256: s.digest,
    seq: at.seq,
    state: at.state,
    orderId: '',
    verdict: s.verdict,
  };
}

/** Puts the peer's step on this node's timeline at `seq` and answers it. */
function record(ctx: ApplyContext, r: RequestRow, s: StepInput, at: { seq: number; status: RequestRow['status']; stage: string }): void {
  const { store, clock } = ctx.deps;
  store.insertDedup(s.id, s.digest, s.sender, KIND.status, clock.now(), s.accept.bytes);
  store.insertTransition(remoteRow(r, s, { ...at, state: 'ordered', reasonCode: '' }));
  advance(ctx, r, at.status, at.stage, s.update, describeStep(s.sender, s.update.action, at.stage), { code: 'step', params: { country: s.sender, action: s.update.action, stage: at.stage } });
  ctx.replies.send(s.accept);
}

function advance(ctx: ApplyContext, r: RequestRow, status: RequestRow['status'], stage: string, u: StatusUpdate, detail: string, words?: TimelineWords): void {
  const { store, clock } = ctx.deps;
  store.setLifecycle(r.id, status, stage, clock.now());
  scheduleOnTransition(ctx.deps, r, status, stage, u.stageDate, u.at);
  store.addTimeline(r.id, 'transition', u.at, detail, words);
}

/** A proposal the requested state cannot accept now (the request moved on): recorded as declined at both nodes. */
function decline(ctx: ApplyContext, r: RequestRow, s: StepInput, reason: string): void {
  const { store, clock, logger } = ctx.deps;
  const u = s.update;
  logger.info({ from: s.sender, request: r.id, action: u.action, reason }, 'proposed step declined');
  store.insertDedup(s.id, s.digest, s.sender, KIND.status, clock.now(), s.refuse.bytes);
  store.insertTransition(remoteRow(r, s, { seq: 0, state: 'declined', status: r.status, stage: r.stage, reasonCode: 'ERR_INVALID_TRANSITION' }));
  store.addTimeline(r.id, 'rejected', clock.now(), `${s.sender} proposed to ${u.action.replaceAll('_', ' ')}; not accepted: ${reason}`, {
    code: 'step_declined',
    params: { country: s.sender, action: u.action },
  });
  ctx.replies.send(s.refuse, true);
}

/** A step that breaks the protocol (not a race): quarantined, answered with a signed refusal. */
function violation(ctx: ApplyContext, s: StepInput, reason: string): void {
  ctx.deps.logger.warn({ from: s.sender, request: s.update.requestId, action: s.update.action, reason }, 'status step refused');
  ctx.deps.store.insertDedup(s.id, s.digest, s.sender, KIND.status, ctx.deps.clock.now(), s.refuse.bytes);
  quarantine(ctx, s.bytes, 'ERR_INVALID_TRANSITION', s.refuse, true);
}

function hold(ctx: ApplyContext, s: StepInput): void {
  holdStep(ctx.deps.store, {
    envelopeId: s.id,
    requestId: s.update.requestId,
    seq: s.update.seq,
    sender: s.sender,
    bytes: s.bytes,
    body: StatusUpdate.encode(s.update).finish(),
    senderKid: s.senderKid,
    acceptReply: s.accept.bytes,
    refuseReply: s.refuse.bytes,
    heldAt: ctx.deps.clock.now(),
  });
}

/** Applies the held steps of a request whose turn has come (after its request, or the step before them, arrived). */
export function releaseHeld(ctx: ApplyContext, requestId: string): void {
  const { store } = ctx.deps;
  for (;;) {
    const next = lastStepSeq(store, requestId) + 1;
    const h = heldSteps(store, requestId).find((x) => x.seq === 0 || x.seq === next);
    if (!h) return;
    releaseHeldStep(store, h.envelopeId);
    step(ctx, fromHeld(h), true);
  }
}

function fromHeld(h: HeldStep): StepInput {
  const reply = (bytes: Uint8Array): Outgoing => ({ id: decodeOuter(bytes)!.header.id, to: h.sender, kind: KIND.receipt, bytes, sha256: sha256(bytes) });
  return {
    id: h.envelopeId,
    sender: h.sender,
    senderKid: h.senderKid,
    bytes: h.bytes,
    digest: sha256(h.bytes),
    update: StatusUpdate.decode(h.body),
    accept: reply(h.acceptReply),
    refuse: reply(h.refuseReply!),
    verdict: { verified: true, keyId: h.senderKid, checkedAt: h.heldAt, detail: '' },
  };
}
