/**
 * Validly signed envelopes the inbox must refuse, published straight to NATS and observed
 * only through the RPC API and the store: an envelope id replayed with other bytes
 * (ERR_REPLAY) and receipts about envelopes the node never sent to their signer
 * (ERR_RECEIPT_UNMATCHED). Neither may change anything.
 */
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Direction, EventType, RequestStatus, type GetRequestResponse } from '../generated/enlace/v1/exchange.js';
import type { QuarantinedMessage } from '../generated/enlace/v1/node.js';
import { currentKeySet } from '../keys/index.js';
import { KIND, seal, sealReceipt, uuidv7, type ReceiptFacts } from '../services/envelope/index.js';
import { inboxSubject, type NationalNode } from '../services/index.js';
import { withFederation } from './_setup.js';
import { requestBody } from './_messages.js';
import { clientsFor, eventually, GRPC, NETWORK, rejectionOf, submitRequestOf, type Clients } from './_util.js';

const HOUR = 3_600_000;
const sha256 = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());

describe('the inbox refuses what is validly signed but does not belong', () => {
  const net = withFederation(['AR', 'UY', 'BR'], { nodes: ['AR', 'UY'], transport: true, api: { ar: ['AR'], uy: ['UY'] } });
  const { nodes, api } = net;
  /** NATS connections as each state's broker user: a state can publish only on its own lane. */
  const nc = new Map<string, NatsConnection>();

  beforeAll(async () => {
    for (const c of ['AR', 'UY']) nc.set(c, await net.fed.connectAs(c));
  });

  afterAll(async () => {
    for (const c of nc.values()) await c.close();
  });

  /** The signing key of `from` and the encryption key `from` trusts for `to`: what a real node seals with. */
  function keysOf(from: NationalNode, to: string) {
    const signing = currentKeySet(from.deps.ring).signing;
    const recipient = from.deps.trust.encryptionKeys(to, Date.now())[0]!;
    return {
      signer: { kid: signing.kid, privateKey: signing.privateKey },
      to: [{ address: to, keyId: recipient.kid, publicKey: recipient.publicKey }],
    };
  }

  /** Publishes on the lane of `from` into `to`'s inbox, as `from`'s node would. */
  async function publishTo(to: string, from: string, bytes: Uint8Array): Promise<void> {
    await jetstream(nc.get(from)!).publish(inboxSubject(NETWORK, to, from), bytes, { msgID: `forged-${uuidv7(Date.now())}` });
  }

  /** A receipt signed by `from`'s real key, as its node would seal one. */
  async function receiptFrom(from: NationalNode, to: string, facts: ReceiptFacts) {
    const now = Date.now();
    return sealReceipt(facts, { networkId: NETWORK, from: from.deps.country, ...keysOf(from, to), now, expiresAt: now + HOUR });
  }

  async function quarantined(c: Clients, envelopeId: string): Promise<QuarantinedMessage> {
    return eventually(
      async () => {
        const list = await new Promise<{ messages: QuarantinedMessage[] }>((res, rej) => c.node.listQuarantine({ pageSize: 500 }, c.metadata, (e, r) => (e ? rej(e) : res(r))));
        return list.messages.find((m) => m.envelopeId === envelopeId);
      },
      15_000,
      `quarantine of ${envelopeId}`,
    );
  }

  async function until(c: Clients, id: string, ok: (r: GetRequestResponse) => boolean, what: string): Promise<GetRequestResponse> {
    return eventually(
      async () => {
        const got = await c.get(id);
        return ok(got) ? got : undefined;
      },
      20_000,
      what,
    );
  }

  /** What a request looks like from the outside: status, failure, and its timeline. */
  const summary = (r: GetRequestResponse) => ({
    status: r.request!.status,
    failureReason: r.request!.failureReason,
    subject: r.request!.subject,
    payload: Buffer.from(r.request!.payload).toString('base64'),
    timeline: r.timeline.map((t) => [t.type, t.detail]),
  });

  it('quarantines an accepted envelope id re-sent with other bytes (ERR_REPLAY) and never applies it', async () => {
    const original = submitRequestOf({ subject: 'The subject the requested state received', senderReference: 'replay-other-bytes' });
    const sent = await api.ar.submit(original);
    const id = sent.request!.id;
    await until(api.ar, id, (r) => r.request!.status === RequestStatus.REQUEST_STATUS_DELIVERED, `delivery of ${id}`);
    // A focal point reads the contents (operators see metadata only).
    const reader = await clientsFor(nodes.UY, ['focal_point']);
    const before = summary(await reader.get(id));

    // The same id, sealed again by AR's real signing key, with another subject and payload.
    const now = Date.now();
    const body = requestBody({
      requestKind: original.kind,
      subject: 'A replaced subject',
      payload: new TextEncoder().encode(JSON.stringify({ names: ['Someone else'], purpose: 'identification' })),
      payloadType: original.payloadType,
      senderReference: original.senderReference,
    });
    const replay = await seal({ networkId: NETWORK, from: 'AR', ...keysOf(nodes.AR, 'UY'), kind: KIND.request, body, now, id, expiresAt: now + HOUR });
    expect(replay.header.id).toBe(id);
    await publishTo('UY', 'AR', replay.bytes);

    const q = await quarantined(api.uy, id);
    expect(q.code).toBe('ERR_REPLAY');
    expect(Buffer.from(q.sha256).equals(Buffer.from(sha256(replay.bytes)))).toBe(true);
    expect(summary(await reader.get(id))).toEqual(before);
    reader.close();
    expect(before.subject).toBe('The subject the requested state received');
    expect(JSON.parse(Buffer.from(before.payload, 'base64').toString('utf8'))).toEqual({ names: ['M. R.'], purpose: 'identification' });
    const inbound = (await api.uy.list({ direction: Direction.DIRECTION_INBOUND, pageSize: 500 })).requests;
    expect(inbound.filter((r) => r.id === id)).toHaveLength(1);
    expect(nodes.UY.deps.store.getRequest(id)!.envelopeSha256).toEqual(sha256(nodes.UY.deps.store.getRequest(id)!.envelope));
    expect(nodes.UY.deps.store.getRequest(id)!.envelopeSha256).not.toEqual(sha256(replay.bytes));
    // AR's side is untouched too: still delivered, one accepted receipt.
    const atAr = await api.ar.get(id);
    expect(atAr.request!.status).toBe(RequestStatus.REQUEST_STATUS_DELIVERED);
    expect(nodes.AR.deps.store.receiptsFor(id).filter((r) => r.outcome === 'accepted')).toHaveLength(1);
  });

  it('quarantines an accepted receipt id re-sent with other bytes (ERR_REPLAY) and keeps the first receipt', async () => {
    const sent = await api.ar.submit(submitRequestOf({ senderReference: 'receipt-replay' }));
    const id = sent.request!.id;
    await until(api.ar, id, (r) => r.request!.status === RequestStatus.REQUEST_STATUS_DELIVERED, `delivery of ${id}`);
    const [kept] = nodes.AR.deps.store.receiptsFor(id);
    expect(kept!.outcome).toBe('accepted');
    const before = summary(await api.ar.get(id));

    // UY's real key signs a second receipt under the id of the one AR accepted: now a rejection.
    const now = Date.now();
    const facts: ReceiptFacts = { envelopeId: id, envelopeSha256: nodes.AR.deps.store.getRequest(id)!.envelopeSha256, receivedAt: now, outcome: 'rejected', reasonCode: 'ERR_DECRYPT' };
    const replay = await sealReceipt(facts, { networkId: NETWORK, from: 'UY', ...keysOf(nodes.UY, 'AR'), now, id: kept!.receiptId, expiresAt: now + HOUR });
    expect(replay.header.id).toBe(kept!.receiptId);
    await publishTo('AR', 'UY', replay.bytes);

    const q = await quarantined(api.ar, kept!.receiptId);
    expect(q.code).toBe('ERR_REPLAY');
    expect(summary(await api.ar.get(id))).toEqual(before);
    expect(nodes.AR.deps.store.receiptsFor(id).map((r) => [r.receiptId, r.outcome])).toEqual([[kept!.receiptId, 'accepted']]);
  });

  it('quarantines a signed receipt about an envelope the node never sent (ERR_RECEIPT_UNMATCHED)', async () => {
    const never = uuidv7(Date.now());
    const receipt = await receiptFrom(nodes.UY, 'AR', { envelopeId: never, envelopeSha256: sha256(new TextEncoder().encode(never)), receivedAt: Date.now(), outcome: 'accepted' });
    await publishTo('AR', 'UY', receipt.bytes);

    const q = await quarantined(api.ar, receipt.header.id);
    expect(q.code).toBe('ERR_RECEIPT_UNMATCHED');
    expect(q.kind).toBe(KIND.receipt);
    expect((await rejectionOf(api.ar.get(never))).code).toBe(GRPC.NOT_FOUND);
    expect(nodes.AR.deps.store.receiptsFor(never)).toEqual([]);
  });

  it('quarantines a signed receipt from a peer about a request sent to another country, and changes nothing', async () => {
    // Sent to BR (whose node is not running): UY signs a receipt for it with the exact digest.
    const sent = await api.ar.submit(submitRequestOf({ toCountry: 'BR', senderReference: 'not-for-uy' }));
    const id = sent.request!.id;
    // Whether and when the relay hands it to the network is not what this test is about.
    const unpublished = (r: GetRequestResponse) => {
      const s = summary(r);
      return { ...s, timeline: s.timeline.filter(([type]) => type !== EventType.EVENT_TYPE_PUBLISHED) };
    };
    const before = unpublished(await api.ar.get(id));
    const digest = nodes.AR.deps.store.getRequest(id)!.envelopeSha256;
    const accepted = await receiptFrom(nodes.UY, 'AR', { envelopeId: id, envelopeSha256: digest, receivedAt: Date.now(), outcome: 'accepted' });
    const rejected = await receiptFrom(nodes.UY, 'AR', { envelopeId: id, envelopeSha256: digest, receivedAt: Date.now(), outcome: 'rejected', reasonCode: 'ERR_DECRYPT' });
    await publishTo('AR', 'UY', accepted.bytes);
    await publishTo('AR', 'UY', rejected.bytes);

    expect((await quarantined(api.ar, accepted.header.id)).code).toBe('ERR_RECEIPT_UNMATCHED');
    expect((await quarantined(api.ar, rejected.header.id)).code).toBe('ERR_RECEIPT_UNMATCHED');
    const after = unpublished(await api.ar.get(id));
    expect(after).toEqual(before);
    expect(after.status).toBe(RequestStatus.REQUEST_STATUS_SUBMITTED);
    expect(nodes.AR.deps.store.receiptsFor(id)).toEqual([]);
  });

  it('quarantines a signed receipt about a request the node received rather than sent, and changes nothing', async () => {
    // UY sends to AR; then UY signs a receipt to AR about that same request, as if AR had sent it.
    const sent = await api.uy.submit(submitRequestOf({ toCountry: 'AR', senderReference: 'inbound-at-ar' }));
    const id = sent.request!.id;
    await until(api.uy, id, (r) => r.request!.status === RequestStatus.REQUEST_STATUS_DELIVERED, `delivery of ${id}`);
    const before = summary(await api.ar.get(id));
    expect(before.status).toBe(RequestStatus.REQUEST_STATUS_RECEIVED);
    const receipt = await receiptFrom(nodes.UY, 'AR', {
      envelopeId: id,
      envelopeSha256: nodes.AR.deps.store.getRequest(id)!.envelopeSha256,
      receivedAt: Date.now(),
      outcome: 'rejected',
      reasonCode: 'ERR_DECRYPT',
    });
    await publishTo('AR', 'UY', receipt.bytes);

    expect((await quarantined(api.ar, receipt.header.id)).code).toBe('ERR_RECEIPT_UNMATCHED');
    expect(summary(await api.ar.get(id))).toEqual(before);
    expect(nodes.AR.deps.store.receiptsFor(id)).toEqual([]);
  });
});
