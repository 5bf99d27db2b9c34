import { readFile } from 'node:fs/promises';
import type { CliIo } from '../keys/cli-io.js';
import { parseOptions } from '../keys/cli-args.js';
import { envToCfg, NationalNode, natsPasswordFromEnv, passphraseFromEnv } from '../services/index.js';

const HELP = `enlace node: run a national node

usage: enlace node [--country CC] [--data DIR] [--trust DIR] [--nats URL] [--grpc HOST:PORT]

Options override the environment variables of the same meaning (see README, Configuration):
  --country   ENLACE_COUNTRY      ISO 3166-1 alpha-2 code of this node, e.g. AR
  --data      ENLACE_DATA_DIR     data folder (SQLite file, keys/node.keys.json)
  --trust     ENLACE_TRUST_DIR    folder with anchor.pub.json and descriptors/*.jws
  --nats      ENLACE_NATS_URL     NATS server URL(s), comma-separated
  --grpc      ENLACE_GRPC_LISTEN  gRPC listen address (port 0 picks a free port)
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
  const node = await NationalNode.create(cfg, natsPassword === undefined ? { passphrase } : { passphrase, natsPassword });
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
  await node.destroy();
  process.stdin.destroy();
  return 0;
}
