import { readFile } from 'node:fs/promises';
import type { CliIo } from '../keys/cli-io.js';
import { parseOptions } from '../keys/cli-args.js';
import { EnlaceError } from '../keys/index.js';
import { envToCfg, NationalNode, natsPasswordFromEnv, passphraseFromEnv, type Clock } from '../services/index.js';

const HELP = `enlace node: run a national node

usage: enlace node [--country CC] [--data DIR] [--trust DIR] [--nats URL] [--grpc HOST:PORT] [--clock-offset-ms N]

Options override the environment variables of the same meaning (see README, Configuration):
  --country   ENLACE_COUNTRY      ISO 3166-1 alpha-2 code of this node, e.g. AR
  --data      ENLACE_DATA_DIR     data folder (SQLite file, keys/node.keys.json)
  --trust     ENLACE_TRUST_DIR    folder with anchor.pub.json and descriptors/*.jws
  --nats      ENLACE_NATS_URL     NATS server URL(s), comma-separated
  --grpc      ENLACE_GRPC_LISTEN  gRPC listen address (port 0 picks a free port)
  --clock-offset-ms N             run the node's clock N ms ahead (negative: behind), to rehearse clock skew
The key passphrase comes from ENLACE_KEY_PASSPHRASE_FILE or ENLACE_KEY_PASSPHRASE.
The node stops cleanly on SIGINT or SIGTERM, and with --exit-with-parent also when its
standard input closes (used by npm start so that no node outlives the federation).
`;

export async function runNodeCommand(argv: string[], io: CliIo): Promise<number> {
  const opts = parseOptions(argv, {
    country: { type: 'string' },
    data: { type: 'string' },
    trust: { type: 'string' },
    nats: { type: 'string' },
    grpc: { type: 'string' },
    'clock-offset-ms': { type: 'string' },
    'exit-with-parent': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (opts.help) {
    io.out(HELP);
    return 0;
  }
  const env = {
    ...io.env,
    ...(opts.country ? { ENLACE_COUNTRY: opts.country } : {}),
    ...(opts.data ? { ENLACE_DATA_DIR: opts.data } : {}),
    ...(opts.trust ? { ENLACE_TRUST_DIR: opts.trust } : {}),
    ...(opts.nats ? { ENLACE_NATS_URL: opts.nats } : {}),
    ...(opts.grpc ? { ENLACE_GRPC_LISTEN: opts.grpc } : {}),
  };
  const cfg = envToCfg(env, io.cwd);
  const passphrase = await passphraseFromEnv(env, (p) => readFile(p, 'utf8'));
  const natsPassword = await natsPasswordFromEnv(env, (p) => readFile(p, 'utf8'));
  const clock = clockWithOffset(opts['clock-offset-ms']);
  const node = await NationalNode.create(cfg, natsPassword === undefined ? { passphrase } : { passphrase, natsPassword }, clock ? { clock } : {});
  if (clock) node.deps.logger.warn({ clockOffsetMs: Number(opts['clock-offset-ms']) }, 'the node clock is moved by --clock-offset-ms (rehearsal only)');
  await node.start();
  io.out(JSON.stringify({ event: 'ready', country: cfg.node.country, grpc: node.grpcAddress, ...(node.loopbackAddress ? { loopback: node.loopbackAddress } : {}) }));
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (opts['exit-with-parent']) {
      process.stdin.on('close', stop);
      process.stdin.on('end', stop);
      process.stdin.resume();
    }
  });
  await stopWithin(node, SHUTDOWN_TIMEOUT_MS);
  process.stdin.destroy();
  return 0;
}

/** How long a node may take to stop before it exits anyway. */
const SHUTDOWN_TIMEOUT_MS = 20_000;

/**
 * Stops `node`; one that has not stopped after `ms` exits with status 1 and says where it was
 * (what it committed is safe, as after a crash). Once stopped, anything still holding the
 * process (a handle a library left open) is named in the log and the process exits: a stopped
 * node must never linger.
 */
async function stopWithin(node: NationalNode, ms: number): Promise<void> {
  const logger = node.deps.logger;
  const watchdog = setTimeout(() => {
    logger.error({ step: node.stopStep, resources: process.getActiveResourcesInfo() }, `the node did not stop within ${ms / 1000} s; exiting without finishing`);
    process.exit(1);
  }, ms);
  watchdog.unref();
  await node.destroy();
  clearTimeout(watchdog);
  setTimeout(() => {
    logger.warn({ resources: process.getActiveResourcesInfo() }, 'the node stopped, but something still held the process 2 s later; exiting');
    process.exit(0);
  }, 2_000).unref();
}

/** `--clock-offset-ms N`: the system clock moved by N ms, for rehearsing skew; undefined without the option. */
function clockWithOffset(value: string | undefined): Clock | undefined {
  if (value === undefined) return undefined;
  const ms = Number(value);
  if (!Number.isInteger(ms)) throw new EnlaceError('ERR_CONFIG', `--clock-offset-ms must be a whole number of milliseconds (got "${value}")`);
  return { now: () => Date.now() + ms };
}
