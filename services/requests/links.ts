import { InvalidArgumentError } from '../../keys/index.js';
import { codeTable } from './code-table.js';
import type { RequestType } from './codes.js';

/**
 * Linked requests and use restrictions (docs/protocol.md §25): which request types may follow
 * up on which, and the handling codes a sender attaches to what it sends.
 */

/**
 * The link table: for each type of parent request, the types that may follow up on it. Any
 * request may be followed by additional information; the others are the follow-ups the
 * conventions name (a travel document after a nationality verification, a formal extradition
 * request after a provisional arrest, a further MLA request in the same proceedings).
 */
export const LINKS: Readonly<Record<RequestType, readonly RequestType[]>> = {
  nationality_verification: ['nationality_verification', 'consular_notification', 'additional_information'],
  consular_notification: ['nationality_verification', 'additional_information'],
  extradition: ['extradition', 'mla', 'additional_information'],
  mla: ['mla', 'extradition', 'additional_information'],
  criminal_records: ['criminal_records', 'mla', 'extradition', 'additional_information'],
  conviction_notification: ['criminal_records', 'additional_information'],
  spontaneous_information: ['mla', 'extradition', 'criminal_records', 'spontaneous_information', 'additional_information'],
  additional_information: ['additional_information'],
};

/** The request a new one names as its parent, as this node holds it. */
export interface LinkParent {
  kind: string;
  counterpart: string;
}

/**
 * Why `childKind`, exchanged with `counterpart`, may not follow up on `parent`; undefined when
 * it may. The parent must be held here and be between the same two states (either direction).
 *
 * @example linkProblem({ kind: 'nationality_verification', counterpart: 'UY' }, 'nationality_verification', 'UY') // undefined
 */
export function linkProblem(parent: LinkParent | undefined, childKind: string, counterpart: string): string | undefined {
  if (!parent) return 'links.parent_request_id must name a request between the same two states';
  if (parent.counterpart !== counterpart) return 'links.parent_request_id must name a request between the same two states';
  const allowed = LINKS[parent.kind as RequestType] ?? [];
  if (!allowed.includes(childKind as RequestType)) return `links.parent_request_id: a ${childKind} request may not follow up on a ${parent.kind} request`;
  return undefined;
}

/** Use restrictions (Europol SIENA's handling codes, in the network's words), labelled in the four languages. */
export const HANDLING_CODES = codeTable('handling code', {
  no_third_states: {
    es: 'No compartir con terceros Estados sin consentimiento',
    en: 'Not to be shared with third states without consent',
    fr: 'Ne pas communiquer à des États tiers sans consentement',
    pt: 'Não compartilhar com terceiros Estados sem consentimento',
  },
  intelligence_only: {
    es: 'Solo para inteligencia, no como prueba',
    en: 'For intelligence only, not as evidence',
    fr: 'Pour le renseignement uniquement, pas comme preuve',
    pt: 'Somente para inteligência, não como prova',
  },
  named_proceedings_only: {
    es: 'Solo para el procedimiento indicado',
    en: 'For the named proceedings only',
    fr: 'Uniquement pour la procédure indiquée',
    pt: 'Somente para o procedimento indicado',
  },
});

export type HandlingCode = keyof typeof HANDLING_CODES.entries;
export const HANDLING: readonly HandlingCode[] = Object.keys(HANDLING_CODES.entries) as HandlingCode[];

/** The handling codes of a request, checked: each a code of the table, at most once. */
export function validHandling(codes: readonly string[], field = 'links.handling'): HandlingCode[] {
  const out: HandlingCode[] = [];
  for (const c of codes) {
    if (!(HANDLING as readonly string[]).includes(c)) throw new InvalidArgumentError(field, `must hold handling codes (${HANDLING.join(', ')})`);
    if (!out.includes(c as HandlingCode)) out.push(c as HandlingCode);
  }
  return out;
}

/** Information under this code may not go to a state other than the one it came from or went to. */
export const NO_THIRD_STATES: HandlingCode = 'no_third_states';

/**
 * Why a received request's links break the rules (a peer is checked like a client), undefined
 * when they hold: known handling codes, a case reference of at most 100 characters, and a
 * parent held here between the same two states, of a type the link table allows.
 */
export function receivedLinksProblem(
  links: { parentRequestId: string; caseReference: string; handling: readonly string[] } | undefined,
  parent: LinkParent | undefined,
  kind: string,
  sender: string,
): string | undefined {
  if (!links) return undefined;
  if (links.handling.some((c) => !(HANDLING as readonly string[]).includes(c)) || new Set(links.handling).size !== links.handling.length) {
    return `links.handling must hold distinct handling codes (${HANDLING.join(', ')})`;
  }
  if ([...links.caseReference].length > 100 || /[\x00-\x1f\x7f]/.test(links.caseReference)) return 'links.case_reference must have at most 100 characters, without control characters';
  return links.parentRequestId ? linkProblem(parent, kind, sender) : undefined;
}

/**
 * The request types that by their nature go to several states at once (docs/protocol.md §25.4):
 * information for every state on a route, a conviction notified to each state of nationality.
 */
export const SEVERAL_RECIPIENT_KINDS: readonly RequestType[] = ['spontaneous_information', 'conviction_notification'];

/** At most this many states in one submit: the destination and nine more. */
export const MAX_RECIPIENTS = 10;

/** At most this many ids in a ListRequests or ListCases `ids` filter (docs/protocol.md §25.2): one page of linked requests or of a list's cases. */
export const MAX_LISTED_IDS = 50;
