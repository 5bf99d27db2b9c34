import { createHash } from 'node:crypto';
import { StatusUpdate } from '../../generated/enlace/v1/envelope.js';
import { currentKeySet, EnlaceError } from '../../keys/index.js';
import { KIND, seal } from '../envelope/index.js';
import { nextState, type Action, type Side } from '../requests/lifecycle.js';
import type { RequestRow } from '../store/index.js';
import type { ExchangeDeps } from './deps.js';
import { scheduleOnTransition } from './schedule.js';

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

export function sideOf(r: RequestRow): Side {
  return r.direction === 'outbound' ? 'requesting' : 'requested';
}

/** The timeline line for a step, the same on both nodes. */
export function describeStep(actor: string, action: string, stage: string, note: string): string {
  const what = action === 'record_stage' ? `recorded stage ${stage}` : action.replaceAll('_', ' ');
  return `${actor}: ${what}${note ? ` (${note})` : ''}`;
}

/**
 * Takes one lifecycle step at this node: checks it against the shared state machine,
 * records it, and sends it to the other node as a signed status envelope through the
 * outbox (it is re-sent until that node's receipt arrives, like a request).
 */
export async function transitionRequest(deps: ExchangeDeps, input: TransitionInput): Promise<{ request: RequestRow; eventId: string }> {
  const { store, clock } = deps;
  const check = (r: RequestRow | undefined) => {
    if (!r) throw new EnlaceError('ERR_NOT_FOUND', `no request ${input.requestId} at this node`);
    const step = nextState({ status: r.status, kind: r.kind, stage: r.stage }, sideOf(r), {
      action: input.action,
      stage: input.stage,
      hasReason: input.note.trim() !== '' || input.response.byteLength > 0,
    });
    if (!step.ok) throw new EnlaceError('ERR_INVALID_TRANSITION', step.reason);
    return { r, step };
  };
  const { r, step } = check(store.getRequest(input.requestId));
  const now = clock.now();
  const update: StatusUpdate = {
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
    seq: 0,
    proposalId: '',
  };
  const recipient = deps.trust.encryptionKeys(r.counterpart, now)[0]!;
  const signer = currentKeySet(deps.ring).signing;
  const sealed = await seal({
    networkId: deps.networkId,
    from: deps.country,
    to: [{ address: r.counterpart, keyId: recipient.kid, publicKey: recipient.publicKey }],
    kind: KIND.status,
    body: StatusUpdate.encode(update).finish(),
    signer: { kid: signer.kid, privateKey: signer.privateKey },
    now,
    expiresAt: now + deps.settings.envelopeTtlMs,
  });
  const eventId = sealed.header.id;
  const detail = describeStep(deps.country, input.action, step.stage, input.note);
  const request = store.tx(() => {
    const fresh = check(store.getRequest(input.requestId));
    store.insertTransition({
      eventId,
      requestId: r.id,
      origin: 'local',
      action: input.action,
      statusAfter: fresh.step.status,
      stage: fresh.step.stage,
      stageDate: input.stageDate,
      note: input.note,
      response: input.response.byteLength > 0 ? input.response : null,
      responseType: input.responseType,
      actorRole: input.actorRole,
      at: now,
      delivery: 'pending',
      reasonCode: '',
      envelope: sealed.bytes,
      envelopeSha256: new Uint8Array(createHash('sha256').update(sealed.bytes).digest()),
    });
    store.setLifecycle(r.id, fresh.step.status, fresh.step.stage, now);
    scheduleOnTransition(deps, fresh.r, fresh.step.status, fresh.step.stage, input.stageDate, now);
    store.addTimeline(r.id, 'transition', now, detail);
    store.enqueue({ envelopeId: eventId, destination: r.counterpart, kind: KIND.status, bytes: sealed.bytes, expectsReceipt: true, nextAttemptAt: now });
    return store.getRequest(r.id)!;
  });
  deps.events.emit({ type: 'transition', at: now, detail, request });
  return { request, eventId };
}
