/**
 * A reset of the inbox's lane consumers that fails midway is not a lost store. Seen in a cluster
 * failover on 4 December: UY's reset deleted its consumer of AR's lane while the cluster elected
 * a leader, the answer timed out, and the next check found that consumer "not found", counted a
 * lost inbox and re-sent 287 envelopes that the receiver then dropped as copies. Here the broker
 * refuses the delete of the second consumer (a permission, set by a configuration reload), so the
 * reset stops after it has deleted the first one, as it did there.
 */
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inboxStream, laneConsumer, Transport } from '../services/transport/index.js';
import { NatsServer, quietLogger, tempDir } from './_util.js';

const NET = 'enlace-reset';
const STREAM = inboxStream(NET, 'AR');

/** One account with JetStream; the node's user may do everything but, with `denyDelete`, delete that consumer. */
function config(denyDelete?: string) {
  const deny = denyDelete ? `, deny: ["$JS.API.CONSUMER.DELETE.${STREAM}.${denyDelete}"]` : '';
  return (port: number, storeDir: string) => `listen: 127.0.0.1:${port}
jetstream { store_dir: "${storeDir}" }
accounts {
  AR: {
    jetstream: enabled
    users: [
      { user: node, password: pw-node, permissions: { publish: { allow: [">"]${deny} }, subscribe: { allow: [">"] } } }
      { user: admin, password: pw-admin }
    ]
  }
}
`;
}

describe('a reset of the lane consumers that fails midway', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('does not count the consumers it deleted itself as a lost inbox; one deleted by someone else still counts', async () => {
    const dir = await tempDir();
    cleanups.push(dir.cleanup);
    const server = await NatsServer.start(join(dir.path, 'js'), undefined, config());
    cleanups.push(() => server.stop());
    const transport = new Transport({ servers: [server.url], networkId: NET, country: 'AR', name: 'node-AR', logger: quietLogger, user: 'node', password: 'pw-node' });
    cleanups.push(() => transport.close());
    const admin = await connect({ servers: server.url, user: 'admin', pass: 'pw-admin' });
    cleanups.push(() => admin.close());
    const jsm = await jetstreamManager(admin);

    await transport.connect();
    await transport.ensureInbox('AR');
    await transport.resetConsumers(['BR', 'UY']);
    expect(await transport.inboxPresent()).toBe(true);

    // Someone else deletes a lane consumer: the node counts it lost, and a reset brings it back.
    await jsm.consumers.delete(STREAM, laneConsumer('BR'));
    expect(await transport.inboxPresent()).toBe(false);
    await transport.ensureInbox('AR');
    await transport.resetConsumers(['BR', 'UY']);
    expect(await transport.inboxPresent()).toBe(true);

    // The node's own reset deletes BR's consumer, then the broker refuses to delete UY's.
    await server.reload(config(laneConsumer('UY')));
    await expect(transport.resetConsumers(['BR', 'UY'])).rejects.toThrow();
    const left = [];
    for await (const c of jsm.consumers.list(STREAM)) left.push(c.name);
    expect(left).toEqual([laneConsumer('UY')]);
    expect(await transport.inboxPresent()).toBe(true);

    // Allowed again, the next reset finishes: both consumers are there, nothing counted lost.
    await server.reload(config());
    await transport.resetConsumers(['BR', 'UY']);
    const after = [];
    for await (const c of jsm.consumers.list(STREAM)) after.push(c.name);
    expect(after.sort()).toEqual([laneConsumer('BR'), laneConsumer('UY')]);
    expect(await transport.inboxPresent()).toBe(true);
  }, 60_000);
});
