import type { CliIo } from '../keys/cli-io.js';
import { main } from './main.js';

/** The `enlace` process: real streams and environment, exit code from the command. */
const io: CliIo = {
  out: (line) => process.stdout.write(line.endsWith('\n') ? line : line + '\n'),
  err: (line) => process.stderr.write(line.endsWith('\n') ? line : line + '\n'),
  env: process.env,
  cwd: process.cwd(),
};

process.exitCode = await main(process.argv.slice(2), io);
