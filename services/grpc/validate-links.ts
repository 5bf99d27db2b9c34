import type { SubmitLinks } from '../../generated/enlace/v1/exchange.js';
import { InvalidArgumentError } from '../../keys/index.js';
import type { SubmitLinksInput } from '../exchange/index.js';
import { MAX_LISTED_IDS, MAX_RECIPIENTS, SEVERAL_RECIPIENT_KINDS, validHandling } from '../requests/links.js';
import { UUID, UUID_V7 } from '../vocabulary.js';

const REFERENCE = /^[^\x00-\x1f\x7f]{1,100}$/;

/** A submit's links (docs/protocol.md §25), checked at the edge; the parent and the source are checked against the store by the exchange. */
export function validSubmitLinks(l: SubmitLinks | undefined): SubmitLinksInput {
  if (!l) return { parentId: '', caseReference: '', caseTitle: '', handling: [], derivedFrom: '', override: '' };
  if (l.parentRequestId && !UUID_V7.test(l.parentRequestId)) throw new InvalidArgumentError('links.parent_request_id', 'must be a request id (UUIDv7, lower-case)');
  if (l.derivedFromRequestId && !UUID_V7.test(l.derivedFromRequestId)) throw new InvalidArgumentError('links.derived_from_request_id', 'must be a request id (UUIDv7, lower-case)');
  const caseReference = l.caseReference.trim();
  if (caseReference && !REFERENCE.test(caseReference)) throw new InvalidArgumentError('links.case_reference', 'must have 1 to 100 characters, without control characters');
  const caseTitle = l.caseTitle.trim();
  if (caseTitle.length > 200) throw new InvalidArgumentError('links.case_title', 'must have at most 200 characters');
  if (caseTitle && !caseReference) throw new InvalidArgumentError('links.case_title', 'needs a case_reference');
  const override = l.restrictionOverride.trim();
  if (override && override.length < 3) throw new InvalidArgumentError('links.restriction_override', 'must give a reason of 3 to 500 characters');
  if (override.length > 500) throw new InvalidArgumentError('links.restriction_override', 'must have at most 500 characters');
  return { parentId: l.parentRequestId, caseReference, caseTitle, handling: validHandling(l.handling), derivedFrom: l.derivedFromRequestId, override };
}

/** A case id given to ListRequests or GetCase. */
export function validCaseId(id: string, field = 'case_id'): string {
  if (!UUID.test(id)) throw new InvalidArgumentError(field, 'must be a case id (a UUID from ListCases)');
  return id;
}

/**
 * A submit's further recipients (docs/protocol.md §25.4): ISO codes, each once, neither this node
 * nor `to_country`, at most nine, and only for the types that go to several states.
 */
export function validAlsoTo(also: readonly string[], toCountry: string, kind: string, ownCountry: string): string[] {
  if (also.length === 0) return [];
  const field = 'also_to_countries';
  if (!(SEVERAL_RECIPIENT_KINDS as readonly string[]).includes(kind))
    throw new InvalidArgumentError(field, `can only be given for ${SEVERAL_RECIPIENT_KINDS.join(' and ')}; other requests go to one state`);
  if (also.length > MAX_RECIPIENTS - 1) throw new InvalidArgumentError(field, `may name at most ${MAX_RECIPIENTS - 1} states`);
  also.forEach((c, i) => {
    if (!/^[A-Z]{2}$/.test(c)) throw new InvalidArgumentError(`${field}[${i}]`, 'must be an ISO 3166-1 alpha-2 code in capitals, like BR');
    if (c === ownCountry) throw new InvalidArgumentError(`${field}[${i}]`, 'must be another country than this node');
    if (c === toCountry || also.indexOf(c) !== i) throw new InvalidArgumentError(`${field}[${i}]`, 'names a state twice');
  });
  return [...also];
}

/** An `ids` filter of ListRequests (request ids, UUIDv7) or ListCases (case ids, UUID): at most 50, each once. */
export function validIds(ids: readonly string[], of: 'request' | 'case'): string[] {
  if (ids.length > MAX_LISTED_IDS) throw new InvalidArgumentError('ids', `must have at most ${MAX_LISTED_IDS} ids`);
  if (new Set(ids).size !== ids.length) throw new InvalidArgumentError('ids', 'must name each id once');
  const pattern = of === 'request' ? UUID_V7 : UUID;
  for (const [i, id] of ids.entries()) {
    if (!pattern.test(id)) throw new InvalidArgumentError(`ids[${i}]`, of === 'request' ? 'must be a request id (UUIDv7, lower-case)' : 'must be a case id (a UUID from ListCases)');
  }
  return [...ids];
}
