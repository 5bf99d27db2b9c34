/**
 * The broker loses its JetStream store mid-traffic (folder deleted, server restarted): the
 * nodes notice their inbox stream and consumer are gone (JetStream API codes, not message
 * text), create them again, re-send from the outbox everything no receipt has answered, and
 * every request is delivered exactly once, without restarting a node. Also when the broker
 * loses a node's inbox again and again, right after the node created it anew.
 */
import { jetstreamManager } from '@nats-io/jetstream';
import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { Direction, RequestStatus } from '../generated/enlace/v1/exchange.js';
import { createRegistryBucket } from '../services/registry/index.js';
import { inboxStream, NETWORK_USER } from '../services/transport/index.js';
import { everyRequest, untilDelivered } from './_requests.js';
import { withFederation } from './_setup.js';
import { eventually, NETWORK, submitRequestOf } from './_util.js';

describe('broker store loss', () => {
  // The production re-send interval: delivery must not wait for it.
  const settings = { resendAfterMs: 5 * 60_000, resendMaxMs: 2 * 3600_000 };
  const net = withFederation(['AR', 'UY'], { start: { AR: { settings }, UY: { settings } }, transport: true, api: { ar: ['AR'], uy: ['UY'] } });
  const { api } = net;

  it('re-creates streams and consumers and delivers everything exactly once, no node restarted', async () => {
    const accepted: string[] = [];
    const submit = async (i: number) => accepted.push((await api.ar.submit(submitRequestOf({ senderReference: `loss-${String(i).padStart(3, '0')}`, idempotencyKey: `store-loss-${i}` }))).request!.id);
    for (let i = 0; i < 20; i++) await submit(i);
    await eventually(async () => ((await everyRequest(api.ar, Direction.DIRECTION_OUTBOUND, RequestStatus.REQUEST_STATUS_DELIVERED)).length >= 10 ? true : undefined), 20_000, 'traffic flowing');
    // Mid-traffic: a burst the broker holds, then its store is gone.
    await Promise.all(Array.from({ length: 100 }, (_, k) => submit(100 + k)));
    await net.fed.nats.kill9();
    await rm(net.fed.nats.storeDir, { recursive: true, force: true });
    await net.fed.nats.start();
    const restartedAt = Date.now();
    // The network's registry bucket is the network operator's to create again (enlace network init).
    const nc = await net.fed.connectAs(NETWORK_USER);
    await createRegistryBucket(nc, NETWORK);
    await nc.close();
    for (let i = 200; i < 220; i++)
      await eventually(
        () =>
          submit(i)
            .then(() => true)
            .catch(() => undefined),
        10_000,
        `submit ${i}`,
      );

    await eventually(
      async () => {
        const d = await everyRequest(api.ar, Direction.DIRECTION_OUTBOUND, RequestStatus.REQUEST_STATUS_DELIVERED);
        return accepted.every((id) => d.some((r) => r.id === id)) ? true : undefined;
      },
      60_000,
      'every request delivered with a receipt',
    );
    console.info(`broker store loss: all ${accepted.length} delivered ${Date.now() - restartedAt} ms after the broker came back empty`);
    const received = (await everyRequest(api.uy, Direction.DIRECTION_INBOUND)).filter((r) => r.ref.startsWith('loss-'));
    expect(new Set(received.map((r) => r.id)).size).toBe(received.length);
    expect(received.map((r) => r.id).sort()).toEqual([...accepted].sort());
    // Both noticed the loss (the count the cluster failover test expects to stay at 0).
    expect(net.nodes.AR.inboxLossesNoticed).toBeGreaterThan(0);
    expect(net.nodes.UY.inboxLossesNoticed).toBeGreaterThan(0);
  }, 120_000);

  it('creates its inbox again however often the broker loses it, even right after creating it', async () => {
    const nc = await net.fed.connectAs('UY');
    const jsm = await jetstreamManager(nc);
    // Each deletion that finds the stream found one UY created again after the last deletion.
    let lost = 0;
    await eventually(async () => ((await jsm.streams.delete(inboxStream(NETWORK, 'UY')).catch(() => false)) && ++lost >= 8 ? true : undefined), 60_000, 'the inbox lost 8 times');
    await nc.close();
    const id = (await api.ar.submit(submitRequestOf({ senderReference: 'after-losses', idempotencyKey: 'store-loss-again' }))).request!.id;
    await untilDelivered(api.ar, id, 30_000, 'a request delivered after the losses');
  }, 120_000);

  it('re-sends what has no receipt when its inbox is gone at start: the broker lost it, and the receipts in it, while the node was down', async () => {
    const uy = () => net.nodes.UY.deps.store;
    await net.fed.stopNode('AR');
    const id = (await api.uy.submit(submitRequestOf({ toCountry: 'AR', senderReference: 'receipt-lost-while-down', idempotencyKey: 'store-loss-down' }))).request!.id;
    await eventually(
      () => ((uy().db.prepare('SELECT attempts FROM outbox WHERE envelope_id = ?').get(id) as { attempts: number } | undefined)?.attempts ? true : undefined),
      20_000,
      'the request published by UY',
    );
    expect(uy().getRequest(id)!.status).toBe('submitted');
    await net.fed.stopNode('UY');
    // AR applies the request and puts its receipt in UY's inbox; the broker then loses that stream.
    await net.restart('AR', { settings });
    await eventually(() => (net.nodes.AR.deps.store.getRequest(id) ? true : undefined), 20_000, 'the request at AR');
    const nc = await net.fed.connectAs('UY');
    const jsm = await jetstreamManager(nc);
    await eventually(async () => ((await jsm.streams.info(inboxStream(NETWORK, 'UY'))).state.messages > 0 ? true : undefined), 20_000, "AR's receipt in UY's inbox");
    await jsm.streams.delete(inboxStream(NETWORK, 'UY'));
    await nc.close();

    // The re-send interval is 5 minutes: delivered within 30 s only if UY re-sends when it finds its inbox gone.
    await net.restart('UY', { settings });
    await eventually(() => (uy().getRequest(id)!.status === 'delivered' ? true : undefined), 30_000, 'the request delivered at UY after its re-send');
  }, 120_000);
});
