import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { makePrivateDir } from '../../keys/index.js';

/** How long nats-server may take to say it is ready (it recovers its JetStream store first). */
const START_TIMEOUT_MS = 120_000;

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Finds nats-server: ENLACE_NATS_SERVER, then PATH, then Debian's /usr/sbin (not on a
 * normal user's PATH). Undefined when there is none.
 */
export function findNatsServer(env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  const fromPath = (env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((d) => join(d, 'nats-server'));
  const candidates = [env.ENLACE_NATS_SERVER, ...fromPath, '/usr/sbin/nats-server', '/usr/local/bin/nats-server'];
  return candidates.find((c): c is string => !!c && existsSync(c));
}

export function natsBinary(): string {
  const found = findNatsServer();
  if (!found) throw new Error('nats-server not found: run "bash scripts/setup.sh" (it installs Debian\'s nats-server) or set ENLACE_NATS_SERVER');
  return found;
}

/** Builds a whole configuration file for the server on `port` with JetStream in `storeDir`. */
export type NatsConfigFor = (port: number, storeDir: string) => string;

/**
 * A real nats-server with JetStream in a fresh folder (created 0700); `stop` and `start` keep
 * port and store. With `config` it runs from that configuration file (accounts, TLS, cluster),
 * written 0600 next to the store; without, it is an open single-account server.
 */
export class NatsServer {
  readonly port: number;
  readonly storeDir: string;
  #config: NatsConfigFor | undefined;
  #proc: ChildProcess | undefined;
  /** Everything the server printed (for tests that look for permission violations). */
  log = '';

  private constructor(port: number, storeDir: string, config: NatsConfigFor | undefined) {
    this.port = port;
    this.storeDir = storeDir;
    this.#config = config;
  }

  static async start(storeDir: string, port?: number, config?: NatsConfigFor): Promise<NatsServer> {
    const s = new NatsServer(port ?? (await freePort()), storeDir, config);
    await s.start();
    return s;
  }

  get configFile(): string {
    return `${this.storeDir}.conf`;
  }

  /** True while the process runs. */
  get running(): boolean {
    return !!this.#proc && this.#proc.exitCode === null && this.#proc.signalCode === null;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    makePrivateDir(this.storeDir);
    let args = ['-a', '127.0.0.1', '-p', String(this.port), '-js', '-sd', this.storeDir];
    if (this.#config) {
      writeFileSync(this.configFile, this.#config(this.port, this.storeDir), { mode: 0o600 });
      args = ['-c', this.configFile];
    }
    const proc = spawn(natsBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#proc = proc;
    await new Promise<void>((resolve, reject) => {
      let out: string | undefined = '';
      // A server that never says ready (a store it cannot recover, a port it waits for) fails with what it printed.
      const timer = setTimeout(() => {
        proc.kill('SIGKILL');
        reject(new Error(`nats-server did not say it was ready within ${START_TIMEOUT_MS / 1000} s: ${out?.slice(-4000)}`));
      }, START_TIMEOUT_MS);
      const onData = (d: Buffer) => {
        this.log = (this.log + d.toString()).slice(-2_000_000);
        if (out === undefined) return;
        out += d.toString();
        if (out.includes('Server is ready')) {
          out = undefined;
          clearTimeout(timer);
          resolve();
        }
      };
      proc.stderr.on('data', onData);
      proc.stdout.on('data', onData);
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`nats-server exited (${code}): ${out}`));
      });
    });
  }

  /**
   * Writes the configuration again from `config` (or the one given at start) and has the running
   * server reload it (SIGHUP, what `nats-server --signal reload` sends): accounts, users and
   * exports change without a restart or a dropped connection. Resolves once the server says so.
   */
  async reload(config?: NatsConfigFor): Promise<void> {
    const proc = this.#proc;
    const make = config ?? this.#config;
    if (!proc || !make) throw new Error('reload needs a running server started from a configuration');
    if (config) this.#config = config;
    writeFileSync(this.configFile, make(this.port, this.storeDir), { mode: 0o600 });
    const mark = this.log.length;
    proc.kill('SIGHUP');
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        const said = this.log.slice(mark);
        if (said.includes('Reloaded server configuration')) done(resolve);
        else if (/\[(ERR|FTL)\][^\n]*reload/i.test(said)) done(() => reject(new Error(`nats-server refused the new configuration: ${said}`)));
      }, 20);
      const done = (f: () => void) => {
        clearInterval(timer);
        f();
      };
    });
  }

  /** kill -9: the server gets no chance to flush or say goodbye. */
  async kill9(): Promise<void> {
    const proc = this.#proc;
    this.#proc = undefined;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGKILL');
    });
  }

  async stop(): Promise<void> {
    const proc = this.#proc;
    this.#proc = undefined;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
      setTimeout(() => proc.kill('SIGKILL'), 5_000).unref();
    });
  }
}
