import { ErasureRequest } from '../../generated/enlace/v1/envelope.js';
import { EnlaceError } from '../../keys/index.js';
import { KIND } from '../envelope/index.js';
import { recordSent, setPeerConsent, withdrawVictimIdentity, type RequestRow } from '../store/index.js';
import type { ExchangeDeps } from './deps.js';
import type { Eraser } from './erase.js';
import { sealOnLane } from './seal-for.js';

/** The scope of an ErasureRequest that carries a withdrawal of consent (docs/protocol.md §21.4). */
export const VICTIM_IDENTITY = 'victim_identity';

/** The reason sent with the erasure: written by the system, never a person's free text. */
export const CONSENT_WITHDRAWN_REASON = 'the victim withdrew her consent';

/**
 * A victim withdrew her consent to the exchange of her data (docs/protocol.md §21.4): the
 * identity data of the request's victims is erased at this node, or, when `legalGround` says
 * why this node must keep it, kept restricted (shown to no role), and a signed `erasure` of
 * scope "victim_identity" asks the other state to do the same; it answers with a signed
 * confirmation or a legal hold. Unlike erasing the case, the request goes on: the other
 * persons, the facts and the steps stay. Withdrawing again changes nothing.
 */
export async function withdrawConsent(deps: ExchangeDeps, requestId: string, legalGround: string, by: Eraser): Promise<RequestRow> {
  const { store, clock, country } = deps;
  const check = (r: RequestRow | undefined): RequestRow => {
    if (!r) throw new EnlaceError('ERR_NOT_FOUND', `no request ${requestId} at this node`);
    if (r.erased) throw new EnlaceError('ERR_INVALID_TRANSITION', 'the case was erased at this node: nothing of the victim is left to withdraw');
    if (r.status === 'submitted') throw new EnlaceError('ERR_INVALID_TRANSITION', 'the request is still being delivered; record the withdrawal once it is delivered or failed');
    return r;
  };
  const r = check(store.getRequest(requestId));
  if (r.consentWithdrawal !== '') return r;
  const now = clock.now();
  const body = ErasureRequest.encode({ requestId, reason: CONSENT_WITHDRAWN_REASON, at: now, scope: VICTIM_IDENTITY, legalGround }).finish();
  return store.tx(() => {
    const fresh = check(store.getRequest(requestId));
    if (fresh.consentWithdrawal !== '') return fresh;
    const done = withdrawVictimIdentity(store, fresh, legalGround, now);
    // The audit log is read by auditors: the ground is free text, so it stays on the request (content roles), not here.
    // Nothing was removed: the request names no victim (the transaction rolls back, nothing is sent).
    if (!done.changed) throw new EnlaceError('ERR_INVALID_TRANSITION', 'this request holds no identity data of a victim; there is nothing to withdraw');
    store.audit.append({ at: now, actor: by.subject, roles: by.roles, action: 'withdraw_consent', requestId, detail: legalGround ? 'kept restricted under a legal ground' : 'erased' });
    const ask = fresh.peerErasure !== 'erased' && (fresh.direction === 'inbound' || fresh.receivedAt !== null);
    const here = done.state === 'erased' ? 'erased at this node' : 'kept restricted at this node under a legal ground';
    store.addTimeline(requestId, 'transition', now, `${country}: the victim withdrew her consent; her identity data ${here}${ask ? `; ${fresh.counterpart} is asked to erase its copy` : ''}`);
    if (ask) {
      setPeerConsent(store, requestId, 'requested', '', now);
      const out = sealOnLane(deps, fresh.counterpart, KIND.erasure, body, { now });
      recordSent(store, out.id, requestId, out.kind, out.sha256);
      store.enqueue({ envelopeId: out.id, destination: out.to, kind: out.kind, bytes: out.bytes, expectsReceipt: true, nextAttemptAt: now });
    }
    return store.getRequest(requestId)!;
  });
}
