import type { JsMsg } from '@nats-io/jetstream';
import { createHash } from 'node:crypto';
import { RequestBody, StatusUpdate } from '../../generated/enlace/v1/envelope.js';
import { bytesEqual, currentKeySet, EnvelopeRejectedError, type RejectionCode } from '../../keys/index.js';
import { attachmentBucketOf, discardObjects, receiveAttachments } from '../attachments/index.js';
import { decodeOuter, KIND, open, parseAddress, readReceipt, sealReceipt, UUID_V7, type Opened, type ReceiptFacts } from '../envelope/index.js';
import { isAction, nextState } from '../requests/lifecycle.js';
import { typedContentIsValid } from '../requests/typed.js';
import { insertAttachments, type AttachmentFile, type RequestRow, type Status } from '../store/index.js';
import type { ExchangeDeps } from './deps.js';
import type { RequestEvent } from './events.js';
import { commitInParts } from './parts.js';
import { RateLimiter } from './rate-limit.js';
import { scheduleOnArrival, scheduleOnTransition } from './schedule.js';
import { describeStep, sideOf } from './transition.js';

type Item =
  | { msg: JsMsg; type: 'request'; opened: Opened; body: RequestBody; receipt: Sealed; acceptedAt: number; attachments: AttachmentFile[] }
  | { msg: JsMsg; type: 'status'; opened: Opened; update: StatusUpdate; receipt: Sealed }
  | { msg: JsMsg; type: 'receipt'; opened: Opened; facts: ReceiptFacts }
  | { msg: JsMsg; type: 'rejected'; code: NodeRejectionCode | 'ERR_RECEIPT_UNMATCHED'; bytes: Uint8Array; rejection?: Sealed }
  | { msg: JsMsg; type: 'duplicate'; id: string; sender: string; digest: Uint8Array }
  | { msg: JsMsg; type: 'retry'; error: unknown };

/** Envelope codes, and the node-level ones answered with a rejection receipt too (docs/protocol.md §18). */
type NodeRejectionCode = RejectionCode | 'ERR_ATTACHMENT_INVALID';

/** Plaintext of fetched attachments held at once before a commit; a batch holding more is committed in parts. */
const MAX_PREPARED_ATTACHMENT_BYTES = 64 * 1024 * 1024;

interface Sealed {
  id: string;
  bytes: Uint8Array;
  to: string;
}

/**
 * Applies batches from the node's inbox stream. Each message is opened, then the whole
 * batch is committed in one SQLite transaction (request + permanent de-dup record +
 * receipt in the outbox), and only then acknowledged to JetStream.
 */
export class Inbox {
  readonly #deps: ExchangeDeps;
  /** Signed rejections per claimed sender: 120 at once, 60 a minute after that (the rest are only quarantined). */
  readonly #rejections = new RateLimiter(60, 120);
  readonly #afterCommit: () => void;

  constructor(deps: ExchangeDeps, afterCommit: () => void) {
    this.#deps = deps;
    this.#afterCommit = afterCommit;
  }

  async handle(batch: JsMsg[]): Promise<void> {
    // A batch whose fetched attachments exceed the memory budget is committed in parts, in order.
    const attachmentBytes = (item: Item) => (item.type === 'request' ? item.attachments.reduce((n, f) => n + f.content.byteLength, 0) : 0);
    const left = await commitInParts(batch, (msg) => this.#prepare(msg), attachmentBytes, MAX_PREPARED_ATTACHMENT_BYTES, (items) => this.#commit(items));
    for (const msg of left) msg.nak(1_000);
  }

  /** Applies prepared items in one transaction, then acks them; false (all redelivered later) when the commit fails. */
  async #commit(items: Item[]): Promise<boolean> {
    const events: RequestEvent[] = [];
    const refused: { item: Item & { type: 'status' }; reason: string }[] = [];
    try {
      this.#deps.store.tx(() => {
        for (const item of items) this.#apply(item, events, refused);
      });
    } catch (e) {
      this.#deps.logger.error({ err: e }, 'inbox commit failed; messages will be redelivered');
      for (const item of items) item.msg.nak(1_000);
      return false;
    }
    for (const item of items) {
      if (item.type === 'retry') item.msg.nak(2_000);
      else item.msg.ack();
    }
    for (const e of events) this.#deps.events.emit(e);
    for (const { item, reason } of refused) await this.#refuseStatus(item, reason);
    // Committed attachments are in the store now: their objects can go (the bucket's max age removes the rest).
    const bucket = attachmentBucketOf(this.#deps.transport, this.#deps.networkId);
    for (const item of items) {
      if (item.type === 'request' && item.attachments.length > 0) discardObjects(bucket, item.body.attachments.map((a) => a.objectName));
    }
    this.#afterCommit();
    return true;
  }

  /** A status step the state machine refuses: kept in quarantine (done in the batch), answered with a signed rejection. */
  async #refuseStatus(item: Item & { type: 'status' }, reason: string): Promise<void> {
    const { header, sha256: digest, senderCountry } = item.opened;
    this.#deps.logger.warn({ from: senderCountry, request: item.update.requestId, action: item.update.action, reason }, 'status step refused');
    try {
      const rejection = await this.#sealReceipt(senderCountry, {
        envelopeId: header.id,
        envelopeSha256: digest,
        receivedAt: this.#deps.clock.now(),
        outcome: 'rejected',
        reasonCode: 'ERR_INVALID_TRANSITION' as RejectionCode,
      });
      this.#deps.store.tx(() =>
        this.#deps.store.enqueue({ envelopeId: rejection.id, destination: senderCountry, kind: KIND.receipt, bytes: rejection.bytes, expectsReceipt: false, nextAttemptAt: this.#deps.clock.now() }),
      );
    } catch (e) {
      this.#deps.logger.warn({ err: e }, 'cannot send the rejection of a status step');
    }
  }

  async #prepare(msg: JsMsg): Promise<Item> {
    const { deps } = { deps: this.#deps };
    const bytes = msg.data;
    const now = deps.clock.now();
    const copy = this.#knownCopy(bytes);
    if (copy) return { msg, type: 'duplicate', ...copy };
    try {
      const opened = await open(bytes, {
        networkId: deps.networkId,
        me: { country: deps.country, encryptionKeys: this.#myKeys() },
        keys: deps.trust,
        now,
        maxBytes: deps.settings.maxEnvelopeBytes,
        debug: (code, detail) => deps.logger.debug({ code, detail, subject: msg.subject }, 'envelope rejected'),
      });
      if (opened.header.kind === KIND.request) {
        let body: RequestBody;
        try {
          body = RequestBody.decode(opened.body);
        } catch {
          return this.#rejected(msg, bytes, 'ERR_MALFORMED');
        }
        if (!typedContentIsValid(body.requestKind, body.payload, body.payloadType, now)) {
          deps.logger.debug({ id: opened.header.id }, 'typed request content does not validate');
          return this.#rejected(msg, bytes, 'ERR_MALFORMED');
        }
        let attachments: AttachmentFile[] = [];
        // Fetched before the transaction; not again for a request already committed (its objects are gone).
        if (body.attachments.length > 0 && !deps.store.getDedup(opened.header.id)) {
          const got = await receiveAttachments(attachmentBucketOf(deps.transport, deps.networkId), opened.header.id, body.attachments);
          if (!got.ok) {
            deps.logger.debug({ id: opened.header.id, from: opened.header.from, detail: got.detail }, 'attachment rejected');
            return this.#rejected(msg, bytes, 'ERR_ATTACHMENT_INVALID');
          }
          attachments = got.files;
        }
        const receipt = await this.#sealReceipt(opened.senderCountry, {
          envelopeId: opened.header.id,
          envelopeSha256: opened.sha256,
          receivedAt: now,
          outcome: 'accepted',
        });
        return { msg, type: 'request', opened, body, receipt, acceptedAt: now, attachments };
      }
      if (opened.header.kind === KIND.status) {
        let update: StatusUpdate;
        try {
          update = StatusUpdate.decode(opened.body);
        } catch {
          return this.#rejected(msg, bytes, 'ERR_MALFORMED');
        }
        const receipt = await this.#sealReceipt(opened.senderCountry, {
          envelopeId: opened.header.id,
          envelopeSha256: opened.sha256,
          receivedAt: now,
          outcome: 'accepted',
        });
        return { msg, type: 'status', opened, update, receipt };
      }
      if (opened.header.kind === KIND.receipt) {
        const facts = readReceipt(opened.body);
        if (!facts) return this.#rejected(msg, bytes, 'ERR_MALFORMED');
        return { msg, type: 'receipt', opened, facts };
      }
      return this.#rejected(msg, bytes, 'ERR_MALFORMED');
    } catch (e) {
      if (e instanceof EnvelopeRejectedError) return this.#rejected(msg, bytes, e.code);
      deps.logger.error({ err: e }, 'cannot process an inbound envelope; it will be redelivered');
      return { msg, type: 'retry', error: e };
    }
  }

  /** A message that failed: quarantine it and, when its sender is a known node, prepare a signed rejection. */
  async #rejected(msg: JsMsg, bytes: Uint8Array, code: NodeRejectionCode): Promise<Item> {
    const outer = decodeOuter(bytes);
    const header = outer?.header;
    const sender = header ? parseAddress(header.from) : undefined;
    let rejection: Sealed | undefined;
    if (
      header &&
      sender &&
      header.networkId === this.#deps.networkId &&
      header.kind !== KIND.receipt &&
      UUID_V7.test(header.id) &&
      this.#deps.trust.descriptor(sender.country)?.status === 'active' &&
      this.#rejections.allow(sender.country, this.#deps.clock.now())
    ) {
      try {
        rejection = await this.#sealReceipt(sender.country, {
          envelopeId: header.id,
          envelopeSha256: sha256(bytes),
          receivedAt: this.#deps.clock.now(),
          outcome: 'rejected',
          reasonCode: code as RejectionCode,
        });
      } catch (e) {
        this.#deps.logger.warn({ err: e, sender: sender.country }, 'cannot seal a rejection receipt');
      }
    }
    return { msg, type: 'rejected', code, bytes, rejection };
  }

  #apply(item: Item, events: RequestEvent[], refused: { item: Item & { type: 'status' }; reason: string }[]): void {
    const { store, clock, country } = this.#deps;
    const now = clock.now();
    switch (item.type) {
      case 'retry':
        return;
      case 'duplicate': {
        const seen = this.#deps.store.getDedup(item.id);
        if (seen) this.#duplicate(item.msg, seen, item.digest, item.id, item.sender);
        return;
      }
      case 'rejected':
        this.#quarantine(item.bytes, item.code, item.rejection);
        return;
      case 'request': {
        const { header, sha256: digest, senderCountry } = item.opened;
        const seen = store.getDedup(header.id);
        if (seen) {
          this.#duplicate(item.msg, seen, digest, header.id, senderCountry);
          return;
        }
        const row: Omit<RequestRow, 'seq' | 'erased'> = {
          id: header.id,
          direction: 'inbound',
          fromAddr: header.from,
          toAddr: header.to.find((r) => parseAddress(r.address)?.country === country)?.address ?? country,
          counterpart: senderCountry,
          kind: item.body.requestKind,
          subject: item.body.subject,
          payload: item.body.payload,
          payloadType: item.body.payloadType,
          senderReference: item.body.senderReference,
          status: 'received',
          failureReason: '',
          idempotencyKey: null,
          requestHash: null,
          envelope: item.msg.data,
          envelopeSha256: digest,
          createdAt: header.createdAt,
          updatedAt: now,
          urgency: item.body.urgency === 'urgent' ? 'urgent' : 'normal',
          stage: '',
          receivedAt: null,
          dueAt: null,
          pausedAt: null,
        };
        store.insertDedup(header.id, digest, senderCountry, header.kind, now, item.receipt.bytes);
        store.insertRequest(row);
        insertAttachments(store, header.id, item.attachments);
        scheduleOnArrival(this.#deps, store.getRequest(header.id)!, item.acceptedAt);
        const detail = `from ${header.from}, signature verified (key ${header.senderKeyId.slice(0, 8)}…)`;
        store.addTimeline(header.id, 'received', now, detail);
        store.enqueue({ envelopeId: item.receipt.id, destination: senderCountry, kind: KIND.receipt, bytes: item.receipt.bytes, expectsReceipt: false, nextAttemptAt: now });
        events.push({ type: 'received', at: now, detail, request: store.getRequest(header.id)! });
        return;
      }
      case 'receipt':
        this.#applyReceipt(item.msg, item.opened, item.facts, events);
        return;
      case 'status':
        this.#applyStatus(item, events, refused);
        return;
      default: {
        const _exhaustive: never = item;
        return _exhaustive;
      }
    }
  }

  #applyStatus(item: Item & { type: 'status' }, events: RequestEvent[], refused: { item: Item & { type: 'status' }; reason: string }[]): void {
    const { store, clock } = this.#deps;
    const { header, sha256: digest, senderCountry } = item.opened;
    const u = item.update;
    const seen = store.getDedup(header.id);
    if (seen) {
      this.#duplicate(item.msg, seen, digest, header.id, senderCountry);
      return;
    }
    const r = store.getRequest(u.requestId);
    const refuse = (reason: string) => {
      this.#quarantine(item.msg.data, 'ERR_INVALID_TRANSITION', undefined);
      refused.push({ item, reason });
    };
    if (!r || r.counterpart !== senderCountry) return refuse('no such request shared with the sender');
    if (!isAction(u.action)) return refuse(`unknown action ${u.action}`);
    // The sender acts from its own side: the requesting side if the request is inbound here.
    const senderSide = sideOf(r) === 'requesting' ? 'requested' : 'requesting';
    const step = nextState({ status: r.status, kind: r.kind, stage: r.stage }, senderSide, {
      action: u.action,
      stage: u.stage,
      hasReason: u.note.trim() !== '' || u.response.byteLength > 0,
    });
    if (!step.ok) return refuse(step.reason);
    if (step.status !== u.status || step.stage !== u.stage) return refuse(`the step leads to ${step.status}, not ${u.status}`);
    const now = clock.now();
    store.insertDedup(header.id, digest, senderCountry, header.kind, now, item.receipt.bytes);
    store.insertTransition({
      eventId: header.id,
      requestId: r.id,
      origin: 'remote',
      action: u.action,
      statusAfter: step.status as Status,
      stage: step.stage,
      stageDate: u.stageDate,
      note: u.note,
      response: u.response.byteLength > 0 ? u.response : null,
      responseType: u.responseType,
      actorRole: u.actorRole,
      at: u.at,
      delivery: 'received',
      reasonCode: '',
      envelope: item.msg.data,
      envelopeSha256: digest,
    });
    store.setLifecycle(r.id, step.status, step.stage, now);
    scheduleOnTransition(this.#deps, r, step.status, step.stage, u.stageDate, u.at);
    const detail = describeStep(senderCountry, u.action, step.stage, u.note);
    store.addTimeline(r.id, 'transition', u.at, detail);
    store.enqueue({ envelopeId: item.receipt.id, destination: senderCountry, kind: KIND.receipt, bytes: item.receipt.bytes, expectsReceipt: false, nextAttemptAt: now });
    events.push({ type: 'transition', at: u.at, detail, request: store.getRequest(r.id)! });
  }

  #duplicate(msg: JsMsg, seen: { sha256: Uint8Array; receiptBytes: Uint8Array | null }, digest: Uint8Array, id: string, senderCountry: string): void {
    const { store, clock } = this.#deps;
    if (bytesEqual(seen.sha256, digest)) {
      // The same envelope again (a re-send, or a replay of the same bytes): never a second request;
      // the original receipt goes back so an honest sender can stop re-sending.
      store.recordDuplicate(id, clock.now());
      if (seen.receiptBytes) {
        const outer = decodeOuter(seen.receiptBytes);
        if (outer) store.enqueue({ envelopeId: outer.header.id, destination: senderCountry, kind: KIND.receipt, bytes: seen.receiptBytes, expectsReceipt: false, nextAttemptAt: clock.now() });
      }
      return;
    }
    // Same id, different bytes: a replay of the id with other content. Rejected, kept, never applied.
    this.#quarantine(msg.data, 'ERR_REPLAY', undefined);
  }

  #applyReceipt(msg: JsMsg, opened: Opened, facts: ReceiptFacts, events: RequestEvent[]): void {
    const { store, clock } = this.#deps;
    const now = clock.now();
    if (store.getDedup(opened.header.id)) {
      store.recordDuplicate(opened.header.id, now);
      return;
    }
    const request = store.getRequest(facts.envelopeId);
    if (!request) {
      this.#applyStepReceipt(msg, opened, facts, events);
      return;
    }
    if (request.direction !== 'outbound' || request.counterpart !== opened.senderCountry) {
      this.#quarantine(msg.data, 'ERR_RECEIPT_UNMATCHED', undefined);
      return;
    }
    const matches = this.#keepReceipt(msg, opened, facts, request.id, request.envelopeSha256, now);
    const who = opened.senderCountry;
    if (!matches) {
      const detail = `${who} rejected an altered copy of this envelope (${facts.reasonCode ?? 'no code'}); the original is still being delivered`;
      store.addTimeline(request.id, 'rejected', now, detail);
      events.push({ type: 'rejected', at: now, detail, request });
      return;
    }
    store.deleteOutbox(request.id);
    if (facts.outcome === 'accepted') {
      if (store.receiptsFor(request.id).filter((x) => x.matchesSent && x.outcome === 'accepted').length > 1) return;
      const detail = `delivered to ${who}, receipt signature verified (key ${opened.header.senderKeyId.slice(0, 8)}…)`;
      if (request.status === 'submitted' || request.status === 'failed') store.setStatus(request.id, 'delivered', '', now);
      if (request.receivedAt === null) scheduleOnArrival(this.#deps, request, facts.receivedAt);
      store.addTimeline(request.id, 'delivered', facts.receivedAt, detail);
      events.push({ type: 'delivered', at: now, detail, request: store.getRequest(request.id)! });
    } else {
      const detail = `${who} rejected the envelope: ${facts.reasonCode ?? 'no code'}`;
      store.setStatus(request.id, 'failed', facts.reasonCode ?? 'rejected', now);
      store.addTimeline(request.id, 'rejected', facts.receivedAt, detail);
      events.push({ type: 'failed', at: now, detail, request: store.getRequest(request.id)! });
    }
  }

  /** Records a receipt (and its id, never accepted twice); true when it is about the exact bytes sent. */
  #keepReceipt(msg: JsMsg, opened: Opened, facts: ReceiptFacts, requestId: string, sentSha256: Uint8Array, now: number): boolean {
    const { store } = this.#deps;
    store.insertDedup(opened.header.id, opened.sha256, opened.senderCountry, opened.header.kind, now, null);
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
      bytes: msg.data,
      storedAt: now,
    });
    return matches;
  }

  /** A receipt for one of this node's status envelopes. */
  #applyStepReceipt(msg: JsMsg, opened: Opened, facts: ReceiptFacts, events: RequestEvent[]): void {
    const { store, clock } = this.#deps;
    const step = store.getTransition(facts.envelopeId);
    const request = step ? store.getRequest(step.requestId) : undefined;
    if (!step || step.origin !== 'local' || !request || request.counterpart !== opened.senderCountry) {
      this.#quarantine(msg.data, 'ERR_RECEIPT_UNMATCHED', undefined);
      return;
    }
    const now = clock.now();
    const matches = this.#keepReceipt(msg, opened, facts, request.id, step.envelopeSha256, now);
    if (!matches) return;
    store.deleteOutbox(step.eventId);
    store.setTransitionDelivery(step.eventId, facts.outcome === 'accepted' ? 'delivered' : 'rejected', facts.reasonCode ?? '');
    if (facts.outcome === 'rejected') {
      const detail = `${opened.senderCountry} did not accept the step "${step.action.replaceAll('_', ' ')}" (${facts.reasonCode ?? 'no code'}); the two nodes disagree on this request's state`;
      store.addTimeline(request.id, 'rejected', now, detail);
      events.push({ type: 'rejected', at: now, detail, request: store.getRequest(request.id)! });
    }
  }

  #quarantine(bytes: Uint8Array, code: string, rejection: Sealed | undefined): void {
    const { store, clock } = this.#deps;
    const header = decodeOuter(bytes)?.header;
    store.quarantine({
      receivedAt: clock.now(),
      code,
      envelopeId: header?.id.slice(0, 64) ?? '',
      fromAddr: header?.from.slice(0, 64) ?? '',
      kind: header?.kind.slice(0, 64) ?? '',
      sha256: sha256(bytes),
      bytes,
      rejectionReceiptId: rejection?.id ?? '',
    });
    if (rejection) {
      store.enqueue({ envelopeId: rejection.id, destination: rejection.to, kind: KIND.receipt, bytes: rejection.bytes, expectsReceipt: false, nextAttemptAt: clock.now() });
    }
    this.#deps.logger.warn({ code, from: header?.from, id: header?.id }, 'inbound envelope quarantined');
  }

  async #sealReceipt(to: string, facts: ReceiptFacts): Promise<Sealed> {
    const { deps } = { deps: this.#deps };
    const now = deps.clock.now();
    const recipient = deps.trust.encryptionKeys(to, now)[0]!;
    const signer = currentKeySet(deps.ring).signing;
    const sealed = await sealReceipt(facts, {
      networkId: deps.networkId,
      from: deps.country,
      to: [{ address: to, keyId: recipient.kid, publicKey: recipient.publicKey }],
      signer: { kid: signer.kid, privateKey: signer.privateKey },
      now,
      expiresAt: now + deps.settings.envelopeTtlMs,
    });
    return { id: sealed.header.id, bytes: sealed.bytes, to };
  }

  /**
   * A re-sent copy of an envelope already accepted: the same id and the same bytes (hence the
   * same, already verified, header). It costs no cryptography; #apply answers it again.
   */
  #knownCopy(bytes: Uint8Array): { id: string; sender: string; digest: Uint8Array } | undefined {
    const header = decodeOuter(bytes)?.header;
    if (!header) return undefined;
    const seen = this.#deps.store.getDedup(header.id);
    if (!seen) return undefined;
    const digest = sha256(bytes);
    const sender = parseAddress(header.from)?.country;
    return sender && bytesEqual(seen.sha256, digest) ? { id: header.id, sender, digest } : undefined;
  }

  #myKeys(): Map<string, { publicKey: Uint8Array; secretKey: Uint8Array }> {
    return new Map(this.#deps.ring.sets.map((s) => [s.encryption.kid, { publicKey: s.encryption.publicKey, secretKey: s.encryption.secretKey }]));
  }
}

function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(bytes).digest());
}
