import { afterAll, describe, expect, it } from 'vitest';
import { NationalNode } from '../services/index.js';
import { clientsFor, eventually, Federation, PASSPHRASE, quietLogger, submitRequestOf, type Clients } from './_util.js';

/**
 * The receiving node's own connection gets a temporary trigger that fails the Nth insert of
 * a request once: the inbox transaction holding that batch rolls back, the messages are
 * redelivered and committed, and after a restart every request must still be readable.
 */
function failNthRequestInsertOnce(node: NationalNode, n: number): { fired: () => number } {
  const { db } = node.deps.store;
  let inserts = 0;
  let fired = 0;
  db.function('enlace_test_fault', () => {
    inserts += 1;
    if (inserts !== n) return 0;
    fired += 1;
    throw new Error('forced rollback of the inbox batch');
  });
  db.exec('CREATE TEMP TRIGGER enlace_test_fault BEFORE INSERT ON main.requests BEGIN SELECT enlace_test_fault(); END');
  return { fired: () => fired };
}

describe('case keys across a rolled-back inbox batch and a restart', () => {
  let fed: Federation;
  const clients: Clients[] = [];

  afterAll(async () => {
    for (const c of clients) c.close();
    await fed?.destroy();
  });

  it('every request received in a batch that was rolled back once is readable after the receiver restarts', { timeout: 90_000 }, async () => {
    fed = await Federation.create(['AR', 'UY']);
    const ar = await fed.startNode('AR');
    await ar.waitForTransport();
    const arClients = await clientsFor(ar);
    clients.push(arClients);

    // UY is offline while AR submits, so that the envelopes wait in UY's inbox and arrive as one batch.
    const uyFirst = await fed.startNode('UY');
    await uyFirst.waitForTransport();
    await fed.stopNode('UY');
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await arClients.submit(
        submitRequestOf({ senderReference: `rollback-${i}`, idempotencyKey: `rollback-${i}`, payload: new TextEncoder().encode(JSON.stringify({ names: [`Person ${i}`] })) }),
      );
      ids.push(res.request!.id);
    }
    await eventually(
      () => (ar.deps.store.db.prepare('SELECT COUNT(*) AS n FROM outbox WHERE last_published_at IS NOT NULL').get() as { n: number }).n >= 6 || undefined,
      20_000,
      'six envelopes published',
    );

    const uy = await NationalNode.create(fed.config('UY'), { passphrase: PASSPHRASE, natsPassword: fed.password('UY') }, { logger: quietLogger });
    fed.nodes.set('UY', uy);
    const fault = failNthRequestInsertOnce(uy, 3);
    await uy.start();
    await eventually(() => (ids.every((id) => uy.deps.store.getRequest(id)) ? true : undefined), 30_000, 'all six requests at UY');
    expect(fault.fired()).toBe(1);

    await fed.stopNode('UY');
    const restarted = await fed.startNode('UY');
    for (const id of ids) {
      const sent = ar.deps.store.getRequest(id)!;
      const got = restarted.deps.store.getRequest(id)!;
      expect(got.erased, `request ${id} after the restart`).toBe(false);
      expect(got.payload.byteLength).toBeGreaterThan(0);
      expect(Buffer.from(got.payload).equals(Buffer.from(sent.payload))).toBe(true);
    }
  });
});
