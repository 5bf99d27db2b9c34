import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { loadOrCreateIssuer, type Role } from '../services/index.js';
import { clientsForIssuer, freePort, PASSPHRASE, type Clients, type Federation } from './_util.js';

const REPO = new URL('..', import.meta.url).pathname;
/** How long a node may take to say ready (tsx compiles the CLI first; a busy machine is slow). */
const START_TIMEOUT_MS = 90_000;
/** How long a node may take to exit after SIGTERM. */
const STOP_TIMEOUT_MS = 30_000;

/** A node as a child process (`enlace node`), for crash tests: kill -9 and restart. */
export class NodeProcess {
  readonly country: string;
  readonly port: number;
  readonly #fed: Federation;
  #proc: ChildProcess | undefined;
  output = '';
  /** The exit code of the last stop or kill (null when a signal ended it); a stop that had to give up shows 1. */
  lastExitCode: number | null = null;
  /** The broker URL the next start connects to (a test proxy in front of the broker, for partitions); the federation's by default. */
  natsUrl: string;
  /** The next start runs the node's clock this many ms ahead (negative: behind), with `--clock-offset-ms`. */
  clockOffsetMs = 0;

  private constructor(fed: Federation, country: string, port: number) {
    this.natsUrl = fed.nats.url;
    this.#fed = fed;
    this.country = country;
    this.port = port;
  }

  #env: Record<string, string> = {};

  static async start(fed: Federation, country: string, opts: { natsUrl?: string; clockOffsetMs?: number } = {}): Promise<NodeProcess> {
    const p = new NodeProcess(fed, country, await freePort());
    if (opts.natsUrl) p.natsUrl = opts.natsUrl;
    p.clockOffsetMs = opts.clockOffsetMs ?? 0;
    await p.start();
    return p;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** True while the process runs (paused counts as running). */
  get running(): boolean {
    return !!this.#proc && this.#proc.exitCode === null && this.#proc.signalCode === null;
  }

  async start(): Promise<void> {
    const cfg = this.#fed.config(this.country);
    this.#env = await this.#fed.nodeEnv(this.country);
    const proc = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(REPO, 'cli/run.ts'),
        'node',
        '--country',
        this.country,
        '--data',
        cfg.node.dataDir,
        '--trust',
        cfg.node.trustDir,
        '--nats',
        this.natsUrl,
        '--grpc',
        this.address,
        ...(this.clockOffsetMs ? ['--clock-offset-ms', String(this.clockOffsetMs)] : []),
      ],
      {
        cwd: REPO,
        env: { ...process.env, ...this.#env, ENLACE_KEY_PASSPHRASE: PASSPHRASE, ENLACE_LOG_LEVEL: process.env.ENLACE_TEST_LOG ?? 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.#proc = proc;
    const from = this.output.length;
    await new Promise<void>((resolve, reject) => {
      // A node that never says ready fails the test with what it printed, instead of hanging it.
      const timer = setTimeout(() => {
        proc.kill('SIGKILL');
        reject(new Error(`node ${this.country} not ready after ${START_TIMEOUT_MS / 1000} s: ${this.output.slice(from).slice(-4000)}`));
      }, START_TIMEOUT_MS);
      const onData = (d: Buffer) => {
        this.output += d.toString();
        if (this.output.slice(from).includes('"event":"ready"')) {
          clearTimeout(timer);
          resolve();
        }
      };
      proc.stdout.on('data', onData);
      proc.stderr.on('data', (d: Buffer) => (this.output += d.toString()));
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`node ${this.country} exited (${code}): ${this.output.slice(from)}`));
      });
    });
  }

  /** kill -9: no chance to flush or close anything. */
  async kill9(): Promise<void> {
    await this.#signal('SIGKILL');
  }

  /**
   * SIGTERM, the way an operator stops a node. A node that has not exited after
   * STOP_TIMEOUT_MS is killed and the stop fails: a shutdown that hangs is a defect to see.
   */
  async stop(): Promise<void> {
    this.resume();
    const proc = this.#proc;
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      proc?.kill('SIGKILL');
    }, STOP_TIMEOUT_MS);
    await this.#signal('SIGTERM');
    clearTimeout(timer);
    if (hung) throw new Error(`node ${this.country} did not stop within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM: ${this.output.slice(-4000)}`);
  }

  /** SIGSTOP: the process keeps its sockets but does nothing (a stalled or very slow peer) until `resume`. */
  pause(): void {
    this.#proc?.kill('SIGSTOP');
  }

  /** SIGCONT after `pause`. */
  resume(): void {
    this.#proc?.kill('SIGCONT');
  }

  async #signal(sig: NodeJS.Signals): Promise<void> {
    const proc = this.#proc;
    this.#proc = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', (code) => {
        this.lastExitCode = code;
        resolve();
      });
      proc.kill(sig);
    });
  }

  /** Clients with an operator token minted from this node's issuer key on disk. */
  async clients(roles: Role[] = ['operator']): Promise<Clients> {
    const issuer = await loadOrCreateIssuer(join(this.#fed.layout.dataDir(this.country), 'keys', 'api-issuer.key.json'), this.country, PASSPHRASE);
    return clientsForIssuer(issuer, this.address, roles, Date.now() + this.clockOffsetMs);
  }
}
