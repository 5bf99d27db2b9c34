/**
 * The broker loses its JetStream store mid-traffic (folder deleted, server restarted): the
 * nodes notice their inbox stream and consumer are gone (JetStream API codes, not message
 * text), create them again, re-send from the outbox everything no receipt has answered, and
 * every request is delivered exactly once, without restarting a node. Also when the broker
 * loses a node's inbox again and again, right after the node created it anew.
 */
import { jetstreamManager } from '@nats-io/jetstream';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Direction, RequestStatus } from '../generated/enlace/v1/exchange.js';
import { createRegistryBucket } from '../services/registry/index.js';
import { inboxStream, NETWORK_USER } from '../services/transport/index.js';
import { clientsFor, eventually, Federation, NETWORK, submitRequestOf, type Clients } from './_util.js';

async function all(c: Clients, direction: Direction, status?: RequestStatus): Promise<{ id: string; ref: string }[]> {
  const out: { id: string; ref: string }[] = [];
  let pageToken = '';
  do {
    const page = await c.list({ direction, pageSize: 500, pageToken, oldestFirst: true, ...(status ? { status } : {}) });
    out.push(...page.requests.map((r) => ({ id: r.id, ref: r.senderReference })));
    pageToken = page.nextPageToken;
  } while (pageToken);
  return out;
}

describe('broker store loss', () => {
  let fed: Federation;
  let ar: Clients;
  let uy: Clients;

  beforeAll(async () => {
    fed = await Federation.create(['AR', 'UY']);
    // The production re-send interval: delivery must not wait for it.
    const settings = { resendAfterMs: 5 * 60_000, resendMaxMs: 2 * 3600_000 };
    const nodes = [await fed.startNode('AR', { settings }), await fed.startNode('UY', { settings })];
    await Promise.all(nodes.map((n) => n.waitForTransport()));
    ar = await clientsFor(nodes[0]!);
    uy = await clientsFor(nodes[1]!);
  }, 60_000);

  afterAll(async () => {
    ar?.close();
    uy?.close();
    await fed?.destroy();
  });

  it('re-creates streams and consumers and delivers everything exactly once, no node restarted', async () => {
    const accepted: string[] = [];
    const submit = async (i: number) => accepted.push((await ar.submit(submitRequestOf({ senderReference: `loss-${String(i).padStart(3, '0')}`, idempotencyKey: `store-loss-${i}` }))).request!.id);
    for (let i = 0; i < 20; i++) await submit(i);
    await eventually(async () => ((await all(ar, Direction.DIRECTION_OUTBOUND, RequestStatus.REQUEST_STATUS_DELIVERED)).length >= 10 ? true : undefined), 20_000, 'traffic flowing');
    // Mid-traffic: a burst the broker holds, then its store is gone.
    await Promise.all(Array.from({ length: 100 }, (_, k) => submit(100 + k)));
    await fed.nats.kill9();
    await rm(fed.nats.storeDir, { recursive: true, force: true });
    await fed.nats.start();
    const restartedAt = Date.now();
    // The network's registry bucket is the network operator's to create again (enlace network init).
    const nc = await fed.connectAs(NETWORK_USER);
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
        const d = await all(ar, Direction.DIRECTION_OUTBOUND, RequestStatus.REQUEST_STATUS_DELIVERED);
        return accepted.every((id) => d.some((r) => r.id === id)) ? true : undefined;
      },
      60_000,
      'every request delivered with a receipt',
    );
    console.info(`broker store loss: all ${accepted.length} delivered ${Date.now() - restartedAt} ms after the broker came back empty`);
    const received = (await all(uy, Direction.DIRECTION_INBOUND)).filter((r) => r.ref.startsWith('loss-'));
    expect(new Set(received.map((r) => r.id)).size).toBe(received.length);
    expect(received.map((r) => r.id).sort()).toEqual([...accepted].sort());
  }, 120_000);

  it('creates its inbox again however often the broker loses it, even right after creating it', async () => {
    const nc = await fed.connectAs('UY');
    const jsm = await jetstreamManager(nc);
    // Each deletion that finds the stream found one UY created again after the last deletion.
    let lost = 0;
    await eventually(async () => ((await jsm.streams.delete(inboxStream(NETWORK, 'UY')).catch(() => false)) && ++lost >= 8 ? true : undefined), 60_000, 'the inbox lost 8 times');
    await nc.close();
    const id = (await ar.submit(submitRequestOf({ senderReference: 'after-losses', idempotencyKey: 'store-loss-again' }))).request!.id;
    await eventually(async () => ((await ar.get(id)).request!.status === RequestStatus.REQUEST_STATUS_DELIVERED ? true : undefined), 30_000, 'a request delivered after the losses');
  }, 120_000);
});
