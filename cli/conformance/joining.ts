import { KIND } from '../../services/envelope/index.js';
import { requestBody } from './checks.js';
import { describeReceipt as describe, type Check } from './forms-and-erasure.js';
import { ACCEPTED, type Probe } from './probe.js';

/** How often the tester sends its request again while the node under test may not know it yet, as a joining node's outbox does (§14). */
const RESEND_MS = 1_000;

/**
 * §14.2: the tester joins the running network. The node under test must have been started
 * without the tester's descriptor (and the registry must not hold it): before the tester
 * publishes it, nothing from the tester is accepted; once it is at `node.<CC>` of the registry,
 * the node under test, without a restart, learns it and answers the tester's request.
 */
export async function joining(probe: Probe, timeoutMs: number, check: Check): Promise<void> {
  const before = await probe.sealed(KIND.request, requestBody('Conformance: before joining'));
  await check('§14.2, §8 step 9', "before the tester's descriptor is in the registry, nothing from the tester is accepted", async () => {
    await probe.publish(before.bytes, before.id);
    const r = await probe.receipt(before.id, Math.min(timeoutMs, 5_000));
    if (r?.outcome === ACCEPTED) return [false, `${describe(r)}: the node under test already knew the tester; start it without the tester's descriptor to test joining`];
    return [true, r ? describe(r) : 'no receipt (the tester is unknown to it, so it cannot seal one)'];
  });
  await check('§14.2 step 4', "the tester's descriptor is published at node.<CC> of the registry (compare-and-set)", async () => {
    const published = await probe.publishDescriptor();
    return [true, published ? `node.${probe.country} written` : `node.${probe.country} already held at that serial or higher`];
  });
  await check('§14.2 step 5', 'the running node under test learns it from the registry and answers a request of the tester with an accepted receipt', async () => {
    const request = await probe.sealed(KIND.request, requestBody('Conformance: after joining'));
    const end = Date.now() + timeoutMs;
    let sent = 0;
    for (;;) {
      await probe.publish(request.bytes);
      sent += 1;
      const r = await probe.receipt(request.id, Math.min(RESEND_MS, Math.max(0, end - Date.now())));
      if (r?.outcome === ACCEPTED || Date.now() >= end) return [r?.outcome === ACCEPTED, `${describe(r)} after ${sent} send(s)`];
    }
  });
}
