import { connect } from '@nats-io/transport-node';
import { readFile, writeFile } from 'node:fs/promises';
import type { CliIo } from '../keys/cli-io.js';
import { CommandFailedError, parseOptions, pathFrom, required, UsageError } from '../keys/cli-args.js';
import { createRegistryBucket } from '../services/registry/index.js';
import { NETWORK_USER, registryBucket } from '../services/transport/index.js';
import { deployNatsConf } from '../scripts/lib/deploy-nats-conf.js';

const HELP = `enlace network init: set up a network's shared part of the broker, once
enlace network join: add a state to a running network's broker

usage: enlace network init --network ID --nats URL --password-file FILE (--ca FILE | --plaintext)
                           [--user network] [--cert FILE --key FILE] [--replicas 1|3]

Connects as the network account's user (deploy/nats.conf: user "network", password from
NATS_PASSWORD_NETWORK) and creates the registry bucket, which every state reads and where each
writes only its own keys. Nodes never need, and never have, the right to create it.
Idempotent: running it again changes nothing.
  --network    the network id (as in the anchor's descriptors), e.g. enlace-demo
  --nats       NATS server URL(s), comma-separated
  --ca         the network CA certificate (TLS to NATS); --plaintext only for a local test
  --cert/--key a client certificate, when the server requires one
  --replicas   3 on a 3-server cluster (R3)

usage: enlace network join --country CC --countries AR,UY,... --network ID --out FILE

Writes the broker configuration (as deploy/nats.conf) for the states already in the network
plus CC: CC's account and user (password from NATS_PASSWORD_CC in the server's environment),
its lanes to and from every other state, its registry keys. Then reload every nats-server from
it ('nats-server --signal reload', twice on nats-server 2.9: the new account reaches the
registry only after the second): no server and no node restarts. The running nodes learn CC's
descriptor from the registry once CC's node starts.
  --country    the joining state
  --countries  the states already in the network, in the order of the current configuration
  --out        where to write the configuration (the file the server runs from)
`;

export async function runNetworkCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === '--help' || sub === '-h' || sub === undefined) {
    io.out(HELP);
    return sub === undefined ? 2 : 0;
  }
  if (sub === 'join') return join(rest, io);
  if (sub !== 'init') throw new UsageError(`unknown network command "${sub}" (enlace network --help)`);
  const opts = parseOptions(rest, {
    network: { type: 'string' },
    nats: { type: 'string' },
    user: { type: 'string' },
    'password-file': { type: 'string' },
    ca: { type: 'string' },
    cert: { type: 'string' },
    key: { type: 'string' },
    plaintext: { type: 'boolean' },
    replicas: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (opts.help) {
    io.out(HELP);
    return 0;
  }
  const networkId = required(opts.network, '--network');
  const servers = required(opts.nats, '--nats')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const passwordFile = pathFrom(io, required(opts['password-file'], '--password-file'));
  if (!opts.ca && !opts.plaintext) throw new UsageError('--ca (the network CA, TLS to NATS) or, for a local test only, --plaintext');
  if (opts.ca && opts.plaintext) throw new UsageError('--ca and --plaintext contradict each other');
  if (!!opts.cert !== !!opts.key) throw new UsageError('--cert and --key go together');
  const replicas = Number(opts.replicas ?? '1');
  if (![1, 3, 5].includes(replicas)) throw new UsageError('--replicas must be 1, 3 or 5');
  const pass = (
    await readFile(passwordFile, 'utf8').catch(() => {
      throw new CommandFailedError(`cannot read the password file ${passwordFile}`);
    })
  ).replace(/\r?\n$/, '');
  const tls = opts.ca ? { caFile: pathFrom(io, opts.ca), ...(opts.cert && opts.key ? { certFile: pathFrom(io, opts.cert), keyFile: pathFrom(io, opts.key) } : {}) } : undefined;
  const nc = await connect({ servers, user: opts.user ?? NETWORK_USER, pass, name: 'enlace-network-init', ...(tls ? { tls } : {}) }).catch((e: Error) => {
    throw new CommandFailedError(`cannot connect to NATS at ${servers.join(', ')}: ${e.message}`);
  });
  try {
    await createRegistryBucket(nc, networkId, replicas);
  } finally {
    await nc.close();
  }
  io.out(`registry bucket ${registryBucket(networkId)} ready (replicas ${replicas})`);
  return 0;
}

async function join(argv: string[], io: CliIo): Promise<number> {
  const opts = parseOptions(argv, {
    country: { type: 'string' },
    countries: { type: 'string' },
    network: { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (opts.help) {
    io.out(HELP);
    return 0;
  }
  const country = required(opts.country, '--country');
  const networkId = required(opts.network, '--network');
  const out = pathFrom(io, required(opts.out, '--out'));
  const states = required(opts.countries, '--countries')
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  for (const c of [country, ...states]) if (!/^[A-Z]{2}$/.test(c)) throw new UsageError(`${c} is not an ISO 3166-1 alpha-2 code in capitals`);
  if (states.includes(country)) throw new UsageError(`${country} is already one of --countries`);
  const all = [...states, country];
  await writeFile(out, deployNatsConf(networkId, all), { mode: 0o600 }).catch((e: Error) => {
    throw new CommandFailedError(`cannot write ${out}: ${e.message}`);
  });
  io.out(`wrote ${out}: ${all.length} states (${all.join(', ')}), ${country}'s account and its lanes to and from ${states.join(', ')}`);
  io.out(`next: with NATS_PASSWORD_${country} in its environment, reload every nats-server of the network: nats-server --signal reload (twice on nats-server 2.9)`);
  io.out(`then start ${country}'s node with the anchor's public key and its own descriptor: the running nodes learn it from the registry`);
  return 0;
}
