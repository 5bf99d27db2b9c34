import { connect } from '@nats-io/transport-node';
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isEnlaceError } from '../keys/index.js';
import { NatsServer } from '../scripts/lib/nats-server.js';
import { testNetwork } from '../services/envelope/testkit.js';
import { loadDemoDirectory, NationalNode } from '../services/index.js';
import { Registry } from '../services/registry/index.js';
import { openDb } from '../services/store/index.js';
import { contactOf, directoryFor, type Directory } from './_registry.js';
import { untilDelivered } from './_requests.js';
import { clientsFor, eventually, Federation, NETWORK, PASSPHRASE, quietLogger, submitRequestOf, tempDir } from './_util.js';

describe('registry distribution', () => {
  let fed: Federation | undefined;
  const open: Directory[] = [];

  afterEach(async () => {
    for (const d of open.splice(0)) d.close();
    await fed?.destroy();
    fed = undefined;
  });

  async function dir(node: NationalNode, roles: Parameters<typeof directoryFor>[1] = ['directory_admin']): Promise<Directory> {
    const d = await directoryFor(node, roles);
    open.push(d);
    return d;
  }

  it('a node offline during changes catches up on restart, then follows live changes', async () => {
    fed = await Federation.create(['AR', 'UY', 'BR']);
    const ar = await fed.startNode('AR');
    const uy = await fed.startNode('UY');
    let br = await fed.startNode('BR');
    await Promise.all([ar, uy, br].map((n) => n.registry.ready()));
    const arDir = await dir(ar);
    await arDir.upsert(contactOf('AR', 'antes', { timeZone: 'America/Argentina/Buenos_Aires' }));
    await eventually(() => (br.registry.contact('AR', 'antes') ? true : undefined), 2_000, 'first change at BR');

    await fed.stopNode('BR');
    await arDir.upsert(contactOf('AR', 'durante', { timeZone: 'America/Argentina/Buenos_Aires' }));
    await arDir.retire({ country: 'AR', id: 'antes', reason: 'replaced' });
    await loadDemoDirectory(uy.registry);

    br = await fed.startNode('BR');
    await br.registry.ready();
    await eventually(() => (br.registry.headSeq('UY') === 1 && br.registry.headSeq('AR') === 3 ? true : undefined), 5_000, 'BR caught up');
    const brDir = await dir(br, ['operator']);
    expect((await brDir.get('AR', 'antes')).entry!.status).toBe('retired');
    expect((await brDir.get('AR', 'durante')).entry!.active).toBe(true);
    expect((await brDir.resolve('UY', 'nationality_verification')).address).toBe('UY/dnic');
    expect((await brDir.listRejected()).total).toBe(0);

    await arDir.upsert(contactOf('AR', 'despues', { timeZone: 'America/Argentina/Buenos_Aires' }));
    await eventually(
      () =>
        brDir.get('AR', 'despues').then(
          (r) => r.entry,
          () => undefined,
        ),
      2_000,
      'live change after restart',
    );
  });

  it('keeps following the bucket across a nats-server restart', async () => {
    fed = await Federation.create(['AR', 'UY']);
    const ar = await fed.startNode('AR');
    const uy = await fed.startNode('UY');
    await Promise.all([ar.registry.ready(), uy.registry.ready()]);
    const arDir = await dir(ar);
    await fed.nats.stop();
    await fed.nats.start();
    await eventually(
      () =>
        arDir.upsert(contactOf('AR', 'tras-reinicio', { timeZone: 'America/Argentina/Buenos_Aires' })).then(
          () => true,
          () => undefined,
        ),
      20_000,
      'a write after the broker came back',
    );
    await eventually(() => uy.registry.contact('AR', 'tras-reinicio'), 20_000, 'the change at UY');
  });

  it('running nodes learn a state that joins later from the registry, without a restart, and exchange with it (protocol §14.2)', async () => {
    fed = await Federation.create(['AR', 'UY', 'BR']);
    // AR and UY run with trust folders that know nothing of BR, as before BR joined.
    async function withoutBr(country: string): Promise<NationalNode> {
      const folder = join(fed!.dir, `${country.toLowerCase()}-trust`);
      await mkdir(join(folder, 'descriptors'), { recursive: true });
      await copyFile(join(fed!.layout.trustDir, 'anchor.pub.json'), join(folder, 'anchor.pub.json'));
      for (const c of ['AR', 'UY']) await copyFile(join(fed!.layout.trustDir, 'descriptors', `${c}.jws`), join(folder, 'descriptors', `${c}.jws`));
      const cfg = fed!.config(country);
      const node = await NationalNode.create({ ...cfg, node: { ...cfg.node, trustDir: folder } }, { passphrase: PASSPHRASE, natsPassword: fed!.password(country) }, { logger: quietLogger });
      fed!.nodes.set(country, node);
      await node.start();
      return node;
    }
    const ar = await withoutBr('AR');
    const uy = await withoutBr('UY');
    await Promise.all([ar.registry.ready(), uy.registry.ready(), ar.waitForTransport(), uy.waitForTransport()]);
    expect(ar.deps.trust.countries().sort()).toEqual(['AR', 'UY']);

    const br = await fed.startNode('BR');
    await Promise.all([br.registry.ready(), br.waitForTransport()]);
    await eventually(() => (ar.deps.trust.countries().includes('BR') && uy.deps.trust.countries().includes('BR') ? true : undefined), 20_000, "BR's descriptor at AR and UY");
    const nodes = (await (await dir(ar, ['operator'])).listNodes()).nodes;
    expect(nodes.find((n) => n.country === 'BR')?.descriptorSource).toBe('registry');

    const tx = await clientsFor(ar);
    try {
      const sent = await tx.submit(submitRequestOf({ toCountry: 'BR' }));
      await untilDelivered(tx, sent.request!.id, 20_000, 'delivered to BR');
    } finally {
      tx.close();
    }
  });

  it('a node whose trust folder holds only its own descriptor learns the others from the registry and exchanges with them', async () => {
    fed = await Federation.create(['AR', 'UY', 'BR']);
    const ar = await fed.startNode('AR');
    const uy = await fed.startNode('UY');
    await Promise.all([ar.registry.ready(), uy.registry.ready(), ar.waitForTransport(), uy.waitForTransport()]);

    const lonely = join(fed.dir, 'br-trust');
    await mkdir(join(lonely, 'descriptors'), { recursive: true });
    await copyFile(join(fed.layout.trustDir, 'anchor.pub.json'), join(lonely, 'anchor.pub.json'));
    await copyFile(join(fed.layout.trustDir, 'descriptors', 'BR.jws'), join(lonely, 'descriptors', 'BR.jws'));
    const cfg = fed.config('BR');
    const br = await NationalNode.create({ ...cfg, node: { ...cfg.node, trustDir: lonely } }, { passphrase: PASSPHRASE, natsPassword: fed.password('BR') }, { logger: quietLogger });
    fed.nodes.set('BR', br);
    expect(br.deps.trust.countries()).toEqual(['BR']);
    await br.start();
    await Promise.all([br.registry.ready(), br.waitForTransport()]);
    await eventually(() => (br.deps.trust.countries().length === 3 ? true : undefined), 5_000, 'descriptors from the registry');

    const nodes = (await (await dir(br, ['operator'])).listNodes()).nodes;
    expect(nodes.map((n) => [n.country, n.descriptorSource])).toEqual([
      ['AR', 'registry'],
      ['BR', 'folder'],
      ['UY', 'registry'],
    ]);
    const tx = await clientsFor(br);
    try {
      const sent = await tx.submit(submitRequestOf({ toCountry: 'UY' }));
      await untilDelivered(tx, sent.request!.id, 20_000, 'delivered');
    } finally {
      tx.close();
    }
  });
});

describe('registry catch-up wait', () => {
  // What bench/directory.ts ran into: an open broker where the network's bucket was never made ('enlace network init').
  it('a registry that cannot read the bucket fails ready() with that reason as its cause, not only "did not catch up"', async () => {
    const tmp = await tempDir();
    const nats = await NatsServer.start(join(tmp.path, 'jetstream'));
    const nc = await connect({ servers: nats.url, name: 'test-no-bucket' });
    const db = openDb(join(tmp.path, 'AR.db'));
    const net = await testNetwork(['AR'], Date.now(), NETWORK);
    const registry = await Registry.create({
      networkId: net.networkId,
      country: 'AR',
      ring: net.rings.get('AR')!,
      trust: net.trust,
      store: { db },
      transport: { connection: async () => nc },
      clock: { now: () => Date.now() },
      logger: quietLogger,
    });
    registry.start();
    try {
      const err = await registry.ready(1_000).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isEnlaceError(err) && err.code).toBe('ERR_UNAVAILABLE');
      const cause = (err as Error).cause;
      expect(isEnlaceError(cause) && cause.code).toBe('ERR_UNAVAILABLE');
      expect(registry.isReady).toBe(false);
    } finally {
      await registry.destroy();
      await nc.close();
      db.close();
      await nats.stop();
      await tmp.cleanup();
    }
  });
});
