import type { CliIo } from '../keys/cli-io.js';

export async function runNodeCommand(_argv: string[], io: CliIo): Promise<number> {
  io.err('this command is not built yet');
  return 1;
}
