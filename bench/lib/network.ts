import { credentials, type ChannelCredentials } from '@grpc/grpc-js';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDemoNetwork, type DemoLayout } from '../../keys/index.js';
import { freePort, type NatsServer } from '../../scripts/lib/nats-server.js';
import type { NodeConnectionOptions } from '@nats-io/transport-node';
import type { DemoPki } from '../../scripts/lib/demo-pki.js';
import { loadOrCreateIssuer } from '../../services/index.js';
import { BenchBroker } from './broker.js';
import { BenchClient } from './clients.js';
import { rssMiB } from './machine.js';

export const BENCH_PASSPHRASE = 'bench-only passphrase, never for real use';
export const BENCH_NETWORK = 'enlace-bench';
const REPO = new URL('../..', import.meta.url).pathname;

/**
 * A throw-away federation for one benchmark run, configured as a deployment is: a temp folder,
 * a nats-server with a fresh JetStream store running the per-state accounts of deploy/
 * (services/transport/accounts.ts) with TLS from a demo CA, demo keys and descriptors for the
 * countries, and nodes serving gRPC over TLS, as tests/_util.ts does. Nodes run as child
 * processes so that their CPU and memory are theirs, not the measuring process's.
 */
export class BenchNetwork {
  readonly dir: string;
  readonly layout: DemoLayout;
  readonly broker: BenchBroker;
  readonly #children = new Set<NodeChild>();

  private constructor(dir: string, layout: DemoLayout, broker: BenchBroker) {
    this.dir = dir;
    this.layout = layout;
    this.broker = broker;
  }

  static async create(countries: string[]): Promise<BenchNetwork> {
    const dir = await mkdtemp(join(tmpdir(), 'enlace-bench-'));
    const { layout } = await ensureDemoNetwork(join(dir, 'net'), BENCH_NETWORK, countries, BENCH_PASSPHRASE, Date.now());
    return new BenchNetwork(dir, layout, await BenchBroker.start(dir, BENCH_NETWORK, countries));
  }

  get nats(): NatsServer {
    return this.broker.nats;
  }

  get pki(): DemoPki {
    return this.broker.pki;
  }

  /** How to connect to the broker as `user` (a state, or the network user): its password, TLS with the demo CA. */
  connectOptions(user: string, name: string): NodeConnectionOptions {
    return this.broker.connectOptions(user, name);
  }

  /** gRPC client credentials that verify the nodes' certificate against the demo CA. */
  grpcCredentials(): ChannelCredentials {
    return credentials.createSsl(readFileSync(this.pki.caCert));
  }

  /** Writes `user`'s broker password to a 0600 file for a node's ENLACE_NATS_PASSWORD_FILE. */
  async passwordFile(user: string): Promise<string> {
    const file = join(this.dir, `nats-password-${user}`);
    await writeFile(file, this.broker.password(user), { mode: 0o600 });
    return file;
  }

  async startNode(country: string): Promise<NodeChild> {
    const child = new NodeChild(this, country, await freePort());
    this.#children.add(child);
    await child.start();
    return child;
  }

  async destroy(): Promise<void> {
    for (const c of this.#children) await c.stop();
    await this.broker.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}

export interface NodeMemory {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

/** One national node as a child process (`enlace node`), restartable on the same port and data. */
export class NodeChild {
  readonly country: string;
  readonly port: number;
  readonly #net: BenchNetwork;
  #proc: ChildProcess | undefined;
  output = '';
  #probe = '';
  /** When set, the next start writes a V8 CPU profile, `<profileName>.cpuprofile`, into this folder when the node exits. */
  profileDir: string | undefined;
  profileName = '';

  constructor(net: BenchNetwork, country: string, port: number) {
    this.#net = net;
    this.country = country;
    this.port = port;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.#proc?.pid;
  }

  /** Resident set size of the node process in MiB (VmRSS). */
  rss(): number | undefined {
    return this.pid === undefined ? undefined : rssMiB(this.pid);
  }

  /** Spawns the node and resolves when it prints its ready line. */
  async start(): Promise<void> {
    const net = this.#net;
    const profile = this.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${this.profileDir}`, `--cpu-prof-name=${this.profileName || this.country}.cpuprofile`] : [];
    const extra = (process.env.ENLACE_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const args = [
      '--import',
      'tsx',
      '--import',
      join(REPO, 'bench/lib/memory-probe.ts'),
      ...extra,
      ...profile,
      join(REPO, 'cli/run.ts'),
      'node',
      '--country',
      this.country,
      '--data',
      net.layout.dataDir(this.country),
      '--trust',
      net.layout.trustDir,
      '--nats',
      net.nats.url,
      '--grpc',
      this.address,
      '--exit-with-parent',
    ];
    const proc = spawn(process.execPath, args, {
      cwd: REPO,
      env: {
        ...process.env,
        ENLACE_KEY_PASSPHRASE: BENCH_PASSPHRASE,
        ENLACE_LOG_LEVEL: process.env.ENLACE_BENCH_LOG ?? 'warn',
        ENLACE_NATS_USER: this.country,
        ENLACE_NATS_PASSWORD_FILE: await net.passwordFile(this.country),
        ENLACE_NATS_CA: net.pki.caCert,
        ENLACE_GRPC_TLS_CERT: net.pki.serverCert,
        ENLACE_GRPC_TLS_KEY: net.pki.serverKey,
      },
      // stdin stays open while this process lives: with --exit-with-parent the node stops when it closes.
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.#proc = proc;
    this.output = '';
    await new Promise<void>((resolve, reject) => {
      proc.stdout.on('data', (d: Buffer) => {
        this.output = (this.output + d.toString()).slice(-100_000);
        if (this.output.includes('"event":"ready"')) resolve();
      });
      proc.stderr.on('data', (d: Buffer) => {
        const text = d.toString();
        this.output = (this.output + text).slice(-100_000);
        if (text.includes('memoryProbe')) this.#probe += text;
      });
      proc.once('exit', (code) => reject(new Error(`node ${this.country} exited (${code}): ${this.output.slice(-2000)}`)));
    });
  }

  /** SIGTERM (the node drains and closes; a profile, if asked for, is written), SIGKILL after 15 s. */
  async stop(): Promise<void> {
    const proc = this.#proc;
    this.#proc = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const kill = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      proc.once('exit', () => (clearTimeout(kill), resolve()));
      proc.kill('SIGTERM');
    });
  }

  /**
   * The node's own memory accounting in MiB (rss, V8 heap total and used, external,
   * arrayBuffers), asked for through the preloaded probe; undefined if it does not answer.
   */
  async memory(): Promise<NodeMemory | undefined> {
    const proc = this.#proc;
    if (!proc?.pid) return undefined;
    this.#probe = '';
    proc.kill('SIGUSR2');
    for (let i = 0; i < 40; i++) {
      await new Promise((r) => setTimeout(r, 25));
      const m = /\{"memoryProbe":(\{[^}]*\})\}/.exec(this.#probe);
      if (m) return JSON.parse(m[1]!) as NodeMemory;
    }
    return undefined;
  }

  /** A gRPC client with an operator token minted from this node's issuer key on disk. */
  async client(): Promise<BenchClient> {
    const issuerPath = join(this.#net.layout.dataDir(this.country), 'keys', 'api-issuer.key.json');
    const issuer = await loadOrCreateIssuer(issuerPath, this.country, BENCH_PASSPHRASE);
    return BenchClient.create(issuer, this.address, this.#net.grpcCredentials());
  }
}
