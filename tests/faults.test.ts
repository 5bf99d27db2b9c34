import { afterEach, describe, expect, it } from 'vitest';
import { Direction, EventType, RequestStatus } from '../generated/enlace/v1/exchange.js';
import { eventually, Federation, NodeProcess, submitRequestOf, type Clients } from './_util.js';

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

async function countDelivered(tx: Clients): Promise<number> {
  let n = 0;
  let pageToken = '';
  do {
    const page = await tx.list({ direction: Direction.DIRECTION_OUTBOUND, status: RequestStatus.REQUEST_STATUS_DELIVERED, pageSize: 500, pageToken });
    n += page.requests.length;
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
  let fed: Federation | undefined;
  const procs: NodeProcess[] = [];
  const clients: Clients[] = [];

  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    for (const p of procs.splice(0)) await p.stop();
    await fed?.destroy();
    fed = undefined;
  });

  async function start(country: string): Promise<NodeProcess> {
    const p = await NodeProcess.start(fed!, country);
    procs.push(p);
    return p;
  }

  async function clientsOf(p: NodeProcess): Promise<Clients> {
    const c = await p.clients();
    clients.push(c);
    return c;
  }

  it('delivers 200 requests exactly once, in order, after the receiver comes back', { timeout: 120_000 }, async () => {
    fed = await Federation.create(['AR', 'UY']);
    const ar = await start('AR');
    const uy = await start('UY');
    await uy.stop();
    const tx = await clientsOf(ar);
    const ids = await submitMany(tx, 200, 'offline');
    await uy.start();
    const rx = await clientsOf(uy);
    await eventually(async () => ((await countDelivered(tx)) === 200 ? true : undefined), 60_000, '200 receipts at AR');
    expectExactlyOnceInOrder(await inbound(rx), ids, 'offline');
  });

  it('loses and duplicates nothing when the sender is killed -9 right after its submits return', { timeout: 120_000 }, async () => {
    fed = await Federation.create(['AR', 'UY']);
    const ar = await start('AR');
    const uy = await start('UY');
    const tx = await clientsOf(ar);
    const ids = await submitMany(tx, 100, 'senderkill');
    await ar.kill9();
    tx.close();
    await ar.start();
    const tx2 = await clientsOf(ar);
    const rx = await clientsOf(uy);
    await eventually(async () => ((await countDelivered(tx2)) === 100 ? true : undefined), 60_000, '100 receipts at AR');
    expectExactlyOnceInOrder(await inbound(rx), ids, 'senderkill');
  });

  it('loses and duplicates nothing when the receiver is killed -9 mid-stream', { timeout: 120_000 }, async () => {
    fed = await Federation.create(['AR', 'UY']);
    const ar = await start('AR');
    const uy = await start('UY');
    const tx = await clientsOf(ar);
    const rx = await clientsOf(uy);
    const first = submitMany(tx, 300, 'rxkill');
    await eventually(async () => ((await inbound(rx)).length >= 20 ? true : undefined), 30_000, 'UY to start receiving');
    await uy.kill9();
    rx.close();
    const ids = await first;
    await uy.start();
    const rx2 = await clientsOf(uy);
    await eventually(async () => ((await countDelivered(tx)) === 300 ? true : undefined), 60_000, '300 receipts at AR');
    expectExactlyOnceInOrder(await inbound(rx2), ids, 'rxkill');
  });

  it('accepts submits while nats-server is down for 10 s and delivers everything after', { timeout: 180_000 }, async () => {
    fed = await Federation.create(['AR', 'UY']);
    const ar = await start('AR');
    await start('UY');
    const tx = await clientsOf(ar);
    const before = await submitMany(tx, 20, 'natsdown-a');
    await fed.nats.stop();
    const during: string[] = [];
    const stopAt = Date.now() + 10_000;
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
    const rx = await clientsOf(procs[1]!);
    const total = before.length + during.length;
    await eventually(async () => ((await countDelivered(tx)) === total ? true : undefined), 120_000, `${total} receipts at AR`);
    const received = await inbound(rx);
    expect(new Set(received.map((r) => r.id)).size).toBe(received.length);
    expect(received.map((r) => r.id).sort()).toEqual([...before, ...during].sort());
  });
});
