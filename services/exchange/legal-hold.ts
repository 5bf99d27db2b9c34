import { EnlaceError } from '../../keys/index.js';
import { setLegalHold, type RequestRow } from '../store/index.js';
import type { ExchangeDeps } from './deps.js';
import { typedDetail, type Eraser } from './erase.js';

/**
 * Records (non-empty `reason`) or lifts (empty) this node's legal hold on a case: while it
 * holds, the case is not erased, neither on request nor by retention. The ground is typed by a
 * person: kept sealed on the request for content roles; the audit log and the timeline say only
 * that a hold was recorded or lifted.
 * Setting the hold it already has changes nothing.
 */
export function holdCase(deps: ExchangeDeps, requestId: string, reason: string, by: Pick<Eraser, 'subject' | 'roles'>): RequestRow {
  const { store, clock, country } = deps;
  const now = clock.now();
  return store.tx(() => {
    const r = store.getRequest(requestId);
    if (!r) throw new EnlaceError('ERR_NOT_FOUND', `no request ${requestId} at this node`);
    if (r.erased) throw new EnlaceError('ERR_INVALID_TRANSITION', 'the case was erased at this node; there is nothing left to hold');
    if (r.legalHold === reason) return r;
    setLegalHold(store, requestId, reason, now);
    store.audit.append({ at: now, actor: by.subject, roles: by.roles, action: reason ? 'legal_hold' : 'lift_legal_hold', requestId, detail: typedDetail(reason) });
    store.addTimeline(requestId, 'transition', now, reason ? `${country}: legal hold recorded` : `${country}: legal hold lifted`);
    return store.getRequest(requestId)!;
  });
}
