import type { Db } from './db.js';
import { groundColumns } from './free-text.js';
import { blob, preparedPer } from './rows.js';
import type { Store } from './store.js';
import type { PeerErasure } from './types.js';

/** Bilateral erasure bookkeeping on a request (docs/protocol.md §21). Grounds are typed by people: sealed (free-text.ts). */

const stmts = preparedPer((db: Db) => {
  return {
    hold: db.prepare('UPDATE requests SET legal_hold = ?, legal_hold_sealed = ?, updated_at = ? WHERE id = ?'),
    peer: db.prepare('UPDATE requests SET peer_erasure = ?, peer_erasure_reason = ?, peer_erasure_reason_sealed = ?, updated_at = ? WHERE id = ?'),
    sent: db.prepare('INSERT OR IGNORE INTO sent_envelopes (envelope_id, request_id, kind, sha256) VALUES (?, ?, ?, ?)'),
    sentOf: db.prepare('SELECT request_id, kind, sha256 FROM sent_envelopes WHERE envelope_id = ?'),
  };
});

export function setLegalHold(store: Store, requestId: string, reason: string, at: number): void {
  const g = groundColumns(store.vault, requestId, reason);
  stmts(store.db).hold.run(g.clear, g.sealed, at, requestId);
}

export function setPeerErasure(store: Store, requestId: string, state: PeerErasure, reason: string, at: number): void {
  const g = groundColumns(store.vault, requestId, reason);
  stmts(store.db).peer.run(state, g.clear, g.sealed, at, requestId);
}

/** Remembers an envelope this node sent about a request (not the request, not a step), to match its receipt. */
export function recordSent(store: Store, envelopeId: string, requestId: string, kind: string, sha256: Uint8Array): void {
  stmts(store.db).sent.run(envelopeId, requestId, kind, blob(sha256));
}

export function sentEnvelope(store: Store, envelopeId: string): { requestId: string; kind: string; sha256: Uint8Array } | undefined {
  const r = stmts(store.db).sentOf.get(envelopeId) as { request_id: string; kind: string; sha256: Buffer } | undefined;
  return r ? { requestId: r.request_id, kind: r.kind, sha256: new Uint8Array(r.sha256) } : undefined;
}
