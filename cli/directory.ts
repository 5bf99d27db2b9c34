import { credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import {
  DirectoryServiceClient,
  ExportRequest,
  GetRequest,
  HistoryRequest,
  ImportRequest,
  ListNodesRequest,
  ListRejectedRequest,
  ResolveRequest,
  SearchRequest,
  type DirectoryEntry,
  type ExportResponse,
  type GetResponse,
  type HistoryResponse,
  type ImportResponse,
  type ListNodesResponse,
  type ListRejectedResponse,
  type ResolveResponse,
  type SearchResponse,
} from '../generated/enlace/v1/directory.js';
import type { CliIo } from '../keys/cli-io.js';
import { clock, CommandFailedError, oneOf, parseOptions, pathFrom, required, UsageError } from '../keys/cli-args.js';
import { loadOrCreateIssuer, mintToken, type Role } from '../services/index.js';
import { readFederationFile } from '../scripts/lib/federation-file.js';

const HELP = `enlace directory: the registry of contact points, through a node's gRPC API

usage: enlace directory <subcommand> [options] (--node CC [--federation FILE] | --grpc HOST:PORT --token JWT [--ca FILE | --plaintext])

subcommands:
  search    [--theme T] [--country CC] [--language xx] [--kind K] [--text WORDS] [--all]
  get       --country CC --id ID
  resolve   --country CC (--kind K | --theme T)     the competent contact point(s), best first
  import    --file F [--format csv|json] [--replace] [--dry-run]
            this node's country, all or nothing; prints every bad line; exit 1 if any
  export    [--country CC] [--format csv|json] [--out F] [--all]
  history   --country CC [--id ID]                   the hash-chained change log, newest first
  nodes                                              network membership and log heads
  rejected                                           registry records this node rejected

Connection: --node CC finds the node in the local federation file (written by npm start,
default .data/federation.json) and mints a short token from its data folder; otherwise
--grpc and --token (or ENLACE_TOKEN), over TLS checked against --ca (or the system's
authorities), --plaintext only for a node started with ENLACE_GRPC_PLAINTEXT. Import needs the
directory_admin role.
`;

type Unary<Req, Res> = (req: Req, md: Metadata, cb: (e: Error | null, r: Res) => void) => unknown;

const OPTIONS = {
  node: { type: 'string' },
  federation: { type: 'string' },
  grpc: { type: 'string' },
  token: { type: 'string' },
  ca: { type: 'string' },
  plaintext: { type: 'boolean' },
  theme: { type: 'string' },
  country: { type: 'string' },
  language: { type: 'string' },
  kind: { type: 'string' },
  text: { type: 'string' },
  id: { type: 'string' },
  file: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  replace: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  all: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Opts = ReturnType<typeof parseOptions<typeof OPTIONS>>;

async function connect(opts: Opts, io: CliIo, role: Role): Promise<{ client: DirectoryServiceClient; md: Metadata }> {
  const md = new Metadata();
  let address: string;
  let creds = credentials.createInsecure();
  if (opts.grpc) {
    address = opts.grpc;
    const token = opts.token ?? io.env.ENLACE_TOKEN;
    if (!token) throw new UsageError('--grpc needs --token (or ENLACE_TOKEN): mint one with "enlace token"');
    if (opts.ca && opts.plaintext) throw new UsageError('--ca and --plaintext exclude each other');
    md.set('authorization', `Bearer ${token}`);
    if (!opts.plaintext) creds = credentials.createSsl(opts.ca ? await readFile(pathFrom(io, opts.ca)) : null);
  } else {
    const country = required(opts.node, '--node (or --grpc)');
    const fedPath = pathFrom(io, opts.federation ?? '.data/federation.json');
    const fed = await readFederationFile(fedPath).catch((e: Error) => {
      throw new CommandFailedError(e.message);
    });
    const node = fed.nodes[country];
    if (!node) throw new UsageError(`--node ${country} is not in ${fedPath} (${Object.keys(fed.nodes).join(', ')})`);
    const base = dirname(fedPath);
    const passphrase = io.env.ENLACE_KEY_PASSPHRASE ?? (await readFile(resolve(base, fed.passphraseFile), 'utf8')).replace(/\r?\n$/, '');
    const issuer = await loadOrCreateIssuer(join(resolve(base, node.dataDir), 'keys', 'api-issuer.key.json'), country, passphrase);
    md.set('authorization', `Bearer ${await mintToken(issuer, { subject: 'enlace directory', roles: [role] }, 300, clock(io))}`);
    address = node.grpc;
    if (fed.ca) creds = credentials.createSsl(await readFile(resolve(base, fed.ca)));
  }
  return { client: new DirectoryServiceClient(address, creds), md };
}

function line(e: DirectoryEntry): string {
  const c = e.contact!;
  const name = c.authority[0]?.text ?? '';
  const unit = c.unit[0]?.text ? ` — ${c.unit[0].text}` : '';
  return `${e.address.padEnd(28)} ${name}${unit}\n${' '.repeat(29)}${c.themes.join(', ')} | ${c.languages.join(' ')} | ${c.email} ${c.phone}${c.available247 ? ' | 24/7' : ''}${e.active ? '' : ` | ${e.status}, inactive`}`;
}

const SUBCOMMANDS = ['search', 'get', 'resolve', 'import', 'export', 'history', 'nodes', 'rejected'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

/** What a subcommand works with: its options, the terminal, and one unary call on the node. */
interface Run {
  opts: Opts;
  io: CliIo;
  client: DirectoryServiceClient;
  call<Req, Res>(fn: Unary<Req, Res>, req: Req): Promise<Res>;
}

async function search({ opts, io, client, call }: Run): Promise<number> {
  const req = SearchRequest.fromPartial({ theme: opts.theme, country: opts.country, language: opts.language, requestKind: opts.kind, text: opts.text, includeInactive: opts.all, pageSize: 200 });
  const r = await call<SearchRequest, SearchResponse>(client.search, req);
  for (const h of r.hits) io.out(line(h.entry!));
  io.out(`${r.total} contact point(s)`);
  return 0;
}

async function get({ opts, io, client, call }: Run): Promise<number> {
  const r = await call<GetRequest, GetResponse>(client.get, GetRequest.fromPartial({ country: required(opts.country, '--country'), id: required(opts.id, '--id') }));
  io.out(JSON.stringify(r.entry, null, 2));
  return 0;
}

async function resolveContact({ opts, io, client, call }: Run): Promise<number> {
  const r = await call<ResolveRequest, ResolveResponse>(client.resolve, ResolveRequest.fromPartial({ country: required(opts.country, '--country'), requestKind: opts.kind, theme: opts.theme }));
  io.out(`address ${r.address}`);
  for (const e of r.candidates) io.out(line(e));
  return 0;
}

async function importFile({ opts, io, client, call }: Run): Promise<number> {
  const file = pathFrom(io, required(opts.file, '--file'));
  const format = oneOf(opts.format, '--format', ['csv', 'json'] as const) ?? (file.endsWith('.json') ? 'json' : 'csv');
  const r = await call<ImportRequest, ImportResponse>(client.import, ImportRequest.fromPartial({ format, content: await readFile(file), replace: opts.replace, dryRun: opts['dry-run'] }));
  for (const p of r.problems) io.err(`${file}:${p.line}: ${p.field ? `${p.field}: ` : ''}${p.message}`);
  if (r.problems.length > 0) {
    io.err(`nothing imported: ${r.problems.length} problem(s)`);
    return 1;
  }
  const outcome = opts['dry-run'] ? 'would import' : r.applied ? 'imported' : 'nothing to change';
  io.out(`${outcome}: ${r.created} new, ${r.updated} changed, ${r.retired} retired, ${r.unchanged} unchanged (log at ${r.seq})`);
  return 0;
}

async function exportFile({ opts, io, client, call }: Run): Promise<number> {
  const format = oneOf(opts.format, '--format', ['csv', 'json'] as const) ?? 'csv';
  const r = await call<ExportRequest, ExportResponse>(client.export, ExportRequest.fromPartial({ country: opts.country, format, includeRetired: opts.all }));
  if (opts.out) await writeFile(pathFrom(io, opts.out), r.content);
  else io.out(new TextDecoder().decode(r.content));
  return 0;
}

async function history({ opts, io, client, call }: Run): Promise<number> {
  const r = await call<HistoryRequest, HistoryResponse>(client.history, HistoryRequest.fromPartial({ country: required(opts.country, '--country'), id: opts.id, pageSize: 100 }));
  for (const rec of r.records) {
    const what = rec.changes.map((c) => `${c.op} ${c.type === 'country' ? 'profile' : c.id} v${c.version}`).join(', ');
    const changes = what.length > 100 ? `${rec.changes.length} changes` : what;
    io.out(`${String(rec.seq).padStart(6)}  ${new Date(rec.at).toISOString()}  ${rec.by}  ${changes}\n        hash ${rec.hash}  prev ${rec.prevHash || '(first)'}`);
  }
  return 0;
}

async function nodes({ io, client, call }: Run): Promise<number> {
  const r = await call<ListNodesRequest, ListNodesResponse>(client.listNodes, ListNodesRequest.fromPartial({}));
  for (const n of r.nodes) {
    const until = new Date(n.validUntil).toISOString().slice(0, 10);
    io.out(
      `${n.country}${n.thisNode ? '*' : ' '} ${n.status.padEnd(9)} serial ${n.serial}  until ${until}  ${n.contactPoints} contact points  log ${n.logSeq} ${n.logHead}  (descriptor from ${n.descriptorSource})`,
    );
  }
  return 0;
}

async function rejected({ io, client, call }: Run): Promise<number> {
  const r = await call<ListRejectedRequest, ListRejectedResponse>(client.listRejected, ListRejectedRequest.fromPartial({ pageSize: 100 }));
  for (const x of r.records) io.out(`${new Date(x.receivedAt).toISOString()}  ${x.key}  ${x.code}: ${x.detail}`);
  io.out(`${r.total} rejected record(s)`);
  return 0;
}

const HANDLERS: Record<Subcommand, (run: Run) => Promise<number>> = { search, get, resolve: resolveContact, import: importFile, export: exportFile, history, nodes, rejected };

export async function runDirectoryCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === '--help' || sub === '-h' || sub === 'help') {
    io.out(HELP);
    return sub ? 0 : 2;
  }
  const opts = parseOptions(rest, OPTIONS);
  if (opts.help) {
    io.out(HELP);
    return 0;
  }
  const which = oneOf(sub, 'subcommand', SUBCOMMANDS)!;
  const { client, md } = await connect(opts, io, which === 'import' ? 'directory_admin' : 'operator');
  const call = <Req, Res>(fn: Unary<Req, Res>, req: Req) =>
    new Promise<Res>((ok, fail) => fn.call(client, req, md, (e, r) => (e ? fail(e) : ok(r)))).catch((e: ServiceError) => {
      if (e.code === status.UNAVAILABLE) throw new CommandFailedError('the node does not answer: is it running?');
      throw new CommandFailedError(e.details || e.message);
    });
  try {
    return await HANDLERS[which]({ opts, io, client, call });
  } finally {
    client.close();
  }
}
