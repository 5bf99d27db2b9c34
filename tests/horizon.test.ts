import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventType, RequestStatus } from '../generated/enlace/v1/exchange.js';
import type { NationalNode } from '../services/index.js';
import { clientsForIssuer, eventually, Federation, submitRequestOf, TestClock, type Clients } from './_util.js';

describe('delivery horizon', () => {
  let fed: Federation;
  let ar: Clients;
  let node: NationalNode;
  const clock = new TestClock();

  beforeAll(async () => {
    fed = await Federation.create(['AR', 'UY', 'BR']);
    // BR's node makes its inbox stream (in BR's account) and is gone: requests reach the stream, no receipt ever comes.
    await (await fed.startNode('BR')).waitForTransport();
    await fed.stopNode('BR');
    node = await fed.startNode('AR', { clock, settings: { deliveryHorizonMs: 72 * 3_600_000 } });
    await node.waitForTransport();
    ar = await clientsForIssuer(node.issuer, node.grpcAddress, ['operator'], clock.now());
  });

  afterAll(async () => {
    ar?.close();
    await fed?.destroy();
  });

  it('turns a request with no receipt into an explicit FAILED after the horizon, never silence', async () => {
    const published = (id: string) => eventually(async () => ((await ar.get(id)).timeline.some((t) => t.type === EventType.EVENT_TYPE_PUBLISHED) ? true : undefined), 10_000, `publish of ${id}`);
    const failedOf = (id: string) =>
      eventually(
        async () => {
          const got = await ar.get(id);
          return got.request!.status === RequestStatus.REQUEST_STATUS_FAILED ? got : undefined;
        },
        10_000,
        `FAILED ${id}`,
      );
    const reconnect = async () => {
      ar.close();
      ar = await clientsForIssuer(node.issuer, node.grpcAddress, ['operator'], clock.now());
    };
    // A marker two hours older than the request: its failure proves the horizon was checked at the new time.
    const marker = (await ar.submit(submitRequestOf({ toCountry: 'BR', senderReference: 'horizon-marker' }))).request!.id;
    await published(marker);
    clock.advance(2 * 3_600_000);
    await reconnect();
    const sent = await ar.submit(submitRequestOf({ toCountry: 'BR', senderReference: 'to-a-node-that-never-answers' }));
    const id = sent.request!.id;
    await published(id);
    expect((await ar.get(id)).request!.status).toBe(RequestStatus.REQUEST_STATUS_SUBMITTED);

    clock.advance(71 * 3_600_000);
    await reconnect();
    expect((await failedOf(marker)).request!.failureReason).toBe('ERR_DELIVERY_HORIZON');
    expect((await ar.get(id)).request!.status).toBe(RequestStatus.REQUEST_STATUS_SUBMITTED);

    clock.advance(2 * 3_600_000);
    await reconnect();
    const failed = await failedOf(id);
    expect(failed.request!.failureReason).toBe('ERR_DELIVERY_HORIZON');
    expect(failed.timeline.at(-1)!.detail).toContain('no receipt from BR');
    expect((await ar.info()).pendingOutbox).toBe(0);
  });
});
