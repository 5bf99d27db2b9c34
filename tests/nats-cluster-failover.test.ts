/**
 * Failover figures under load (issue 14 item 4): a 3-server cluster with R3 streams, AR
 * submitting to UY at a steady rate with the production re-send interval, and the server a
 * node is connected to killed with SIGKILL: first AR's (the publisher and the receipts'
 * consumer), then, once that server is back, UY's (the inbox consumer and the receipts'
 * publisher). The test prints how long delivery stalled and how many requests were in flight;
 * it asserts only that every request arrived once with its receipt (no figure is asserted:
 * wall time on a shared machine is not a property of the code).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Direction, RequestStatus } from '../generated/enlace/v1/exchange.js';
import { DEFAULT_EXCHANGE_SETTINGS } from '../services/index.js';
import { Cluster } from './_cluster.js';
import { clientsFor, eventually, submitRequestOf, type Clients } from './_util.js';

const INTERVAL_MS = 50;
const LEAD_MS = 3_000;

interface Sent {
  id: string;
  submittedAt: number;
}

describe('failover under load on a 3-server cluster (R3)', () => {
  let cluster: Cluster;
  let ar: Clients;
  let uy: Clients;

  beforeAll(async () => {
    // The production re-send and publish back-off: what is measured is the transport's failover, not re-sends.
    cluster = await Cluster.start(['AR', 'UY'], DEFAULT_EXCHANGE_SETTINGS);
    ar = await clientsFor(cluster.nodes.get('AR')!);
    uy = await clientsFor(cluster.nodes.get('UY')!);
  }, 120_000);

  afterAll(async () => {
    ar?.close();
    uy?.close();
    await cluster?.destroy();
  });

  /** When UY stored each request (its "received" timeline line) and when AR stored its receipt. */
  function arrivals(ids: string[]): { receivedAt: Map<string, number>; receiptAt: Map<string, number> } {
    const uyDb = cluster.nodes.get('UY')!.deps.store.db;
    const arDb = cluster.nodes.get('AR')!.deps.store.db;
    const received = uyDb.prepare("SELECT request_id AS id, min(at) AS at FROM timeline WHERE type = 'received' GROUP BY request_id").all() as { id: string; at: number }[];
    const receipts = arDb.prepare('SELECT request_id AS id, min(stored_at) AS at FROM receipts GROUP BY request_id').all() as { id: string; at: number }[];
    const wanted = new Set(ids);
    return {
      receivedAt: new Map(received.filter((r) => wanted.has(r.id)).map((r) => [r.id, r.at])),
      receiptAt: new Map(receipts.filter((r) => wanted.has(r.id)).map((r) => [r.id, r.at])),
    };
  }

  /** Figures around a kill at `killedAt`: the longest time without a new arrival, in flight at the kill, the slowest request. */
  function figures(sent: Sent[], killedAt: number, what: string) {
    const { receivedAt, receiptAt } = arrivals(sent.map((s) => s.id));
    const window = sent.filter((s) => s.submittedAt >= killedAt - LEAD_MS);
    const times = (m: Map<string, number>) => window.map((s) => m.get(s.id)!).sort((a, b) => a - b);
    const longestGap = (ts: number[]) => ts.reduce((g, t, i) => (i === 0 ? g : Math.max(g, t - ts[i - 1]!)), 0);
    const latencies = window.map((s) => receivedAt.get(s.id)! - s.submittedAt).sort((a, b) => a - b);
    const before = sent
      .filter((s) => s.submittedAt < killedAt - LEAD_MS)
      .map((s) => receivedAt.get(s.id)! - s.submittedAt)
      .sort((a, b) => a - b);
    return {
      killed: what,
      inFlightAtKill: sent.filter((s) => s.submittedAt < killedAt && receivedAt.get(s.id)! >= killedAt).length,
      receiptsOwedAtKill: sent.filter((s) => s.submittedAt < killedAt && receiptAt.get(s.id)! >= killedAt).length,
      deliveryStallMs: longestGap(times(receivedAt)),
      receiptStallMs: longestGap(times(receiptAt)),
      latencyP50BeforeMs: before[Math.floor(before.length / 2)] ?? 0,
      latencyMaxAroundKillMs: latencies.at(-1) ?? 0,
      firstArrivalAfterKillMs: Math.min(...window.map((s) => receivedAt.get(s.id)!).filter((t) => t >= killedAt)) - killedAt,
    };
  }

  it('prints how long delivery stalls when the server a node is connected to is killed', async () => {
    const sent: Sent[] = [];
    let running = true;
    const load = (async () => {
      for (let i = 0; running; i++) {
        const res = await ar.submit(submitRequestOf({ senderReference: `failover-${i}`, idempotencyKey: `failover-${i}` }));
        sent.push({ id: res.request!.id, submittedAt: res.request!.createdAt ? Number(res.request!.createdAt) : Date.now() });
        await new Promise((r) => setTimeout(r, INTERVAL_MS));
      }
    })();
    const allArrived = (upTo: number, what: string) => eventually(() => (arrivals(sent.slice(0, upTo).map((s) => s.id)).receiptAt.size >= upTo ? true : undefined), 120_000, what);

    await eventually(() => (sent.length >= LEAD_MS / INTERVAL_MS ? true : undefined), 60_000, 'steady load');
    const first = await cluster.serverOf('AR');
    const uyWasOn = await cluster.serverOf('UY');
    await cluster.servers[first]!.kill9();
    const killedA = Date.now();
    console.log(`server ${first} killed at ${new Date(killedA).toISOString()}`);
    const markA = sent.length;
    await eventually(() => (sent.length >= markA + LEAD_MS / INTERVAL_MS ? true : undefined), 60_000, 'load after the first kill');
    await allArrived(sent.length, 'every request and receipt after the first kill');

    await cluster.servers[first]!.start();
    const markB = sent.length;
    await eventually(() => (sent.length >= markB + (2 * LEAD_MS) / INTERVAL_MS ? true : undefined), 60_000, 'load with the server back');
    const second = await cluster.serverOf('UY');
    const arWasOn = await cluster.serverOf('AR');
    await cluster.servers[second]!.kill9();
    const killedB = Date.now();
    console.log(`server ${second} killed at ${new Date(killedB).toISOString()}`);
    const markC = sent.length;
    await eventually(() => (sent.length >= markC + LEAD_MS / INTERVAL_MS ? true : undefined), 60_000, 'load after the second kill');
    running = false;
    await load;
    await allArrived(sent.length, 'every request and receipt after the second kill');
    await cluster.servers[second]!.start();

    const a = figures(sent.slice(0, markB), killedA, `server ${first} (AR's${uyWasOn === first ? " and UY's" : ''})`);
    const b = figures(sent.slice(markB), killedB, `server ${second} (UY's${arWasOn === second ? " and AR's" : ''})`);
    console.log(`cluster failover, ${sent.length} requests at one per ${INTERVAL_MS} ms:\n  ${JSON.stringify(a)}\n  ${JSON.stringify(b)}`);

    // Every request once at UY, every receipt back at AR.
    const atUy: string[] = [];
    let pageToken = '';
    do {
      const page = await uy.list({ direction: Direction.DIRECTION_INBOUND, pageSize: 500, pageToken });
      atUy.push(...page.requests.filter((r) => r.senderReference.startsWith('failover-')).map((r) => r.id));
      pageToken = page.nextPageToken;
    } while (pageToken);
    expect(new Set(atUy).size).toBe(atUy.length);
    expect([...atUy].sort()).toEqual(sent.map((s) => s.id).sort());
    for (const s of sent.slice(-5)) expect((await ar.get(s.id)).request!.status).toBe(RequestStatus.REQUEST_STATUS_DELIVERED);
    // A server's death is not a lost store, but 1 of 18 campaign runs on 3 December counted one
    // (probably a restarted server that had not caught up answering "stream not found"; that run kept
    // no node log). Since "stream not found" is asked again (fd325b6), 41 campaign runs counted none;
    // printed, not yet asserted.
    console.log(`inbox losses noticed (a false alarm on a cluster): ${[...cluster.nodes.values()].map((n) => n.inboxLossesNoticed).join(', ')}`);
  }, 300_000);
});
