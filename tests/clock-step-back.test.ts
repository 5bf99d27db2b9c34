/**
 * A node's clock set back between two runs (an NTP step, a skew corrected): the outbox's times
 * were set by the old clock, so without care every envelope not yet published would wait as long
 * as the clock went back. The node sends everything unpublished at start; the production re-send
 * interval stays for what was published.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { RequestStatus } from '../generated/enlace/v1/exchange.js';
import { clientsFor, eventually, Federation, submitRequestOf, type Clients } from './_util.js';

const BACK_MS = 120_000;

describe('a clock set back between two runs', () => {
  let fed: Federation;
  let ar: Clients | undefined;
  const settings = { resendAfterMs: 5 * 60_000, resendMaxMs: 2 * 3600_000 };

  beforeAll(async () => {
    // Keys an hour old, so that the node whose clock is set back still finds them valid.
    fed = await Federation.create(['AR', 'UY'], { keysCreatedAt: Date.now() - 3600_000 });
    await Promise.all([fed.startNode('AR', { settings }), fed.startNode('UY', { settings })].map(async (n) => (await n).waitForTransport()));
  }, 60_000);

  afterAll(async () => {
    ar?.close();
    await fed?.destroy();
  });

  it('does not hold back what it had not published yet', async () => {
    ar = await clientsFor(fed.nodes.get('AR')!);
    // The broker is down: the requests are stored and wait in AR's outbox, unpublished.
    await fed.nats.kill9();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await ar.submit(submitRequestOf({ senderReference: `back-${i}`, idempotencyKey: `clock-back-${i}` }))).request!.id);
    ar.close();
    await fed.stopNode('AR');
    const node = await fed.startNode('AR', { settings, clock: { now: () => Date.now() - BACK_MS } });
    ar = await clientsFor(node);
    await fed.nats.start();
    // Well within the two minutes the clock went back: without the start's care they would wait that long.
    await eventually(
      async () => ((await Promise.all(ids.map((id) => ar!.get(id)))).every((r) => r.request!.status === RequestStatus.REQUEST_STATUS_DELIVERED) ? true : undefined),
      45_000,
      'the three requests delivered',
    );
  }, 120_000);
});
