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
import { describe, expect, it } from 'vitest';
import { RequestStatus } from '../generated/enlace/v1/exchange.js';
import { inboxStream, inboxSubject } from '../services/transport/index.js';
import { withFederation } from './_setup.js';
import { untilDelivered } from './_requests.js';
import { clientsFor, eventually, NETWORK, submitRequestOf } from './_util.js';

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
  // The production re-send interval: the request must not wait for it.
  const settings = { resendAfterMs: 5 * 60_000, resendMaxMs: 2 * 3600_000 };
  const net = withFederation(['AR', 'UY'], { start: { AR: { settings }, UY: { settings } }, transport: true, api: { ar: ['AR'] } });
  const { api } = net;

  it('is sent again as soon as the sender reconnects, not after the re-send interval', async () => {
    const first = (await api.ar.submit(submitRequestOf({ senderReference: 'before', idempotencyKey: 'restart-before' }))).request!.id;
    await untilDelivered(api.ar, first, 20_000, 'the first request delivered');

    // UY is down; AR's request is acknowledged by the broker and waits in UY's inbox.
    await net.fed.stopNode('UY');
    const lost = (await api.ar.submit(submitRequestOf({ senderReference: 'lost', idempotencyKey: 'restart-lost' }))).request!.id;
    const nc = await net.fed.connectAs('UY');
    const jsm = await jetstreamManager(nc);
    const stream = inboxStream(NETWORK, 'UY');
    const held = await lastOnLane(jsm, 'UY', 'AR', lost);
    // The broker "loses" it, as a kill -9 loses its write buffer, then dies and comes back.
    expect(await jsm.streams.deleteMessage(stream, held, false)).toBe(true);
    await nc.close();
    await net.fed.nats.kill9();
    await net.fed.nats.start();
    const restartedAt = Date.now();

    await net.fed.startNode('UY', { settings });
    await untilDelivered(api.ar, lost, 60_000, 'the lost request delivered after all');
    console.info(`broker restart: the lost request was delivered ${Date.now() - restartedAt} ms after the broker came back (re-send interval ${settings.resendAfterMs / 60_000} min)`);
  }, 120_000);

  it('has the receiver send again a receipt the broker lost, not wait for the sender to re-send the request', async () => {
    // UY is down while AR sends; AR goes down; UY comes up, takes the request and answers with a
    // receipt that waits in AR's inbox.
    await net.fed.stopNode('UY');
    const answered = (await api.ar.submit(submitRequestOf({ senderReference: 'receipt-lost', idempotencyKey: 'restart-receipt' }))).request!.id;
    const nc = await net.fed.connectAs('UY');
    const jsm = await jetstreamManager(nc);
    await lastOnLane(jsm, 'UY', 'AR', answered);
    await nc.close();
    api.ar.close();
    await net.fed.stopNode('AR');
    await net.fed.startNode('UY', { settings });
    const arConn = await net.fed.connectAs('AR');
    const arJsm = await jetstreamManager(arConn);
    const arInbox = inboxStream(NETWORK, 'AR');
    const receipt = await lastOnLane(arJsm, 'AR', 'UY');
    // The broker "loses" the receipt, then dies and comes back.
    expect(await arJsm.streams.deleteMessage(arInbox, receipt, false)).toBe(true);
    await arConn.close();
    await net.fed.nats.kill9();
    await net.fed.nats.start();
    const restartedAt = Date.now();

    // AR's node started again, with a client of its own (the suite's closed with the node above).
    const ar = await clientsFor(await net.fed.startNode('AR', { settings }));
    try {
      await eventually(async () => ((await ar.get(answered)).receipt?.outcome === 'accepted' ? true : undefined), 60_000, 'the receipt at AR after all');
      expect((await ar.get(answered)).request!.status).toBe(RequestStatus.REQUEST_STATUS_DELIVERED);
      console.info(`broker restart: the lost receipt reached AR ${Date.now() - restartedAt} ms after the broker came back (re-send interval ${settings.resendAfterMs / 60_000} min)`);
    } finally {
      ar.close();
    }
  }, 120_000);
});
