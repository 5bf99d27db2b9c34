/**
 * The broker's tenancy, tried against the real nats-server running deploy/nats.conf as shipped
 * (only the listener, the store folder and the certificate folder moved to this machine, the
 * cluster include left out, sync_interval dropped on nats-server < 2.10): for every state's
 * user, every subject and JetStream API call that matters, allowed or denied exactly as
 * designed. The matrix is printed.
 */
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistryBucket } from '../services/registry/index.js';
import {
  foreignApiPrefix,
  laneConsumer,
  inboxStream,
  inboxSubject,
  NETWORK_ACCOUNT,
  NETWORK_USER,
  registryKeySubject,
  registryLogKey,
  registryNodeKey,
  registryStream,
  Transport,
} from '../services/transport/index.js';
import { deployNatsConf, DEPLOY_COUNTRIES, DEPLOY_NETWORK, DEPLOY_TLS_DIR } from '../scripts/lib/deploy-nats-conf.js';
import { natsBinary, NatsServer, quietLogger, tempDir, testPki } from './_util.js';

const NET = DEPLOY_NETWORK;
const STATES = [...DEPLOY_COUNTRIES];
const LANE_BACKLOG = 5;
const DENY_WAIT_MS = 1_500;

/** True when `fn` completes, false when the broker refuses it or nobody answers in time. */
async function allowed(fn: () => Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const r = await Promise.race([fn().then(() => true), new Promise<false>((res) => (timer = setTimeout(() => res(false), DENY_WAIT_MS * 2)))]);
    return r;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

describe('the broker as shipped in deploy/nats.conf: one account per state', () => {
  let server: NatsServer;
  let dir: { path: string; cleanup: () => Promise<void> };
  const nc: Record<string, NatsConnection> = {};
  const transports: Transport[] = [];
  const passwords: Record<string, string> = { [NETWORK_USER]: 'pw-network', AR: 'pw-AR', UY: 'pw-UY', BR: 'pw-BR' };
  const matrix: { action: string; cells: Record<string, boolean>; expected: Record<string, boolean> }[] = [];

  async function check(action: string, expect: (user: string) => boolean, fn: (user: string) => Promise<unknown>): Promise<void> {
    const cells: Record<string, boolean> = {};
    const expected: Record<string, boolean> = {};
    for (const u of STATES) {
      cells[u] = await allowed(() => fn(u));
      expected[u] = expect(u);
    }
    matrix.push({ action, cells, expected });
  }

  const js = (u: string) => jetstream(nc[u]!, { timeout: DENY_WAIT_MS, checkAPI: false });
  /** The JetStream API of `account` as `u` reaches it: its own as $JS.API, another's only as exported under $JS.<account>.API. */
  const apiOf = (u: string, account: string): Promise<JetStreamManager> =>
    jetstreamManager(nc[u]!, { timeout: DENY_WAIT_MS, checkAPI: false, ...(u === account ? {} : { apiPrefix: foreignApiPrefix(account) }) });

  beforeAll(async () => {
    dir = await tempDir('enlace-broker-');
    const pki = await testPki();
    const { stdout, stderr } = await promisify(execFile)(natsBinary(), ['--version']).catch((e: { stdout: string; stderr: string }) => e);
    const [major, minor] = (/v?(\d+)\.(\d+)/.exec(stdout + stderr) ?? ['', '2', '12']).slice(1).map(Number) as [number, number];
    const shipped = deployNatsConf();
    server = await NatsServer.start(join(dir.path, 'js'), undefined, (port, storeDir) =>
      shipped
        .replaceAll(DEPLOY_TLS_DIR, pki.dir)
        .replace('listen: 0.0.0.0:4222', `listen: 127.0.0.1:${port}`)
        .replace('"/data/jetstream"', JSON.stringify(storeDir))
        .replace('$SERVER_NAME', 'enlace-test')
        .replace(/^include .*$/m, '')
        .replace(/\$NATS_PASSWORD_(\w+)/g, (_, u: string) => JSON.stringify(passwords[u === 'NETWORK' ? NETWORK_USER : u]))
        .split('\n')
        .filter((l) => !(major === 2 && minor < 10 && l.trim().startsWith('sync_interval')))
        .join('\n'),
    );
    for (const u of [NETWORK_USER, ...STATES]) nc[u] = await connect({ servers: server.url, user: u, pass: passwords[u]!, tls: { caFile: pki.caCert }, name: `matrix-${u}` });
    // What `enlace network init` and each node set up: the registry bucket, then each state's inbox and consumer.
    await createRegistryBucket(nc[NETWORK_USER]!, NET);
    for (const c of STATES) {
      const t = new Transport({
        servers: [server.url],
        networkId: NET,
        country: c,
        name: `node-${c}`,
        logger: quietLogger,
        user: c,
        password: passwords[c]!,
        tls: { caFile: pki.caCert },
        laneBacklog: LANE_BACKLOG,
      });
      transports.push(t);
      await t.connect();
      await t.ensureInbox(c);
      await t.resetConsumers(STATES);
    }
  });

  afterAll(async () => {
    for (const t of transports) await t.close();
    for (const c of Object.values(nc)) await c.close();
    await server?.stop();
    await dir?.cleanup();
  });

  it('allows and denies exactly as designed, for every state user', { timeout: 300_000 }, async () => {
    const others = (u: string) => STATES.filter((c) => c !== u);
    for (const to of STATES) {
      for (const from of others(to)) {
        await check(
          `publish on lane ${to}.from.${from}`,
          (u) => u === from,
          (u) => js(u).publish(inboxSubject(NET, to, from), 'x', { timeout: DENY_WAIT_MS, expect: { streamName: inboxStream(NET, to) } }),
        );
      }
    }
    for (const t of STATES) {
      const stream = inboxStream(NET, t);
      // The consumer of the lane that holds the stream's first message (the first publish above).
      const consumer = laneConsumer(others(t)[0]!);
      await check(
        `inbox stream ${t}: info`,
        (u) => u === t,
        async (u) => (await apiOf(u, t)).streams.info(stream),
      );
      await check(
        `inbox stream ${t}: read a message`,
        (u) => u === t,
        async (u) => {
          if (!(await (await apiOf(u, t)).streams.getMessage(stream, { seq: 1 }))) throw new Error('none');
        },
      );
      await check(
        `inbox consumer ${t}: info`,
        (u) => u === t,
        async (u) => (await apiOf(u, t)).consumers.info(stream, consumer),
      );
      await check(
        `inbox consumer ${t}: fetch next`,
        (u) => u === t,
        async (u) => {
          const c = await jetstream(nc[u]!, { timeout: DENY_WAIT_MS, checkAPI: false, ...(u === t ? {} : { apiPrefix: foreignApiPrefix(t) }) }).consumers.get(stream, consumer);
          const m = await c.next({ expires: 1_000 });
          if (!m) throw new Error('nothing');
          m.nak();
        },
      );
      await check(
        `inbox consumer ${t}: delete`,
        (u) => u === t,
        async (u) => {
          if (!(await (await apiOf(u, t)).consumers.delete(stream, consumer))) throw new Error('not deleted');
        },
      );
      await transports[STATES.indexOf(t)]!.resetConsumers(STATES);
      await check(
        `inbox stream ${t}: purge`,
        (u) => u === t,
        async (u) => (await apiOf(u, t)).streams.purge(stream, { filter: inboxSubject(NET, t, 'ZZ') }),
      );
    }
    for (const k of STATES) {
      await check(
        `registry: write node.${k}`,
        (u) => u === k,
        (u) => js(u).publish(registryKeySubject(NET, registryNodeKey(k)), 'descriptor', { timeout: DENY_WAIT_MS }),
      );
      await check(
        `registry: write log.${k}.<seq>`,
        (u) => u === k,
        (u) => js(u).publish(registryKeySubject(NET, registryLogKey(k, 1)), 'record', { timeout: DENY_WAIT_MS }),
      );
      await check(
        `registry: read node.${k}`,
        () => true,
        async (u) => {
          const m = await (await apiOf(u, NETWORK_ACCOUNT)).direct.getMessage(registryStream(NET), { seq: 1, next_by_subj: registryKeySubject(NET, registryNodeKey(k)) });
          if (!m) throw new Error('not found');
        },
      );
    }
    await check(
      'registry: stream info',
      () => true,
      async (u) => (await apiOf(u, NETWORK_ACCOUNT)).streams.info(registryStream(NET)),
    );
    await check(
      'registry: purge',
      () => false,
      async (u) => (await apiOf(u, NETWORK_ACCOUNT)).streams.purge(registryStream(NET)),
    );
    await check(
      'registry: delete',
      () => false,
      async (u) => (await apiOf(u, NETWORK_ACCOUNT)).streams.delete(registryStream(NET)),
    );
    await check(
      'registry: create a consumer (watch)',
      () => false,
      async (u) => (await apiOf(u, NETWORK_ACCOUNT)).consumers.add(registryStream(NET), { name: `probe-${u}` }),
    );
    await check(
      'registry: create a bucket in the network account',
      () => false,
      async (u) => (await apiOf(u, NETWORK_ACCOUNT)).streams.add({ name: `KV_PROBE_${u}`, subjects: [`$KV.PROBE_${u}.>`] }),
    );
    // Attachments travel as parts on the lanes above (docs/protocol.md §18.4): no other path to check.
    // Replies and flow control stay in each account: subscribed to everything (`>`, so `_INBOX.>` and
    // `$JS.FC.>` too), a state sees nothing of the traffic between the two others.
    for (const u of STATES) {
      const [x, y] = others(u) as [string, string];
      const seen: string[] = [];
      const sub = nc[u]!.subscribe('>', { callback: (_e, m) => void seen.push(m.subject) });
      await nc[u]!.flush();
      await js(x)
        .publish(inboxSubject(NET, y, x), 'x', { timeout: DENY_WAIT_MS, msgID: `observed-by-${u}` })
        .catch(() => {});
      (await (await jetstream(nc[y]!).consumers.get(inboxStream(NET, y), laneConsumer(x))).next({ expires: 1_000 }))?.nak();
      // The server copies a message to every matching subscription before it answers the publisher
      // or hands it to a consumer, so a PING sent now is answered after anything u was given.
      await nc[u]!.flush();
      sub.unsubscribe();
      // JetStream's advisories about u's own stream (a nak of the previous round, published late) are u's own business.
      const foreign = seen.filter((s) => !(s.startsWith('$JS.EVENT.ADVISORY.') && s.includes(`.${inboxStream(NET, u)}.`)));
      if (foreign.length > 0) process.stdout.write(`${u} saw: ${foreign.join(', ')}\n`);
      matrix.push({ action: `subscribe > (_INBOX.>, $JS.FC.>): sees the others' traffic`, cells: { [u]: foreign.length > 0 }, expected: { [u]: false } });
    }

    const table = ['action'.padEnd(64) + STATES.map((s) => s.padEnd(7)).join('')];
    const rows = new Map<string, { cells: Record<string, boolean>; expected: Record<string, boolean> }>();
    for (const r of matrix) {
      const row = rows.get(r.action) ?? { cells: {}, expected: {} };
      Object.assign(row.cells, r.cells);
      Object.assign(row.expected, r.expected);
      rows.set(r.action, row);
    }
    for (const [action, r] of rows) table.push(action.padEnd(64) + STATES.map((s) => (r.cells[s] === undefined ? '' : r.cells[s] ? 'allow' : 'deny').padEnd(7)).join(''));
    process.stdout.write('\n' + table.join('\n') + '\n');
    const wrong = [...rows].flatMap(([action, r]) =>
      STATES.filter((s) => r.cells[s] !== undefined && r.cells[s] !== r.expected[s]).map((s) => `${s}: ${action}: ${r.cells[s] ? 'allowed' : 'denied'}`),
    );
    expect(wrong).toEqual([]);
  });

  it('holds a lane at its backlog limit while the other lanes of the same inbox still take messages', async () => {
    const lane = (from: string, i: number) => js(from).publish(inboxSubject(NET, 'UY', from), 'x', { msgID: `backlog-${from}-${i}`, timeout: DENY_WAIT_MS });
    const accepted: boolean[] = [];
    for (let i = 0; i < LANE_BACKLOG + 3; i++) accepted.push(await allowed(() => lane('AR', i)));
    // Earlier messages of the matrix may already sit in the lane: the limit counts unread ones.
    expect(accepted.filter(Boolean).length).toBeLessThanOrEqual(LANE_BACKLOG);
    expect(accepted.at(-1)).toBe(false);
    expect(await allowed(() => lane('BR', 100))).toBe(true);
  });

  it('refuses a state more streams than its account may hold', async () => {
    const jsm = await jetstreamManager(nc.AR!);
    const made: boolean[] = [];
    for (let i = 0; i < 6; i++) made.push(await allowed(() => jsm.streams.add({ name: `JUNK_${i}`, subjects: [`junk.${i}`] })));
    // The inbox already counts (attachments have no stream of their own): max_streams is countries + 2 = 5.
    expect(made.filter(Boolean).length).toBe(4);
  });
});
