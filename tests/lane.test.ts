import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KIND } from '../services/envelope/index.js';
import { sealFor } from '../services/exchange/index.js';
import { inboxSubject } from '../services/index.js';
import { withFederation } from './_setup.js';
import { requestBody } from './_messages.js';
import { eventually, NETWORK } from './_util.js';

/** The broker pins who sent a message (its lane); the node refuses an envelope that claims someone else, and signs nothing for it. */
describe('sender lanes', () => {
  const net = withFederation(['AR', 'UY', 'BR'], { nodes: ['AR', 'BR'], transport: true });
  const { nodes } = net;
  let uy: NatsConnection;

  beforeAll(async () => {
    uy = await net.fed.connectAs('UY');
  });
  afterAll(() => uy?.close());

  it('quarantines, without any reply, an envelope signed by BR that arrives on the lane of UY', async () => {
    const body = requestBody({ subject: 'Lane test', payload: new TextEncoder().encode('{}'), senderReference: 'BR-lane' });
    // Validly signed by BR (its real key): only the lane it travels on is wrong.
    const env = await sealFor(nodes.BR.deps, 'AR', KIND.request, body);
    await jetstream(uy).publish(inboxSubject(NETWORK, 'AR', 'UY'), env.bytes, { msgID: `lane-${env.id}` });
    const q = await eventually(() => nodes.AR.deps.store.listQuarantine(20).find((x) => x.envelopeId === env.id), 15_000, 'the quarantined envelope at AR');
    expect(q.code).toBe('ERR_LANE_MISMATCH');
    expect(q.rejectionReceiptId).toBe('');
    expect(nodes.AR.deps.store.getRequest(env.id)).toBeUndefined();
    // Nothing was signed or queued for BR or UY.
    expect(nodes.AR.deps.store.outboxCount()).toBe(0);
  });
});
