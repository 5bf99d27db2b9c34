/**
 * A broker killed with SIGKILL may have acknowledged messages it had not yet written (nats-server
 * keeps a write buffer): they are gone when it comes back. The sender does not wait for the
 * 5-minute re-send interval: its client comes back to another server process (a new server id),
 * so the node re-sends at once what it published shortly before the drop and no receipt answered.
 * The same holds for the receipts a receiver sent just before: it keeps them for the re-send window
 * and sends them again, so the sender does not wait 5 minutes to re-send a request that arrived.
 * The tests make the loss certain by deleting the acknowledged message from the stream before the
 * kill, as the lost write buffer would.
 */
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestStatus } from '../generated/enlace/v1/exchange.js';
import { inboxStream, inboxSubject } from '../services/transport/index.js';
import { clientsFor, eventually, Federation, NETWORK, submitRequestOf, type Clients } from './_util.js';

/** The stream sequence of the last message on `from`'s lane of `to`'s inbox, once there is one (with `msgId`, once it is that one). */
function lastOnLane(jsm: JetStreamManager, to: string, from: string, msgId?: string): Promise<number> {
  return eventually(
    () =>
      jsm.streams
        .getMessage(inboxStream(NETWORK, to), { last_by_subj: inboxSubject(NETWORK, to, from) })
        .then((m) => (m && (msgId === undefined || m.header.get('Nats-Msg-Id') === msgId) ? m.seq : undefined))
        .catch(() => undefined),
    20_000,
    `the last message from ${from} in ${to}'s inbox`,
  );
}

describe('a broker restarted after losing an acknowledged message', () => {
  let fed: Federation;
  let ar: Clients;
  // The production re-send interval: the request must not wait for it.
  const settings = { resendAfterMs: 5 * 60_000, resendMaxMs: 2 * 3600_000 };

  beforeAll(async () => {
    fed = await Federation.create(['AR', 'UY']);
    const nodes = [await fed.startNode('AR', { settings }), await fed.startNode('UY', { settings })];
    await Promise.all(nodes.map((n) => n.waitForTransport()));
    ar = await clientsFor(nodes[0]!);
  }, 60_000);

  afterAll(async () => {
    ar?.close();
    await fed?.destroy();
  });

  it('is sent again as soon as the sender reconnects, not after the re-send interval', async () => {
    const first = (await ar.submit(submitRequestOf({ senderReference: 'before', idempotencyKey: 'restart-before' }))).request!.id;
    await eventually(async () => ((await ar.get(first)).request!.status === RequestStatus.REQUEST_STATUS_DELIVERED ? true : undefined), 20_000, 'the first request delivered');

    // UY is down; AR's request is acknowledged by the broker and waits in UY's inbox.
    await fed.stopNode('UY');
    const lost = (await ar.submit(submitRequestOf({ senderReference: 'lost', idempotencyKey: 'restart-lost' }))).request!.id;
    const nc = await fed.connectAs('UY');
    const jsm = await jetstreamManager(nc);
    const stream = inboxStream(NETWORK, 'UY');
    const held = await lastOnLane(jsm, 'UY', 'AR', lost);
    // The broker "loses" it, as a kill -9 loses its write buffer, then dies and comes back.
    expect(await jsm.streams.deleteMessage(stream, held, false)).toBe(true);
    await nc.close();
    await fed.nats.kill9();
    await fed.nats.start();
    const restartedAt = Date.now();

    await fed.startNode('UY', { settings });
    await eventually(async () => ((await ar.get(lost)).request!.status === RequestStatus.REQUEST_STATUS_DELIVERED ? true : undefined), 60_000, 'the lost request delivered after all');
    console.info(`broker restart: the lost request was delivered ${Date.now() - restartedAt} ms after the broker came back (re-send interval ${settings.resendAfterMs / 60_000} min)`);
  }, 120_000);

  it('has the receiver send again a receipt the broker lost, not wait for the sender to re-send the request', async () => {
    // UY is down while AR sends; AR goes down; UY comes up, takes the request and answers with a
    // receipt that waits in AR's inbox.
    await fed.stopNode('UY');
    const answered = (await ar.submit(submitRequestOf({ senderReference: 'receipt-lost', idempotencyKey: 'restart-receipt' }))).request!.id;
    const nc = await fed.connectAs('UY');
    const jsm = await jetstreamManager(nc);
    await lastOnLane(jsm, 'UY', 'AR', answered);
    await nc.close();
    ar.close();
    await fed.stopNode('AR');
    await fed.startNode('UY', { settings });
    const arConn = await fed.connectAs('AR');
    const arJsm = await jetstreamManager(arConn);
    const arInbox = inboxStream(NETWORK, 'AR');
    const receipt = await lastOnLane(arJsm, 'AR', 'UY');
    // The broker "loses" the receipt, then dies and comes back.
    expect(await arJsm.streams.deleteMessage(arInbox, receipt, false)).toBe(true);
    await arConn.close();
    await fed.nats.kill9();
    await fed.nats.start();
    const restartedAt = Date.now();

    ar = await clientsFor(await fed.startNode('AR', { settings }));
    await eventually(async () => ((await ar.get(answered)).receipt?.outcome === 'accepted' ? true : undefined), 60_000, 'the receipt at AR after all');
    expect((await ar.get(answered)).request!.status).toBe(RequestStatus.REQUEST_STATUS_DELIVERED);
    console.info(`broker restart: the lost receipt reached AR ${Date.now() - restartedAt} ms after the broker came back (re-send interval ${settings.resendAfterMs / 60_000} min)`);
  }, 120_000);
});
