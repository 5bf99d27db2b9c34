import type { NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { Metadata } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Direction, EventType, ListRequestsRequest, RequestStatus, type WatchRequestsResponse } from '../generated/enlace/v1/exchange.js';
import { mintToken, inboxSubject } from '../services/index.js';
import { decodeOuter, uuidv7 } from '../services/envelope/index.js';
import { withFederation } from './_setup.js';
import { clientsFor, eventually, GRPC, NETWORK, rejectionOf, submitRequestOf, type Clients } from './_util.js';

describe('exchange edges: idempotency, validation, tokens, tampering, replay, watch', () => {
  const net = withFederation(['AR', 'UY', 'BR'], { nodes: ['AR', 'UY'], transport: true, api: { ar: ['AR'], uy: ['UY'] } });
  const { nodes, api } = net;
  let nc: NatsConnection;

  // AR's own account: what these tests publish goes on AR's lane of UY's inbox, as AR's node would.
  beforeAll(async () => {
    nc = await net.fed.connectAs('AR');
  });
  afterAll(() => nc?.close());

  async function delivered(id: string) {
    return eventually(
      async () => {
        const got = await api.ar.get(id);
        return got.request!.status === RequestStatus.REQUEST_STATUS_DELIVERED ? got : undefined;
      },
      20_000,
      `delivery of ${id}`,
    );
  }

  it('an idempotent re-submit gives one request, and reusing the key for other content is refused', async () => {
    const req = submitRequestOf({ idempotencyKey: 'case-77-first-try', senderReference: 'idem' });
    const a = await api.ar.submit(req);
    const b = await api.ar.submit(req);
    expect(a.created).toBe(true);
    expect(b.created).toBe(false);
    expect(b.request!.id).toBe(a.request!.id);
    const other = await rejectionOf(api.ar.submit({ ...req, subject: 'something else' }));
    expect(other.code).toBe(GRPC.INVALID_ARGUMENT);
    expect(other.details).toContain('idempotency_key');
    await delivered(a.request!.id);
    const atUy = await api.uy.list({ direction: Direction.DIRECTION_INBOUND });
    expect(atUy.requests.filter((r) => r.senderReference === 'idem')).toHaveLength(1);
  });

  it.each([
    ['to_country', { toCountry: 'uy' }],
    ['to_country', { toCountry: 'AR' }],
    ['to_country', { toCountry: 'ZZ' }],
    ['to_authority', { toAuthority: 'Not A Slug' }],
    ['kind', { kind: 'gossip' }],
    ['subject', { subject: '   ' }],
    ['subject', { subject: 'x'.repeat(201) }],
    ['payload_type', { payloadType: 'not a media type' }],
    ['idempotency_key', { idempotencyKey: 'short' }],
    ['sender_reference', { senderReference: 'r'.repeat(101) }],
  ])('rejects a bad %s with INVALID_ARGUMENT naming the field', async (field, over) => {
    const r = await rejectionOf(api.ar.submit(submitRequestOf(over)));
    expect(r.code).toBe(GRPC.INVALID_ARGUMENT);
    expect(r.enlaceCode).toBe('ERR_INVALID_ARGUMENT');
    expect(r.details.startsWith(field)).toBe(true);
  });

  it('validates GetRequest and ListRequests inputs, and answers NOT_FOUND for an unknown id', async () => {
    expect((await rejectionOf(api.ar.get('not-an-id'))).details).toMatch(/^id /);
    expect((await rejectionOf(api.ar.get(uuidv7(Date.now())))).code).toBe(GRPC.NOT_FOUND);
    expect((await rejectionOf(api.ar.list({ pageSize: 501 }))).details).toMatch(/^page_size /);
    expect((await rejectionOf(api.ar.list({ counterpart: 'uruguay' }))).details).toMatch(/^counterpart /);
    expect((await rejectionOf(api.ar.list({ pageToken: 'abc' }))).details).toMatch(/^page_token /);
  });

  it('pages through ListRequests with filters', async () => {
    for (let i = 0; i < 5; i++) await api.ar.submit(submitRequestOf({ senderReference: `page-${i}` }));
    const seen: string[] = [];
    let pageToken = '';
    do {
      const page = await api.ar.list({ direction: Direction.DIRECTION_OUTBOUND, counterpart: 'UY', pageSize: 2, pageToken, oldestFirst: true });
      expect(page.requests.length).toBeLessThanOrEqual(2);
      seen.push(...page.requests.map((r) => r.senderReference));
      pageToken = page.nextPageToken;
    } while (pageToken);
    expect(seen.filter((s) => s.startsWith('page-'))).toEqual(['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
    expect((await api.ar.list({ direction: Direction.DIRECTION_INBOUND })).requests).toHaveLength(0);
  });

  it('refuses calls without a valid token, and calls outside the role', async () => {
    const callWith = (md: Metadata) => new Promise((res, rej) => api.ar.exchange.listRequests(ListRequestsRequest.fromPartial({ pageSize: 1 }), md, (e, r) => (e ? rej(e) : res(r))));
    const none = await rejectionOf(callWith(new Metadata()));
    expect(none.code).toBe(GRPC.UNAUTHENTICATED);
    const garbage = new Metadata();
    garbage.set('authorization', 'Bearer not.a.jwt');
    expect((await rejectionOf(callWith(garbage))).code).toBe(GRPC.UNAUTHENTICATED);
    const expired = new Metadata();
    expired.set('authorization', `Bearer ${await mintToken(nodes.AR.issuer, { subject: 't', roles: ['operator'] }, 60, Date.now() - 3_600_000)}`);
    const exp = await rejectionOf(callWith(expired));
    expect(exp.code).toBe(GRPC.UNAUTHENTICATED);
    expect(exp.details).toContain('expired');
    const foreign = new Metadata();
    foreign.set('authorization', `Bearer ${await mintToken(nodes.UY.issuer, { subject: 't', roles: ['operator'] }, 60, Date.now())}`);
    expect((await rejectionOf(callWith(foreign))).code).toBe(GRPC.UNAUTHENTICATED);

    const auditor = await clientsFor(nodes.AR, ['auditor']);
    try {
      expect((await auditor.list({})).requests.length).toBeGreaterThan(0);
      const denied = await rejectionOf(auditor.submit(submitRequestOf()));
      expect(denied.code).toBe(GRPC.PERMISSION_DENIED);
      expect(denied.enlaceCode).toBe('ERR_PERMISSION_DENIED');
    } finally {
      auditor.close();
    }
    const admin = await clientsFor(nodes.AR, ['directory_admin']);
    try {
      expect((await rejectionOf(admin.list({}))).code).toBe(GRPC.PERMISSION_DENIED);
      expect((await admin.info()).country).toBe('AR');
    } finally {
      admin.close();
    }
  });

  it('quarantines a tampered envelope, answers with a signed rejection, and never lists it as a request', async () => {
    const sent = await api.ar.submit(submitRequestOf({ senderReference: 'tamper-original' }));
    await delivered(sent.request!.id);
    const original = nodes.AR.deps.store.getRequest(sent.request!.id)!.envelope;
    const tampered = new Uint8Array(original);
    tampered[tampered.length - 40]! ^= 0x01;
    const before = (await api.uy.list({ direction: Direction.DIRECTION_INBOUND, pageSize: 500 })).requests.length;
    await jetstream(nc).publish(inboxSubject(NETWORK, 'UY', 'AR'), tampered, { msgID: `tamper-${Date.now()}` });

    const q = await eventually(
      async () => {
        const list = await new Promise<{ messages: { code: string; envelopeId: string; rejectionReceiptId: string }[] }>((res, rej) =>
          api.uy.node.listQuarantine({ pageSize: 10 }, api.uy.metadata, (e, r) => (e ? rej(e) : res(r))),
        );
        return list.messages.find((m) => m.envelopeId === sent.request!.id);
      },
      10_000,
      'quarantine at UY',
    );
    expect(q.code).toBe('ERR_DECRYPT');
    expect(q.rejectionReceiptId).not.toBe('');
    expect((await api.uy.list({ direction: Direction.DIRECTION_INBOUND, pageSize: 500 })).requests.length).toBe(before);

    const atAr = await eventually(
      () => {
        const receipts = nodes.AR.deps.store.receiptsFor(sent.request!.id);
        return receipts.find((r) => r.outcome === 'rejected');
      },
      10_000,
      'rejection receipt at AR',
    );
    expect(atAr.reasonCode).toBe('ERR_DECRYPT');
    expect(atAr.matchesSent).toBe(false);
    const after = await api.ar.get(sent.request!.id);
    expect(after.request!.status).toBe(RequestStatus.REQUEST_STATUS_DELIVERED);
    expect(after.timeline.some((t) => t.type === EventType.EVENT_TYPE_REJECTED && t.detail.includes('altered copy'))).toBe(true);
  });

  it('bounds the signed rejections sent to one claimed sender, while still quarantining everything', async () => {
    const sent = await api.ar.submit(submitRequestOf({ senderReference: 'flood-original' }));
    await delivered(sent.request!.id);
    const tampered = new Uint8Array(nodes.AR.deps.store.getRequest(sent.request!.id)!.envelope);
    tampered[tampered.length - 40]! ^= 0x01;
    const count = () =>
      nodes.UY.deps.store.db.prepare("SELECT COUNT(*) AS n, SUM(rejection_receipt_id <> '') AS answered FROM quarantine WHERE envelope_id = ?").get(sent.request!.id) as {
        n: number;
        answered: number;
      };
    const js = jetstream(nc);
    for (let i = 0; i < 150; i++) await js.publish(inboxSubject(NETWORK, 'UY', 'AR'), tampered, { msgID: `flood-${Date.now()}-${i}` });
    const after = await eventually(() => (count().n >= 150 ? count() : undefined), 20_000, '150 quarantined copies');
    expect(after.n).toBe(150);
    expect(after.answered).toBeLessThan(150);
    expect(after.answered).toBeGreaterThanOrEqual(100);
  });

  it('never accepts an envelope id twice: the same bytes are a duplicate, other bytes with that id a replay', async () => {
    const sent = await api.ar.submit(submitRequestOf({ senderReference: 'replay-original' }));
    await delivered(sent.request!.id);
    const bytes = nodes.AR.deps.store.getRequest(sent.request!.id)!.envelope;
    await jetstream(nc).publish(inboxSubject(NETWORK, 'UY', 'AR'), bytes, { msgID: `replay-${Date.now()}` });
    await eventually(
      () => {
        const row = nodes.UY.deps.store.db.prepare('SELECT duplicates FROM inbox_dedup WHERE envelope_id = ?').get(sent.request!.id) as { duplicates: number };
        return row.duplicates >= 1 ? true : undefined;
      },
      10_000,
      'the duplicate to be recorded',
    );
    const inbound = (await api.uy.list({ direction: Direction.DIRECTION_INBOUND, pageSize: 500 })).requests;
    expect(inbound.filter((r) => r.id === sent.request!.id)).toHaveLength(1);
  });

  it('answers a re-sent copy with its stored receipt under a fresh Nats-Msg-Id, so the broker does not drop it inside the duplicate window (protocol §14)', async () => {
    const sent = await api.ar.submit(submitRequestOf({ senderReference: 'resend-receipt' }));
    await delivered(sent.request!.id);
    const receiptId = decodeOuter(nodes.UY.deps.store.getDedup(sent.request!.id)!.receiptBytes!)!.header.id;
    const copiesAtAr = () => (nodes.AR.deps.store.db.prepare('SELECT duplicates FROM inbox_dedup WHERE envelope_id = ?').get(receiptId) as { duplicates: number } | undefined)?.duplicates ?? 0;
    expect(copiesAtAr()).toBe(0);
    // Seconds after the first receipt was published: well inside UY-to-AR's 2-minute duplicate window.
    const bytes = nodes.AR.deps.store.getRequest(sent.request!.id)!.envelope;
    await jetstream(nc).publish(inboxSubject(NETWORK, 'UY', 'AR'), bytes, { msgID: `resend-${Date.now()}` });
    await eventually(() => (copiesAtAr() >= 1 ? true : undefined), 15_000, 'the stored receipt to reach AR again');
  });

  it('streams events: UY sees the request arrive, AR sees it delivered', async () => {
    const watch = (c: Clients) => {
      const events: WatchRequestsResponse[] = [];
      const stream = c.exchange.watchRequests({ direction: 0, resumeAfter: '' }, c.metadata);
      const watching = { subscribed: false };
      // The node sends the response headers once it has subscribed to its events.
      stream.on('metadata', () => (watching.subscribed = true));
      stream.on('data', (e: WatchRequestsResponse) => events.push(e));
      stream.on('error', () => {});
      return { events, watching, cancel: () => stream.cancel() };
    };
    const atUy = watch(api.uy);
    const atAr = watch(api.ar);
    await eventually(() => (atUy.watching.subscribed && atAr.watching.subscribed ? true : undefined), 10_000, 'both watches to be subscribed');
    const sent = await api.ar.submit(submitRequestOf({ senderReference: 'watched' }));
    const id = sent.request!.id;
    await eventually(() => (atUy.events.some((e) => e.request!.id === id && e.event!.type === EventType.EVENT_TYPE_RECEIVED) ? true : undefined), 10_000, 'received event');
    await eventually(() => (atAr.events.some((e) => e.request!.id === id && e.event!.type === EventType.EVENT_TYPE_DELIVERED) ? true : undefined), 10_000, 'delivered event');
    expect(atAr.events.find((e) => e.request!.id === id && e.event!.type === EventType.EVENT_TYPE_SUBMITTED)).toBeDefined();
    atUy.cancel();
    atAr.cancel();
  });

  it('describes itself: country, network, keys and peers', async () => {
    const info = await api.ar.info();
    expect(info.country).toBe('AR');
    expect(info.networkId).toBe(NETWORK);
    expect(info.peers.map((p) => p.country).sort()).toEqual(['BR', 'UY']);
    expect(info.signingKeyId).toHaveLength(43);
  });
});
