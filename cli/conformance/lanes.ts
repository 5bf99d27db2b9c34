import { randomBytes } from 'node:crypto';
import { KIND } from '../../services/envelope/index.js';
import { requestBody } from './checks.js';
import { describeReceipt as describe, type Check } from './forms-and-erasure.js';
import { ACCEPTED, type Probe } from './probe.js';

/**
 * §24.2: per-sender order, live. On a lane of a fresh epoch the tester publishes position 2, then
 * an envelope off the lanes (`lane_seq` 0, applied on arrival), then position 1. Once the node
 * under test has answered the one off the lanes, which came after position 2 on the same
 * transport lane, it has read position 2: it must hold it without a receipt (rule 3), then apply
 * 1 and 2 in that order when 1 comes (rule 1). No fixed wait: each step waits for an answer.
 */
export async function laneOrder(probe: Probe, timeoutMs: number, check: Check): Promise<void> {
  await check('§24.2 rules 1 and 3', 'an envelope ahead of its lane position is held without a receipt, then applied after the missing one', async () => {
    const epoch = randomBytes(16).toString('hex');
    const second = await probe.sealed(KIND.request, requestBody('Conformance: lane position 2'), { lane: { seq: 2, epoch } });
    const unordered = await probe.sealed(KIND.request, requestBody('Conformance: off the lanes'));
    const first = await probe.sealed(KIND.request, requestBody('Conformance: lane position 1'), { lane: { seq: 1, epoch } });
    await probe.publish(second.bytes, second.id);
    await probe.publish(unordered.bytes, unordered.id);
    const past = await probe.receipt(unordered.id, timeoutMs);
    if (past?.outcome !== ACCEPTED) return [false, `the envelope off the lanes: ${describe(past)}, expected accepted`];
    const early = probe.receiptsFor(second.id)[0];
    if (early) return [false, `position 2 was answered (${describe(early)}) before position 1 came: not held`];
    await probe.publish(first.bytes, first.id);
    const [r1, r2] = [await probe.receipt(first.id, timeoutMs), await probe.receipt(second.id, timeoutMs)];
    const at = (id: string) => probe.received.findIndex((x) => x.receipt?.envelopeId === id);
    const inOrder = at(first.id) >= 0 && at(first.id) < at(second.id);
    return [
      r1?.outcome === ACCEPTED && r2?.outcome === ACCEPTED && inOrder,
      `position 2 held while 1 was missing; then 1 ${describe(r1)}, 2 ${describe(r2)}, ${inOrder ? 'in that order' : 'not in lane order'}`,
    ];
  });
}
