/**
 * `npm start`: a local three-country federation on one machine. Creates demo keys, a demo
 * network CA with certificates (.data/tls) and broker passwords on first run; starts
 * nats-server with JetStream in .data/ from the accounts configuration of deploy/ (one account
 * per state, TLS), creates the registry bucket as `enlace network init` does, starts one node per
 * country as a child process (gRPC over TLS, which its gateway speaks too),
 * writes a fictional statistics population into each node's store on first run (scripts/lib/demo-stats.ts),
 * prints their addresses and a final line with "ready"; Ctrl-C stops all.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect } from '@nats-io/transport-node';
import { chmodSync, createWriteStream, existsSync } from 'node:fs';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoLoginLines, ensureDemoLogins } from '../gateway/index.js';
import { ensureDemoNetwork, makePrivateDir, makePrivateFile, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../keys/index.js';
import { createRegistryBucket } from '../services/registry/index.js';
import { brokerConfig, NETWORK_USER } from '../services/transport/index.js';
import { ensureDemoPki } from './lib/demo-pki.js';
import { seedDemoStatistics } from './lib/demo-stats.js';
import { findNatsServer, freePort } from './lib/nats-server.js';
import { writeFederationFile, type FederationFile } from './lib/federation-file.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const HOME = process.env.ENLACE_HOME ?? join(ROOT, '.data');
const NETWORK = 'enlace-demo';
const COUNTRIES = ['AR', 'UY', 'BR'];
const children: { name: string; proc: ChildProcess }[] = [];

const say = (line: string) => process.stdout.write(line + '\n');

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

async function pickPort(preferred: number): Promise<number> {
  return (await portFree(preferred)) ? preferred : freePort();
}

/** A broker password per NATS user, made on first run (.data/nats/<user>.password, 0600). */
async function natsPassword(user: string): Promise<{ file: string; value: string }> {
  const dir = join(HOME, 'nats');
  makePrivateDir(dir);
  const file = join(dir, `${user}.password`);
  if (!existsSync(file)) await writeFile(file, randomBytes(18).toString('base64url') + '\n', { mode: PRIVATE_FILE_MODE });
  await chmod(file, PRIVATE_FILE_MODE);
  return { file, value: (await readFile(file, 'utf8')).trim() };
}

async function passphrase(): Promise<string> {
  const file = join(HOME, 'demo-passphrase');
  if (!existsSync(file)) {
    await writeFile(file, randomBytes(24).toString('base64url') + '\n', { mode: PRIVATE_FILE_MODE });
  }
  await chmod(file, PRIVATE_FILE_MODE);
  return (await readFile(file, 'utf8')).trim();
}

/** Spawns a child whose output goes to .data/logs/<name>.log; resolves when `ready(line)` matches. */
function launch(name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv, ready: (text: string) => boolean): Promise<ChildProcess> {
  const logFile = join(HOME, 'logs', `${name}.log`);
  const log = createWriteStream(logFile, { flags: 'a', mode: PRIVATE_FILE_MODE });
  log.once('open', () => makePrivateFile(logFile));
  const proc = spawn(cmd, args, { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  children.push({ name, proc });
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (d: Buffer) => {
      log.write(d);
      {
        seen += d.toString();
        if (ready(seen)) {
          seen = '';
          resolve(proc);
        }
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.once('exit', (code, signal) => {
      reject(new Error(`${name} stopped (${signal ?? `exit code ${code}`}); see ${relative(ROOT, join(HOME, 'logs', `${name}.log`))}`));
      // A Ctrl-C in the terminal reaches the children too; give our own handler a moment first.
      setTimeout(() => {
        if (!stopping) void shutdown(1, `${name} stopped unexpectedly; see ${relative(ROOT, join(HOME, 'logs', `${name}.log`))}`);
      }, 300);
    });
  });
}

let stopping = false;

async function shutdown(code: number, why?: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  if (why) say(why);
  say('stopping the federation…');
  const stop = (procs: ChildProcess[]) =>
    Promise.all(
      procs
        .filter((p) => p.exitCode === null && p.signalCode === null)
        .map(
          (p) =>
            new Promise<void>((resolve) => {
              p.once('exit', () => resolve());
              p.kill('SIGTERM');
              setTimeout(() => p.kill('SIGKILL'), 8_000).unref();
            }),
        ),
    );
  // Nodes first (they drain into NATS), then NATS.
  await stop(children.filter((c) => c.name !== 'nats').map((c) => c.proc));
  await stop(children.filter((c) => c.name === 'nats').map((c) => c.proc));
  say('stopped.');
  process.exit(code);
}

/** .data holds the demo's passphrase, keys, databases, JetStream and logs: owner only (0700, files 0600). */
function privateHome(): void {
  for (const dir of [HOME, join(HOME, 'logs'), join(HOME, 'jetstream'), join(HOME, 'nats'), join(HOME, 'tls')]) {
    makePrivateDir(dir);
    // Also when it is left from an earlier run made under a looser umask.
    if (process.platform !== 'win32') chmodSync(dir, PRIVATE_DIR_MODE);
  }
}

/** What the processes are started with: the demo network's files, the TLS material, the broker's passwords and address. */
interface Demo {
  layout: Awaited<ReturnType<typeof ensureDemoNetwork>>['layout'];
  pki: Awaited<ReturnType<typeof ensureDemoPki>>;
  passwords: Record<string, { file: string; value: string }>;
  natsUrl: string;
  passFile: string;
  /** The demo's key passphrase, for writing the fictional statistics into each store. */
  pass: string;
}

async function main(): Promise<void> {
  privateHome();
  const nats = requireNatsServer();
  const pass = await passphrase();
  const { created, layout } = await ensureDemoNetwork(join(HOME, 'net'), NETWORK, COUNTRIES, pass, Date.now());
  say(created ? `created demo keys for ${COUNTRIES.join(', ')} (network ${NETWORK}) in ${relative(ROOT, layout.root)}` : `reusing the demo network in ${relative(ROOT, layout.root)}`);
  const pki = await ensureDemoPki(join(HOME, 'tls'), COUNTRIES);
  const passwords = Object.fromEntries(await Promise.all([NETWORK_USER, ...COUNTRIES].map(async (u) => [u, await natsPassword(u)] as const)));
  const natsUrl = await startBroker(nats, pki, passwords);
  const demo: Demo = { layout, pki, passwords, natsUrl, passFile: join(HOME, 'demo-passphrase'), pass };
  await initNetwork(demo);
  const federation = await startNodes(demo);
  const loginsFile = join(HOME, 'demo-logins.json');
  const logins = await ensureDemoLogins(loginsFile, COUNTRIES);
  await startGateways(demo, federation, loginsFile);
  await writeFederationFile(join(HOME, 'federation.json'), federation);
  sayReady(federation, loginsFile, logins);
}

function requireNatsServer(): string {
  const nats = findNatsServer();
  if (nats) return nats;
  say('enlace: nats-server was not found.');
  say('  On Debian or Ubuntu: sudo apt-get install nats-server   (then run npm start again)');
  say('  Elsewhere: install nats-server 2.9 or later and set ENLACE_NATS_SERVER=/path/to/nats-server');
  process.exit(1);
}

/** nats-server with the accounts configuration of deploy/ (one account per state, TLS); its URL. */
async function startBroker(nats: string, pki: Demo['pki'], passwords: Demo['passwords']): Promise<string> {
  const natsPort = await pickPort(Number(process.env.ENLACE_NATS_PORT ?? 4222));
  const natsUrl = `nats://127.0.0.1:${natsPort}`;
  const natsConf = join(HOME, 'nats', 'nats.conf');
  await writeFile(
    natsConf,
    brokerConfig(
      { listen: `127.0.0.1:${natsPort}`, storeDir: join(HOME, 'jetstream'), maxFileStore: '50G', tls: { cert: pki.serverCert, key: pki.serverKey, ca: pki.caCert } },
      { networkId: NETWORK, countries: COUNTRIES, password: (u) => JSON.stringify(passwords[u]!.value) },
    ),
    { mode: PRIVATE_FILE_MODE },
  );
  await launch('nats', nats, ['-c', natsConf], process.env, (t) => t.includes('Server is ready'));
  say(`nats      ${natsUrl}  TLS (CA ${relative(ROOT, pki.caCert)}), one account per state, JetStream in ${relative(ROOT, join(HOME, 'jetstream'))}`);
  return natsUrl;
}

/** `enlace network init`: the registry bucket, made by the network account, never by a node. */
async function initNetwork({ natsUrl, passwords, pki }: Demo): Promise<void> {
  const admin = await connect({ servers: natsUrl, user: NETWORK_USER, pass: passwords[NETWORK_USER]!.value, tls: { caFile: pki.caCert }, name: 'enlace-network-init' });
  await createRegistryBucket(admin, NETWORK);
  await admin.close();
}

/** One node per country, one after the other, each ready before the next; the federation file's nodes. */
async function startNodes({ layout, pki, passwords, natsUrl, passFile, pass }: Demo): Promise<FederationFile> {
  const federation: FederationFile = { networkId: NETWORK, nats: natsUrl, passphraseFile: 'demo-passphrase', ca: relative(HOME, pki.caCert), nodes: {} };
  for (const [i, country] of COUNTRIES.entries()) {
    const port = await pickPort(50051 + i);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ENLACE_COUNTRY: country,
      ENLACE_DATA_DIR: layout.dataDir(country),
      ENLACE_TRUST_DIR: layout.trustDir,
      ENLACE_NATS_URL: natsUrl,
      ENLACE_NATS_USER: country,
      ENLACE_NATS_PASSWORD_FILE: passwords[country]!.file,
      ENLACE_NATS_CA: pki.caCert,
      ENLACE_GRPC_LISTEN: `127.0.0.1:${port}`,
      ENLACE_GRPC_TLS_CERT: pki.serverCert,
      ENLACE_GRPC_TLS_KEY: pki.serverKey,
      ENLACE_KEY_PASSPHRASE_FILE: passFile,
      ENLACE_DEMO_DIRECTORY: '1',
    };
    delete env.ENLACE_KEY_PASSPHRASE;
    delete env.ENLACE_NATS_PLAINTEXT;
    delete env.ENLACE_GRPC_PLAINTEXT;
    // The statistics page's fictional population, written once before the node's first start (about 0.3 s per 500 requests).
    const t0 = performance.now();
    const seeded = await seedDemoStatistics({
      dataDir: layout.dataDir(country),
      country,
      counterparts: [...COUNTRIES.filter((c) => c !== country), 'PY', 'BO', 'CL'],
      passphrase: pass,
      now: Date.now(),
    });
    if (seeded) say(`demo statistics for ${country}: ${seeded} fictional requests (${Math.round(performance.now() - t0)} ms)`);
    await launch(`node-${country}`, process.execPath, ['--import', 'tsx', join(ROOT, 'cli', 'run.ts'), 'node', '--exit-with-parent'], env, (t) => t.includes('"event":"ready"'));
    federation.nodes[country] = { grpc: `127.0.0.1:${port}`, dataDir: relative(HOME, layout.dataDir(country)) };
    say(`node ${country}   gRPC 127.0.0.1:${port} (TLS)`);
  }
  return federation;
}

/** The gateways, in parallel: each only needs its own node. Writes each one's address into `federation`. */
async function startGateways({ layout, pki, passFile }: Demo, federation: FederationFile, loginsFile: string): Promise<void> {
  const gatewayPorts: number[] = [];
  for (const i of COUNTRIES.keys()) gatewayPorts.push(await pickPort(8081 + i));
  await Promise.all(
    COUNTRIES.map((country, i) => {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        ENLACE_COUNTRY: country,
        ENLACE_DATA_DIR: layout.dataDir(country),
        ENLACE_NODE_GRPC: federation.nodes[country]!.grpc,
        ENLACE_NODE_GRPC_CA: pki.caCert,
        ENLACE_GATEWAY_LISTEN: `127.0.0.1:${gatewayPorts[i]}`,
        ENLACE_GATEWAY_SEED_USERS: loginsFile,
        // The demo lets focal points and prosecutors in without a second factor; a real gateway requires it.
        ENLACE_GATEWAY_TOTP: process.env.ENLACE_GATEWAY_TOTP ?? 'optional',
        ENLACE_KEY_PASSPHRASE_FILE: passFile,
        // The statistics page says its figures are the demo's fictional population.
        ENLACE_GATEWAY_DEMO_DATA: '1',
      };
      delete env.ENLACE_KEY_PASSPHRASE;
      federation.nodes[country]!.gateway = `http://127.0.0.1:${gatewayPorts[i]}`;
      return launch(`gateway-${country}`, process.execPath, ['--import', 'tsx', join(ROOT, 'gateway', 'main.ts'), '--exit-with-parent'], env, (t) => t.includes('"event":"ready"'));
    }),
  );
  for (const country of COUNTRIES) say(`gateway ${country} ${federation.nodes[country]!.gateway}`);
}

function sayReady(federation: FederationFile, loginsFile: string, logins: Awaited<ReturnType<typeof ensureDemoLogins>>): void {
  say('');
  say(`Demo logins (kept in ${relative(ROOT, loginsFile)}):`);
  for (const country of COUNTRIES) {
    say(`  ${country}  ${federation.nodes[country]!.gateway}`);
    for (const line of demoLoginLines(logins, country)) say(line);
  }
  say('');
  say('Second factor (TOTP): optional in the demo, set up from My account. To require it for focal points');
  say('and prosecutors as a real gateway does: ENLACE_GATEWAY_TOTP=required npm start');
  say('');
  say(`Enlace federation ready: ${COUNTRIES.length} nodes (${COUNTRIES.join(', ')}), logs in ${relative(ROOT, join(HOME, 'logs'))}/.`);
  say('Try it in another terminal:  npx enlace send --from AR --to UY      Stop with Ctrl-C.');
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
main().catch((e: unknown) => void shutdown(1, `enlace: ${e instanceof Error ? e.message : String(e)}`));
