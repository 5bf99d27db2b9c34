import { ErasureRequest } from '../../generated/enlace/v1/envelope.js';
import { EnlaceError } from '../../keys/index.js';
import { KIND } from '../envelope/index.js';
import { REDACTED } from '../requests/index.js';
import { recordSent, setPeerErasure, type RequestRow } from '../store/index.js';
import type { ExchangeDeps } from './deps.js';
import { sealOnLane } from './seal-for.js';

export interface Eraser {
  /** Who erases: a person's subject, or "retention-policy". */
  subject: string;
  roles: readonly string[];
  /** A reason the system wrote (never a person's free text), shown on the timeline and kept in the audit log. */
  systemReason?: boolean;
}

/**
 * Erases a case at this node and asks the other state to erase its copy (docs/protocol.md
 * §21): the case key is destroyed (contents, free text, attachments become unreadable), the
 * erasure is audited and put on the timeline, and a signed `erasure` envelope goes through
 * the outbox; the other state answers with a signed confirmation or a legal hold. Afterwards
 * no step is taken on the request at either node. The EraseCase RPC and the retention policy
 * both come here. Erasing an erased case changes nothing.
 */
export async function eraseCase(deps: ExchangeDeps, requestId: string, reason: string, by: Eraser): Promise<RequestRow> {
  const { store, clock, country } = deps;
  const check = (r: RequestRow | undefined): RequestRow => {
    if (!r) throw new EnlaceError('ERR_NOT_FOUND', `no request ${requestId} at this node`);
    if (r.status === 'submitted') throw new EnlaceError('ERR_INVALID_TRANSITION', 'the request is still being delivered; erase it once it is delivered or failed');
    if (r.legalHold) throw new EnlaceError('ERR_INVALID_TRANSITION', 'this node keeps the case under a legal hold; lift the hold before erasing');
    return r;
  };
  const r = check(store.getRequest(requestId));
  if (r.erased) return r;
  const now = clock.now();
  return store.tx(() => {
    const fresh = check(store.getRequest(requestId));
    if (fresh.erased) return fresh;
    store.eraseCase(requestId, now);
    store.audit.append({ at: now, actor: by.subject, roles: by.roles, action: 'erase', requestId, detail: by.systemReason ? reason : typedDetail(reason) });
    // Nothing to ask when the other state erased first and told us, or never received the request.
    const ask = fresh.peerErasure !== 'erased' && (fresh.direction === 'inbound' || fresh.receivedAt !== null);
    // A person's reason is free text: it goes to the other state in the sealed envelope, and is kept neither in the log nor on the timeline.
    const why = by.systemReason ? ` (${reason})` : '';
    store.addTimeline(requestId, 'transition', now, `${country}: case data erased at this node${why}${ask ? `; ${r.counterpart} is asked to erase its copy` : ''}`);
    if (ask) {
      setPeerErasure(store, requestId, 'requested', '', now);
      const out = sealOnLane(deps, fresh.counterpart, KIND.erasure, ErasureRequest.encode({ requestId, reason, at: now, scope: '', legalGround: '' }).finish(), { now });
      recordSent(store, out.id, requestId, out.kind, out.sha256);
      store.enqueue({ envelopeId: out.id, destination: out.to, kind: out.kind, bytes: out.bytes, expectsReceipt: true, nextAttemptAt: now });
    }
    return store.getRequest(requestId)!;
  });
}

/**
 * What the audit log keeps of a reason a person typed: that there was one. The log is read by
 * auditors and operators, who have no content access, and it is append-only, so it could not
 * forget the text when the case is erased (docs/architecture.md, need-to-know).
 */
export function typedDetail(reason: string): string {
  return reason === '' ? '' : REDACTED;
}

/** Whether steps are over for a request: its contents were erased here, or the other state erased its copy. */
export function erasureEndsSteps(r: RequestRow): string | undefined {
  if (r.erased) return 'the case was erased at this node; no further steps are taken on it';
  if (r.peerErasure !== '') return 'the case was erased by the other state; no further steps are taken on it';
  return undefined;
}
