import type { TrustStore } from '../../keys/index.js';
import type { LogRow, RegistryCache } from './cache.js';
import type { EntryIndex } from './entries.js';
import type { Change, RecordPayload } from './model.js';

/** One record of a country's log, as DirectoryService.History shows it: the cached row's facts and what it changed. */
export type HistoryRecord = Pick<LogRow, 'country' | 'seq' | 'prevHash' | 'hash' | 'signerKid' | 'by' | 'at'> & {
  changes: { op: Change['op']; type: Change['type']; id: string; version: number }[];
};

/** A node of the network as this node knows it: its descriptor, log head and contact points. */
export interface NodeMembership {
  country: string;
  status: string;
  serial: number;
  validFrom: number;
  validUntil: number;
  signingKeyIds: string[];
  encryptionKeyIds: string[];
  source: string;
  contactPoints: number;
  logSeq: number;
  logHead: string;
  thisNode: boolean;
}

/** Log records of `country` (those touching entry `id` when given), newest first, before `beforeSeq`. */
export function historyOf(cache: RegistryCache, country: string, opts: { id?: string; beforeSeq?: number; limit: number }): HistoryRecord[] {
  const out: HistoryRecord[] = [];
  let before = opts.beforeSeq ?? Number.MAX_SAFE_INTEGER;
  while (out.length < opts.limit) {
    const rows = cache.logBefore(country, before, 500);
    if (rows.length === 0) break;
    for (const row of rows) {
      const h = toHistory(row);
      if (!opts.id || h.changes.some((c) => c.id === opts.id)) out.push(h);
      if (out.length >= opts.limit) break;
    }
    before = rows.at(-1)!.seq;
  }
  return out;
}

/** Every node `trust` holds; `self` is this node's country. */
export function membershipsOf(trust: TrustStore, cache: RegistryCache, index: EntryIndex, self: string): NodeMembership[] {
  const sources = new Map(cache.descriptors().map((d) => [`${d.country}:${d.serial}`, d.source]));
  return trust.countries().map((c) => {
    const d = trust.descriptor(c)!;
    const head = cache.head(c);
    return {
      country: c,
      status: d.status,
      serial: d.serial,
      validFrom: d.validFrom,
      validUntil: d.validUntil,
      signingKeyIds: d.keys.filter((k) => k.use === 'sig').map((k) => k.kid),
      encryptionKeyIds: d.keys.filter((k) => k.use === 'enc').map((k) => k.kid),
      source: sources.get(`${c}:${d.serial}`) ?? 'folder',
      contactPoints: index.count(c),
      logSeq: head?.seq ?? 0,
      logHead: head?.hash ?? '',
      thisNode: c === self,
    };
  });
}

function toHistory(row: LogRow): HistoryRecord {
  const payload = JSON.parse(Buffer.from(row.jws.split('.')[1]!, 'base64url').toString('utf8')) as RecordPayload;
  return {
    country: row.country,
    seq: row.seq,
    prevHash: row.prevHash,
    hash: row.hash,
    signerKid: row.signerKid,
    by: row.by,
    at: row.at,
    changes: payload.changes.map((c) => ({ op: c.op, type: c.type, id: c.id, version: c.version })),
  };
}
