import type { CaseVault } from './case-vault.js';
import type { Db } from './db.js';
import { openGround, openText } from './free-text.js';
import type { ReceiptRow, RequestRow, Status, TimelineRow, TimelineType, TransitionRow, Verdict } from './types.js';

/** Mapping between SQLite rows and the store's typed rows (contents opened with the case vault). */

export type Row = Record<string, unknown>;

/**
 * The prepared statements of one store module, prepared once per database connection.
 *
 * @example const stmts = preparedPer((db) => ({ get: db.prepare('SELECT ...') })); stmts(store.db).get.get(id);
 */
export function preparedPer<T>(prepare: (db: Db) => T): (db: Db) => T {
  const cache = new WeakMap<Db, T>();
  return (db) => {
    let s = cache.get(db);
    if (!s) {
      s = prepare(db);
      cache.set(db, s);
    }
    return s;
  };
}

export const verdictOf = (r: Row): Verdict => ({
  verified: r.verified === 1,
  keyId: r.verified_kid as string,
  checkedAt: r.checked_at as number,
  detail: r.verdict_detail as string,
});

/** better-sqlite3 binds Buffers, not plain Uint8Arrays; this views the same memory as a Buffer. */
export const blob = (v: Uint8Array): Buffer => Buffer.from(v.buffer, v.byteOffset, v.byteLength);

export const u8 = (v: unknown): Uint8Array => (v instanceof Uint8Array ? new Uint8Array(v.buffer, v.byteOffset, v.byteLength) : new Uint8Array());

export function toRequest(r: Row, vault?: CaseVault): RequestRow {
  const stored = u8(r.payload);
  const payload = r.sealed === 1 && vault ? vault.open(r.id as string, stored) : stored;
  return {
    seq: r.seq as number,
    id: r.id as string,
    direction: r.direction as RequestRow['direction'],
    fromAddr: r.from_addr as string,
    toAddr: r.to_addr as string,
    counterpart: r.counterpart as string,
    kind: r.kind as string,
    subject: openText(vault, r.id as string, r.subject_sealed, r.subject),
    payload: payload ?? new Uint8Array(),
    erased: payload === undefined,
    payloadType: r.payload_type as string,
    senderReference: r.sender_reference as string,
    status: r.status as Status,
    failureReason: r.failure_reason as string,
    idempotencyKey: (r.idempotency_key as string | null) ?? null,
    requestHash: r.request_hash ? u8(r.request_hash) : null,
    envelope: u8(r.envelope),
    envelopeSha256: u8(r.envelope_sha256),
    createdAt: r.created_at as number,
    updatedAt: r.updated_at as number,
    urgency: (r.urgency as RequestRow['urgency']) ?? 'normal',
    stage: (r.stage as string) ?? '',
    receivedAt: (r.received_at as number | null) ?? null,
    dueAt: (r.due_at as number | null) ?? null,
    pausedAt: (r.paused_at as number | null) ?? null,
    legalHold: openGround(vault, r.id as string, r.legal_hold_sealed, r.legal_hold),
    peerErasure: r.peer_erasure as RequestRow['peerErasure'],
    peerErasureReason: openGround(vault, r.id as string, r.peer_erasure_reason_sealed, r.peer_erasure_reason),
    consentWithdrawal: r.consent_withdrawal as RequestRow['consentWithdrawal'],
    consentLegalGround: openGround(vault, r.id as string, r.consent_legal_ground_sealed, r.consent_legal_ground),
    consentWithdrawnAt: (r.consent_withdrawn_at as number | null) ?? null,
    peerConsent: r.peer_consent as RequestRow['peerConsent'],
    peerConsentReason: openGround(vault, r.id as string, r.peer_consent_reason_sealed, r.peer_consent_reason),
  };
}

export function toTransition(r: Row, vault?: CaseVault): TransitionRow {
  const stored = r.response ? u8(r.response) : null;
  const response = stored && r.sealed === 1 && vault ? (vault.open(r.request_id as string, stored) ?? null) : stored;
  return {
    eventId: r.event_id as string,
    requestId: r.request_id as string,
    origin: r.origin as TransitionRow['origin'],
    action: r.action as string,
    statusAfter: r.status_after as Status,
    stage: r.stage as string,
    stageDate: r.stage_date as string,
    note: openText(vault, r.request_id as string, r.note_sealed, r.note),
    response,
    responseType: r.response_type as string,
    actorRole: r.actor_role as string,
    at: r.at as number,
    delivery: r.delivery as TransitionRow['delivery'],
    reasonCode: r.reason_code as string,
    envelope: u8(r.envelope),
    envelopeSha256: u8(r.envelope_sha256),
    seq: r.seq as number,
    state: r.state as TransitionRow['state'],
    orderId: r.order_id as string,
    orderSha256: r.order_sha256 ? u8(r.order_sha256) : null,
    verdict: verdictOf(r),
  };
}

export const verdictParams = (v: Verdict) => ({ verified: v.verified ? 1 : 0, verifiedKid: v.keyId, checkedAt: v.checkedAt, verdictDetail: v.detail });

export function toTimeline(r: Row): TimelineRow {
  return {
    seq: r.seq as number,
    requestId: r.request_id as string,
    type: r.type as TimelineType,
    at: r.at as number,
    detail: r.detail as string,
    code: r.code as string,
    params: JSON.parse(r.params as string) as Record<string, string>,
  };
}

export function toReceipt(r: Row): ReceiptRow {
  return {
    receiptId: r.receipt_id as string,
    requestId: r.request_id as string,
    signerCountry: r.signer_country as string,
    signerKid: r.signer_kid as string,
    outcome: r.outcome as ReceiptRow['outcome'],
    reasonCode: r.reason_code as string,
    receivedAt: r.received_at as number,
    envelopeSha256: u8(r.envelope_sha256),
    matchesSent: r.matches_sent === 1,
    bytes: u8(r.bytes),
    storedAt: r.stored_at as number,
    verdict: verdictOf(r),
  };
}
