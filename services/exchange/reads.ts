import { EnlaceError } from '../../keys/index.js';
import { listAttachments, readAttachment, type AttachmentMeta, type ListFilter, type ListPage, type ReceiptRow, type RequestRow, type TimelineRow, type TransitionRow } from '../store/index.js';
import type { ExchangeDeps } from './deps.js';
import { recheckSignatures } from './recheck.js';

/** Everything this node holds about one request, as GetRequest shows it. */
export interface CaseRecord {
  request: RequestRow;
  steps: TransitionRow[];
  timeline: TimelineRow[];
  /** Receipts for an outbound request (empty for an inbound one). */
  receipts: ReceiptRow[];
  attachments: AttachmentMeta[];
}

/** The request `id`; ERR_NOT_FOUND when this node holds none. */
export function requireRequest(deps: ExchangeDeps, id: string): RequestRow {
  const r = deps.store.getRequest(id);
  if (!r) throw new EnlaceError('ERR_NOT_FOUND', `no request ${id} at this node`);
  return r;
}

/**
 * One request with its steps, timeline, receipts and attachments; with `recheck`, the stored
 * signature verdicts are computed again first (services/exchange/recheck.ts).
 */
export async function readCase(deps: ExchangeDeps, id: string, opts: { recheck?: boolean } = {}): Promise<CaseRecord> {
  if (opts.recheck) {
    requireRequest(deps, id);
    await recheckSignatures(deps, id);
  }
  const { store } = deps;
  const request = requireRequest(deps, id);
  return {
    request,
    steps: store.transitionsFor(id),
    timeline: store.timeline(id),
    receipts: request.direction === 'outbound' ? store.receiptsFor(id) : [],
    attachments: listAttachments(store, id),
  };
}

/** The attachments of a request (metadata, no content). */
export function attachmentsOf(deps: ExchangeDeps, requestId: string): AttachmentMeta[] {
  return listAttachments(deps.store, requestId);
}

/** One attachment with its content (see `readAttachment` for what else it can be). */
export function attachmentOf(deps: ExchangeDeps, requestId: string, attachmentId: string): ReturnType<typeof readAttachment> {
  return readAttachment(deps.store, requestId, attachmentId);
}

/**
 * One page of requests matching `query` (newest first) and the total that match: `limit`
 * rows, and `more` when another page follows (the next one continues past the last row's seq).
 */
export function listCases(deps: ExchangeDeps, query: ListFilter & ListPage): { rows: RequestRow[]; more: boolean; total: number } {
  const { store } = deps;
  // One more row than the page tells whether another page follows.
  const rows = store.listRequests(query, { ...query, limit: query.limit + 1 });
  return { rows: rows.slice(0, query.limit), more: rows.length > query.limit, total: store.countRequests(query) };
}

/** Where an earlier submit with this idempotency key went, if there was one. */
export function destinationOfIdempotencyKey(deps: ExchangeDeps, key: string): string | undefined {
  return deps.store.byIdempotencyKey(key)?.toAddr;
}
