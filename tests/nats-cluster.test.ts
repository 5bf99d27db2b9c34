/**
 * Three local nats-server processes as one cluster (the accounts configuration, TLS on the
 * client ports and the routes), R3 streams, two nodes sending a stream of requests while one
 * server is killed with SIGKILL: every request arrives once, none is lost or duplicated.
 */
import { connect } from '@nats-io/transport-node';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Direction, RequestStatus } from '../generated/enlace/v1/exchange.js';
import { ensureDemoNetwork } from '../keys/index.js';
import { NationalNode } from '../services/index.js';
import { createRegistryBucket } from '../services/registry/index.js';
import { brokerConfig, NETWORK_USER, type BrokerPlan } from '../services/transport/index.js';
import { clientsFor, eventually, freePort, NatsServer, NETWORK, nodeConfig, PASSPHRASE, quietLogger, submitRequestOf, tempDir, testPki, type Clients } from './_util.js';

const COUNTRIES = ['AR', 'UY'];
const TOTAL = Number(process.env.ENLACE_CLUSTER_REQUESTS ?? 60);

describe('a 3-server NATS cluster with R3 streams', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  const servers: NatsServer[] = [];
  const nodes: NationalNode[] = [];
  let ar: Clients;
  let uy: Clients;

  beforeAll(async () => {
    dir = await tempDir('enlace-cluster-');
    const pki = await testPki();
    const { layout } = await ensureDemoNetwork(join(dir.path, 'net'), NETWORK, COUNTRIES, PASSPHRASE, Date.now());
    const passwords: Record<string, string> = { [NETWORK_USER]: 'pw-network', AR: 'pw-AR', UY: 'pw-UY' };
    const plan: BrokerPlan = { networkId: NETWORK, countries: COUNTRIES, password: (u) => JSON.stringify(passwords[u]) };
    const routePorts = await Promise.all([0, 1, 2].map(() => freePort()));
    const tls = { cert: pki.serverCert, key: pki.serverKey, ca: pki.caCert };
    const started = await Promise.all(
      [0, 1, 2].map((i) =>
        NatsServer.start(join(dir.path, `js-${i}`), undefined, (port, storeDir) =>
          brokerConfig(
            {
              listen: `127.0.0.1:${port}`,
              serverName: `enlace-test-${i}`,
              storeDir,
              tls,
              cluster: { name: 'enlace-test', listen: `127.0.0.1:${routePorts[i]}`, routes: routePorts.filter((_, j) => j !== i).map((p) => `nats-route://127.0.0.1:${p}`), tls },
            },
            plan,
          ),
        ),
      ),
    );
    servers.push(...started);
    const urls = servers.map((s) => s.url);
    // The cluster elects its JetStream meta leader after the servers are up: retry network init until it answers.
    await eventually(async () => {
      const nc = await connect({ servers: urls, user: NETWORK_USER, pass: passwords[NETWORK_USER]!, tls: { caFile: pki.caCert } });
      try {
        await createRegistryBucket(nc, NETWORK, 3);
        return true;
      } catch {
        return undefined;
      } finally {
        await nc.close();
      }
    }, 30_000, 'the registry bucket on the cluster');
    for (const c of COUNTRIES) {
      const cfg = nodeConfig(layout, c, urls[0]!, {}, pki);
      cfg.nats = { ...cfg.nats, servers: urls, replicas: 3 };
      const node = await NationalNode.create(cfg, { passphrase: PASSPHRASE, natsPassword: passwords[c]! }, { logger: quietLogger });
      await node.start();
      await node.waitForTransport();
      nodes.push(node);
    }
    [ar, uy] = await Promise.all([clientsFor(nodes[0]!), clientsFor(nodes[1]!)]);
  });

  afterAll(async () => {
    ar?.close();
    uy?.close();
    for (const n of nodes) await n.destroy();
    for (const s of servers) await s.stop();
    await dir?.cleanup();
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
    const atUy = await eventually(async () => {
      const list = await uy.list({ direction: Direction.DIRECTION_INBOUND, pageSize: 500 });
      const ours = list.requests.filter((r) => r.senderReference.startsWith('cluster-'));
      return ours.length >= TOTAL ? ours : undefined;
    }, 120_000, `all ${TOTAL} requests at UY`);
    // Nothing lost, nothing duplicated: each id once, each sender reference once.
    expect(new Set(atUy.map((r) => r.id)).size).toBe(TOTAL);
    expect(atUy.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(new Set(atUy.map((r) => r.senderReference)).size).toBe(TOTAL);
    await eventually(async () => {
      for (const id of ids) if ((await ar.get(id)).request!.status !== RequestStatus.REQUEST_STATUS_DELIVERED) return undefined;
      return true;
    }, 120_000, 'every receipt back at AR');
    process.stdout.write(`cluster: ${TOTAL} requests, server 1 of 3 killed after ${Math.floor(TOTAL / 3)} (${killedAt - started} ms in), all delivered once with a receipt ${Date.now() - started} ms after the first submit\n`);
  });
});
