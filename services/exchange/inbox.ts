import type { JsMsg } from '@nats-io/jetstream';
import { createHash } from 'node:crypto';
import { RequestBody } from '../../generated/enlace/v1/envelope.js';
import { bytesEqual, currentKeySet, EnvelopeRejectedError, type RejectionCode } from '../../keys/index.js';
import { decodeOuter, KIND, open, parseAddress, readReceipt, sealReceipt, UUID_V7, type Opened, type ReceiptFacts } from '../envelope/index.js';
import type { RequestRow } from '../store/index.js';
import type { ExchangeDeps } from './deps.js';
import type { RequestEvent } from './events.js';

type Item =
  | { msg: JsMsg; type: 'request'; opened: Opened; body: RequestBody; receipt: Sealed }
  | { msg: JsMsg; type: 'receipt'; opened: Opened; facts: ReceiptFacts }
  | { msg: JsMsg; type: 'rejected'; code: RejectionCode | 'ERR_RECEIPT_UNMATCHED'; bytes: Uint8Array; rejection?: Sealed }
  | { msg: JsMsg; type: 'retry'; error: unknown };

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
  readonly #afterCommit: () => void;

  constructor(deps: ExchangeDeps, afterCommit: () => void) {
    this.#deps = deps;
    this.#afterCommit = afterCommit;
  }

  async handle(batch: JsMsg[]): Promise<void> {
    const items: Item[] = [];
    for (const msg of batch) items.push(await this.#prepare(msg));
    const events: RequestEvent[] = [];
    try {
      this.#deps.store.tx(() => {
        for (const item of items) this.#apply(item, events);
      });
    } catch (e) {
      this.#deps.logger.error({ err: e }, 'inbox commit failed; messages will be redelivered');
      for (const item of items) item.msg.nak(1_000);
      return;
    }
    for (const item of items) {
      if (item.type === 'retry') item.msg.nak(2_000);
      else item.msg.ack();
    }
    for (const e of events) this.#deps.events.emit(e);
    this.#afterCommit();
  }

  async #prepare(msg: JsMsg): Promise<Item> {
    const { deps } = { deps: this.#deps };
    const bytes = msg.data;
    const now = deps.clock.now();
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
        const receipt = await this.#sealReceipt(opened.senderCountry, {
          envelopeId: opened.header.id,
          envelopeSha256: opened.sha256,
          receivedAt: now,
          outcome: 'accepted',
        });
        return { msg, type: 'request', opened, body, receipt };
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
  async #rejected(msg: JsMsg, bytes: Uint8Array, code: RejectionCode): Promise<Item> {
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
      this.#deps.trust.descriptor(sender.country)?.status === 'active'
    ) {
      try {
        rejection = await this.#sealReceipt(sender.country, {
          envelopeId: header.id,
          envelopeSha256: sha256(bytes),
          receivedAt: this.#deps.clock.now(),
          outcome: 'rejected',
          reasonCode: code,
        });
      } catch (e) {
        this.#deps.logger.warn({ err: e, sender: sender.country }, 'cannot seal a rejection receipt');
      }
    }
    return { msg, type: 'rejected', code, bytes, rejection };
  }

  #apply(item: Item, events: RequestEvent[]): void {
    const { store, clock, country } = this.#deps;
    const now = clock.now();
    switch (item.type) {
      case 'retry':
        return;
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
        const row: Omit<RequestRow, 'seq'> = {
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
        };
        store.insertDedup(header.id, digest, senderCountry, header.kind, now, item.receipt.bytes);
        store.insertRequest(row);
        const detail = `from ${header.from}, signature verified (key ${header.senderKeyId.slice(0, 8)}…)`;
        store.addTimeline(header.id, 'received', now, detail);
        store.enqueue({ envelopeId: item.receipt.id, destination: senderCountry, kind: KIND.receipt, bytes: item.receipt.bytes, expectsReceipt: false, nextAttemptAt: now });
        events.push({ type: 'received', at: now, detail, request: store.getRequest(header.id)! });
        return;
      }
      case 'receipt':
        this.#applyReceipt(item.msg, item.opened, item.facts, events);
        return;
      default: {
        const _exhaustive: never = item;
        return _exhaustive;
      }
    }
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
    if (!request || request.direction !== 'outbound' || request.counterpart !== opened.senderCountry) {
      this.#quarantine(msg.data, 'ERR_RECEIPT_UNMATCHED', undefined);
      return;
    }
    store.insertDedup(opened.header.id, opened.sha256, opened.senderCountry, opened.header.kind, now, null);
    const matches = bytesEqual(facts.envelopeSha256, request.envelopeSha256);
    store.insertReceipt({
      receiptId: opened.header.id,
      requestId: request.id,
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
    const who = opened.senderCountry;
    if (!matches) {
      const detail = `${who} rejected an altered copy of this envelope (${facts.reasonCode ?? 'no code'}); the original is still being delivered`;
      store.addTimeline(request.id, 'rejected', now, detail);
      events.push({ type: 'rejected', at: now, detail, request });
      return;
    }
    store.deleteOutbox(request.id);
    if (facts.outcome === 'accepted') {
      if (request.status === 'delivered') return;
      const detail = `delivered to ${who}, receipt signature verified (key ${opened.header.senderKeyId.slice(0, 8)}…)`;
      store.setStatus(request.id, 'delivered', '', now);
      store.addTimeline(request.id, 'delivered', facts.receivedAt, detail);
      events.push({ type: 'delivered', at: now, detail, request: store.getRequest(request.id)! });
    } else {
      const detail = `${who} rejected the envelope: ${facts.reasonCode ?? 'no code'}`;
      store.setStatus(request.id, 'failed', facts.reasonCode ?? 'rejected', now);
      store.addTimeline(request.id, 'rejected', facts.receivedAt, detail);
      events.push({ type: 'failed', at: now, detail, request: store.getRequest(request.id)! });
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

  #myKeys(): Map<string, { publicKey: Uint8Array; secretKey: Uint8Array }> {
    return new Map(this.#deps.ring.sets.map((s) => [s.encryption.kid, { publicKey: s.encryption.publicKey, secretKey: s.encryption.secretKey }]));
  }
}

function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(bytes).digest());
}
