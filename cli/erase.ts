import type { EraseCaseResponse } from '../generated/enlace/v1/exchange.js';
import type { CliIo } from '../keys/cli-io.js';
import { CommandFailedError, parseOptions, required, UsageError } from '../keys/cli-args.js';
import { federationClient } from './federation-client.js';

const HELP = `enlace erase: purge a case's contents at one node of the local federation

usage: enlace erase --at AR --request ID --reason TEXT [--federation .data/federation.json]

Destroys the case's key at that node: the request's contents, answers and documents become
unrecoverable; the timeline, hashes and receipts remain as evidence. The other state keeps
its own copy and decides for itself. The erasure is written to the node's audit log.
Cases are also erased automatically once final for longer than ENLACE_RETENTION.
`;

export async function runEraseCommand(argv: string[], io: CliIo): Promise<number> {
  const opts = parseOptions(argv, {
    at: { type: 'string' },
    request: { type: 'string' },
    reason: { type: 'string' },
    federation: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (opts.help) {
    io.out(HELP);
    return 0;
  }
  const at = required(opts.at, '--at');
  const requestId = required(opts.request, '--request');
  const reason = required(opts.reason, '--reason');
  const { client, metadata } = await federationClient(io, { federation: opts.federation, country: at, option: '--at', subject: 'enlace erase', roles: ['operator'] });
  try {
    const res = await new Promise<EraseCaseResponse>((resolve, reject) => client.eraseCase({ requestId, reason }, metadata, (e, r) => (e ? reject(e) : resolve(r))));
    io.out(`erased     ${res.request!.id} at ${at}: contents destroyed, timeline kept (${res.request!.subject})`);
    return 0;
  } catch (e) {
    const err = e as { code?: number; details?: string };
    if (err.code === 3) throw new UsageError(err.details ?? 'invalid argument');
    throw new CommandFailedError(`${at} did not erase the case: ${err.details ?? String(e)}`);
  } finally {
    client.close();
  }
}
