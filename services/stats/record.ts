import type { KeyObject } from 'node:crypto';
import { CompactSign } from 'jose';
import { z } from 'zod';
import { ed25519PublicKeyObject, EnlaceError, parseStrictJson, rawPublicKey, splitCompactJws, verifyCompactJws, type TrustStore } from '../../keys/index.js';
import type { StatsCombination } from '../store/index.js';
import { AGREED_TABLES, isQuarter } from './agreed.js';
import { determined, suppress, tableRelations } from './suppress.js';
import { countTable } from './tables.js';

/** `typ` of an aggregate record JWS (docs/protocol.md §27.4). */
export const STATS_RECORD_TYP = 'enlace-stats-record+json';

const MAX_SKEW_MS = 5 * 60_000;
const CODE = /^([a-z0-9_.]{1,64}|[A-Z]{2})$/;
const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const cell = count.nullable();

const publishedTable = z.object({
  id: z.string(),
  rows: z.array(z.string().regex(CODE)).max(500),
  columns: z.array(z.string().regex(CODE)).max(500),
  cells: z.array(z.array(cell)),
  rowTotals: z.array(cell),
  columnTotals: z.array(cell),
  total: cell,
});

export const statsRecordSchema = z.object({
  v: z.literal(1),
  networkId: z.string(),
  country: z.string().regex(/^[A-Z]{2}$/),
  quarter: z.string().refine(isQuarter),
  at: count,
  threshold: z.number().int().min(1).max(1000),
  tables: z.array(publishedTable),
});

export type StatsRecord = z.infer<typeof statsRecordSchema>;
export type PublishedTable = z.infer<typeof publishedTable>;

/**
 * The agreed tables of a quarter at one node, suppressed at `threshold`: the payload of its
 * aggregate record. `combos` are the node's combinations for the quarter (both directions).
 */
export function buildStatsRecord(combos: readonly StatsCombination[], meta: { networkId: string; country: string; quarter: string; at: number; threshold: number }): StatsRecord {
  const tables = AGREED_TABLES.map((def): PublishedTable => {
    const t = countTable(def.scope === 'all' ? combos : combos.filter((c) => c.direction === 'outbound'), def.rows, def.columns);
    const rows = [...new Set(t.cells.map((c) => c.row))].sort();
    const columns = [...new Set(t.cells.map((c) => c.column))].sort();
    const matrix = rows.map(() => columns.map(() => 0));
    for (const c of t.cells) matrix[rows.indexOf(c.row)]![columns.indexOf(c.column)] = c.count;
    const s = suppress({ cells: matrix }, meta.threshold);
    return { id: def.id, rows, columns, cells: s.cells, rowTotals: s.rowTotals, columnTotals: s.columnTotals, total: s.total };
  });
  return { v: 1, ...meta, tables };
}

/**
 * Signs an aggregate record with the node's signing key (JWS compact, EdDSA).
 *
 * @example const jws = await signStatsRecord(record, { kid: ring.current.signing.kid, privateKey: ring.current.signing.privateKey });
 */
export async function signStatsRecord(record: StatsRecord, signer: { kid: string; privateKey: KeyObject }): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(record))).setProtectedHeader({ alg: 'EdDSA', kid: signer.kid, typ: STATS_RECORD_TYP }).sign(signer.privateKey);
}

type StatsCode = 'ERR_STATS_MALFORMED' | 'ERR_STATS_SIGNATURE' | 'ERR_STATS_WRONG_COUNTRY' | 'ERR_STATS_DISCLOSIVE';
const reject = (code: StatsCode, detail: string, cause?: unknown) => new EnlaceError(code, detail, { cause });

export interface StatsVerifyContext {
  networkId: string;
  trust: TrustStore;
  now: number;
  /** The network's threshold: a record may be stricter, never looser. */
  threshold: number;
}

/** Shapes and sums of one published table (§27.4 step 6). */
function checkTable(t: PublishedTable, threshold: number): void {
  const nr = t.rows.length;
  const nc = t.columns.length;
  if (new Set(t.rows).size !== nr || new Set(t.columns).size !== nc) throw reject('ERR_STATS_MALFORMED', `${t.id}: a row or column appears twice`);
  if (t.cells.length !== nr || t.cells.some((r) => r.length !== nc) || t.rowTotals.length !== nr || t.columnTotals.length !== nc)
    throw reject('ERR_STATS_MALFORMED', `${t.id}: cells and totals do not match rows and columns`);
  const values = [...t.cells.flat(), ...t.rowTotals, ...t.columnTotals, t.total];
  if (values.some((v) => v !== null && v > 0 && v < threshold)) throw reject('ERR_STATS_DISCLOSIVE', `${t.id}: a published count is below the threshold ${threshold}`);
  const lines: [readonly (number | null)[], number | null][] = [
    ...t.cells.map((r, i) => [r, t.rowTotals[i]!] as [(number | null)[], number | null]),
    ...t.columns.map((_, j) => [t.cells.map((r) => r[j]!), t.columnTotals[j]!] as [(number | null)[], number | null]),
    [t.rowTotals, t.total],
    [t.columnTotals, t.total],
  ];
  for (const [parts, sum] of lines) {
    if (sum !== null && parts.every((p) => p !== null) && parts.reduce<number>((a, b) => a + (b ?? 0), 0) !== sum)
      throw reject('ERR_STATS_MALFORMED', `${t.id}: published counts do not add up to their total`);
  }
  const rel = tableRelations(nr, nc);
  const hidden: number[] = [];
  t.cells.forEach((r, i) => r.forEach((v, j) => v === null && hidden.push(rel.cell(i, j))));
  t.rowTotals.forEach((v, i) => v === null && hidden.push(rel.row(i)));
  t.columnTotals.forEach((v, j) => v === null && hidden.push(rel.col(j)));
  if (t.total === null) hidden.push(rel.grand);
  if (hidden.length && determined(hidden, rel.eqs).length) throw reject('ERR_STATS_DISCLOSIVE', `${t.id}: a withheld count can be worked out from the published ones`);
}

/**
 * Verifies the value found at `stats.<country>.<quarter>`, in the order of docs/protocol.md
 * §27.4; throws EnlaceError with an ERR_STATS_* code (ERR_UNKNOWN_NODE when no descriptor of
 * `where.country` is held yet).
 */
export function verifyStatsRecord(jws: string, where: { country: string; quarter: string }, ctx: StatsVerifyContext): StatsRecord {
  const split = splitCompactJws(jws);
  if (!split) throw reject('ERR_STATS_MALFORMED', 'not a JWS compact serialization of the profile');
  const header = split.protectedHeader;
  if (header.typ !== STATS_RECORD_TYP) throw reject('ERR_STATS_MALFORMED', `typ must be ${STATS_RECORD_TYP}`);
  if (header.alg !== 'EdDSA' || 'crit' in header) throw reject('ERR_STATS_SIGNATURE', 'algorithm not allowed');
  const kid = typeof header.kid === 'string' ? header.kid : '';
  const descriptor = ctx.trust.descriptor(where.country);
  const key = descriptor?.keys.find((k) => k.kid === kid && k.use === 'sig');
  if (!key) {
    const owner = ctx.trust.countries().find((c) => ctx.trust.descriptor(c)!.keys.some((k) => k.kid === kid && k.use === 'sig'));
    if (owner) throw reject('ERR_STATS_WRONG_COUNTRY', `record of ${where.country} signed by ${owner}`);
    if (!descriptor) throw new EnlaceError('ERR_UNKNOWN_NODE', `no descriptor of ${where.country} yet`);
    throw reject('ERR_STATS_SIGNATURE', `key ${kid} is not a signing key of ${where.country}`);
  }
  if (!verifyCompactJws(jws, ed25519PublicKeyObject(rawPublicKey(key.jwk)))?.verified) throw reject('ERR_STATS_SIGNATURE', 'signature does not verify');
  let record: StatsRecord;
  try {
    record = statsRecordSchema.parse(parseStrictJson(new TextDecoder('utf-8', { fatal: true }).decode(split.payload)));
  } catch (e) {
    throw reject('ERR_STATS_MALFORMED', 'payload does not match the aggregate record schema', e);
  }
  if (record.networkId !== ctx.networkId) throw reject('ERR_STATS_MALFORMED', 'record belongs to another network');
  if (record.country !== where.country) throw reject('ERR_STATS_WRONG_COUNTRY', `record about ${record.country} stored under ${where.country}`);
  if (record.quarter !== where.quarter) throw reject('ERR_STATS_MALFORMED', `record of ${record.quarter} stored under ${where.quarter}`);
  if (record.at > ctx.now + MAX_SKEW_MS) throw reject('ERR_STATS_MALFORMED', 'record is dated in the future');
  const valid = record.at >= descriptor!.validFrom && record.at < descriptor!.validUntil && record.at >= key.notBefore && record.at < key.notAfter;
  if (!valid || descriptor!.status !== 'active' || key.status !== 'active') throw reject('ERR_STATS_SIGNATURE', `key ${kid} was not valid and active when the record was signed`);
  if (record.threshold < ctx.threshold) throw reject('ERR_STATS_DISCLOSIVE', `record suppresses below ${record.threshold}, the network agreed ${ctx.threshold}`);
  const ids = record.tables.map((t) => t.id);
  if (ids.length !== AGREED_TABLES.length || AGREED_TABLES.some((d, i) => ids[i] !== d.id))
    throw reject('ERR_STATS_DISCLOSIVE', `tables must be exactly the agreed set, in order: ${AGREED_TABLES.map((d) => d.id).join(', ')}`);
  for (const t of record.tables) checkTable(t, record.threshold);
  return record;
}
