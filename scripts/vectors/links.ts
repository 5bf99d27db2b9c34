/**
 * tests/vectors/links-v1.json: the links of a received request (docs/protocol.md §25:
 * `RequestBody.links`, a `RequestLinks`) as the receiver checks them after opening, with what it
 * holds of the parent named. Valid: a case reference with handling codes, and one follow-up of
 * each kind the conventions name. Invalid: one rule broken per case, always ERR_CONTENT_INVALID,
 * with the detail the reference gives (informative). Deterministic: fixed ids, no clock.
 */
import { RequestLinks } from '../../generated/enlace/v1/envelope.js';
import { b64u } from '../../keys/index.js';
import { receivedLinksProblem, type LinkParent } from '../../services/requests/links.js';

interface LinksCase {
  name: string;
  section: string;
  description: string;
  /** The received request: its type and the state that sent it. */
  requestKind: string;
  sender: string;
  /** base64url of the RequestLinks of its body. */
  links: string;
  /** The request `parent_request_id` names as the receiver holds it (its type and the other state), or null when it holds none. */
  parent: LinkParent | null;
  valid: boolean;
  error?: 'ERR_CONTENT_INVALID';
  detail?: string;
}

/** A fixed parent id (UUIDv7 shaped), the same in every case that names one. */
const PARENT_ID = '019a0000-0000-7000-8000-00000000a001';

type Row = [name: string, section: string, description: string, kind: string, links: Partial<RequestLinks>, parent: LinkParent | null, valid: boolean];

const linksOf = (l: Partial<RequestLinks>): RequestLinks => ({ parentRequestId: '', caseReference: '', handling: [], ...l });
/** Links naming the parent. */
const withParent: Partial<RequestLinks> = { parentRequestId: PARENT_ID };

function rows(): Row[] {
  return [
    [
      'case-and-codes',
      '§25.2, §25.3',
      'A case reference of the sender and two handling codes, no parent.',
      'spontaneous_information',
      { caseReference: 'AR-TRATA-2026-19', handling: ['no_third_states', 'intelligence_only'] },
      null,
      true,
    ],
    ['all-three-codes', '§25.3', 'The three handling codes, each once.', 'mla', { handling: ['no_third_states', 'intelligence_only', 'named_proceedings_only'] }, null, true],
    ['case-reference-100', '§25.2', 'A case reference of exactly 100 characters (accented letters count as one).', 'mla', { caseReference: 'é'.repeat(100) }, null, true],
    [
      'travel-document',
      '§25.1',
      'A nationality verification (the travel document) following up on the verification the sender sent the receiver.',
      'nationality_verification',
      withParent,
      { kind: 'nationality_verification', counterpart: 'AR' },
      true,
    ],
    [
      'formal-extradition',
      '§25.1',
      'An extradition (the formal request) following up on the provisional arrest the sender asked for.',
      'extradition',
      withParent,
      { kind: 'extradition', counterpart: 'AR' },
      true,
    ],
    [
      'additional-information-other-direction',
      '§25.1',
      'Additional information following up on a request the receiver itself sent to the sender (either direction).',
      'additional_information',
      withParent,
      { kind: 'mla', counterpart: 'AR' },
      true,
    ],
    ['handling-unknown', '§25.3', 'Handling code "top_secret": not in the handling table.', 'mla', { handling: ['no_third_states', 'top_secret'] }, null, false],
    ['handling-repeated', '§25.3', 'Handling code "intelligence_only" twice.', 'mla', { handling: ['intelligence_only', 'intelligence_only'] }, null, false],
    ['case-reference-101', '§25.2', 'A case reference of 101 characters.', 'mla', { caseReference: 'r'.repeat(101) }, null, false],
    ['case-reference-control', '§25.2', 'A case reference holding a line feed.', 'mla', { caseReference: 'AR-1\nAR-2' }, null, false],
    ['parent-not-held', '§25.1, §25.4', 'A parent the receiver does not hold (dangling, or between the sender and a third state).', 'nationality_verification', withParent, null, false],
    [
      'parent-other-state',
      '§25.1, §25.4',
      'A parent the receiver holds, but exchanged with BR, not with the sender.',
      'nationality_verification',
      withParent,
      { kind: 'nationality_verification', counterpart: 'BR' },
      false,
    ],
    [
      'pair-not-allowed',
      '§25.1',
      'A conviction notification following up on a nationality verification: not in the link table.',
      'conviction_notification',
      withParent,
      { kind: 'nationality_verification', counterpart: 'AR' },
      false,
    ],
  ];
}

export function buildLinkVectors(): string {
  const cases: LinksCase[] = rows().map(([name, section, description, requestKind, l, parent, valid]) => {
    const links = linksOf(l);
    const problem = receivedLinksProblem(links, parent ?? undefined, requestKind, 'AR');
    if (valid !== (problem === undefined)) throw new Error(`links vector ${name} should be ${valid ? 'valid' : 'invalid'}: ${problem ?? 'valid'}`);
    return {
      name,
      section,
      description,
      requestKind,
      sender: 'AR',
      links: b64u(RequestLinks.encode(links).finish()),
      parent,
      valid,
      ...(problem ? { error: 'ERR_CONTENT_INVALID' as const, detail: problem } : {}),
    };
  });
  return (
    JSON.stringify(
      {
        description:
          'Enlace links vectors, version 1 (docs/protocol.md §25): the links of a received request as the receiver checks them. Generated by scripts/gen-vectors.ts (npm run vectors); do not edit.',
        format: {
          cases:
            'a request of type `requestKind` from `sender` whose opened RequestBody carries `links` (base64url of an enlace.v1.RequestLinks); `parent` is the request its parent_request_id names as the receiver holds it (`kind` and `counterpart`, the other state of that exchange), null when it holds none. valid=true: the links are accepted (the rest of the body being valid). valid=false: the request is rejected with `error` (normative); `detail` is the sentence of the reference (informative).',
        },
        parentRequestId: PARENT_ID,
        cases,
      },
      null,
      2,
    ) + '\n'
  );
}
