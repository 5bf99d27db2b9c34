import { InvalidArgumentError } from '../../keys/index.js';
import type { RequestRow } from '../store/index.js';
import type { ExchangeDeps } from './deps.js';
import { resolveLinks, NO_LINKS } from './links.js';
import { checkDestination, submitRequest, type SubmitInput } from './submit.js';

/**
 * One submit to several states (docs/protocol.md §25.4): the same request goes to each as a
 * request of its own, with its own id, sealed to that state alone, so each has its own receipt,
 * timeline and answer and no recipient's header names another. All of them are filed in one case
 * at this node: the links' case reference, or the sender reference when none is given.
 *
 * Every destination is checked before the first is written (an active node, the use
 * restrictions toward it), so a mistake about one sends to none; after that each request is
 * written and queued on its own, in the order given.
 *
 * @example const { requests } = await submitToSeveral(deps, [{ ...input, toCountry: 'UY' }, { ...input, toCountry: 'BR' }]);
 */
export async function submitToSeveral(deps: ExchangeDeps, inputs: readonly SubmitInput[]): Promise<{ requests: RequestRow[]; created: boolean }> {
  const first = inputs[0];
  if (!first) throw new InvalidArgumentError('to_country', 'is required');
  if (inputs.length === 1) {
    const one = await submitRequest(deps, first);
    return { requests: [one.request], created: one.created };
  }
  const links = first.links ?? NO_LINKS;
  const caseReference = links.caseReference || first.senderReference.trim();
  if (!caseReference) throw new InvalidArgumentError('links.case_reference', 'is required when a request goes to several states (or give a sender_reference): they are filed in one case');
  if (links.parentId) throw new InvalidArgumentError('links.parent_request_id', 'cannot be given when a request goes to several states: a parent is a request between two states');
  inputs.forEach((input, i) => {
    checkDestination(deps, input.toCountry, i === 0 ? 'to_country' : `also_to_countries[${i - 1}]`);
    resolveLinks(deps, input.kind, input.toCountry, links);
  });
  const requests: RequestRow[] = [];
  let created = false;
  for (const input of inputs) {
    const idempotencyKey = input.idempotencyKey && input !== first ? `${input.idempotencyKey}/${input.toCountry}` : input.idempotencyKey;
    const done = await submitRequest(deps, { ...input, idempotencyKey, links: { ...links, caseReference } });
    requests.push(done.request);
    created ||= done.created;
  }
  return { requests, created };
}
