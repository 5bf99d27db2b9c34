import { RequestPayload } from '../../generated/enlace/v1/requests.js';
import { contentWithoutVictims, TYPED_REQUEST, victimIsSubject } from '../requests/index.js';
import type { Db } from './db.js';
import { groundColumns } from './free-text.js';
import { blob, preparedPer } from './rows.js';
import type { Store } from './store.js';
import type { ConsentWithdrawal, PeerErasure, RequestRow, TransitionRow } from './types.js';

/**
 * A victim's withdrawal of consent at this node (docs/protocol.md §21.4). The identity data
 * of the request's victims leaves the contents every read path opens: the request's form, the
 * responses on its steps, and the documents of a request about the victim herself.
 * - 'erased': it is gone; the envelopes that carry it, which the node could open again, are
 *   dropped (the verdicts stored on arrival stand).
 * - 'restricted' (a legal ground obliges this node to keep it): the full contents stay, sealed
 *   with the case key as they were, in columns no read path opens; the envelopes stay as the
 *   signed evidence. Erasing the case later destroys them with the key.
 * Call inside a transaction.
 */

const stmts = preparedPer((db: Db) => {
  return {
    request: db.prepare(`UPDATE requests SET restricted_payload = CASE WHEN @restricted THEN payload ELSE NULL END,
      payload = @payload, envelope = CASE WHEN @restricted THEN envelope ELSE x'' END,
      consent_withdrawal = @state, consent_legal_ground = @ground, consent_legal_ground_sealed = @groundSealed, consent_withdrawn_at = @at, updated_at = @at
      WHERE id = @id`),
    state: db.prepare(`UPDATE requests SET consent_withdrawal = @state, consent_legal_ground = @ground, consent_legal_ground_sealed = @groundSealed,
      consent_withdrawn_at = @at, updated_at = @at WHERE id = @id`),
    step: db.prepare(`UPDATE transitions SET restricted_response = CASE WHEN @restricted THEN response ELSE NULL END,
      response = @response, envelope = CASE WHEN @restricted THEN envelope ELSE x'' END WHERE event_id = @id`),
    restrictAttachments: db.prepare('UPDATE attachments SET restricted = 1 WHERE request_id = ?'),
    eraseAttachments: db.prepare("UPDATE attachments SET file_name = x'', content = x'' WHERE request_id = ?"),
    consentOf: db.prepare('SELECT consent_withdrawal FROM requests WHERE id = ?'),
    peer: db.prepare('UPDATE requests SET peer_consent = ?, peer_consent_reason = ?, peer_consent_reason_sealed = ?, updated_at = ? WHERE id = ?'),
  };
});

/** Content as the store keeps it: sealed with the case key when the store has a vault. */
function sealed(store: Store, requestId: string, bytes: Uint8Array): Buffer {
  return blob(store.vault ? (store.vault.seal(requestId, bytes) ?? new Uint8Array()) : bytes);
}

export interface Withdrawn {
  state: Exclude<ConsentWithdrawal, ''>;
  /** Whether anything was removed from what the read paths open (false: the request named no victim). */
  changed: boolean;
}

/** Removes the victims' identity data of a request from what is read; `legalGround` keeps it restricted instead. */
export function withdrawVictimIdentity(store: Store, r: RequestRow, legalGround: string, at: number): Withdrawn {
  const restricted = legalGround !== '';
  const state = restricted ? 'restricted' : 'erased';
  const s = stmts(store.db);
  const form = contentWithoutVictims(r.payload, r.payloadType, 'request');
  let changed = form.changed;
  const g = groundColumns(store.vault, r.id, legalGround);
  if (form.changed) {
    s.request.run({ id: r.id, restricted: restricted ? 1 : 0, payload: sealed(store, r.id, form.bytes), state, ground: g.clear, groundSealed: g.sealed, at });
  } else {
    s.state.run({ id: r.id, state, ground: g.clear, groundSealed: g.sealed, at });
  }
  for (const t of store.transitionsFor(r.id)) {
    if (!t.response) continue;
    const answer = contentWithoutVictims(t.response, t.responseType, 'response');
    if (!answer.changed) continue;
    changed = true;
    s.step.run({ id: t.eventId, restricted: restricted ? 1 : 0, response: sealed(store, r.id, answer.bytes) });
  }
  if (r.payloadType === TYPED_REQUEST && r.payload.byteLength > 0 && victimIsSubject(RequestPayload.decode(r.payload))) {
    (restricted ? s.restrictAttachments : s.eraseAttachments).run(r.id);
  }
  return { state, changed };
}

/** What the other state did with its copy of the victims' identity data. */
export function setPeerConsent(store: Store, requestId: string, state: PeerErasure, reason: string, at: number): void {
  const g = groundColumns(store.vault, requestId, reason);
  stmts(store.db).peer.run(state, g.clear, g.sealed, at, requestId);
}

/**
 * A response stored after the withdrawal (the other state answered before it learned of it)
 * is treated like those before it: its readable copy carries no victim's identity.
 */
export function applyWithdrawalToStep(store: Store, t: TransitionRow): void {
  if (!t.response) return;
  const s = stmts(store.db);
  const row = s.consentOf.get(t.requestId) as { consent_withdrawal: ConsentWithdrawal } | undefined;
  if (!row || row.consent_withdrawal === '') return;
  const answer = contentWithoutVictims(t.response, t.responseType, 'response');
  if (!answer.changed) return;
  s.step.run({ id: t.eventId, restricted: row.consent_withdrawal === 'restricted' ? 1 : 0, response: sealed(store, t.requestId, answer.bytes) });
}
