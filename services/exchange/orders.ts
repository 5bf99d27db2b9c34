import { StatusUpdate } from '../../generated/enlace/v1/envelope.js';
import { KIND } from '../envelope/index.js';
import { setOrderEnvelope, unorderedProposals } from '../store/index.js';
import type { ExchangeDeps } from './deps.js';
import { sealOnLane } from './seal-for.js';

/**
 * At the requested node: announces each accepted proposal of the requesting state with an
 * ordering step (the proposal's content, its position, and `proposal_id`), sealed and put in
 * the outbox. The to-do list is the transitions table itself, so a crash between accepting a
 * proposal and announcing it loses nothing: the next pass (after every inbox commit and at
 * start) sends it. Returns how many were sent (at most 500 a pass).
 */
export async function announceOrderedProposals(deps: ExchangeDeps): Promise<number> {
  const { store } = deps;
  let sent = 0;
  for (const id of unorderedProposals(store, 500)) {
    const t = store.getTransition(id);
    const request = t ? store.getRequest(t.requestId) : undefined;
    if (!t || !request) continue;
    const update: StatusUpdate = {
      requestId: t.requestId,
      action: t.action,
      status: t.statusAfter,
      stage: t.stage,
      stageDate: t.stageDate,
      note: t.note,
      at: t.at,
      response: t.response ?? new Uint8Array(),
      responseType: t.responseType,
      actorRole: t.actorRole,
      seq: t.seq,
      proposalId: t.eventId,
    };
    store.tx(() => {
      // Announced meanwhile: no envelope sealed, so no lane position taken (docs/protocol.md §24).
      if (store.getTransition(t.eventId)?.orderId !== '') return;
      const out = sealOnLane(deps, request.counterpart, KIND.status, StatusUpdate.encode(update).finish());
      setOrderEnvelope(store, t.eventId, out.id, out.sha256);
      store.enqueue({ envelopeId: out.id, destination: out.to, kind: out.kind, bytes: out.bytes, expectsReceipt: true, nextAttemptAt: deps.clock.now() });
      sent++;
    });
  }
  return sent;
}
