import { isEnlaceError, type TrustStore } from '../../keys/index.js';
import type { Db } from '../store/index.js';
import { RegistryCache, type Head, type LogRow, type RejectedRow } from './cache.js';
import { canonical } from './canonical.js';
import { entriesAfter, placeRecord, type ChainView } from './chain.js';
import type { EntryState } from './model.js';
import { GENESIS_PREV, recordHash, verifyRecord } from './record.js';

export interface VerifyFinding {
  country: string;
  seq: number;
  code: string;
  message: string;
}

export interface VerifyReport {
  ok: boolean;
  countries: { country: string; records: number; head: string }[];
  entries: number;
  findings: VerifyFinding[];
  warnings: VerifyFinding[];
  rejected: { total: number; recent: RejectedRow[] };
}

/** An in-memory replay of the logs, for the chain rules. */
class Replay implements ChainView {
  readonly heads = new Map<string, Head>();
  readonly hashes = new Map<string, string>();
  readonly entries = new Map<string, EntryState<unknown>>();
  head(country: string): Head | undefined {
    return this.heads.get(country);
  }
  hashAt(country: string, seq: number): string | undefined {
    return this.hashes.get(`${country}:${seq}`);
  }
  entry(country: string, type: string, id: string): EntryState<unknown> | undefined {
    return this.entries.get(`${country}/${type}/${id}`);
  }
}

/**
 * Verifies a node's registry end to end, from its SQLite file: every descriptor it
 * accepted verifies against the anchor; every country's log runs from seq 1 without a
 * gap, each stored hash is the SHA-256 of its record, each record links to the one
 * before and carries a valid signature of that country's node; and replaying the logs
 * gives exactly the cached entries. `trust` holds the pinned anchor (and the trust
 * folder's descriptors); the accepted descriptors are added from the file.
 *
 * @example const report = await verifyRegistryDb(openDb(path), trust, Date.now());
 */
export async function verifyRegistryDb(db: Db, trust: TrustStore, now: number): Promise<VerifyReport> {
  const cache = new RegistryCache(db);
  const findings: VerifyFinding[] = [];
  const warnings: VerifyFinding[] = [];
  for (const d of cache.descriptors()) {
    try {
      const held = trust.descriptor(d.country);
      if (!held || held.serial < d.serial) await trust.add(d.jws);
    } catch (e) {
      findings.push({ country: d.country, seq: 0, code: 'ERR_DESCRIPTOR_INVALID', message: `accepted descriptor serial ${d.serial} does not verify: ${(e as Error).message}` });
    }
  }
  const byCountry = new Map<string, LogRow[]>();
  for (const row of cache.allLog()) {
    const list = byCountry.get(row.country) ?? [];
    list.push(row);
    byCountry.set(row.country, list);
  }
  const replay = new Replay();
  const countries: VerifyReport['countries'] = [];
  for (const [country, rows] of byCountry) {
    let prevHash = GENESIS_PREV;
    let expected = 1;
    for (const row of rows) {
      const find = (code: string, message: string) => findings.push({ country, seq: row.seq, code, message });
      if (row.seq !== expected) find('ERR_REGISTRY_CHAIN', `records ${expected} to ${row.seq - 1} are missing`);
      expected = row.seq + 1;
      const actual = recordHash(row.jws);
      if (row.hash !== actual) find('ERR_REGISTRY_CHAIN', 'the stored hash is not the hash of the stored record');
      if (row.prevHash !== prevHash) find('ERR_REGISTRY_CHAIN', 'the stored prev hash does not match the record before');
      prevHash = actual;
      let rec;
      try {
        rec = await verifyRecord(row.jws, { country, seq: row.seq }, { networkId: trust.networkId, trust, now, historical: true });
      } catch (e) {
        find(isEnlaceError(e) ? e.code : 'ERR_REGISTRY_MALFORMED', `the record does not verify: ${(e as Error).message}`);
        continue;
      }
      const p = rec.payload;
      if (p.by !== row.by || p.at !== row.at || rec.kid !== row.signerKid || p.prev !== row.prevHash) {
        find('ERR_REGISTRY_CHAIN', 'the stored who/when/prev columns differ from the signed record');
      }
      if (rec.signedByRevokedKey) warnings.push({ country, seq: row.seq, code: 'ERR_REGISTRY_REVOKED', message: `signed by key ${rec.kid}, revoked since` });
      const head = replay.head(country);
      replay.heads.set(country, { seq: row.seq - 1, hash: p.prev, at: head?.at ?? 0 });
      try {
        placeRecord(replay, rec);
      } catch (e) {
        find(isEnlaceError(e) ? e.code : 'ERR_REGISTRY_CHAIN', (e as Error).message);
      }
      for (const e of entriesAfter(rec, (type, id) => replay.entry(country, type, id)?.data)) replay.entries.set(`${e.country}/${e.type}/${e.id}`, e);
      replay.heads.set(country, { seq: row.seq, hash: actual, at: p.at });
      replay.hashes.set(`${country}:${row.seq}`, actual);
    }
    countries.push({ country, records: rows.length, head: prevHash });
  }
  const cached = cache.entries();
  for (const e of cached) {
    const r = replay.entries.get(`${e.country}/${e.type}/${e.id}`);
    if (!r || r.version !== e.version || r.status !== e.status || r.seq !== e.seq || canonical(r.data) !== canonical(e.data)) {
      findings.push({ country: e.country, seq: e.seq, code: 'ERR_REGISTRY_CHAIN', message: `cached ${e.type} ${e.id} differs from what the log says` });
    }
  }
  if (cached.length !== replay.entries.size) {
    findings.push({ country: '', seq: 0, code: 'ERR_REGISTRY_CHAIN', message: `the cache holds ${cached.length} entries, the logs give ${replay.entries.size}` });
  }
  return {
    ok: findings.length === 0,
    countries,
    entries: cached.length,
    findings,
    warnings,
    rejected: { total: cache.rejectedCount(), recent: cache.rejected(20) },
  };
}
