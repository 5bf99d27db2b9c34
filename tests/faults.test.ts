import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Direction, EventType, RequestStatus } from '../generated/enlace/v1/exchange.js';
import { join } from 'node:path';
import { expectLaneOrder, laneOrder } from './_lane-order.js';
import { eventually, Federation, submitRequestOf, type Clients } from './_util.js';
import { NodeProcess } from './_node-process.js';

/**
 * One case per fault kind in the default suite, sized to be quick; ENLACE_LONG=1 (`npm run
 * test:faults`) runs the same cases at their full size. The randomized mix of these and the
 * other faults is tests/fault-suite.test.ts.
 */
const LONG = !!process.env.ENLACE_LONG;
const N = LONG ? { offline: 200, senderKill: 100, receiverKill: 300, brokerDownMs: 10_000 } : { offline: 40, senderKill: 30, receiverKill: 60, brokerDownMs: 3_000 };

/** Every inbound request at `rx`, all pages, in the order the node accepted them. */
async function inbound(rx: Clients): Promise<{ id: string; ref: string }[]> {
  const all: { id: string; ref: string }[] = [];
  let pageToken = '';
  do {
    const page = await rx.list({ direction: Direction.DIRECTION_INBOUND, pageSize: 500, pageToken, oldestFirst: true });
    all.push(...page.requests.map((r) => ({ id: r.id, ref: r.senderReference })));
    pageToken = page.nextPageToken;
  } while (pageToken);
  return all;
}

/** How many of `ids` the sender shows DELIVERED (a receipt came back). */
async function countDelivered(tx: Clients, ids: string[]): Promise<number> {
  const wanted = new Set(ids);
  let n = 0;
  let pageToken = '';
  do {
    const page = await tx.list({ direction: Direction.DIRECTION_OUTBOUND, status: RequestStatus.REQUEST_STATUS_DELIVERED, pageSize: 500, pageToken });
    n += page.requests.filter((r) => wanted.has(r.id)).length;
    pageToken = page.nextPageToken;
  } while (pageToken);
  return n;
}

async function submitMany(tx: Clients, n: number, prefix: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await tx.submit(submitRequestOf({ senderReference: `${prefix}-${String(i).padStart(4, '0')}`, idempotencyKey: `${prefix}-key-${i}` }));
    ids.push(res.request!.id);
  }
  return ids;
}

function expectExactlyOnceInOrder(received: { id: string; ref: string }[], ids: string[], prefix: string): void {
  const mine = received.filter((r) => r.ref.startsWith(`${prefix}-`));
  expect(new Set(mine.map((r) => r.id)).size).toBe(mine.length);
  expect(mine.map((r) => r.id).sort()).toEqual([...ids].sort());
  const refs = mine.map((r) => r.ref);
  expect(refs).toEqual([...refs].sort());
}

describe('delivery guarantee under faults (nodes as child processes)', () => {
  // One federation for the four cases (each filters by its own sender references): starting
  // the broker, the keys and two node processes is most of the time these cases take.
  let fed: Federation;
  let ar: NodeProcess;
  let uy: NodeProcess;
  const clients: Clients[] = [];

  beforeAll(async () => {
    fed = await Federation.create(['AR', 'UY']);
    ar = await NodeProcess.start(fed, 'AR');
    uy = await NodeProcess.start(fed, 'UY');
  }, 120_000);

  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    if (!fed.nats.running) await fed.nats.start();
    for (const p of [ar, uy]) if (!p.running) await p.start();
  }, 60_000);

  afterAll(async () => {
    await ar?.stop();
    await uy?.stop();
    await fed?.destroy();
  });

  /**
   * UY applied everything AR sent so far in AR's lane order (docs/protocol.md §24), read from
   * UY's store, each position once, up to the last one AR gave; the counts are printed.
   */
  function checkLaneOrder(name: string): void {
    const lane = laneOrder(join(fed.layout.dataDir('AR'), 'node.db'), join(fed.layout.dataDir('UY'), 'node.db'), 'AR', 'UY');
    console.log(`faults (${name}): AR->UY lane: ${JSON.stringify(lane)}`);
    expectLaneOrder('AR->UY', lane);
    expect(lane.numbered, 'requests only: every position numbered').toBe(lane.lastSeq);
  }

  async function clientsOf(p: NodeProcess): Promise<Clients> {
    const c = await p.clients();
    clients.push(c);
    return c;
  }

  it(`delivers ${N.offline} requests exactly once, in order, after the receiver comes back`, { timeout: 120_000 }, async () => {
    await uy.stop();
    const tx = await clientsOf(ar);
    const ids = await submitMany(tx, N.offline, 'offline');
    await uy.start();
    const rx = await clientsOf(uy);
    await eventually(async () => ((await countDelivered(tx, ids)) === N.offline ? true : undefined), 60_000, `${N.offline} receipts at AR`);
    expectExactlyOnceInOrder(await inbound(rx), ids, 'offline');
    checkLaneOrder('offline');
  });

  it(`loses and duplicates nothing when the sender is killed -9 right after its ${N.senderKill} submits return`, { timeout: 120_000 }, async () => {
    const tx = await clientsOf(ar);
    const ids = await submitMany(tx, N.senderKill, 'senderkill');
    await ar.kill9();
    tx.close();
    await ar.start();
    const tx2 = await clientsOf(ar);
    const rx = await clientsOf(uy);
    await eventually(async () => ((await countDelivered(tx2, ids)) === N.senderKill ? true : undefined), 60_000, `${N.senderKill} receipts at AR`);
    expectExactlyOnceInOrder(await inbound(rx), ids, 'senderkill');
    checkLaneOrder('senderkill');
  });

  it(`loses and duplicates nothing when the receiver is killed -9 in the middle of ${N.receiverKill} requests`, { timeout: 120_000 }, async () => {
    const tx = await clientsOf(ar);
    const rx = await clientsOf(uy);
    const first = submitMany(tx, N.receiverKill, 'rxkill');
    await eventually(async () => ((await inbound(rx)).filter((r) => r.ref.startsWith('rxkill-')).length >= 20 ? true : undefined), 30_000, 'UY to start receiving');
    await uy.kill9();
    rx.close();
    const ids = await first;
    await uy.start();
    const rx2 = await clientsOf(uy);
    await eventually(async () => ((await countDelivered(tx, ids)) === N.receiverKill ? true : undefined), 60_000, `${N.receiverKill} receipts at AR`);
    expectExactlyOnceInOrder(await inbound(rx2), ids, 'rxkill');
    checkLaneOrder('rxkill');
  });

  it(`accepts submits while nats-server is down for ${N.brokerDownMs / 1000} s and delivers everything after`, { timeout: 180_000 }, async () => {
    const tx = await clientsOf(ar);
    const before = await submitMany(tx, 20, 'natsdown-a');
    await fed.nats.stop();
    const during: string[] = [];
    const stopAt = Date.now() + N.brokerDownMs;
    while (Date.now() < stopAt) {
      const res = await tx.submit(submitRequestOf({ senderReference: `natsdown-b-${String(during.length).padStart(4, '0')}` }));
      expect(res.created).toBe(true);
      during.push(res.request!.id);
      // Accepted and kept, and never marked as handed to the network while the broker is down.
      const got = await tx.get(res.request!.id);
      expect(got.request!.status).toBe(RequestStatus.REQUEST_STATUS_SUBMITTED);
      expect(got.timeline.map((t) => t.type)).toEqual([EventType.EVENT_TYPE_SUBMITTED]);
    }
    await fed.nats.start();
    const rx = await clientsOf(uy);
    const all = [...before, ...during];
    await eventually(async () => ((await countDelivered(tx, all)) === all.length ? true : undefined), 120_000, `${all.length} receipts at AR`);
    const received = (await inbound(rx)).filter((r) => r.ref.startsWith('natsdown-'));
    expect(new Set(received.map((r) => r.id)).size).toBe(received.length);
    expect(received.map((r) => r.id).sort()).toEqual([...all].sort());
    checkLaneOrder('natsdown');
  });
});
