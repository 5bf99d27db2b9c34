import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { makePrivateFile, PRIVATE_FILE_MODE } from '../../keys/index.js';

/**
 * `.data/federation.json`, written by `npm start`: where the local demo federation's
 * nodes listen, so that `enlace send` needs no addresses. Paths in it are relative to
 * the folder that holds the file.
 */
export const federationFileSchema = z.object({
  networkId: z.string(),
  nats: z.string(),
  passphraseFile: z.string(),
  /** The demo network CA: the nodes' gRPC servers present certificates it signed. */
  ca: z.string().optional(),
  nodes: z.record(z.string(), z.object({ grpc: z.string(), dataDir: z.string(), gateway: z.string().optional() })),
});

export type FederationFile = z.infer<typeof federationFileSchema>;

export async function readFederationFile(path: string): Promise<FederationFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new Error(`no local federation described at ${path}: start one with "npm start", or pass --federation`);
  }
  const parsed = federationFileSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${path} is not a federation file written by "npm start"`);
  return parsed.data;
}

export async function writeFederationFile(path: string, f: FederationFile): Promise<void> {
  await writeFile(path, JSON.stringify(f, null, 2) + '\n', { mode: PRIVATE_FILE_MODE });
  makePrivateFile(path);
}
