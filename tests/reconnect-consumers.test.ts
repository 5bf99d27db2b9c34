import { jetstreamManager } from '@nats-io/jetstream';
import { expect, it } from 'vitest';
import { inboxStream, laneConsumer } from '../services/transport/names.js';
import { TcpProxy } from './_proxy.js';
import { untilDelivered } from './_requests.js';
import { withFederation } from './_setup.js';
import { eventually, submitRequestOf } from './_util.js';

/**
 * A partition between a node and its broker (a TCP proxy that stops moving bytes): what the broker
 * handed to the node's pull request while the path was cut went nowhere, and its consumer would
 * deliver it again only after its 30 s ack wait. Back on line, the node creates afresh the lane
 * consumers holding such messages, which delivers them at once and in stream order (issue 14: the
 * tails after a partition), and keeps the others (on a cluster, creating them all again cost
 * seconds while the servers elected leaders).
 */
const net = withFederation(['AR', 'UY'], { nodes: ['AR'], transport: true, api: { ar: ['AR', 'integrator'] } });

it('creates afresh the inbox lane consumers that held messages in flight when its connection to the broker comes back', async () => {
  const proxy = await TcpProxy.start(net.fed.nats.port);
  const uy = await net.fed.startNode('UY', { natsUrl: proxy.url });
  const nc = await net.fed.connectAs('UY');
  try {
    await uy.waitForTransport();
    const jsm = await jetstreamManager(nc);
    const [stream, consumer] = [inboxStream(uy.deps.networkId, 'UY'), laneConsumer('AR')];
    const warm = (await net.api.ar.submit(submitRequestOf({ senderReference: 'before-the-partition' }))).request!.id;
    await untilDelivered(net.api.ar, warm, 30_000, 'the request before the partition');
    const before = (await jsm.consumers.info(stream, consumer)).created;

    proxy.partition();
    const id = (await net.api.ar.submit(submitRequestOf({ senderReference: 'during-the-partition' }))).request!.id;
    // In the stream and, when UY's pull was still open at the broker, handed out to it (ack pending).
    const inFlight = await eventually(
      async () => {
        const info = await jsm.consumers.info(stream, consumer);
        return info.num_ack_pending + info.num_pending > 0 ? info : undefined;
      },
      30_000,
      'the request in UY inbox',
    );
    await eventually(() => (uy.deps.transport.connected ? undefined : true), 60_000, 'UY noticing that the path to its broker is cut');
    const atHeal = await jsm.consumers.info(stream, consumer);
    proxy.heal();
    const healedAt = Date.now();
    await eventually(() => (uy.deps.store.getRequest(id) ? true : undefined), 60_000, 'the request sent during the partition at UY');
    console.log(
      `reconnect-consumers: handed out during the partition ${inFlight.num_ack_pending}, at the heal ${atHeal.num_ack_pending}, arrived ${Date.now() - healedAt} ms after the path came back`,
    );
    // Handed out to a pull that went nowhere: created afresh. Only waiting in the stream: kept.
    const after = (await jsm.consumers.info(stream, consumer)).created;
    if (atHeal.num_ack_pending > 0) expect(after).not.toBe(before);
    else expect(after).toBe(before);
    await untilDelivered(net.api.ar, id, 30_000, 'the receipt of the request sent during the partition');
  } finally {
    await nc.close();
    await net.fed.stopNode('UY');
    await proxy.stop();
  }
});

it('keeps the inbox lane consumers that handed out nothing when its connection to the broker comes back', async () => {
  const proxy = await TcpProxy.start(net.fed.nats.port);
  const uy = await net.fed.startNode('UY', { natsUrl: proxy.url });
  const nc = await net.fed.connectAs('UY');
  try {
    await uy.waitForTransport();
    const jsm = await jetstreamManager(nc);
    const [stream, consumer] = [inboxStream(uy.deps.networkId, 'UY'), laneConsumer('AR')];
    const warm = (await net.api.ar.submit(submitRequestOf({ senderReference: 'before-the-quiet-partition' }))).request!.id;
    await untilDelivered(net.api.ar, warm, 30_000, 'the request before the partition');
    const before = await eventually(
      async () => {
        const info = await jsm.consumers.info(stream, consumer);
        return info.num_ack_pending === 0 && info.num_pending === 0 ? info : undefined;
      },
      30_000,
      'the lane with nothing waiting or handed out',
    );

    // Nothing is sent while the path is cut: the consumer has nothing handed out when it comes back.
    proxy.partition();
    await eventually(() => (uy.deps.transport.connected ? undefined : true), 60_000, 'UY noticing that the path to its broker is cut');
    proxy.heal();
    await eventually(() => (uy.deps.transport.connected ? true : undefined), 60_000, 'UY connected again');
    const id = (await net.api.ar.submit(submitRequestOf({ senderReference: 'after-the-quiet-partition' }))).request!.id;
    await untilDelivered(net.api.ar, id, 30_000, 'the request sent after the partition');
    expect((await jsm.consumers.info(stream, consumer)).created).toBe(before.created);
  } finally {
    await nc.close();
    await net.fed.stopNode('UY');
    await proxy.stop();
  }
});
