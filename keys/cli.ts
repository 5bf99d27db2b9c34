import { anchorInit } from './cli-anchor.js';
import { CommandFailedError, type KeysSubcommand, UsageError } from './cli-args.js';
import { certify } from './cli-certify.js';
import type { CliIo } from './cli-io.js';
import { nodeInit, nodeRotate } from './cli-node.js';
import { show } from './cli-show.js';
import { isEnlaceError } from './errors.js';

const SUBCOMMANDS: readonly KeysSubcommand[] = [anchorInit, nodeInit, certify, nodeRotate, show];

const USAGE = `usage: enlace keys <command> [options]

commands:
${SUBCOMMANDS.map((c) => `  ${c.name.padEnd(13)}${c.summary}`).join('\n')}

Every command has --help. Commands that open a key file take the passphrase from the
environment variable ENLACE_KEY_PASSPHRASE, or from --passphrase-file <path> (which wins).
Exit codes: 0 done, 1 failed (the message says why), 2 wrong usage or no passphrase.`;

const isHelp = (arg: string | undefined) => arg === '--help' || arg === '-h' || arg === 'help';

/**
 * `enlace keys ...`: key management for operators. Returns the exit code; writes only
 * through `io`, reads the environment only from `io.env`.
 *
 * @example await runKeysCommand(['init', '--country', 'AR', '--dir', 'keys'], io) // 0
 */
export async function runKeysCommand(argv: string[], io: CliIo): Promise<number> {
  const [first, second, ...rest] = argv;
  if (first === undefined || isHelp(first)) {
    (first === undefined ? io.err : io.out)(USAGE);
    return first === undefined ? 2 : 0;
  }
  if (first === 'anchor' && second !== 'init') {
    const anchorUsage = `usage: enlace keys anchor init --network <id> --dir <dir> (enlace keys anchor init --help)`;
    if (isHelp(second)) {
      io.out(anchorUsage);
      return 0;
    }
    io.err(`enlace keys anchor: ${second === undefined ? 'missing command' : `unknown command "${second}"`}\n${anchorUsage}`);
    return 2;
  }
  const [command, args] = first === 'anchor' ? [anchorInit, rest] : [SUBCOMMANDS.find((c) => c.name === first), argv.slice(1)];
  if (!command) {
    io.err(`enlace keys: unknown command "${first}"\n\n${USAGE}`);
    return 2;
  }
  if (args.some((a) => a === '--help' || a === '-h')) {
    io.out(command.help);
    return 0;
  }
  return runReporting(command, args, io);
}

async function runReporting(command: KeysSubcommand, args: string[], io: CliIo): Promise<number> {
  const prefix = `enlace keys ${command.name}`;
  try {
    return await command.run(args, io);
  } catch (e) {
    if (e instanceof UsageError || (isEnlaceError(e) && e.code === 'ERR_INVALID_ARGUMENT')) {
      io.err(`${prefix}: ${e.message}\nrun "${prefix} --help" for usage`);
      return 2;
    }
    if (e instanceof CommandFailedError) {
      io.err(`${prefix}: ${e.message}`);
      return 1;
    }
    if (isEnlaceError(e)) {
      io.err(`${prefix}: ${e.message} [${e.code}]`);
      return 1;
    }
    throw e;
  }
}
