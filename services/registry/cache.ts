import type { Db } from '../store/index.js';
import type { EntryState, EntryStatus, EntryType } from './model.js';

type Row = Record<string, unknown>;

export interface LogRow {
  country: string;
  seq: number;
  prevHash: string;
  hash: string;
  signerKid: string;
  by: string;
  at: number;
  jws: string;
  kvRevision: number;
  receivedAt: number;
}

export interface DescriptorRow {
  country: string;
  serial: number;
  status: string;
  jws: string;
  source: 'folder' | 'registry';
  acceptedAt: number;
}

export interface RejectedRow {
  seq: number;
  receivedAt: number;
  kvKey: string;
  kvRevision: number;
  code: string;
  detail: string;
  claimedCountry: string;
  sha256: string;
  body: string;
}

export interface Head {
  seq: number;
  hash: string;
  at: number;
}

const toLog = (r: Row): LogRow => ({
  country: r.country as string,
  seq: r.seq as number,
  prevHash: r.prev_hash as string,
  hash: r.hash as string,
  signerKid: r.signer_kid as string,
  by: r.by as string,
  at: r.at as number,
  jws: r.jws as string,
  kvRevision: r.kv_revision as number,
  receivedAt: r.received_at as number,
});

const toEntry = (r: Row): EntryState<unknown> => ({
  country: r.country as string,
  type: r.type as EntryType,
  id: r.id as string,
  version: r.version as number,
  status: r.status as EntryStatus,
  data: JSON.parse(r.data as string) as unknown,
  seq: r.seq as number,
  updatedAt: r.updated_at as number,
  updatedBy: r.updated_by as string,
});

/** The registry's tables in the node's SQLite file (migration 2). Synchronous, like Store. */
export class RegistryCache {
  readonly db: Db;
  readonly #s;

  constructor(db: Db) {
    this.db = db;
    this.#s = {
      head: db.prepare('SELECT seq, hash, at FROM registry_log WHERE country = ? ORDER BY seq DESC LIMIT 1'),
      heads: db.prepare('SELECT country, MAX(seq) AS seq FROM registry_log GROUP BY country'),
      logAt: db.prepare('SELECT * FROM registry_log WHERE country = ? AND seq = ?'),
      appendLog: db.prepare(`INSERT INTO registry_log (country, seq, prev_hash, hash, signer_kid, by, at, jws, kv_revision, received_at)
        VALUES (@country, @seq, @prevHash, @hash, @signerKid, @by, @at, @jws, @kvRevision, @receivedAt)`),
      logOf: db.prepare('SELECT * FROM registry_log WHERE country = ? AND seq > ? ORDER BY seq LIMIT ?'),
      logDesc: db.prepare('SELECT * FROM registry_log WHERE country = ? AND seq < ? ORDER BY seq DESC LIMIT ?'),
      allLog: db.prepare('SELECT * FROM registry_log ORDER BY country, seq'),
      putEntry: db.prepare(`INSERT INTO registry_entries (country, type, id, version, status, data, seq, updated_at, updated_by)
        VALUES (@country, @type, @id, @version, @status, @data, @seq, @updatedAt, @updatedBy)
        ON CONFLICT (country, type, id) DO UPDATE SET version = excluded.version, status = excluded.status, data = excluded.data,
        seq = excluded.seq, updated_at = excluded.updated_at, updated_by = excluded.updated_by`),
      entries: db.prepare('SELECT * FROM registry_entries ORDER BY country, type, id'),
      addDescriptor: db.prepare(`INSERT OR IGNORE INTO registry_descriptors (country, serial, status, jws, source, accepted_at)
        VALUES (?, ?, ?, ?, ?, ?)`),
      descriptors: db.prepare('SELECT * FROM registry_descriptors ORDER BY country, serial'),
      reject: db.prepare(`INSERT OR IGNORE INTO rejected_registry_records (received_at, kv_key, kv_revision, code, detail, claimed_country, sha256, body)
        VALUES (@receivedAt, @kvKey, @kvRevision, @code, @detail, @claimedCountry, @sha256, @body)`),
      rejected: db.prepare('SELECT * FROM rejected_registry_records ORDER BY seq DESC LIMIT ?'),
      rejectedCount: db.prepare('SELECT COUNT(*) AS n FROM rejected_registry_records'),
      getState: db.prepare('SELECT value FROM registry_state WHERE name = ?'),
      setState: db.prepare('INSERT INTO registry_state (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value'),
    };
  }

  tx<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  head(country: string): Head | undefined {
    return this.#s.head.get(country) as Head | undefined;
  }

  heads(): Map<string, number> {
    return new Map((this.#s.heads.all() as Row[]).map((r) => [r.country as string, r.seq as number]));
  }

  logAt(country: string, seq: number): LogRow | undefined {
    const r = this.#s.logAt.get(country, seq) as Row | undefined;
    return r ? toLog(r) : undefined;
  }

  appendLog(row: LogRow): void {
    this.#s.appendLog.run(row);
  }

  /** Records of `country` after `afterSeq`, oldest first. */
  logAfter(country: string, afterSeq: number, limit: number): LogRow[] {
    return (this.#s.logOf.all(country, afterSeq, limit) as Row[]).map(toLog);
  }

  /** Records of `country` before `beforeSeq`, newest first. */
  logBefore(country: string, beforeSeq: number, limit: number): LogRow[] {
    return (this.#s.logDesc.all(country, beforeSeq, limit) as Row[]).map(toLog);
  }

  allLog(): LogRow[] {
    return (this.#s.allLog.all() as Row[]).map(toLog);
  }

  putEntry(e: EntryState<unknown>): void {
    this.#s.putEntry.run({ ...e, data: JSON.stringify(e.data) });
  }

  entries(): EntryState<unknown>[] {
    return (this.#s.entries.all() as Row[]).map(toEntry);
  }

  addDescriptor(d: DescriptorRow): void {
    this.#s.addDescriptor.run(d.country, d.serial, d.status, d.jws, d.source, d.acceptedAt);
  }

  descriptors(): DescriptorRow[] {
    return (this.#s.descriptors.all() as Row[]).map((r) => ({
      country: r.country as string,
      serial: r.serial as number,
      status: r.status as string,
      jws: r.jws as string,
      source: r.source as DescriptorRow['source'],
      acceptedAt: r.accepted_at as number,
    }));
  }

  /** Stores a rejected record; false when the same bytes under the same key were rejected before. */
  reject(r: Omit<RejectedRow, 'seq'>): boolean {
    return this.#s.reject.run(r).changes > 0;
  }

  rejected(limit: number): RejectedRow[] {
    return (this.#s.rejected.all(limit) as Row[]).map((r) => ({
      seq: r.seq as number,
      receivedAt: r.received_at as number,
      kvKey: r.kv_key as string,
      kvRevision: r.kv_revision as number,
      code: r.code as string,
      detail: r.detail as string,
      claimedCountry: r.claimed_country as string,
      sha256: r.sha256 as string,
      body: r.body as string,
    }));
  }

  rejectedCount(): number {
    return (this.#s.rejectedCount.get() as Row).n as number;
  }

  state(name: string): string | undefined {
    return (this.#s.getState.get(name) as Row | undefined)?.value as string | undefined;
  }

  setState(name: string, value: string): void {
    this.#s.setState.run(name, value);
  }
}
