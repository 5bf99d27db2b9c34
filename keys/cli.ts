import type { CliIo } from './cli-io.js';

export async function runKeysCommand(_argv: string[], io: CliIo): Promise<number> {
  io.err('this command is not built yet');
  return 1;
}
