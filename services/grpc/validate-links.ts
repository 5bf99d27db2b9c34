import type { SubmitLinks } from '../../generated/enlace/v1/exchange.js';
import { InvalidArgumentError } from '../../keys/index.js';
import type { SubmitLinksInput } from '../exchange/index.js';
import { validHandling } from '../requests/links.js';
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
