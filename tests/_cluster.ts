import { connect } from '@nats-io/transport-node';
import { pino } from 'pino';
import { join } from 'node:path';
import { NationalNode, type ExchangeSettings } from '../services/index.js';
import { brokerConfig, NETWORK_USER, type BrokerPlan } from '../services/transport/index.js';
import { freePort, initRegistry, NatsServer, NETWORK, nodeConfig, PASSPHRASE, quietLogger, tempDir, testPki } from './_util.js';
import { ensureDemoNetwork } from '../keys/index.js';

/**
 * Three local nats-server processes as one cluster (the accounts configuration, TLS on the
 * client ports and the routes), the registry bucket at R3, and one node per country connected
 * to all three servers with R3 streams.
 */
export class Cluster {
  readonly servers: NatsServer[];
  readonly nodes = new Map<string, NationalNode>();
  readonly #cleanup: () => Promise<void>;

  private constructor(servers: NatsServer[], cleanup: () => Promise<void>) {
    this.servers = servers;
    this.#cleanup = cleanup;
  }

  get urls(): string[] {
    return this.servers.map((s) => s.url);
  }

  static async start(countries: string[], settings: Partial<ExchangeSettings> = {}): Promise<Cluster> {
    const dir = await tempDir('enlace-cluster-');
    const pki = await testPki();
    const { layout } = await ensureDemoNetwork(join(dir.path, 'net'), NETWORK, countries, PASSPHRASE, Date.now());
    const passwords: Record<string, string> = Object.fromEntries([NETWORK_USER, ...countries].map((u) => [u, `pw-${u}`]));
    const plan: BrokerPlan = { networkId: NETWORK, countries, password: (u) => JSON.stringify(passwords[u]) };
    const routePorts = await Promise.all([0, 1, 2].map(() => freePort()));
    const tls = { cert: pki.serverCert, key: pki.serverKey, ca: pki.caCert };
    const servers = await Promise.all(
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
    const cluster = new Cluster(servers, dir.cleanup);
    // The cluster elects its JetStream meta leader after the servers are up: network init is tried until it answers.
    await initRegistry(() => connect({ servers: cluster.urls, user: NETWORK_USER, pass: passwords[NETWORK_USER]!, tls: { caFile: pki.caCert } }), 3);
    for (const c of countries) {
      const cfg = nodeConfig(layout, c, cluster.urls[0]!, settings, pki);
      cfg.nats = { ...cfg.nats, servers: cluster.urls, replicas: 3 };
      const node = await NationalNode.create(cfg, { passphrase: PASSPHRASE, natsPassword: passwords[c]! }, { logger: nodeLogger(c) });
      await node.start();
      await node.waitForTransport();
      cluster.nodes.set(c, node);
    }
    return cluster;
  }

  /** The server `country`'s node is connected to now (its index in `servers`). */
  async serverOf(country: string): Promise<number> {
    const nc = await this.nodes.get(country)!.deps.transport.connection();
    const i = this.servers.findIndex((s) => s.port === nc.info?.port);
    if (i < 0) throw new Error(`${country} is connected to no server of the cluster`);
    return i;
  }

  async destroy(): Promise<void> {
    for (const n of this.nodes.values()) await n.destroy();
    for (const s of this.servers) await s.stop();
    await this.#cleanup();
  }
}

/** With ENLACE_TEST_LOG_DIR set, each node's whole log (debug) goes to `<dir>/<country>.log`, to read a failover afterwards. */
function nodeLogger(country: string) {
  const dir = process.env.ENLACE_TEST_LOG_DIR;
  return dir ? pino({ level: 'debug' }, pino.destination({ dest: join(dir, `${country}.log`), sync: true, mkdir: true })) : quietLogger;
}
