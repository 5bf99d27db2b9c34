import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CliIo } from '../keys/cli-io.js';
import { clock, CommandFailedError, parseOptions, pathFrom, required, UsageError } from '../keys/cli-args.js';
import { readPinnedAnchor, TrustStore } from '../keys/index.js';
import { verifyRegistryDb, type VerifyReport } from '../services/index.js';

const HELP = `enlace registry: check a node's copy of the registry

usage: enlace registry verify --data DIR [--trust DIR] [--json]

verify   re-checks, from the node's SQLite file, every country's hash-chained change log
         end to end: no record missing, each stored hash is the SHA-256 of its record, each
         record links to the one before and carries a valid signature of that country's
         node (whose descriptor verifies against the pinned anchor), and replaying the logs
         gives exactly the cached contact points. Lists the records the node rejected.
         Exit code 0 when everything verifies, 1 when anything does not.

  --data    the node's data folder (holds node.db)
  --trust   the folder with anchor.pub.json and descriptors/ (default: ENLACE_TRUST_DIR, else DATA/trust)
  --json    print the report as JSON
It only reads: it can run while the node runs.
`;

async function trustFrom(dir: string): Promise<TrustStore> {
  const trust = new TrustStore(await readPinnedAnchor(join(dir, 'anchor.pub.json')));
  const folder = join(dir, 'descriptors');
  const files = existsSync(folder) ? (await readdir(folder)).filter((f) => f.endsWith('.jws')).sort() : [];
  for (const f of files) await trust.add((await readFile(join(folder, f), 'utf8')).trim()).catch(() => undefined);
  return trust;
}

function print(report: VerifyReport, io: CliIo): void {
  for (const c of report.countries) io.out(`${c.country}  ${String(c.records).padStart(6)} records  head ${c.head || '(empty)'}`);
  io.out(`${report.entries} cached entries`);
  for (const f of report.findings) io.out(`FAIL  ${f.country || '--'} ${f.seq ? `record ${f.seq}` : ''}  ${f.code}: ${f.message}`);
  for (const w of report.warnings) io.out(`warn  ${w.country} record ${w.seq}  ${w.code}: ${w.message}`);
  io.out(`${report.rejected.total} rejected registry record(s) kept as evidence`);
  for (const r of report.rejected.recent.slice(0, 10)) io.out(`  rejected ${new Date(r.receivedAt).toISOString()}  ${r.kvKey}  ${r.code}: ${r.detail}`);
  io.out(report.ok ? 'registry verified: every log is intact' : `registry NOT verified: ${report.findings.length} finding(s)`);
}

export async function runRegistryCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === '--help' || sub === '-h' || sub === 'help') {
    io.out(HELP);
    return sub ? 0 : 2;
  }
  if (sub !== 'verify') throw new UsageError(`unknown subcommand "${sub}"`);
  const opts = parseOptions(rest, { data: { type: 'string' }, trust: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (opts.help) {
    io.out(HELP);
    return 0;
  }
  const data = pathFrom(io, required(opts.data, '--data'));
  const trustDir = pathFrom(io, opts.trust ?? io.env.ENLACE_TRUST_DIR ?? join(data, 'trust'));
  const dbPath = join(data, 'node.db');
  if (!existsSync(dbPath)) throw new CommandFailedError(`no node database at ${dbPath}`);
  const trust = await trustFrom(trustDir);
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const report = await verifyRegistryDb(db, trust, clock(io));
    if (opts.json) io.out(JSON.stringify(report, null, 2));
    else print(report, io);
    return report.ok ? 0 : 1;
  } finally {
    db.close();
  }
}
