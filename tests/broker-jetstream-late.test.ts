/**
 * A node that connects while the broker's JetStream does not answer (a server restarting or
 * recovering its store) carries on once it does, without a restart. Seen in the fault campaign of
 * 3 December (seeds 890035, 890070): a node started just before a broker kill had its connection
 * setup time out once, and every later call answered that same timeout, so its relay published
 * nothing and its inbox and registry reads failed every 500 ms for the 6 minutes of the run.
 * Here the first server has no JetStream at all, the second, on the same port, has it.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Transport } from '../services/transport/index.js';
import { eventually, NatsServer, quietLogger, tempDir } from './_util.js';

describe('a broker whose JetStream answers late', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('connects, and creates its inbox and publishes once JetStream answers, with no restart', async () => {
    const dir = await tempDir();
    cleanups.push(dir.cleanup);
    const without = await NatsServer.start(join(dir.path, 'plain'), undefined, (port) => `listen: 127.0.0.1:${port}\n`);
    cleanups.push(() => without.stop());
    const transport = new Transport({ servers: [without.url], networkId: 'enlace-late', country: 'AR', name: 'node-AR', logger: quietLogger });
    cleanups.push(() => transport.close());
    // The setup needs no answer from JetStream; what needs one fails and says so.
    await transport.connect();
    await expect(transport.ensureInbox('AR')).rejects.toThrow();

    await without.stop();
    const withJs = await NatsServer.start(join(dir.path, 'js'), without.port);
    cleanups.push(() => withJs.stop());
    await eventually(
      () =>
        transport.ensureInbox('AR').then(
          (created) => (created ? true : undefined),
          () => undefined,
        ),
      20_000,
      'the inbox created once JetStream answers',
    );
    expect(transport.connected).toBe(true);
    await transport.publish('AR', 'late-1', new TextEncoder().encode('hello'));
  });
});
