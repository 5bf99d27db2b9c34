import type { RequestLinks } from '../../generated/enlace/v1/envelope.js';
import { b64u, EnlaceError, InvalidArgumentError } from '../../keys/index.js';
import { linkProblem, NO_THIRD_STATES, type HandlingCode } from '../requests/links.js';
import { fileCase, requestLinks, sealText, setRequestLinks, type RequestRow } from '../store/index.js';
import type { ExchangeDeps } from './deps.js';

/**
 * Cases, linked requests and use restrictions at this node (docs/protocol.md §25): what a submit
 * may name, what is signed in the request, and what is recorded with it at either state.
 */

/** A submit's links as the edge checked them (services/grpc/validate-links.ts). */
export interface SubmitLinksInput {
  parentId: string;
  caseReference: string;
  caseTitle: string;
  handling: HandlingCode[];
  /** A request of this node whose information the new one passes on (never sent). */
  derivedFrom: string;
  /** Why a restriction of `derivedFrom` is overridden; '' = none. */
  override: string;
}

/** Who submits: an override is recorded under their name. */
export interface Submitter {
  subject: string;
  roles: readonly string[];
}

/** What a submit's links come to once checked against the store: the signed part, and an override to record. */
export interface ResolvedLinks {
  signed: RequestLinks;
  caseTitle: string;
  override?: { sourceId: string; reason: string; codes: string[] };
}

export const NO_LINKS: SubmitLinksInput = { parentId: '', caseReference: '', caseTitle: '', handling: [], derivedFrom: '', override: '' };

/**
 * Checks a new request's links before anything is sealed: its parent (held here, between the
 * same two states, a pair the link table allows), and the restrictions of the request it passes
 * information on from. Those restrictions carry over; toward a third state, information that may
 * not go to third states is refused (ERR_USE_RESTRICTED) unless a reason overrides it.
 */
export function resolveLinks(deps: ExchangeDeps, kind: string, toCountry: string, l: SubmitLinksInput): ResolvedLinks {
  if (l.parentId) {
    const parent = deps.store.getRequest(l.parentId);
    const problem = linkProblem(parent && { kind: parent.kind, counterpart: parent.counterpart }, kind, toCountry);
    if (problem) throw new InvalidArgumentError('links.parent_request_id', problem.replace(/^links\.parent_request_id:? /, ''));
  }
  const handling = new Set<string>(l.handling);
  let override: ResolvedLinks['override'];
  if (l.derivedFrom) {
    const source = deps.store.getRequest(l.derivedFrom);
    if (!source) throw new InvalidArgumentError('links.derived_from_request_id', 'must name a request held at this node');
    const inherited = requestLinks(deps.store, source.id).handling;
    for (const c of inherited) handling.add(c);
    if (inherited.includes(NO_THIRD_STATES) && source.counterpart !== toCountry) {
      if (!l.override)
        throw new EnlaceError(
          'ERR_USE_RESTRICTED',
          `request ${source.id} may not be shared with a third state (${toCountry}) without the consent of ${source.counterpart}; give restriction_override with the reason to send it anyway`,
        );
      override = { sourceId: source.id, reason: l.override, codes: [NO_THIRD_STATES] };
    }
  }
  return { signed: { parentRequestId: l.parentId, caseReference: l.caseReference, handling: [...handling] }, caseTitle: l.caseTitle, ...(override ? { override } : {}) };
}

/**
 * Records a request's links in the transaction that stores it, at either state: its case (the
 * owner's reference: this node's for its own requests, the sender's for received ones), its
 * parent and its restrictions. A formal extradition request that follows up on a provisional
 * arrest stops the parent's 60-day clock. Call inside a transaction.
 */
export function recordLinks(deps: ExchangeDeps, r: Pick<RequestRow, 'id' | 'kind' | 'direction' | 'counterpart'>, links: RequestLinks | undefined, at: number, caseTitle = ''): void {
  if (!links || (!links.parentRequestId && !links.caseReference && links.handling.length === 0)) return;
  const { store } = deps;
  const owner = r.direction === 'outbound' ? deps.country : r.counterpart;
  const caseId = links.caseReference ? fileCase(store, owner, links.caseReference, caseTitle, at) : '';
  setRequestLinks(store, r.id, { caseId, parentId: links.parentRequestId, handling: links.handling });
  const parent = links.parentRequestId ? store.getRequest(links.parentRequestId) : undefined;
  if (parent && isFormalRequestFor(r, parent) && parent.stage === 'provisional_arrest' && parent.dueAt !== null) {
    store.setSchedule(parent.id, parent.receivedAt, null, parent.pausedAt);
  }
}

type Linked = Pick<RequestRow, 'kind' | 'direction'>;

/**
 * Whether `child`, a follow-up of `parent`, is the formal extradition request owed after the
 * parent's provisional arrest: both extraditions, sent by the same state (the requesting one;
 * an extradition the requested state links back to it is not the formal request).
 */
export function isFormalRequestFor(child: Linked, parent: Linked): boolean {
  return child.kind === 'extradition' && parent.kind === 'extradition' && child.direction === parent.direction;
}

/** Whether this node holds the formal extradition request that follows up on `parent` (§25.1). */
export function hasFormalRequest(deps: Pick<ExchangeDeps, 'store'>, parent: RequestRow): boolean {
  return requestLinks(deps.store, parent.id).childIds.some((id) => {
    const child = deps.store.getRequest(id);
    return child !== undefined && isFormalRequestFor(child, parent);
  });
}

/**
 * Records an override of a use restriction in the audit log, on both requests. The reason is
 * typed by a person, so it is case content: the entry keeps it sealed with the new request's case
 * key (gone when that case is erased), and ListAudit shows auditors only that there is one.
 */
export function auditOverride(deps: ExchangeDeps, requestId: string, toCountry: string, o: NonNullable<ResolvedLinks['override']>, by: Submitter, at: number): void {
  const sealed = deps.store.vault ? sealText(deps.store.vault, requestId, o.reason) : null;
  const detail = sealed ? `sealed:${b64u(new Uint8Array(sealed))}` : '[withheld]';
  deps.store.audit.append({ at, actor: by.subject, roles: by.roles, action: 'override_restriction', requestId, detail });
  deps.store.audit.append({
    at,
    actor: by.subject,
    roles: by.roles,
    action: 'restriction_overridden',
    requestId: o.sourceId,
    detail: `${o.codes.join(',')}: passed on to ${toCountry} in request ${requestId}`,
  });
}
