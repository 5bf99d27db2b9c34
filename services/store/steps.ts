import type { Db } from './db.js';
import { blob, preparedPer, u8, verdictOf, verdictParams } from './rows.js';
import type { Store } from './store.js';
import type { HeldStep, Verdict } from './types.js';

/** The shared timeline's bookkeeping (docs/protocol.md §19): positions, proposals, held steps, verdicts. */

type Row = Record<string, unknown>;

const stmts = preparedPer((db: Db) => {
  return {
    lastSeq: db.prepare('SELECT COALESCE(MAX(seq), 0) AS n FROM transitions WHERE request_id = ?'),
    order: db.prepare("UPDATE transitions SET seq = ?, state = 'ordered', order_id = ? WHERE event_id = ?"),
    decline: db.prepare("UPDATE transitions SET state = 'declined', reason_code = ? WHERE event_id = ?"),
    openProposal: db.prepare("SELECT event_id FROM transitions WHERE request_id = ? AND state = 'proposed' LIMIT 1"),
    byOrderId: db.prepare('SELECT event_id FROM transitions WHERE order_id = ?'),
    hold: db.prepare(`INSERT OR IGNORE INTO held_steps (envelope_id, request_id, seq, sender, bytes, body, sender_kid, accept_reply, refuse_reply, held_at, sealed)
      VALUES (@envelopeId, @requestId, @seq, @sender, @bytes, @body, @senderKid, @acceptReply, @refuseReply, @heldAt, @sealed)`),
    held: db.prepare('SELECT * FROM held_steps WHERE request_id = ? ORDER BY seq, held_at'),
    heldCount: db.prepare('SELECT COUNT(*) AS n FROM held_steps'),
    release: db.prepare('DELETE FROM held_steps WHERE envelope_id = ?'),
    transitionVerdict: db.prepare(`UPDATE transitions SET verified = @verified, verified_kid = @verifiedKid, checked_at = @checkedAt,
      verdict_detail = @verdictDetail WHERE event_id = @id`),
    receiptVerdict: db.prepare(`UPDATE receipts SET verified = @verified, verified_kid = @verifiedKid, checked_at = @checkedAt,
      verdict_detail = @verdictDetail WHERE receipt_id = @id`),
    unordered: db.prepare(`SELECT t.event_id FROM transitions t JOIN requests r ON r.id = t.request_id
      WHERE r.direction = 'inbound' AND t.origin = 'remote' AND t.state = 'ordered' AND t.seq > 0 AND t.order_id = '' ORDER BY t.request_id, t.seq LIMIT ?`),
    setOrder: db.prepare("UPDATE transitions SET order_id = ?, order_sha256 = ? WHERE event_id = ? AND order_id = ''"),
    idInUse: db.prepare(`SELECT EXISTS (SELECT 1 FROM requests WHERE id = @id) OR EXISTS (SELECT 1 FROM transitions WHERE event_id = @id OR order_id = @id)
      OR EXISTS (SELECT 1 FROM receipts WHERE receipt_id = @id) OR EXISTS (SELECT 1 FROM outbox WHERE envelope_id = @id) AS used`),
    receiptVerdictOf: db.prepare('SELECT verified, verified_kid, checked_at, verdict_detail FROM receipts WHERE receipt_id = ?'),
  };
});

/** The position of the last ordered step of a request (0: none yet). */
export function lastStepSeq(store: Store, requestId: string): number {
  return (stmts(store.db).lastSeq.get(requestId) as Row).n as number;
}

/** Puts a proposal on the shared timeline at `seq`; `orderId` is the requested state's envelope that ordered it. */
export function orderProposal(store: Store, eventId: string, seq: number, orderId: string): void {
  stmts(store.db).order.run(seq, orderId, eventId);
}

export function declineProposal(store: Store, eventId: string, reasonCode: string): void {
  stmts(store.db).decline.run(reasonCode, eventId);
}

/** Whether `id` already names a request, a step, a receipt or an outgoing envelope at this node. */
export function envelopeIdInUse(store: Store, id: string): boolean {
  return (stmts(store.db).idInUse.get({ id }) as Row).used === 1;
}

/** The event id of a proposal of this request still awaiting the requested state's answer. */
export function openProposal(store: Store, requestId: string): string | undefined {
  return (stmts(store.db).openProposal.get(requestId) as Row | undefined)?.event_id as string | undefined;
}

/** The step that `envelopeId` carries: its own event id, or the proposal it ordered. */
export function stepEventIdOf(store: Store, envelopeId: string): string | undefined {
  if (store.getTransition(envelopeId)) return envelopeId;
  return (stmts(store.db).byOrderId.get(envelopeId) as Row | undefined)?.event_id as string | undefined;
}

/**
 * At the requested node: proposals put on the timeline whose ordering envelope is not yet
 * in the outbox (a durable to-do: it survives a crash between the two commits).
 */
export function unorderedProposals(store: Store, limit = 100): string[] {
  return (stmts(store.db).unordered.all(limit) as Row[]).map((r) => r.event_id as string);
}

/** Records the ordering envelope sent for a proposal; false when another pass recorded one first. */
export function setOrderEnvelope(store: Store, eventId: string, orderId: string, sha256: Uint8Array): boolean {
  return stmts(store.db).setOrder.run(orderId, blob(sha256), eventId).changes > 0;
}

/** Holds a step; its decoded body (which carries the note) is sealed with the case key. */
export function holdStep(store: Store, h: HeldStep): void {
  const body = store.vault ? store.vault.seal(h.requestId, h.body) : h.body;
  if (!body) return;
  stmts(store.db).hold.run({
    ...h,
    sealed: store.vault ? 1 : 0,
    bytes: blob(h.bytes),
    body: blob(body),
    acceptReply: blob(h.acceptReply),
    refuseReply: h.refuseReply ? blob(h.refuseReply) : null,
  });
}

/** Held steps of a request, in timeline order; none once the case is erased (their bodies cannot be opened). */
export function heldSteps(store: Store, requestId: string): HeldStep[] {
  return (stmts(store.db).held.all(requestId) as Row[]).flatMap((r) => {
    const body = r.sealed === 1 && store.vault ? store.vault.open(requestId, u8(r.body)) : u8(r.body);
    return body ? [{ ...heldOf(r), body }] : [];
  });
}

function heldOf(r: Row): HeldStep {
  return {
    envelopeId: r.envelope_id as string,
    requestId: r.request_id as string,
    seq: r.seq as number,
    sender: r.sender as string,
    bytes: u8(r.bytes),
    body: u8(r.body),
    senderKid: r.sender_kid as string,
    acceptReply: u8(r.accept_reply),
    refuseReply: r.refuse_reply ? u8(r.refuse_reply) : null,
    heldAt: r.held_at as number,
  };
}

export function heldStepCount(store: Store): number {
  return (stmts(store.db).heldCount.get() as Row).n as number;
}

export function releaseHeldStep(store: Store, envelopeId: string): void {
  stmts(store.db).release.run(envelopeId);
}

export function setStepVerdict(store: Store, eventId: string, v: Verdict): void {
  stmts(store.db).transitionVerdict.run({ id: eventId, ...verdictParams(v) });
}

export function setReceiptVerdict(store: Store, receiptId: string, v: Verdict): void {
  stmts(store.db).receiptVerdict.run({ id: receiptId, ...verdictParams(v) });
}

export function receiptVerdict(store: Store, receiptId: string): Verdict | undefined {
  const r = stmts(store.db).receiptVerdictOf.get(receiptId) as Row | undefined;
  return r ? verdictOf(r) : undefined;
}
