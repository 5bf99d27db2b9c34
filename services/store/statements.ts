import type { Db } from './db.js';

/**
 * The store's prepared statements, once per connection (services/store/store.ts uses them).
 * Column lists follow services/store/migrations.ts.
 */
export function prepareStatements(db: Db) {
  return {
    insertRequest: db.prepare(`INSERT INTO requests (id, direction, from_addr, to_addr, counterpart, kind, subject, payload,
      payload_type, sender_reference, status, failure_reason, idempotency_key, request_hash, envelope, envelope_sha256, created_at, updated_at,
      urgency, stage, received_at, due_at, paused_at, subject_sealed)
      VALUES (@id, @direction, @fromAddr, @toAddr, @counterpart, @kind, @subject, @payload, @payloadType, @senderReference,
      @status, @failureReason, @idempotencyKey, @requestHash, @envelope, @envelopeSha256, @createdAt, @updatedAt,
      @urgency, @stage, @receivedAt, @dueAt, @pausedAt, @subjectSealed)`),
    markSealed: db.prepare('UPDATE requests SET sealed = 1 WHERE id = ?'),
    markTransitionSealed: db.prepare('UPDATE transitions SET sealed = 1 WHERE event_id = ?'),
    setLifecycle: db.prepare('UPDATE requests SET status = ?, stage = ?, updated_at = ? WHERE id = ?'),
    setSchedule: db.prepare('UPDATE requests SET received_at = ?, due_at = ?, paused_at = ? WHERE id = ?'),
    insertTransition: db.prepare(`INSERT INTO transitions (event_id, request_id, origin, action, status_after, stage, stage_date, note,
      response, response_type, actor_role, at, delivery, reason_code, envelope, envelope_sha256, seq, state, order_id,
      verified, verified_kid, checked_at, verdict_detail, note_sealed) VALUES (@eventId, @requestId, @origin,
      @action, @statusAfter, @stage, @stageDate, @note, @response, @responseType, @actorRole, @at, @delivery, @reasonCode, @envelope, @envelopeSha256,
      @seq, @state, @orderId, @verified, @verifiedKid, @checkedAt, @verdictDetail, @noteSealed)`),
    getTransition: db.prepare('SELECT * FROM transitions WHERE event_id = ?'),
    // The shared timeline in its order, then proposals (declined or awaiting) by their signed time.
    transitionsFor: db.prepare('SELECT * FROM transitions WHERE request_id = ? ORDER BY seq = 0, seq, at, rowid'),
    setTransitionDelivery: db.prepare('UPDATE transitions SET delivery = ?, reason_code = ? WHERE event_id = ?'),
    getRequest: db.prepare('SELECT * FROM requests WHERE id = ?'),
    byIdempotency: db.prepare('SELECT * FROM requests WHERE idempotency_key = ?'),
    setStatus: db.prepare('UPDATE requests SET status = ?, failure_reason = ?, updated_at = ? WHERE id = ?'),
    addTimeline: db.prepare('INSERT INTO timeline (request_id, type, at, detail, code, params) VALUES (?, ?, ?, ?, ?, ?)'),
    timeline: db.prepare('SELECT seq, request_id, type, at, detail, code, params FROM timeline WHERE request_id = ? ORDER BY at, seq'),
    timelineAfter: db.prepare('SELECT seq, request_id, type, at, detail, code, params FROM timeline WHERE seq > ? ORDER BY seq LIMIT ?'),
    insertOutbox: db.prepare(`INSERT OR IGNORE INTO outbox (envelope_id, destination, kind, bytes, expects_receipt, next_attempt_at)
      VALUES (?, ?, ?, ?, ?, ?)`),
    // A never-published envelope is never overtaken by a later one to the same destination
    // (keeps per-sender order when a first publish fails and waits for its retry).
    dueOutbox: db.prepare(`SELECT * FROM outbox o INDEXED BY outbox_due WHERE o.next_attempt_at <= @now AND NOT EXISTS (
        SELECT 1 FROM outbox p INDEXED BY outbox_unpublished WHERE p.destination = o.destination AND p.seq < o.seq
        AND p.last_published_at IS NULL AND p.next_attempt_at > @now)
      ORDER BY o.seq LIMIT @limit`),
    nextDue: db.prepare('SELECT MIN(next_attempt_at) AS t FROM outbox'),
    markPublished: db.prepare("UPDATE outbox SET attempts = attempts + 1, last_published_at = ?, next_attempt_at = ?, last_error = '' WHERE envelope_id = ?"),
    markFailedAttempt: db.prepare('UPDATE outbox SET next_attempt_at = ?, last_error = ? WHERE envelope_id = ?'),
    deleteOutbox: db.prepare('DELETE FROM outbox WHERE envelope_id = ?'),
    // The parts of a request's attachments: ids '<request id>/...', between '<id>/' and '<id>0' ('0' follows '/').
    deleteOutboxParts: db.prepare("DELETE FROM outbox WHERE envelope_id > ? || '/' AND envelope_id < ? || '0'"),
    // Receipts already published and only kept for the re-send window are not waiting to be sent.
    outboxCount: db.prepare('SELECT COUNT(*) AS n FROM outbox WHERE expects_receipt = 1 OR last_published_at IS NULL'),
    getDedup: db.prepare('SELECT envelope_id, sha256, receipt_bytes FROM inbox_dedup WHERE envelope_id = ?'),
    insertDedup: db.prepare(`INSERT INTO inbox_dedup (envelope_id, sha256, sender, kind, accepted_at, receipt_bytes)
      VALUES (?, ?, ?, ?, ?, ?)`),
    recordDuplicate: db.prepare('UPDATE inbox_dedup SET duplicates = duplicates + 1, last_duplicate_at = ? WHERE envelope_id = ?'),
    insertReceipt: db.prepare(`INSERT OR IGNORE INTO receipts (receipt_id, request_id, signer_country, signer_kid, outcome, reason_code,
      received_at, envelope_sha256, matches_sent, bytes, stored_at, verified, verified_kid, checked_at, verdict_detail)
      VALUES (@receiptId, @requestId, @signerCountry, @signerKid, @outcome, @reasonCode, @receivedAt, @envelopeSha256, @matchesSent,
      @bytes, @storedAt, @verified, @verifiedKid, @checkedAt, @verdictDetail)`),
    receiptsFor: db.prepare('SELECT * FROM receipts WHERE request_id = ? ORDER BY stored_at'),
    insertQuarantine: db.prepare(`INSERT INTO quarantine (received_at, code, envelope_id, from_addr, kind, sha256, bytes, rejection_receipt_id)
      VALUES (@receivedAt, @code, @envelopeId, @fromAddr, @kind, @sha256, @bytes, @rejectionReceiptId)`),
    quarantineCount: db.prepare('SELECT COUNT(*) AS n FROM quarantine'),
    listQuarantine: db.prepare('SELECT * FROM quarantine ORDER BY seq DESC LIMIT ?'),
    overdue: db.prepare("SELECT * FROM requests WHERE direction = 'outbound' AND status = 'submitted' AND created_at <= ? ORDER BY seq LIMIT 500"),
  };
}
