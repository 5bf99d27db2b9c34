import { readFile, access } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { CliIo } from './cli-io.js';

/** One `enlace keys` subcommand; `help` is printed for --help and after a usage error. */
export interface KeysSubcommand {
  name: string;
  summary: string;
  help: string;
  run(argv: string[], io: CliIo): Promise<number>;
}

/** A mistake in how a command was called: exit code 2, with a sentence and a pointer to --help. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A command that ran and could not do its job for a reason the operator can act on: exit code 1. */
export class CommandFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandFailedError';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

const PASSPHRASE_OPTION = { 'passphrase-file': { type: 'string' } } as const satisfies Options;

/** Options every command that opens a key file accepts. */
export function withPassphrase<T extends Options>(options: T): T & typeof PASSPHRASE_OPTION {
  return { ...options, ...PASSPHRASE_OPTION };
}

/**
 * node:util parseArgs in strict mode, its errors turned into usage errors that name the
 * offending option (`unknown option --colour`), never a stack trace.
 */
export function parseOptions<T extends Options>(argv: string[], options: T) {
  try {
    return parseArgs({ args: joinValues(argv, options), strict: true, allowPositionals: false, options }).values;
  } catch (e) {
    throw new UsageError(describeParseError(e));
  }
}

/**
 * `--name value` becomes `--name=value` for options that take a value, so that a value
 * starting with "-" (a base64url key id often does) is read as the value, not as an option.
 */
function joinValues(argv: string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const name = arg.startsWith('--') && !arg.includes('=') ? arg.slice(2) : undefined;
    const next = argv[i + 1];
    if (name && options[name]?.type === 'string' && next !== undefined && !(next.startsWith('--') && next.slice(2).split('=')[0]! in options)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

function describeParseError(e: unknown): string {
  const code = (e as { code?: string }).code;
  const message = e instanceof Error ? e.message : String(e);
  const option = /'(-{1,2}[^' ]+)/.exec(message)?.[1];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option ?? message}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return option ? `option ${option} needs a value` : message;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument "${/'([^']*)'/.exec(message)?.[1] ?? message}": this command takes only options`;
    default:
      return message;
  }
}

export function required<T>(value: T | undefined, option: string): T {
  if (value === undefined || value === '') throw new UsageError(`${option} is required`);
  return value;
}

export function integerOption(value: string | undefined, option: string, range: { min: number; max: number }): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`${option} must be a whole number, not "${value}"`);
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < range.min || n > range.max) {
    throw new UsageError(`${option} must be between ${range.min} and ${range.max}`);
  }
  return n;
}

export function oneOf<T extends string>(value: string | undefined, option: string, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${option} must be one of ${allowed.join(', ')}`);
  return value as T;
}

/** Paths on the command line are relative to the caller's working directory, not the process's. */
export function pathFrom(io: CliIo, path: string): string {
  return resolve(io.cwd, path);
}

export function clock(io: CliIo): number {
  return io.now ? io.now() : Date.now();
}

/**
 * The key passphrase: the file named by --passphrase-file if given (one trailing newline
 * stripped), else ENLACE_KEY_PASSPHRASE. Missing is a usage error (exit 2).
 */
export async function readPassphrase(file: string | undefined, io: CliIo): Promise<string> {
  if (file !== undefined) {
    const path = pathFrom(io, file);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      throw new UsageError(`cannot read the passphrase file ${path}`);
    }
    const passphrase = text.replace(/\r?\n$/, '');
    if (passphrase === '') throw new UsageError(`the passphrase file ${path} is empty`);
    return passphrase;
  }
  const fromEnv = io.env['ENLACE_KEY_PASSPHRASE'];
  if (fromEnv) return fromEnv;
  throw new UsageError('no key passphrase: set ENLACE_KEY_PASSPHRASE or pass --passphrase-file <path>');
}

export async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** New key material never silently replaces old: losing an anchor or node key cannot be undone. */
export async function refuseToOverwrite(...paths: string[]): Promise<void> {
  for (const path of paths) {
    if (await exists(path)) throw new CommandFailedError(`${path} already exists; refusing to overwrite key material (move it away first)`);
  }
}
