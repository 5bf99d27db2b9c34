import type { ClientReadableStream } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { EventType, type WatchRequestsResponse } from '../generated/enlace/v1/exchange.js';
import { withFederation } from './_setup.js';
import { clientsFor, eventually, Federation, GRPC, submitRequestOf } from './_util.js';

/** WatchRequests for integrators: every event has a cursor; a client that reconnects resumes after its last one. */
describe('WatchRequests resume', () => {
  const { nodes, api } = withFederation(['AR', 'UY'], { transport: true, api: { ar: ['AR', 'integrator'] } });

  function watch(resumeAfter = '') {
    const events: WatchRequestsResponse[] = [];
    const stream: ClientReadableStream<WatchRequestsResponse> = api.ar.exchange.watchRequests({ direction: 0, resumeAfter }, api.ar.metadata);
    const ready = new Promise<void>((res) => stream.on('metadata', () => res()));
    const failed = new Promise<Error>((res) => stream.on('error', (e) => res(e)));
    stream.on('data', (e: WatchRequestsResponse) => events.push(e));
    return { events, ready, failed, cancel: () => stream.cancel() };
  }

  const delivered = (events: WatchRequestsResponse[], id: string) => events.some((e) => e.request?.id === id && e.event?.type === EventType.EVENT_TYPE_DELIVERED);

  it('replays what happened while the client was away, without a gap or a repeat, then continues live', async () => {
    const first = watch();
    await first.ready;
    const a = (await api.ar.submit(submitRequestOf({ senderReference: 'watch-a' }))).request!.id;
    await eventually(() => (delivered(first.events, a) ? true : undefined), 15_000, 'a delivered, seen live');
    const cursor = first.events.at(-1)!.cursor;
    first.cancel();

    // While nobody watches: two more requests go out and are delivered.
    const b = (await api.ar.submit(submitRequestOf({ senderReference: 'watch-b' }))).request!.id;
    const c = (await api.ar.submit(submitRequestOf({ senderReference: 'watch-c' }))).request!.id;
    for (const id of [b, c]) await eventually(async () => ((await api.ar.get(id)).receipt ? true : undefined), 15_000, `${id} delivered`);

    const again = watch(cursor);
    await again.ready;
    await eventually(() => (delivered(again.events, b) && delivered(again.events, c) ? true : undefined), 15_000, 'b and c replayed');
    const d = (await api.ar.submit(submitRequestOf({ senderReference: 'watch-d' }))).request!.id;
    await eventually(() => (delivered(again.events, d) ? true : undefined), 15_000, 'd seen live after the replay');
    again.cancel();

    const cursors = again.events.map((e) => Number(e.cursor));
    expect(cursors.every((x, i) => i === 0 || x > cursors[i - 1]!)).toBe(true);
    expect(cursors[0]).toBeGreaterThan(Number(cursor));
    // Nothing about a (before the cursor) comes again; every step of b, c and d is there once.
    expect(again.events.filter((e) => e.request?.id === a)).toHaveLength(0);
    for (const id of [b, c, d]) {
      const types = again.events.filter((e) => e.request?.id === id).map((e) => e.event!.type);
      expect(types).toEqual([EventType.EVENT_TYPE_SUBMITTED, EventType.EVENT_TYPE_PUBLISHED, EventType.EVENT_TYPE_DELIVERED]);
    }
    // The replay is what the journal holds after the cursor: the same events a live watcher saw, in the same order.
    const journal = nodes.AR.deps.store.timelineAfter(Number(cursor), 1_000).filter((t) => [b, c, d].includes(t.requestId));
    expect(again.events.map((e) => e.cursor)).toEqual(journal.map((t) => String(t.seq)));
  });

  it('refuses a cursor that is not one', async () => {
    const bad = watch('yesterday');
    const err = (await bad.failed) as Error & { code: number };
    expect(err.code).toBe(GRPC.INVALID_ARGUMENT);
  });

  it('ends the stream of a client that does not keep up (bounded queue), and the client resumes from its last cursor', async () => {
    // A node whose watch queue holds 20 events, and a client that stops reading.
    const slowFed = await Federation.create(['AR', 'UY']);
    try {
      const node = await slowFed.startNode('AR', { settings: { watchBufferEvents: 20 } });
      const peer = await slowFed.startNode('UY');
      await Promise.all([node.waitForTransport(), peer.waitForTransport()]);
      const c = await clientsFor(node, ['integrator']);
      try {
        const got: WatchRequestsResponse[] = [];
        const stream = c.exchange.watchRequests({ direction: 0, resumeAfter: '' }, c.metadata);
        let processing = true;
        const ended = new Promise<Error & { code: number }>((res) =>
          stream.on('error', (e) => {
            // What the client processed ends here: anything grpc-js still hands over after the error is not counted.
            processing = false;
            res(e as Error & { code: number });
          }),
        );
        await new Promise<void>((res) => stream.on('metadata', () => res()));
        stream.on('data', (e: WatchRequestsResponse) => processing && got.push(e));
        stream.pause();
        const ids: string[] = [];
        for (let i = 0; i < 80; i += 20) {
          const batch = await Promise.all(Array.from({ length: 20 }, (_, j) => c.submit(submitRequestOf({ senderReference: `slow-${i + j}` }))));
          ids.push(...batch.map((r) => r.request!.id));
        }
        stream.resume();
        const err = await ended;
        expect(err.code).toBe(8); // RESOURCE_EXHAUSTED
        expect(err.message).toContain('resume_after');
        // What was received is a prefix of the journal; resuming after its last cursor (the start, if nothing came) gives the rest.
        const rest = c.exchange.watchRequests({ direction: 0, resumeAfter: got.at(-1)?.cursor ?? '0' }, c.metadata);
        const more: WatchRequestsResponse[] = [];
        rest.on('data', (e: WatchRequestsResponse) => more.push(e));
        rest.on('error', () => {});
        const submittedSeen = () => new Set([...got, ...more].filter((e) => e.event?.type === EventType.EVENT_TYPE_SUBMITTED).map((e) => e.request!.id));
        await eventually(() => (ids.every((id) => submittedSeen().has(id)) ? true : undefined), 20_000, 'every submit seen after resuming');
        rest.cancel();
        const all = [...got, ...more].map((e) => Number(e.cursor));
        expect(new Set(all).size).toBe(all.length);
      } finally {
        c.close();
      }
    } finally {
      await slowFed.destroy();
    }
  }, 150_000);
});
