import { connect, type NatsConnection, type NodeConnectionOptions } from '@nats-io/transport-node';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ensureDemoPki, type DemoPki } from '../../scripts/lib/demo-pki.js';
import { NatsServer } from '../../scripts/lib/nats-server.js';
import { createRegistryBucket } from '../../services/registry/index.js';
import { brokerConfig, NETWORK_USER, type AccountLimits, type BrokerPlan } from '../../services/transport/index.js';

/**
 * The broker of a benchmark run, configured as a deployment's is: a nats-server with a fresh
 * JetStream store in `dir` running the per-state accounts of deploy/ (services/transport/accounts.ts)
 * for `countries`, TLS from a demo CA, and the network's registry bucket created once by the
 * network's user, as `enlace network init` does. A node reads that bucket only through the
 * network account's exports, so a broker without the accounts or without the bucket leaves
 * every registry waiting for it.
 */
export class BenchBroker {
  readonly nats: NatsServer;
  readonly pki: DemoPki;
  readonly #passwords: Record<string, string>;

  private constructor(nats: NatsServer, pki: DemoPki, passwords: Record<string, string>) {
    this.nats = nats;
    this.pki = pki;
    this.#passwords = passwords;
  }

  /**
   * `limits` as in deploy/README.md: every state's JetStream reservation together must fit in the
   * server's max_file_store (50G), so a run with many states gives each less than the default 8 GiB.
   */
  static async start(dir: string, networkId: string, countries: readonly string[], limits?: Partial<AccountLimits>): Promise<BenchBroker> {
    const pki = await ensureDemoPki(join(dir, 'pki'), []);
    const passwords = Object.fromEntries([NETWORK_USER, ...countries].map((u) => [u, randomBytes(12).toString('base64url')]));
    const plan: BrokerPlan = { networkId, countries, password: (u) => JSON.stringify(passwords[u]), ...(limits ? { limits } : {}) };
    const nats = await NatsServer.start(join(dir, 'jetstream'), undefined, (port, storeDir) =>
      brokerConfig({ listen: `127.0.0.1:${port}`, storeDir, tls: { cert: pki.serverCert, key: pki.serverKey, ca: pki.caCert } }, plan),
    );
    const broker = new BenchBroker(nats, pki, passwords);
    try {
      const admin = await broker.connect(NETWORK_USER, `${networkId}-network-init`);
      await createRegistryBucket(admin, networkId).finally(() => admin.close());
    } catch (e) {
      await nats.stop();
      throw e;
    }
    return broker;
  }

  /** The broker password of `user` (a state, or the network user). */
  password(user: string): string {
    const pass = this.#passwords[user];
    if (pass === undefined) throw new Error(`no NATS user ${user} on this broker`);
    return pass;
  }

  /** How to connect as `user`: its password, TLS with the demo CA. */
  connectOptions(user: string, name: string): NodeConnectionOptions {
    return { servers: this.nats.url, user, pass: this.password(user), tls: { caFile: this.pki.caCert }, name };
  }

  connect(user: string, name: string): Promise<NatsConnection> {
    return connect(this.connectOptions(user, name));
  }

  stop(): Promise<void> {
    return this.nats.stop();
  }
}
