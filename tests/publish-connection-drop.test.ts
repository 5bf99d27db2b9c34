/**
 * A publish waiting for its acknowledgement when the connection drops fails at once, as a dropped
 * connection, instead of waiting out its 5 s timeout across the reconnect. In a cluster failover
 * on 4 December, AR's publish in flight when its server was killed failed 5.06 s later, on a
 * timeout, and the relay's next pass waited for it. Here the path to the broker goes through a
 * proxy: it holds the publish, then closes the connection as a dying server would.
 */
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { classifyNatsError, inboxStream, Transport } from '../services/transport/index.js';
import { TcpProxy } from './_proxy.js';
import { eventually, NatsServer, quietLogger, tempDir } from './_util.js';

const NET = 'enlace-drop';

describe('a publish in flight when the connection drops', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('fails as a dropped connection, not a timeout, and lands once when published again', async () => {
    const dir = await tempDir();
    cleanups.push(dir.cleanup);
    const server = await NatsServer.start(join(dir.path, 'js'));
    cleanups.push(() => server.stop());
    const proxy = await TcpProxy.start(server.port);
    cleanups.push(() => proxy.stop());
    // UY's inbox, made as UY's node makes it; AR publishes into it through the proxy.
    const uy = new Transport({ servers: [server.url], networkId: NET, country: 'UY', name: 'node-UY', logger: quietLogger });
    cleanups.push(() => uy.close());
    await uy.connect();
    await uy.ensureInbox('UY');
    const ar = new Transport({ servers: [proxy.url], networkId: NET, country: 'AR', name: 'node-AR', logger: quietLogger });
    cleanups.push(() => ar.close());
    await ar.connect();
    const bytes = new TextEncoder().encode('envelope');
    await ar.publish('UY', 'env-1', bytes);

    proxy.partition();
    const held = ar.publish('UY', 'env-2', bytes).then(
      () => 'acknowledged',
      (e: unknown) => classifyNatsError(e),
    );
    proxy.cut();
    expect(await held).toBe('connection');

    await eventually(() => (ar.connected ? true : undefined), 20_000, 'AR connected again');
    await ar.publish('UY', 'env-2', bytes);
    await ar.publish('UY', 'env-2', bytes);
    const nc = await connect({ servers: server.url });
    cleanups.push(() => nc.close());
    const info = await (await jetstreamManager(nc)).streams.info(inboxStream(NET, 'UY'));
    expect(info.state.messages).toBe(2);
  }, 60_000);
});
