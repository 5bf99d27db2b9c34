import type { AuditEntry, QuarantineRow } from '../store/index.js';
import type { ExchangeDeps } from './deps.js';

/** What the node's data path holds right now, for GetNodeInfo. */
export function outboxAndQuarantine(deps: ExchangeDeps): { pendingOutbox: number; quarantined: number } {
  return { pendingOutbox: deps.store.outboxCount(), quarantined: deps.store.quarantineCount() };
}

/** The latest quarantined messages (everything that failed a check, kept with its code), newest first. */
export function quarantined(deps: ExchangeDeps, limit: number): QuarantineRow[] {
  return deps.store.listQuarantine(limit);
}

/**
 * A page of the audit log (newest first, optionally one request's, before a seq), and whether
 * the whole hash chain verifies: `brokenAt` is the first entry that does not.
 */
export function auditTrail(deps: ExchangeDeps, query: { requestId?: string; beforeSeq?: number; limit: number }): { entries: AuditEntry[]; total: number; brokenAt?: number } {
  const { audit } = deps.store;
  const check = audit.verify();
  return { entries: audit.list(query), total: check.entries, ...(check.brokenAt === undefined ? {} : { brokenAt: check.brokenAt }) };
}
