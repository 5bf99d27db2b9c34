import { EnlaceError } from '../../keys/index.js';
import type { Head } from './cache.js';
import type { EntryState, EntryType } from './model.js';
import { GENESIS_PREV, type VerifiedRecord } from './record.js';

/** What the chain rules need to know about the logs and entries held so far. */
export interface ChainView {
  head(country: string): Head | undefined;
  hashAt(country: string, seq: number): string | undefined;
  entry(country: string, type: EntryType, id: string): Pick<EntryState<unknown>, 'version' | 'status'> | undefined;
}

export type ChainOutcome = { kind: 'append' } | { kind: 'duplicate' } | { kind: 'gap'; expected: number };

/**
 * Where a verified record fits in its country's log: the next record (`append`), one
 * already held (`duplicate`), or beyond a gap. Throws ERR_REGISTRY_CHAIN for a different
 * record at a seq already held, a wrong `prev`, or a time before its predecessor, and
 * ERR_REGISTRY_STALE when a change would not raise an entry's version.
 */
export function placeRecord(view: ChainView, rec: VerifiedRecord): ChainOutcome {
  const { country, seq, prev, at } = rec.payload;
  const head = view.head(country);
  const last = head?.seq ?? 0;
  if (seq <= last) {
    if (view.hashAt(country, seq) === rec.hash) return { kind: 'duplicate' };
    throw new EnlaceError('ERR_REGISTRY_CHAIN', `${country} record ${seq} differs from the record ${seq} already held (a fork or a rewrite)`);
  }
  if (seq > last + 1) return { kind: 'gap', expected: last + 1 };
  if (prev !== (head?.hash ?? GENESIS_PREV)) throw new EnlaceError('ERR_REGISTRY_CHAIN', `${country} record ${seq} does not link to record ${last}`);
  if (head && at < head.at) throw new EnlaceError('ERR_REGISTRY_CHAIN', `${country} record ${seq} is dated before record ${last}`);
  for (const c of rec.payload.changes) {
    const current = view.entry(country, c.type, c.id);
    if (current && c.version <= current.version) {
      throw new EnlaceError('ERR_REGISTRY_STALE', `${country} ${c.type} ${c.id}: version ${c.version} would replace version ${current.version}`);
    }
    if (!current && c.op === 'retire') throw new EnlaceError('ERR_REGISTRY_MALFORMED', `${country} record ${seq} retires ${c.id}, which does not exist`);
  }
  return { kind: 'append' };
}

/** The entries a record sets, given the entries held before it. */
export function entriesAfter(rec: VerifiedRecord, previous: (type: EntryType, id: string) => unknown): EntryState<unknown>[] {
  const { country, seq, at, by } = rec.payload;
  return rec.payload.changes.map((c) => ({
    country,
    type: c.type,
    id: c.id,
    version: c.version,
    status: c.op === 'retire' ? ('retired' as const) : ('active' as const),
    data: c.op === 'retire' ? previous(c.type, c.id) : c.entry,
    seq,
    updatedAt: at,
    updatedBy: by,
  }));
}
