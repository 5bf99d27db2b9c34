import { ErasureAnswer, ErasureRequest } from '../../generated/enlace/v1/envelope.js';
import { KIND } from '../../services/envelope/index.js';
import { describeReceipt as describe, type Check } from './forms-and-erasure.js';
import { ACCEPTED, type Probe } from './probe.js';
import type { OnWaiting } from './receiving.js';

const VICTIM_IDENTITY = 'victim_identity';

/**
 * §21.4 from the other side: a victim's withdrawal of consent recorded at the node under test
 * (someone records it there while the kit waits) on a request the tester sent it about a victim
 * (`requestId`, the typed spontaneous information). It must come to the tester as an `erasure`
 * with scope `victim_identity`; the tester answers it erased, and the node acknowledges the answer.
 */
export async function consentFromTheNode(probe: Probe, timeoutMs: number, check: Check, requestId: string | undefined, onWaiting?: OnWaiting): Promise<void> {
  if (requestId)
    onWaiting?.(`waiting up to ${Math.round((timeoutMs * 3) / 1000)} s for a withdrawal of consent on request ${requestId} from the node under test (record the victim's withdrawal there)`);
  const got =
    requestId === undefined
      ? undefined
      : await probe.until(
          () =>
            probe.received.find((r) => {
              if (r.opened.header.kind !== KIND.erasure) return false;
              const e = ErasureRequest.decode(r.opened.body);
              return e.requestId === requestId && e.scope === VICTIM_IDENTITY;
            }),
          timeoutMs * 3,
        );
  const erasure = got && ErasureRequest.decode(got.opened.body);
  await check('§21.4', 'a withdrawal of consent recorded at the node under test comes as an erasure with scope victim_identity, a reason and when', async () => {
    if (!requestId) return [false, 'no typed spontaneous information was accepted to withdraw consent on'];
    if (!erasure) return [false, 'no erasure with scope victim_identity arrived'];
    const ok = erasure.reason.length > 0 && [...erasure.reason].length <= 500 && erasure.at > 0;
    return [ok, `scope "${erasure.scope}", reason "${erasure.reason}", at ${erasure.at > 0 ? 'given' : 'missing'}${erasure.legalGround ? ', with a legal ground' : ''}`];
  });
  if (!got || !erasure || !requestId) return;
  await check('§21.4 step 3', "the tester's answer erased with scope victim_identity is acknowledged accepted", async () => {
    const answer = ErasureAnswer.encode({ requestId, erasureId: got.opened.header.id, outcome: 'erased', reason: '', at: Date.now(), scope: VICTIM_IDENTITY }).finish();
    const e = await probe.sealed(KIND.erasureAnswer, answer);
    await probe.publish(e.bytes, e.id);
    const r = await probe.receipt(e.id, timeoutMs);
    return [r?.outcome === ACCEPTED, describe(r)];
  });
}
