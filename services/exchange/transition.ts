import { StatusUpdate } from '../../generated/enlace/v1/envelope.js';
import { EnlaceError, InvalidArgumentError } from '../../keys/index.js';
import { KIND } from '../envelope/index.js';
import { nextState, type Action, type Side, type StepResult } from '../requests/lifecycle.js';
import { refuseNamedPersons, typedForms } from '../requests/named-persons.js';
import { CONSENT_WITHDRAWN_RULE, contentWithoutVictims } from '../requests/victims.js';
import { lastStepSeq, openProposal, type RequestRow, type Verdict } from '../store/index.js';
import type { ExchangeDeps } from './deps.js';
import { erasureEndsSteps } from './erase.js';
import { scheduleOnTransition } from './schedule.js';
import { sealOnLane, type Outgoing } from './seal-for.js';

export interface TransitionInput {
  requestId: string;
  action: Action;
  note: string;
  response: Uint8Array;
  responseType: string;
  stage: string;
  stageDate: string;
  actorRole: string;
}

/** A step this node signed itself: there is no peer signature to check. */
const OWN_STEP: Verdict = { verified: false, keyId: '', checkedAt: 0, detail: 'signed by this node' };

/** A step that moved its position meanwhile is sealed again, this many times at most. */
const MAX_RESEALS = 5;

export function sideOf(r: RequestRow): Side {
  return r.direction === 'outbound' ? 'requesting' : 'requested';
}

/**
 * The timeline line for a step, the same on both nodes. It carries no free text: the note is
 * case content, sealed in the step's row and shown only to content roles.
 */
export function describeStep(actor: string, action: string, stage: string): string {
  const what = action === 'record_stage' ? `recorded stage ${stage}` : action.replaceAll('_', ' ');
  return `${actor}: ${what}`;
}

/** The status and stage a step leads to. */
type Next = Extract<StepResult, { ok: true }>;

/** A step being taken: the request as read, where the step leads, its position and its time. */
interface Planned {
  r: RequestRow;
  step: Next;
  side: Side;
  seq: number;
  now: number;
}

/**
 * Takes one lifecycle step at this node, checked against the shared state machine, and
 * sends it to the other node as a signed status envelope through the outbox (re-sent until
 * that node's receipt arrives). The requested state orders the request's one timeline
 * (docs/protocol.md §19): its own steps take the next position at once; a step of the
 * requesting state is a proposal, which changes nothing here until the requested state
 * orders it (or declines it, when the request moved on meanwhile).
 */
export async function transitionRequest(deps: ExchangeDeps, input: TransitionInput): Promise<{ request: RequestRow; eventId: string }> {
  const { store, clock } = deps;
  for (let attempt = 1; ; attempt++) {
    const { r, step } = checkStep(deps, input, store.getRequest(input.requestId));
    const side = sideOf(r);
    const seq = side === 'requested' ? lastStepSeq(store, r.id) + 1 : 0;
    const done = commitStep(deps, input, { r, step, side, seq, now: clock.now() });
    if (done) return done;
    if (attempt >= MAX_RESEALS) throw new EnlaceError('ERR_UNAVAILABLE', 'the request is changing too fast; try the step again');
  }
}

/** Whether `input` may be taken on `r` now: the machine, erasure, named persons, a withdrawn consent, an open proposal. */
function checkStep(deps: ExchangeDeps, input: TransitionInput, r: RequestRow | undefined): { r: RequestRow; step: Next } {
  if (!r) throw new EnlaceError('ERR_NOT_FOUND', `no request ${input.requestId} at this node`);
  const ended = erasureEndsSteps(r);
  if (ended) throw new EnlaceError('ERR_INVALID_TRANSITION', ended);
  const step = nextState({ status: r.status, kind: r.kind, stage: r.stage }, sideOf(r), {
    action: input.action,
    stage: input.stage,
    hasReason: input.note.trim() !== '' || input.response.byteLength > 0,
  });
  if (!step.ok) throw new EnlaceError('ERR_INVALID_TRANSITION', step.reason);
  refuseNamedPersons(
    'note',
    input.note,
    typedForms([
      { bytes: r.payload, type: r.payloadType },
      { bytes: input.response, type: input.responseType },
    ]),
  );
  if (r.consentWithdrawal !== '' && input.response.byteLength > 0 && contentWithoutVictims(input.response, input.responseType, 'response').changed) {
    throw new InvalidArgumentError('response', 'must not carry the identity of the victim: she withdrew her consent to the exchange of her data (§21.4)', CONSENT_WITHDRAWN_RULE);
  }
  if (sideOf(r) === 'requesting' && openProposal(deps.store, r.id)) {
    throw new EnlaceError('ERR_INVALID_TRANSITION', `a step proposed to ${r.counterpart} is awaiting its answer`);
  }
  return { r, step };
}

/**
 * Seals and records the planned step in one transaction, checked again inside it; undefined
 * when the request moved meanwhile (a proposal of the other state took the position, or the
 * step now leads elsewhere), so that it is sealed again.
 */
function commitStep(deps: ExchangeDeps, input: TransitionInput, plan: Planned): { request: RequestRow; eventId: string } | undefined {
  const { store } = deps;
  const { r, step, side, seq, now } = plan;
  const body = StatusUpdate.encode(statusUpdate(input, plan)).finish();
  let eventId = '';
  const request = store.tx(() => {
    const fresh = checkStep(deps, input, store.getRequest(input.requestId));
    if (side === 'requested' && lastStepSeq(store, r.id) + 1 !== seq) return undefined;
    if (fresh.step.status !== step.status || fresh.step.stage !== step.stage) return undefined;
    const out = sealOnLane(deps, r.counterpart, KIND.status, body, { now });
    eventId = out.id;
    recordStep(deps, input, { ...plan, r: fresh.r }, out);
    return store.getRequest(r.id)!;
  });
  return request ? { request, eventId } : undefined;
}

function statusUpdate(input: TransitionInput, { r, step, seq, now }: Planned): StatusUpdate {
  return {
    requestId: r.id,
    action: input.action,
    status: step.status,
    stage: step.stage,
    stageDate: input.stageDate,
    note: input.note,
    at: now,
    response: input.response,
    responseType: input.responseType,
    actorRole: input.actorRole,
    seq,
    proposalId: '',
  };
}

/** Inside the transaction: the step's row, the lifecycle and its deadlines (own ordered steps), the timeline line, the outbox entry. */
function recordStep(deps: ExchangeDeps, input: TransitionInput, { r, step, side, seq, now }: Planned, out: Outgoing): void {
  const { store } = deps;
  store.insertTransition({
    eventId: out.id,
    requestId: r.id,
    origin: 'local',
    action: input.action,
    statusAfter: step.status,
    stage: step.stage,
    stageDate: input.stageDate,
    note: input.note,
    response: input.response.byteLength > 0 ? input.response : null,
    responseType: input.responseType,
    actorRole: input.actorRole,
    at: now,
    delivery: 'pending',
    reasonCode: '',
    envelope: out.bytes,
    envelopeSha256: out.sha256,
    seq,
    state: side === 'requested' ? 'ordered' : 'proposed',
    orderId: '',
    verdict: OWN_STEP,
  });
  const detail = describeStep(deps.country, input.action, step.stage);
  if (side === 'requested') {
    store.setLifecycle(r.id, step.status, step.stage, now);
    scheduleOnTransition(deps, r, step.status, step.stage, input.stageDate, now);
    store.addTimeline(r.id, 'transition', now, detail, { code: 'step', params: { country: deps.country, action: input.action, stage: step.stage } });
  } else {
    store.addTimeline(r.id, 'proposed', now, `${detail}: proposed to ${r.counterpart}, which orders the steps of this request`);
  }
  store.enqueue({ envelopeId: out.id, destination: out.to, kind: KIND.status, bytes: out.bytes, expectsReceipt: true, nextAttemptAt: now });
}
