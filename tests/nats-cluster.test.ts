/**
 * Three local nats-server processes as one cluster (the accounts configuration, TLS on the
 * client ports and the routes), R3 streams, two nodes sending a stream of requests while one
 * server is killed with SIGKILL: every request arrives once, none is lost or duplicated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Direction, RequestStatus } from '../generated/enlace/v1/exchange.js';
import { Cluster } from './_cluster.js';
import { clientsFor, eventually, submitRequestOf, type Clients } from './_util.js';

const COUNTRIES = ['AR', 'UY'];
const TOTAL = Number(process.env.ENLACE_CLUSTER_REQUESTS ?? 60);

describe('a 3-server NATS cluster with R3 streams', () => {
  let cluster: Cluster;
  let servers: Cluster['servers'];
  let ar: Clients;
  let uy: Clients;

  beforeAll(async () => {
    cluster = await Cluster.start(COUNTRIES);
    servers = cluster.servers;
    ar = await clientsFor(cluster.nodes.get('AR')!);
    uy = await clientsFor(cluster.nodes.get('UY')!);
  }, 120_000);

  afterAll(async () => {
    ar?.close();
    uy?.close();
    await cluster?.destroy();
  });

  it(`delivers ${TOTAL} requests exactly once while one of the three servers is killed mid-stream`, { timeout: 180_000 }, async () => {
    const ids: string[] = [];
    const started = Date.now();
    let killedAt = 0;
    for (let i = 0; i < TOTAL; i++) {
      if (i === Math.floor(TOTAL / 3)) {
        await servers[0]!.kill9();
        killedAt = Date.now();
      }
      const r = await ar.submit(submitRequestOf({ senderReference: `cluster-${i}` }));
      ids.push(r.request!.id);
    }
    const atUy = await eventually(
      async () => {
        const list = await uy.list({ direction: Direction.DIRECTION_INBOUND, pageSize: 500 });
        const ours = list.requests.filter((r) => r.senderReference.startsWith('cluster-'));
        return ours.length >= TOTAL ? ours : undefined;
      },
      120_000,
      `all ${TOTAL} requests at UY`,
    );
    // Nothing lost, nothing duplicated: each id once, each sender reference once.
    expect(new Set(atUy.map((r) => r.id)).size).toBe(TOTAL);
    expect(atUy.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(new Set(atUy.map((r) => r.senderReference)).size).toBe(TOTAL);
    await eventually(
      async () => {
        for (const id of ids) if ((await ar.get(id)).request!.status !== RequestStatus.REQUEST_STATUS_DELIVERED) return undefined;
        return true;
      },
      120_000,
      'every receipt back at AR',
    );
    process.stdout.write(
      `cluster: ${TOTAL} requests, server 1 of 3 killed after ${Math.floor(TOTAL / 3)} (${killedAt - started} ms in), all delivered once with a receipt ${Date.now() - started} ms after the first submit\n`,
    );
  });
});
