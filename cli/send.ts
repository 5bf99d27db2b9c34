import type { Metadata } from '@grpc/grpc-js';
import { readFile } from 'node:fs/promises';
import { RequestStatus, type GetRequestResponse, type SubmitRequestResponse } from '../generated/enlace/v1/exchange.js';
import type { CliIo } from '../keys/cli-io.js';
import { CommandFailedError, parseOptions, pathFrom, required, UsageError } from '../keys/cli-args.js';
import { parseDuration, REQUEST_KINDS } from '../services/index.js';
import { federationClient } from './federation-client.js';

const HELP = `enlace send: send a cooperation request through a node of the local federation and wait for its receipt

usage: enlace send --from AR --to UY [--kind KIND] [--subject TEXT] [--payload JSON | --payload-file FILE]
                   [--authority SLUG] [--reference REF] [--federation .data/federation.json] [--timeout 30s]

  --from        sending node (its address is read from the federation file written by npm start)
  --to          destination country
  --kind        ${REQUEST_KINDS.join(', ')}
                (default nationality_verification)
  --subject     short title, no victim data (default: a demo subject)
  --payload     the request's content as JSON text (default: a small demo payload)
  --timeout     how long to wait for the receipt (default 30s); the request stays queued after that
Exit code 0 when the receipt arrived, 1 when the request failed or is still on its way.
`;

function unary<Req, Res>(fn: (req: Req, md: Metadata, cb: (e: Error | null, r: Res) => void) => unknown, req: Req, md: Metadata): Promise<Res> {
  return new Promise((res, rej) => fn(req, md, (e, r) => (e ? rej(e) : res(r))));
}

const OPTIONS = {
  from: { type: 'string' },
  to: { type: 'string' },
  kind: { type: 'string' },
  subject: { type: 'string' },
  payload: { type: 'string' },
  'payload-file': { type: 'string' },
  authority: { type: 'string' },
  reference: { type: 'string' },
  federation: { type: 'string' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Opts = ReturnType<typeof parseOptions<typeof OPTIONS>>;
type Client = Awaited<ReturnType<typeof federationClient>>['client'];

/** The JSON text the request carries: --payload, --payload-file, or a small demo payload. */
async function payloadOf(opts: Opts, io: CliIo): Promise<string> {
  let text = opts.payload ?? JSON.stringify({ names: ['Demo Person'], purpose: 'victim identification', note: 'sent by enlace send' });
  if (opts['payload-file']) text = await readFile(pathFrom(io, opts['payload-file']), 'utf8');
  try {
    JSON.parse(text);
  } catch {
    throw new UsageError('--payload must be JSON text');
  }
  return text;
}

async function submit(client: Client, md: Metadata, opts: Opts, to: string, payloadText: string, where: { from: string; address: string }): Promise<SubmitRequestResponse> {
  const req = {
    toCountry: to,
    toAuthority: opts.authority ?? '',
    kind: opts.kind ?? 'nationality_verification',
    subject: opts.subject ?? 'Demo: verify the nationality of a presumed victim',
    payload: new TextEncoder().encode(payloadText),
    payloadType: 'application/json',
    idempotencyKey: '',
    senderReference: opts.reference ?? '',
    urgency: '',
    typed: undefined,
    attachments: [],
    links: undefined,
    alsoToCountries: [],
  };
  try {
    return await unary(client.submitRequest.bind(client), req, md);
  } catch (e) {
    const err = e as { code?: number; details?: string };
    if (err.code === 14) throw new CommandFailedError(`node ${where.from} does not answer at ${where.address}: is "npm start" running?`);
    throw new CommandFailedError(`${where.from} refused the request: ${err.details ?? String(e)}`);
  }
}

/** Prints the receipt (0) or the failure (1) as soon as the request has one; undefined while it is on its way. */
function outcome(last: GetRequestResponse, started: number, io: CliIo): number | undefined {
  const status = last.request!.status;
  if (status === RequestStatus.REQUEST_STATUS_DELIVERED && last.receipt) {
    const r = last.receipt;
    io.out(`delivered  to ${r.signerCountry} at ${new Date(r.receivedAt).toISOString()} (${((Date.now() - started) / 1000).toFixed(2)} s after submit)`);
    io.out(`receipt    ${r.receiptEnvelopeId}, signed by ${r.signerCountry} key ${r.signerKeyId}, signature verified: ${r.signatureVerified ? 'yes' : 'no'}`);
    io.out(`           envelope sha-256 ${Buffer.from(r.envelopeSha256).toString('hex')}`);
    for (const t of last.timeline) io.out(`timeline   ${new Date(t.at).toISOString()}  ${t.detail}`);
    return 0;
  }
  if (status === RequestStatus.REQUEST_STATUS_FAILED) {
    io.err(`failed     ${last.request!.failureReason}: ${last.timeline.at(-1)?.detail ?? ''}`);
    return 1;
  }
  return undefined;
}

export async function runSendCommand(argv: string[], io: CliIo): Promise<number> {
  const opts = parseOptions(argv, OPTIONS);
  if (opts.help) {
    io.out(HELP);
    return 0;
  }
  const from = required(opts.from, '--from');
  const to = required(opts.to, '--to');
  let timeoutMs: number;
  try {
    timeoutMs = parseDuration('--timeout', opts.timeout ?? '30s');
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const payloadText = await payloadOf(opts, io);
  const { client, metadata: md, address } = await federationClient(io, { federation: opts.federation, country: from, option: '--from', subject: 'enlace send', roles: ['operator'] });
  try {
    const started = Date.now();
    const submitted = await submit(client, md, opts, to, payloadText, { from, address });
    const id = submitted.request!.id;
    io.out(`submitted  ${id}  ${from} → ${submitted.request!.to}  ${submitted.request!.kind}`);
    while (Date.now() - started < timeoutMs) {
      const done = outcome(await unary(client.getRequest.bind(client), { id, recheckSignatures: false }, md), started, io);
      if (done !== undefined) return done;
      await new Promise((r) => setTimeout(r, 100));
    }
    io.err(`not delivered after ${Math.round(timeoutMs / 1000)} s: the request is kept in ${from}'s outbox and retried until ${to} answers or the delivery horizon passes. Is node ${to} running?`);
    return 1;
  } finally {
    client.close();
  }
}
