import { createHash, type KeyObject } from 'node:crypto';
import { pino } from 'pino';
import { Receipt, ReceiptOutcome, StatusUpdate } from '../../generated/enlace/v1/envelope.js';
import { ResponsePayload } from '../../generated/enlace/v1/requests.js';
import { currentKeySet, verifyDescriptor, type NodeKeyring, type TrustStore } from '../../keys/index.js';
import type { CiphertextSource } from '../../services/attachments/index.js';
import { RegistryBucket } from '../../services/registry/index.js';
import { TYPED_RESPONSE } from '../../services/requests/index.js';
import { DEFAULT_TTL_MS, KIND, open, seal, sealReceipt, type Opened, type SealInput } from '../../services/envelope/index.js';
import { ATTACHMENT_PART_HEADER, attachmentObjectName, parseAttachmentPartId, Transport, type NatsTls } from '../../services/transport/index.js';

export interface ProbeOptions {
  servers: string[];
  networkId: string;
  /** The tester's identity: a node of the network (its descriptor trusted by the node under test). */
  ring: NodeKeyring;
  trust: TrustStore;
  target: string;
  user?: string;
  password?: string;
  tls?: NatsTls;
  /** The tester's clock (default the system's): what it seals and opens envelopes at. */
  now?: () => number;
}

export interface Received {
  opened: Opened;
  /** For kind receipt: the decoded body. */
  receipt?: Receipt;
  /** Its place among everything that arrived (envelopes and parts), from 0. */
  order: number;
}

/** An attachment part the node under test published on its lane of the tester's inbox (§18.4), as it first arrived. */
export interface ReceivedPart {
  id: string;
  bytes: Uint8Array;
  order: number;
}

const sha256 = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());

/**
 * The conformance kit's end of the live protocol: a node of the network (the tester) with its
 * own inbox, which seals to the node under test, publishes raw bytes, opens everything that
 * arrives (§8, with the tester's keys and trust store) and answers every non-receipt with an
 * accepted receipt, as any node would, so the node under test stops re-sending.
 */
export class Probe {
  readonly #o: ProbeOptions;
  readonly #transport: Transport;
  readonly #abort = new AbortController();
  readonly received: Received[] = [];
  /** Attachment parts by part id; a copy of a part already held changes nothing. */
  readonly parts = new Map<string, ReceivedPart>();
  #arrivals = 0;
  #consuming: Promise<void> | undefined;

  constructor(o: ProbeOptions) {
    this.#o = o;
    this.#transport = new Transport({
      servers: o.servers,
      networkId: o.networkId,
      country: o.ring.country,
      name: `enlace-conformance-${o.ring.country}`,
      logger: pino({ level: 'silent' }),
      ...(o.user ? { user: o.user, password: o.password ?? '' } : {}),
      ...(o.tls ? { tls: o.tls } : {}),
    });
  }

  get country(): string {
    return this.#o.ring.country;
  }

  async start(): Promise<void> {
    await this.#transport.connection();
    await this.#transport.ensureInbox(this.country);
    await this.#transport.resetConsumers(this.#o.trust.countries());
    this.#consuming = this.#transport.consume(async (batch) => {
      for (const m of batch) {
        const partId = m.headers?.get(ATTACHMENT_PART_HEADER);
        if (partId) this.#keepPart(partId, m.data);
        else await this.#take(m.data).catch(() => undefined);
        m.ack();
      }
    }, this.#abort.signal);
  }

  #keepPart(id: string, bytes: Uint8Array): void {
    if (!this.parts.has(id)) this.parts.set(id, { id, bytes, order: this.#arrivals++ });
  }

  async #take(bytes: Uint8Array): Promise<void> {
    const set = currentKeySet(this.#o.ring);
    const opened = await open(bytes, {
      networkId: this.#o.networkId,
      me: { country: this.country, encryptionKeys: new Map(this.#o.ring.sets.map((s) => [s.encryption.kid, { publicKey: s.encryption.publicKey, secretKey: s.encryption.secretKey }])) },
      keys: this.#o.trust,
      now: this.#now(),
    });
    if (opened.header.kind === KIND.receipt) {
      this.received.push({ opened, receipt: Receipt.decode(opened.body), order: this.#arrivals++ });
      return;
    }
    this.received.push({ opened, order: this.#arrivals++ });
    const now = this.#now();
    const to = this.#o.trust.encryptionKeys(opened.senderCountry, now)[0]!;
    const r = await sealReceipt(
      { envelopeId: opened.header.id, envelopeSha256: opened.sha256, receivedAt: now, outcome: 'accepted' },
      {
        networkId: this.#o.networkId,
        from: this.country,
        to: [{ address: opened.senderCountry, keyId: to.kid, publicKey: to.publicKey }],
        signer: { kid: set.signing.kid, privateKey: set.signing.privateKey },
        now,
        expiresAt: now + DEFAULT_TTL_MS,
      },
    );
    await this.#transport.publish(opened.senderCountry, r.header.id, r.bytes);
  }

  #now(): number {
    return this.#o.now?.() ?? Date.now();
  }

  /** The tester's current signing key (§3), for envelopes the kit signs by hand. */
  signer(): { kid: string; privateKey: KeyObject } {
    const { kid, privateKey } = currentKeySet(this.#o.ring).signing;
    return { kid, privateKey };
  }

  /**
   * Seals `body` of `kind` to the node under test, as the tester: optionally under a given id, at
   * a position of a lane (§24), created at `createdAt` and expiring at `expiresAt` (default now and
   * an envelope lifetime later), with the JWS built by `jws` instead of the profile's signature (§6).
   */
  async sealed(
    kind: string,
    body: Uint8Array,
    opts: { id?: string; lane?: { seq: number; epoch: string }; createdAt?: number; expiresAt?: number; jws?: SealInput['jws'] } = {},
  ): Promise<{ id: string; bytes: Uint8Array; sha256: Uint8Array }> {
    const now = opts.createdAt ?? this.#now();
    const to = this.#o.trust.encryptionKeys(this.#o.target, this.#now())[0]!;
    const signer = currentKeySet(this.#o.ring).signing;
    const s = await seal({
      networkId: this.#o.networkId,
      from: this.country,
      to: [{ address: this.#o.target, keyId: to.kid, publicKey: to.publicKey }],
      kind,
      body,
      signer: { kid: signer.kid, privateKey: signer.privateKey },
      now,
      expiresAt: opts.expiresAt ?? now + DEFAULT_TTL_MS,
      ...(opts.id ? { id: opts.id } : {}),
      ...(opts.lane ? { lane: opts.lane } : {}),
      ...(opts.jws ? { jws: opts.jws } : {}),
    });
    return { id: s.header.id, bytes: s.bytes, sha256: sha256(s.bytes) };
  }

  /** Publishes bytes on the tester's lane of the target's inbox under `msgId` (default: a fresh one). */
  publish(bytes: Uint8Array, msgId = `conformance-${Date.now()}-${Math.random().toString(36).slice(2)}`): Promise<void> {
    return this.#transport.publish(this.#o.target, msgId, bytes);
  }

  /** Publishes one part of an attachment's ciphertext on the tester's lane (docs/protocol.md §18.4): header and Nats-Msg-Id `id`. */
  publishPart(id: string, bytes: Uint8Array): Promise<void> {
    return this.#transport.publish(this.#o.target, id, bytes, { part: true });
  }

  /**
   * The ciphertext of an attachment of request `requestId` assembled from the parts received so
   * far, as a receiver does (§18.4): parts from offset 0 that cover exactly `length` bytes.
   */
  ciphertextOf(requestId: string): CiphertextSource {
    return (attachmentId, length) => {
      const prefix = `${attachmentObjectName(requestId, attachmentId)}/`;
      const parts = [...this.parts.values()]
        .filter((p) => p.id.startsWith(prefix))
        .map((p) => ({ offset: parseAttachmentPartId(p.id)?.offset ?? Number.NaN, bytes: p.bytes }))
        .sort((a, b) => a.offset - b.offset);
      const out = new Uint8Array(length);
      let at = 0;
      for (const p of parts) {
        if (p.offset !== at || at + p.bytes.byteLength > length) return p.offset > at ? 'incomplete' : 'inconsistent';
        out.set(p.bytes, at);
        at += p.bytes.byteLength;
      }
      return at === length ? out : 'incomplete';
    };
  }

  /** The receipts for `envelopeId` received so far. */
  receiptsFor(envelopeId: string): Receipt[] {
    return this.received.filter((r) => r.receipt?.envelopeId === envelopeId).map((r) => r.receipt!);
  }

  /** Waits for the `count`-th receipt about `envelopeId`; undefined after `timeoutMs`. */
  async receipt(envelopeId: string, timeoutMs: number, count = 1): Promise<Receipt | undefined> {
    const r = await this.until(() => this.receiptsFor(envelopeId)[count - 1], timeoutMs);
    return r;
  }

  /**
   * Publishes the tester's descriptor at `node.<CC>` of the registry, as a joining node does at
   * its first start (§14.2 step 4): false when the bucket already holds it at that serial or higher.
   */
  async publishDescriptor(): Promise<boolean> {
    const { trust } = this.#o;
    const jws = trust.descriptorJws(this.country);
    const own = trust.descriptor(this.country);
    if (!jws || !own) throw new Error(`the trust folder holds no descriptor of the tester ${this.country}`);
    const bucket = await RegistryBucket.open(await this.#transport.connection(), this.#o.networkId);
    return bucket.publishDescriptor(this.country, jws, own.serial, async (held) => (await verifyDescriptor(held, trust.anchor).catch(() => undefined))?.serial);
  }

  async until<T>(check: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = check();
      if (v !== undefined || Date.now() > end) return v;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#consuming?.catch(() => undefined);
    await this.#transport.close();
  }
}

export const ACCEPTED = ReceiptOutcome.RECEIPT_OUTCOME_ACCEPTED;
export const REJECTED = ReceiptOutcome.RECEIPT_OUTCOME_REJECTED;

/** A step the tester sends: `action` leading to `status` at position `seq` (0: a proposal), dated now, with no note or stage, and `answer` as its typed response when given. */
export function statusStep(requestId: string, action: string, status: string, seq = 0, answer?: ResponsePayload): Uint8Array {
  return StatusUpdate.encode({
    requestId,
    action,
    status,
    stage: '',
    stageDate: '',
    note: '',
    at: Date.now(),
    response: answer ? ResponsePayload.encode(answer).finish() : new Uint8Array(),
    responseType: answer ? TYPED_RESPONSE : '',
    actorRole: 'focal_point',
    seq,
    proposalId: '',
  }).finish();
}
