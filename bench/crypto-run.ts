import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface CryptoRow {
  name: string;
  usPerOp: number;
  opsPerSecond: number;
}

export interface CryptoResult {
  pinnedToOneCore: boolean;
  envelopeBytes: number;
  seal: CryptoRow;
  open: CryptoRow;
  primitives: Record<string, CryptoRow>;
  ratios: Record<string, number>;
}

const HERE = new URL('.', import.meta.url).pathname;

/**
 * Runs bench/crypto.ts (seal and open beside their primitives, pinned to one core) as a
 * child process, before any node is started, and reads the JSON it writes.
 */
export async function runCrypto(quick: boolean): Promise<CryptoResult> {
  const script = join(HERE, 'crypto.ts');
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...(quick ? ['--quick'] : [])], { cwd: join(HERE, '..'), stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`bench/crypto.ts exited with ${code}`);
  const json = JSON.parse(await readFile(join(HERE, 'results', 'crypto.json'), 'utf8')) as {
    pinnedToOneCore: boolean;
    envelopeBytes: number;
    envelope: { seal: CryptoRow; open: CryptoRow };
    primitives: Record<string, CryptoRow>;
    ratios: Record<string, number>;
  };
  return { pinnedToOneCore: json.pinnedToOneCore, envelopeBytes: json.envelopeBytes, seal: json.envelope.seal, open: json.envelope.open, primitives: json.primitives, ratios: json.ratios };
}
