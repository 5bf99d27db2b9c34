/**
 * A relay batch in which some publishes fail and others succeed, made by the broker itself:
 * the receiver's inbox stream is limited to 5 messages (discard new) while its node is down,
 * and 10 envelopes become due at once. The broker takes the first 5 and refuses the rest;
 * the relay must retry the refused ones and never let a later one overtake them.
 */
import { DiscardPolicy, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, describe, expect, it } from 'vitest';
import { Direction, EventType, RequestStatus } from '../generated/enlace/v1/exchange.js';
import { decodeOuter } from '../services/envelope/index.js';
import { inboxStream } from '../services/index.js';
import { classifyNatsError } from '../services/transport/index.js';
import { withFederation } from './_setup.js';
import { untilDelivered } from './_requests.js';
import { clientsFor, eventually, NETWORK, submitRequestOf } from './_util.js';

const LIMIT = 5;
const COUNT = 10;

describe('relay: a batch that partly fails', () => {
  // No re-sends during the test: a re-send of one of the first 5 (2 s in the tests' settings)
  // lands in the stream as a new message and, on a busy machine, beat the count of 10 below.
  const quiet = { resendAfterMs: 600_000, resendMaxMs: 600_000 };
  const net = withFederation(['AR', 'UY'], { api: { ar: ['AR'] }, start: { AR: { settings: quiet } } });
  const { api } = net;
  let nc: NatsConnection | undefined;
  const stream = inboxStream(NETWORK, 'UY');

  afterAll(() => nc?.close());

  async function manager(): Promise<JetStreamManager> {
    // UY's inbox stream lives in UY's account.
    nc ??= await net.fed.connectAs('UY', { maxReconnectAttempts: -1, reconnectTimeWait: 100 });
    return jetstreamManager(nc, { timeout: 5_000 });
  }

  /**
   * The test's own broker call, asked again when it times out: after the broker's restart, on a
   * machine busy with the rest of the suite, one stream-info request once went unanswered for the
   * whole of a 20 s timeout (a clean-clone run of ecb4fd1) while the same test passed alone.
   * Any other error fails the test at once.
   */
  async function asked<T>(what: string, call: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        return await call();
      } catch (e) {
        if (classifyNatsError(e) !== 'timeout' || Date.now() > deadline) throw e;
        await nc?.flush().catch(() => undefined);
        console.warn(`relay-partial: ${what} timed out; asking again`);
      }
    }
  }

  /** The envelope ids in UY's inbox stream, in stream order. */
  async function streamIds(jsm: JetStreamManager): Promise<string[]> {
    const { state } = await asked('stream info', () => jsm.streams.info(stream));
    const ids: string[] = [];
    for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq++) {
      const m = await asked(`message ${seq}`, () => jsm.streams.getMessage(stream, { seq })).catch(() => null);
      if (m) ids.push(decodeOuter(m.data)!.header.id);
    }
    return ids;
  }

  const published = async (id: string) => (await api.ar.get(id)).timeline.some((t) => t.type === EventType.EVENT_TYPE_PUBLISHED);

  it('retries the refused publishes and delivers everything once, in order', { timeout: 240_000 }, async () => {
    // A first request makes UY's stream and a healthy destination at AR's relay.
    const first = (await api.ar.submit(submitRequestOf({ senderReference: 'partial-warmup' }))).request!.id;
    await untilDelivered(api.ar, first, 20_000, 'warm-up delivery');
    const jsm = await manager();
    await eventually(async () => ((await asked('stream info', () => jsm.streams.info(stream))).state.messages === 0 ? true : undefined), 10_000, 'UY to drain its stream');
    await net.fed.stopNode('UY');
    const { config } = await asked('stream info', () => jsm.streams.info(stream));
    await asked('stream update', () => jsm.streams.update(stream, { ...config, max_msgs: LIMIT, discard: DiscardPolicy.New }));

    // With the broker down the relay publishes nothing; when it is back, all 10 are due in one batch.
    await net.fed.nats.stop();
    const ids: string[] = [];
    for (let i = 0; i < COUNT; i++) {
      ids.push((await api.ar.submit(submitRequestOf({ senderReference: `partial-${String(i).padStart(2, '0')}` }))).request!.id);
    }
    await net.fed.nats.start();

    // The broker took the first 5 and refused the others; none of the refused ones is marked handed over.
    await eventually(async () => ((await Promise.all(ids.slice(0, LIMIT).map(published))).every(Boolean) ? true : undefined), 20_000, 'the first 5 published');
    expect(await streamIds(jsm)).toEqual(ids.slice(0, LIMIT));
    expect(await Promise.all(ids.slice(LIMIT).map(published))).toEqual(Array(COUNT - LIMIT).fill(false));
    for (const id of ids) expect((await api.ar.get(id)).request!.status).toBe(RequestStatus.REQUEST_STATUS_SUBMITTED);

    // Room again (the stream's own limits back): the relay's own retries bring the rest, after the first 5, in order, once.
    await asked('stream update', () => jsm.streams.update(stream, config));
    let held = -1;
    await eventually(
      async () => {
        held = (await asked('stream info', () => jsm.streams.info(stream))).state.messages;
        return held === COUNT ? true : undefined;
      },
      60_000,
      'all 10 in the stream',
    ).catch(async (e: Error) => {
      const marks = await Promise.all(ids.map(published));
      throw new Error(`${e.message}: the stream holds ${held}; handed over: ${marks.map(Number).join('')}`);
    });
    expect(await streamIds(jsm)).toEqual(ids);
    expect(await Promise.all(ids.map(published))).toEqual(Array(COUNT).fill(true));

    const uyNode = await net.fed.startNode('UY');
    const uy = await clientsFor(uyNode);
    try {
      await eventually(
        async () => {
          const page = await api.ar.list({ direction: Direction.DIRECTION_OUTBOUND, status: RequestStatus.REQUEST_STATUS_DELIVERED, pageSize: 500 });
          return ids.every((id) => page.requests.some((r) => r.id === id)) ? true : undefined;
        },
        30_000,
        'all 10 delivered',
      );
      const inbound = (await uy.list({ direction: Direction.DIRECTION_INBOUND, pageSize: 500, oldestFirst: true })).requests.filter((r) => r.senderReference.startsWith('partial-0'));
      expect(inbound.map((r) => r.id)).toEqual(ids);
    } finally {
      uy.close();
    }
  });
});
