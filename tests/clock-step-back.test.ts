/**
 * A node's clock set back between two runs (an NTP step, a skew corrected): the outbox's times
 * were set by the old clock, so without care every envelope not yet published would wait as long
 * as the clock went back. The node sends everything unpublished at start; what it had published
 * keeps its re-send delay, counted from the start (seed 1130026 of the fault campaign: a node
 * restarted 132 s behind waited out the step on a lost request, and its lane held back 122 s).
 */
import { jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { RequestStatus } from '../generated/enlace/v1/exchange.js';
import { inboxStream } from '../services/transport/index.js';
import { clientsFor, eventually, Federation, NETWORK, submitRequestOf, type Clients } from './_util.js';

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

  /**
   * With UY down, AR (started by `startAr`, re-sending after 10 s) publishes a request into UY's
   * inbox, which then loses it (as with a lost broker store); `afterLoss` moves AR's clock back,
   * then UY starts and the request must be delivered well within the 2 minutes of the step.
   */
  async function lostThenDelivered(startAr: (settings: typeof resend) => Promise<Clients>, afterLoss: () => Promise<void>): Promise<void> {
    ar?.close();
    await fed.stopNode('AR');
    await fed.stopNode('UY');
    ar = await startAr(resend);
    const nc = await fed.connectAs('UY');
    try {
      const jsm = await jetstreamManager(nc);
      const id = (await ar.submit(submitRequestOf({ senderReference: 'back-published', idempotencyKey: `clock-back-${Date.now()}` }))).request!.id;
      await eventually(async () => ((await jsm.streams.info(inboxStream(NETWORK, 'UY'))).state.messages > 0 ? true : undefined), 10_000, 'the request in UY inbox');
      await jsm.streams.purge(inboxStream(NETWORK, 'UY'));
      await afterLoss();
      await fed.startNode('UY', { settings });
      await eventually(async () => ((await ar!.get(id)).request!.status === RequestStatus.REQUEST_STATUS_DELIVERED ? true : undefined), 60_000, 'the lost request re-sent and delivered');
    } finally {
      await nc.close();
    }
  }
  const resend = { ...settings, resendAfterMs: 10_000 };

  it('re-sends what it had published after the delay it was given, not after the step as well', async () => {
    await lostThenDelivered(
      async (s) => clientsFor(await fed.startNode('AR', { settings: s })),
      async () => {
        ar!.close();
        await fed.stopNode('AR');
        ar = await clientsFor(await fed.startNode('AR', { settings: resend, clock: { now: () => Date.now() - BACK_MS } }));
      },
    );
  }, 120_000);

  it('does the same when the clock goes back while it runs', async () => {
    let back = 0;
    await lostThenDelivered(
      async (s) => clientsFor(await fed.startNode('AR', { settings: s, clock: { now: () => Date.now() - back } })),
      () => {
        back = BACK_MS;
        return Promise.resolve();
      },
    );
  }, 120_000);
});
