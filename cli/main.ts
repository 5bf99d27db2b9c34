import { isEnlaceError } from '../keys/index.js';
import { CommandFailedError, UsageError } from '../keys/cli-args.js';
import type { CliIo } from '../keys/cli-io.js';

const USAGE = `enlace: the Enlace national node and its tools

usage: enlace <command> [options]

commands:
  keys      key management: anchor init, init, certify, rotate, show (enlace keys --help)
  node      run a national node (enlace node --help)
  token     mint an operator token for a node's gRPC API (enlace token --help)
  send      send a cooperation request through a node and wait for its receipt (enlace send --help)
  erase     purge a case's contents at one node, keeping its timeline (enlace erase --help)
  directory search, resolve, import and export contact points through a node (enlace directory --help)
  registry  verify a node's copy of the registry end to end (enlace registry --help)
  network   set up a network's shared part of the broker, once: enlace network init (enlace network --help)
  conformance  drive a node under test through the live protocol and report by spec section (enlace conformance --help)
`;

type Command = (argv: string[], io: CliIo) => Promise<number>;

const commands: Record<string, () => Promise<Command>> = {
  keys: async () => (await import('../keys/cli.js')).runKeysCommand,
  node: async () => (await import('./node.js')).runNodeCommand,
  token: async () => (await import('./token.js')).runTokenCommand,
  send: async () => (await import('./send.js')).runSendCommand,
  erase: async () => (await import('./erase.js')).runEraseCommand,
  directory: async () => (await import('./directory.js')).runDirectoryCommand,
  registry: async () => (await import('./registry.js')).runRegistryCommand,
  network: async () => (await import('./network.js')).runNetworkCommand,
  conformance: async () => (await import('./conformance.js')).runConformanceCommand,
};

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(USAGE);
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    io.err(`enlace: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  try {
    return await (
      await load()
    )(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`enlace ${name}: ${e.message} (see enlace ${name} --help)`);
      return 2;
    }
    if (e instanceof CommandFailedError) {
      io.err(`enlace ${name}: ${e.message}`);
      return 1;
    }
    if (isEnlaceError(e)) {
      io.err(`enlace ${name}: ${e.message} [${e.code}]`);
      return 1;
    }
    io.err(`enlace ${name}: unexpected error: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}
