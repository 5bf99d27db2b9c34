import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestBody } from '../generated/enlace/v1/envelope.js';
import { KIND } from '../services/envelope/index.js';
import { sealFor } from '../services/exchange/index.js';
import { inboxSubject, type NationalNode } from '../services/index.js';
import { eventually, Federation, NETWORK } from './_util.js';

/** The broker pins who sent a message (its lane); the node refuses an envelope that claims someone else, and signs nothing for it. */
describe('sender lanes', () => {
  let fed: Federation;
  let arNode: NationalNode;
  let brNode: NationalNode;
  let uy: NatsConnection;

  beforeAll(async () => {
    fed = await Federation.create(['AR', 'UY', 'BR']);
    arNode = await fed.startNode('AR');
    brNode = await fed.startNode('BR');
    await Promise.all([arNode.waitForTransport(), brNode.waitForTransport()]);
    uy = await fed.connectAs('UY');
  });

  afterAll(async () => {
    await uy?.close();
    await fed?.destroy();
  });

  it('quarantines, without any reply, an envelope signed by BR that arrives on the lane of UY', async () => {
    const body = RequestBody.encode({
      requestKind: 'nationality_verification',
      toAuthority: '',
      subject: 'Lane test',
      payload: new TextEncoder().encode('{}'),
      payloadType: 'application/json',
      senderReference: 'BR-lane',
      urgency: 'normal',
      attachments: [],
      links: undefined,
    }).finish();
    // Validly signed by BR (its real key): only the lane it travels on is wrong.
    const env = await sealFor(brNode.deps, 'AR', KIND.request, body);
    await jetstream(uy).publish(inboxSubject(NETWORK, 'AR', 'UY'), env.bytes, { msgID: `lane-${env.id}` });
    const q = await eventually(() => arNode.deps.store.listQuarantine(20).find((x) => x.envelopeId === env.id), 15_000, 'the quarantined envelope at AR');
    expect(q.code).toBe('ERR_LANE_MISMATCH');
    expect(q.rejectionReceiptId).toBe('');
    expect(arNode.deps.store.getRequest(env.id)).toBeUndefined();
    // Nothing was signed or queued for BR or UY.
    expect(arNode.deps.store.outboxCount()).toBe(0);
  });
});
