/**
 * The README's run command: `npm start` brings up nats-server and three nodes, prints one
 * line per node and a final line with "ready"; `enlace send` shows a delivered request
 * with its receipt; Ctrl-C stops everything; a second start reuses the data.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, tempDir } from './_util.js';

const REPO = new URL('..', import.meta.url).pathname;

function startFederation(home: string, natsPort: number): { proc: ChildProcess; output: () => string; ready: Promise<void>; exited: Promise<number | null> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'scripts/start.ts')], {
    cwd: REPO,
    env: { ...process.env, ENLACE_HOME: home, ENLACE_NATS_PORT: String(natsPort) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (/federation ready/.test(out)) resolve();
    });
    proc.stderr.on('data', (d: Buffer) => (out += d.toString()));
    void exited.then(() => reject(new Error(`npm start exited early:\n${out}`)));
  });
  return { proc, output: () => out, ready, exited };
}

describe('npm start', () => {
  const dirs: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const d of dirs) await d();
  });

  it('starts a three-country federation, sends a request with a receipt, stops on Ctrl-C and restarts on the same data', { timeout: 240_000 }, async () => {
    const tmp = await tempDir('enlace-start-');
    dirs.push(tmp.cleanup);
    // A folder that does not exist yet: npm start creates it, like .data on a first run.
    const home = join(tmp.path, 'data');
    const first = startFederation(home, await freePort());
    await first.ready;
    const mode = (p: string) => (statSync(join(home, p)).mode & 0o777).toString(8);
    expect(['', 'logs', 'jetstream'].map(mode)).toEqual(['700', '700', '700']);
    expect(['demo-passphrase', 'federation.json', 'logs/nats.log', 'logs/node-AR.log', 'logs/gateway-AR.log', 'net/nodes/AR/node.db'].map(mode)).toEqual(Array(6).fill('600'));
    const lines = first.output().split('\n');
    for (const c of ['AR', 'UY', 'BR']) expect(lines.some((l) => new RegExp(`^node ${c} +gRPC 127\\.0\\.0\\.1:\\d+ \\(TLS\\)$`).test(l))).toBe(true);
    expect(first.output()).toMatch(/^nats .* TLS \(CA .*ca\.crt\), one account per state/m);
    // The demo CA, certificates and broker passwords: owner only, keys and passwords 0600.
    expect(['tls', 'nats'].map(mode)).toEqual(['700', '700']);
    expect(['tls/ca.key', 'tls/server.key', 'nats/AR.password', 'nats/network.password', 'nats/nats.conf'].map(mode)).toEqual(Array(5).fill('600'));
    expect(first.output()).toMatch(/created demo keys/);

    const send = await promisify(execFile)(process.execPath, [join(REPO, 'bin/enlace.js'), 'send', '--from', 'AR', '--to', 'UY', '--federation', join(home, 'federation.json')], { cwd: REPO });
    expect(send.stdout).toMatch(/^delivered +to UY/m);
    expect(send.stdout).toMatch(/signature verified: yes/);
    const id = /^submitted +(\S+)/m.exec(send.stdout)![1]!;
    const erase = await promisify(execFile)(
      process.execPath,
      [join(REPO, 'bin/enlace.js'), 'erase', '--at', 'UY', '--request', id, '--reason', 'test of the purge command', '--federation', join(home, 'federation.json')],
      { cwd: REPO },
    );
    expect(erase.stdout).toMatch(new RegExp(`^erased +${id} at UY`, 'm'));

    first.proc.kill('SIGINT');
    expect(await first.exited).toBe(0);
    expect(first.output()).toMatch(/stopped\./);

    const second = startFederation(home, await freePort());
    await second.ready;
    expect(second.output()).toMatch(/reusing the demo network/);
    expect(existsSync(join(home, 'net', 'nodes', 'AR', 'node.db'))).toBe(true);
    second.proc.kill('SIGINT');
    expect(await second.exited).toBe(0);
  });
});
