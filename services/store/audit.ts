import { createHash } from 'node:crypto';
import type { Db } from './db.js';

export interface AuditEntry {
  seq: number;
  at: number;
  actor: string;
  roles: string;
  action: string;
  requestId: string;
  detail: string;
  /** The field classes the read returned, comma-separated ("identity,sensitive,metadata"); empty for other actions. */
  fields: string;
  prevHash: string;
  hash: string;
}

export interface AuditInput {
  at: number;
  actor: string;
  roles: readonly string[];
  action: string;
  requestId: string;
  detail?: string;
  fields?: readonly string[];
}

const GENESIS = '0'.repeat(64);

/** Entries written before reads carried their field classes hash without them, so their chain still verifies. */
function entryHash(e: Omit<AuditEntry, 'seq' | 'hash'>): string {
  const parts: unknown[] = [e.prevHash, e.at, e.actor, e.roles, e.action, e.requestId, e.detail];
  if (e.fields !== '') parts.push(e.fields);
  const canonical = JSON.stringify(parts);
  return createHash('sha256').update(canonical).digest('hex');
}

/** An audit_log row as an entry. */
function entryOf(r: Record<string, unknown>): AuditEntry {
  return {
    seq: r.seq as number,
    at: r.at as number,
    actor: r.actor as string,
    roles: r.roles as string,
    action: r.action as string,
    requestId: r.request_id as string,
    detail: r.detail as string,
    fields: r.fields as string,
    prevHash: r.prev_hash as string,
    hash: r.hash as string,
  };
}

/**
 * The append-only audit log of reads and erasures of case contents. SQLite triggers refuse
 * updates and deletes; each entry hashes the previous one, so `verify` detects a rewrite.
 */
export class AuditLog {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** `fields`: for a read, the classes of the fields it returned (services/requests/field-classes.ts). */
  append(e: AuditInput): void {
    this.appendMany([e]);
  }

  /** Several entries in one transaction (a page of a list is one read per request shown, one disk sync). */
  appendMany(es: readonly AuditInput[]): void {
    if (es.length === 0) return;
    const insert = this.#db.prepare('INSERT INTO audit_log (at, actor, roles, action, request_id, detail, fields, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    this.#db.transaction(() => {
      let prev = (this.#db.prepare('SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { hash: string } | undefined)?.hash ?? GENESIS;
      for (const e of es) {
        const row = {
          at: e.at,
          actor: e.actor,
          roles: [...e.roles].sort().join(','),
          action: e.action,
          requestId: e.requestId,
          detail: e.detail ?? '',
          fields: (e.fields ?? []).join(','),
          prevHash: prev,
        };
        prev = entryHash(row);
        insert.run(row.at, row.actor, row.roles, row.action, row.requestId, row.detail, row.fields, row.prevHash, prev);
      }
    })();
  }

  list(opts: { requestId?: string; beforeSeq?: number; limit: number }): AuditEntry[] {
    const where: string[] = [];
    if (opts.requestId) where.push('request_id = @requestId');
    if (opts.beforeSeq) where.push('seq < @beforeSeq');
    const sql = `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT @limit`;
    return (this.#db.prepare(sql).all({ requestId: opts.requestId ?? '', beforeSeq: opts.beforeSeq ?? 0, limit: opts.limit }) as Record<string, unknown>[]).map(entryOf);
  }

  /** Walks the whole chain; returns the first broken sequence number, or undefined when intact. */
  verify(): { entries: number; brokenAt?: number } {
    let prev = GENESIS;
    let n = 0;
    for (const r of this.#db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as Iterable<Record<string, unknown>>) {
      n++;
      const e = entryOf(r);
      if (e.prevHash !== prev || entryHash(e) !== e.hash) return { entries: n, brokenAt: e.seq };
      prev = e.hash;
    }
    return { entries: n };
  }
}
