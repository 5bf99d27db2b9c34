import { join } from 'node:path';
import type { CliIo } from '../keys/cli-io.js';
import { clock, oneOf, parseOptions, pathFrom, readPassphrase, required, UsageError, withPassphrase } from '../keys/cli-args.js';
import { loadOrCreateIssuer, mintToken, parseDuration, ROLES, type Role } from '../services/index.js';

const HELP = `enlace token: mint a bearer token for a node's gRPC API

usage: enlace token --data DIR --country CC [--role ROLE] [--subject NAME] [--ttl 8h] [--passphrase-file FILE]

  --data      the node's data folder (holds keys/api-issuer.key.json)
  --country   the node's country code
  --role      ${ROLES.join(', ')} (default operator); repeat for several
  --subject   who the token is for (default operator)
  --ttl       lifetime, e.g. 30m, 8h (default 8h, at most 30d)
Prints the token (a JWT) on standard output. Send it as "authorization: Bearer <token>".
`;

export async function runTokenCommand(argv: string[], io: CliIo): Promise<number> {
  const opts = parseOptions(
    argv,
    withPassphrase({
      data: { type: 'string' },
      country: { type: 'string' },
      role: { type: 'string', multiple: true },
      subject: { type: 'string' },
      ttl: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    }),
  );
  if (opts.help) {
    io.out(HELP);
    return 0;
  }
  const dataDir = pathFrom(io, required(opts.data, '--data'));
  const country = required(opts.country, '--country');
  if (!/^[A-Z]{2}$/.test(country)) throw new UsageError('--country must be an ISO 3166-1 alpha-2 code in capitals, like AR');
  const roles = (opts.role ?? ['operator']).map((r) => oneOf(r, '--role', ROLES) as Role);
  let ttlMs: number;
  try {
    ttlMs = parseDuration('--ttl', opts.ttl ?? '8h');
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (ttlMs < 1000 || ttlMs > 30 * 86_400_000) throw new UsageError('--ttl must be between 1s and 30d');
  const passphrase = await readPassphrase(opts['passphrase-file'], io);
  const issuer = await loadOrCreateIssuer(join(dataDir, 'keys', 'api-issuer.key.json'), country, passphrase);
  io.out(await mintToken(issuer, { subject: opts.subject ?? 'operator', roles }, Math.floor(ttlMs / 1000), clock(io)));
  return 0;
}
