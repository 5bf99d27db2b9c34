import { FINAL_STATUSES_SQL } from '../requests/lifecycle.js';
import { eraseAttachments } from './attachments.js';
import { AuditLog } from './audit.js';
import { applyWithdrawalToStep } from './consent.js';
import { isStorageFault } from './storage-fault.js';
import type { CaseVault } from './case-vault.js';
import type { Db } from './db.js';
import { contentMatches, GROUND_COLUMNS, pageOf, sealClearFreeText, sealText } from './free-text.js';
import { prepareStatements } from './statements.js';
import { insertStatsRow, recordStatsStep, tallyErasedCase } from './stats.js';
import { blob, toReceipt, toRequest, toTimeline, toTransition, u8, verdictParams } from './rows.js';
import { countSql, pageSql, textWords } from './list.js';
import type { ListFilter, ListPage, NewRequestRow, OutboxRow, QuarantineRow, ReceiptRow, RequestRow, Status, TimelineRow, TimelineType, TimelineWords, TransitionRow } from './types.js';

type Row = Record<string, unknown>;

/**
 * A receipt kept after its publish (relay `keepPublished`) becomes unpublished again when it is
 * made due, so the relay sends it instead of taking it for one whose time is up.
 */
const UNPUBLISH_KEPT = 'last_published_at = CASE WHEN expects_receipt = 0 THEN NULL ELSE last_published_at END';

export interface NewOutbox {
  envelopeId: string;
  destination: string;
  kind: string;
  bytes: Uint8Array;
  expectsReceipt: boolean;
  nextAttemptAt: number;
}

export interface DedupRow {
  envelopeId: string;
  sha256: Uint8Array;
  receiptBytes: Uint8Array | null;
}

/** The node's system of record. Every method is synchronous (better-sqlite3); `tx` groups them atomically. */
export class Store {
  readonly db: Db;
  readonly vault: CaseVault | undefined;
  readonly audit: AuditLog;
  readonly #s;

  /** With a vault, request contents and responses are encrypted per case (always, in a node). */
  constructor(db: Db, vault?: CaseVault) {
    this.db = db;
    this.vault = vault;
    this.audit = new AuditLog(db);
    this.#s = prepareStatements(db);
    if (vault) sealClearFreeText(db, vault);
  }

  /**
   * Runs `fn` in a transaction (a savepoint when one is open). Timeline rows added inside
   * it are handed to the commit listeners once the outermost transaction has committed,
   * and dropped with a rollback: events are written with the data, published from one place.
   */
  tx<T>(fn: () => T): T {
    const outermost = !this.db.inTransaction;
    const mark = this.#journal.length;
    let value: T;
    try {
      value = this.db.transaction(fn)();
    } catch (e) {
      this.#journal.length = mark;
      if (outermost && isStorageFault(e)) for (const listener of this.#faults) listener(e);
      throw e;
    }
    if (outermost) this.#publishJournal();
    return value;
  }

  readonly #faults = new Set<(e: unknown) => void>();

  /** Called when a transaction fails because the database cannot write (services/store/storage-fault.ts). */
  onStorageFault(listener: (e: unknown) => void): () => void {
    this.#faults.add(listener);
    return () => this.#faults.delete(listener);
  }

  /**
   * Makes every outbox entry due now (published ones awaiting a receipt included), for when
   * the broker lost what it held; returns how many. The receiver drops the copies it has.
   */
  resendUnacknowledged(now: number): number {
    return this.tx(() => this.db.prepare(`UPDATE outbox SET next_attempt_at = ?, ${UNPUBLISH_KEPT} WHERE next_attempt_at > ?`).run(now, now).changes);
  }

  /**
   * Makes every unacknowledged envelope last published at or after `since` due now (the broker may
   * have lost them), and the receipts kept from that time (`keepPublished`); returns how many.
   */
  resendPublishedSince(since: number, now: number): number {
    return this.tx(() => this.db.prepare(`UPDATE outbox SET next_attempt_at = ?, ${UNPUBLISH_KEPT} WHERE next_attempt_at > ? AND last_published_at >= ?`).run(now, now, since).changes);
  }

  /**
   * For a clock set back (an NTP step, a corrected skew): an envelope last published after `now`
   * has its re-send time moved back by as much, so that it keeps the delay it was given instead of
   * waiting the step out as well; returns how many.
   */
  retimeFuturePublishes(now: number): number {
    return this.tx(
      () => this.db.prepare('UPDATE outbox SET next_attempt_at = MAX(? + next_attempt_at - last_published_at, ?), last_published_at = ? WHERE last_published_at > ?').run(now, now, now, now).changes,
    );
  }

  /** Makes every envelope not yet published due now (at start: its time came from the clock of the last run); returns how many. */
  unpublishedDueNow(now: number): number {
    return this.tx(() => this.db.prepare('UPDATE outbox SET next_attempt_at = ? WHERE last_published_at IS NULL AND next_attempt_at > ?').run(now, now).changes);
  }

  /** One real page write and commit, to learn whether the database can write again. */
  probeWrite(): void {
    this.db.transaction(() => this.db.prepare('UPDATE schema_migrations SET applied_at = applied_at WHERE version = (SELECT MAX(version) FROM schema_migrations)').run())();
  }

  readonly #journal: TimelineRow[] = [];
  readonly #committed = new Set<(rows: readonly TimelineRow[]) => void>();

  /** Called after each commit with the timeline rows it wrote, in order. */
  onCommit(listener: (rows: readonly TimelineRow[]) => void): () => void {
    this.#committed.add(listener);
    return () => this.#committed.delete(listener);
  }

  #publishJournal(): void {
    if (this.#journal.length === 0) return;
    const rows = this.#journal.splice(0);
    for (const listener of this.#committed) listener(rows);
  }

  #group: { fn: () => unknown; resolve: (v: unknown) => void; reject: (e: unknown) => void }[] = [];

  /**
   * Group commit: `fn` runs in its own savepoint inside one transaction shared with every
   * other `group` call of the same event-loop turn, so concurrent submits share one fsync.
   * Resolves once that transaction is durable; a throwing `fn` rolls back only itself.
   */
  group<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.#group.length === 0) setImmediate(() => this.#flushGroup());
      this.#group.push({ fn, resolve: resolve as (v: unknown) => void, reject });
    });
  }

  #flushGroup(): void {
    const batch = this.#group;
    this.#group = [];
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      this.tx(() => {
        for (const item of batch) {
          try {
            outcomes.push({ ok: true, value: this.tx(item.fn) });
          } catch (error) {
            // SQLite may have rolled the whole transaction back: the next item would commit on its own.
            if (isStorageFault(error)) throw error;
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => {
      const o = outcomes[i]!;
      if (o.ok) item.resolve(o.value);
      else item.reject(o.error);
    });
  }

  insertRequest(r: NewRequestRow): void {
    const payload = this.vault ? (this.vault.seal(r.id, r.payload) ?? new Uint8Array()) : r.payload;
    this.#s.insertRequest.run({
      ...r,
      subject: this.vault ? '' : r.subject,
      subjectSealed: this.vault ? sealText(this.vault, r.id, r.subject) : null,
      payload: blob(payload),
      envelope: blob(r.envelope),
      envelopeSha256: blob(r.envelopeSha256),
      requestHash: r.requestHash ? blob(r.requestHash) : null,
    });
    if (this.vault) this.#s.markSealed.run(r.id);
    insertStatsRow(this.db, r);
  }

  getRequest(id: string): RequestRow | undefined {
    const r = this.#s.getRequest.get(id) as Row | undefined;
    return r ? toRequest(r, this.vault) : undefined;
  }

  byIdempotencyKey(key: string): RequestRow | undefined {
    const r = this.#s.byIdempotency.get(key) as Row | undefined;
    return r ? toRequest(r, this.vault) : undefined;
  }

  setStatus(id: string, status: Status, failureReason: string, at: number): void {
    this.#s.setStatus.run(status, failureReason, at, id);
  }

  setLifecycle(id: string, status: Status, stage: string, at: number): void {
    this.#s.setLifecycle.run(status, stage, at, id);
  }

  setSchedule(id: string, receivedAt: number | null, dueAt: number | null, pausedAt: number | null): void {
    this.#s.setSchedule.run(receivedAt, dueAt, pausedAt, id);
  }

  insertTransition(t: TransitionRow): void {
    const response = t.response && this.vault ? (this.vault.seal(t.requestId, t.response) ?? null) : t.response;
    const { verdict, orderSha256: _orderSha256, ...row } = t;
    this.#s.insertTransition.run({
      ...row,
      note: this.vault ? '' : t.note,
      noteSealed: this.vault ? sealText(this.vault, t.requestId, t.note) : null,
      response: response ? blob(response) : null,
      envelope: blob(t.envelope),
      envelopeSha256: blob(t.envelopeSha256),
      ...verdictParams(verdict),
    });
    if (this.vault) this.#s.markTransitionSealed.run(t.eventId);
    applyWithdrawalToStep(this, t);
    recordStatsStep(this.db, t);
  }

  /**
   * Erases a case: destroys its key (contents, responses, subject and notes become
   * unreadable, and their ciphertext is dropped too) and drops the envelopes that could be
   * opened again with the node's key; hashes, receipts and the timeline (which carries no
   * free text) stay as evidence.
   */
  eraseCase(requestId: string, at: number): void {
    tallyErasedCase(this.db, requestId);
    this.vault?.destroy(requestId, at);
    this.db.prepare("UPDATE requests SET envelope = x'', payload = x'', restricted_payload = NULL, subject = '', subject_sealed = NULL, updated_at = ? WHERE id = ?").run(at, requestId);
    this.db.prepare(`UPDATE requests SET ${GROUND_COLUMNS.map((c) => `${c}_sealed = NULL`).join(', ')} WHERE id = ?`).run(requestId);
    this.db.prepare("UPDATE transitions SET envelope = x'', response = NULL, restricted_response = NULL, note = '', note_sealed = NULL WHERE request_id = ?").run(requestId);
    eraseAttachments(this, requestId);
  }

  getTransition(eventId: string): TransitionRow | undefined {
    const r = this.#s.getTransition.get(eventId) as Row | undefined;
    return r ? toTransition(r, this.vault) : undefined;
  }

  transitionsFor(requestId: string): TransitionRow[] {
    return (this.#s.transitionsFor.all(requestId) as Row[]).map((r) => toTransition(r, this.vault));
  }

  setTransitionDelivery(eventId: string, delivery: TransitionRow['delivery'], reasonCode: string): void {
    this.#s.setTransitionDelivery.run(delivery, reasonCode, eventId);
  }

  /** `detail`: the English sentence (API users, logs); `words`: the same as a code and parameters a client translates. */
  addTimeline(requestId: string, type: TimelineType, at: number, detail = '', words?: TimelineWords): void {
    const code = words?.code ?? '';
    const params = Object.fromEntries(Object.entries(words?.params ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));
    const seq = Number(this.#s.addTimeline.run(requestId, type, at, detail, code, JSON.stringify(params)).lastInsertRowid);
    this.#journal.push({ seq, requestId, type, at, detail, code, params });
    if (!this.db.inTransaction) this.#publishJournal();
  }

  timeline(requestId: string): TimelineRow[] {
    return (this.#s.timeline.all(requestId) as Row[]).map(toTimeline);
  }

  /** Timeline rows of every request after journal position `seq`, oldest first. */
  timelineAfter(seq: number, limit: number): TimelineRow[] {
    return (this.#s.timelineAfter.all(seq, limit) as Row[]).map(toTimeline);
  }

  /** One page of the requests matching `f`, newest first unless `page.oldestFirst`. */
  listRequests(f: ListFilter, page: ListPage): RequestRow[] {
    if (this.#searchesContent(f)) {
      const seqs = pageOf(contentMatches(this.db, this.vault, f, page.oldestFirst), page);
      if (seqs.length === 0) return [];
      const rows = this.db.prepare(`SELECT * FROM requests WHERE seq IN (${seqs.map(() => '?').join(', ')})`).all(...seqs) as Row[];
      const bySeq = new Map(rows.map((r) => [r.seq as number, r]));
      return seqs.flatMap((seq) => (bySeq.has(seq) ? [toRequest(bySeq.get(seq)!, this.vault)] : []));
    }
    const { sql, params } = pageSql(f, page);
    return (this.db.prepare(sql).all(params) as Row[]).map((r) => toRequest(r, this.vault));
  }

  /** How many requests match `f`, all pages together. */
  countRequests(f: ListFilter): number {
    if (this.#searchesContent(f)) return contentMatches(this.db, this.vault, f, false).length;
    const { sql, params } = countSql(f);
    return (this.db.prepare(sql).get(params) as Row).n as number;
  }

  #searchesContent(f: ListFilter): boolean {
    return f.searchContent === true && textWords(f.text).length > 0;
  }

  enqueue(o: NewOutbox): void {
    this.#s.insertOutbox.run(o.envelopeId, o.destination, o.kind, blob(o.bytes), o.expectsReceipt ? 1 : 0, o.nextAttemptAt);
  }

  dueOutbox(now: number, limit: number): OutboxRow[] {
    return (this.#s.dueOutbox.all({ now, limit }) as Row[]).map((r) => ({
      seq: r.seq as number,
      envelopeId: r.envelope_id as string,
      destination: r.destination as string,
      kind: r.kind as string,
      bytes: u8(r.bytes),
      expectsReceipt: r.expects_receipt === 1,
      attempts: r.attempts as number,
      nextAttemptAt: r.next_attempt_at as number,
      published: r.last_published_at !== null,
    }));
  }

  nextOutboxDue(): number | undefined {
    return ((this.#s.nextDue.get() as Row).t as number | null) ?? undefined;
  }

  /** Records a publish; false when the entry is gone (its receipt came while it was being published). */
  markPublished(envelopeId: string, at: number, nextAttemptAt: number): boolean {
    return this.#s.markPublished.run(at, nextAttemptAt, envelopeId).changes > 0;
  }

  markPublishFailed(envelopeId: string, nextAttemptAt: number, error: string): void {
    this.#s.markFailedAttempt.run(nextAttemptAt, error.slice(0, 500), envelopeId);
  }

  /** Deletes an outbox entry, and with a request the parts of its attachments (services/attachments/send.ts). */
  deleteOutbox(envelopeId: string): boolean {
    this.#s.deleteOutboxParts.run(envelopeId, envelopeId);
    return this.#s.deleteOutbox.run(envelopeId).changes > 0;
  }

  outboxCount(): number {
    return (this.#s.outboxCount.get() as Row).n as number;
  }

  getDedup(envelopeId: string): DedupRow | undefined {
    const r = this.#s.getDedup.get(envelopeId) as Row | undefined;
    return r ? { envelopeId: r.envelope_id as string, sha256: u8(r.sha256), receiptBytes: r.receipt_bytes ? u8(r.receipt_bytes) : null } : undefined;
  }

  insertDedup(envelopeId: string, sha256: Uint8Array, sender: string, kind: string, at: number, receiptBytes: Uint8Array | null): void {
    this.#s.insertDedup.run(envelopeId, blob(sha256), sender, kind, at, receiptBytes ? blob(receiptBytes) : null);
  }

  recordDuplicate(envelopeId: string, at: number): void {
    this.#s.recordDuplicate.run(at, envelopeId);
  }

  insertReceipt(r: ReceiptRow): boolean {
    const { verdict, ...row } = r;
    return this.#s.insertReceipt.run({ ...row, envelopeSha256: blob(r.envelopeSha256), bytes: blob(r.bytes), matchesSent: r.matchesSent ? 1 : 0, ...verdictParams(verdict) }).changes > 0;
  }

  receiptsFor(requestId: string): ReceiptRow[] {
    return (this.#s.receiptsFor.all(requestId) as Row[]).map(toReceipt);
  }

  quarantine(q: Omit<QuarantineRow, 'seq'>): void {
    this.#s.insertQuarantine.run({ ...q, sha256: blob(q.sha256), bytes: blob(q.bytes) });
  }

  listQuarantine(limit = 100): QuarantineRow[] {
    return (this.#s.listQuarantine.all(limit) as Row[]).map((r) => ({
      seq: r.seq as number,
      receivedAt: r.received_at as number,
      code: r.code as string,
      envelopeId: r.envelope_id as string,
      fromAddr: r.from_addr as string,
      kind: r.kind as string,
      sha256: u8(r.sha256),
      bytes: u8(r.bytes),
      rejectionReceiptId: r.rejection_receipt_id as string,
    }));
  }

  quarantineCount(): number {
    return (this.#s.quarantineCount.get() as Row).n as number;
  }

  /** Ids of cases final since before `before` whose contents are still kept. */
  expiredCases(before: number, limit = 500): string[] {
    return (
      this.db
        .prepare(
          `SELECT r.id FROM requests r WHERE r.status IN (${FINAL_STATUSES_SQL})
          AND r.updated_at < ? AND r.legal_hold = '' AND NOT EXISTS (SELECT 1 FROM case_keys k WHERE k.request_id = r.id AND k.wrapped IS NULL) LIMIT ?`,
        )
        .all(before, limit) as { id: string }[]
    ).map((r) => r.id);
  }

  overdueOutbound(createdBefore: number): RequestRow[] {
    return (this.#s.overdue.all(createdBefore) as Row[]).map((r) => toRequest(r, this.vault));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
