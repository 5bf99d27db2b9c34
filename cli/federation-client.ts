import { credentials, Metadata } from '@grpc/grpc-js';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ExchangeServiceClient } from '../generated/enlace/v1/exchange.js';
import type { CliIo } from '../keys/cli-io.js';
import { CommandFailedError, pathFrom, UsageError } from '../keys/cli-args.js';
import { loadOrCreateIssuer, mintToken, type Role } from '../services/index.js';
import { readFederationFile } from '../scripts/lib/federation-file.js';

/**
 * A gRPC client to one node of the local federation (`.data/federation.json`, written by
 * npm start), with a short-lived token minted from that node's issuer key.
 */
export async function federationClient(
  io: CliIo,
  opts: { federation: string | undefined; country: string; option: string; subject: string; roles: Role[] },
): Promise<{ client: ExchangeServiceClient; metadata: Metadata; address: string }> {
  const fedPath = pathFrom(io, opts.federation ?? '.data/federation.json');
  let fed;
  try {
    fed = await readFederationFile(fedPath);
  } catch (e) {
    throw new CommandFailedError((e as Error).message);
  }
  const node = fed.nodes[opts.country];
  if (!node) throw new UsageError(`${opts.option} ${opts.country} is not a node of the local federation (${Object.keys(fed.nodes).join(', ')})`);
  const base = dirname(fedPath);
  const passphrase = io.env.ENLACE_KEY_PASSPHRASE ?? (await readFile(resolve(base, fed.passphraseFile), 'utf8')).replace(/\r?\n$/, '');
  const issuer = await loadOrCreateIssuer(join(resolve(base, node.dataDir), 'keys', 'api-issuer.key.json'), opts.country, passphrase);
  const metadata = new Metadata();
  metadata.set('authorization', `Bearer ${await mintToken(issuer, { subject: opts.subject, roles: opts.roles }, 300, Date.now())}`);
  const creds = fed.ca ? credentials.createSsl(await readFile(resolve(base, fed.ca))) : credentials.createInsecure();
  return { client: new ExchangeServiceClient(node.grpc, creds), metadata, address: node.grpc };
}
