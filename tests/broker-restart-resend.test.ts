/**
 * A broker killed with SIGKILL may have acknowledged messages it had not yet written (nats-server
 * keeps a write buffer): they are gone when it comes back. The sender does not wait for the
 * 5-minute re-send interval: its client comes back to another server process (a new server id),
 * so the node re-sends at once what it published shortly before the drop and no receipt answered.
 * The test makes the loss certain by deleting the acknowledged message from the stream before the
 * kill, as the lost write buffer would.
 */
import { jetstreamManager } from '@nats-io/jetstream';
import { describe, expect, it } from 'vitest';
import { inboxStream, inboxSubject } from '../services/transport/index.js';
import { withFederation } from './_setup.js';
import { untilDelivered } from './_requests.js';
import { eventually, NETWORK, submitRequestOf } from './_util.js';

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
    const held = await eventually(
      () =>
        jsm.streams
          .getMessage(stream, { last_by_subj: inboxSubject(NETWORK, 'UY', 'AR') })
          .then((m) => (m && m.header.get('Nats-Msg-Id') === lost ? m.seq : undefined))
          .catch(() => undefined),
      20_000,
      'the request in the broker',
    );
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
});
