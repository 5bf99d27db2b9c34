/**
 * A broker-only reproduction (issue 14, the campaign failover that failed on 3 December): no
 * Enlace code, three plain nats-server processes as a cluster, an R3 stream with a
 * steady publisher and one R3 pull consumer. Each round kills a server, re-creates the consumer
 * while it is down (what a node does after a reconnect with messages in flight), restarts it,
 * then kills another server 6 to 14 s later (the first one may still be catching up) and
 * re-creates the consumer again. It prints how long delivery stopped after the second kill, and
 * "STUCK" when it did not resume within 70 s; at 20 s of that it re-creates the consumer the same
 * way again, at 40 s it creates it with `--fallback-replicas` replicas (1 by default) to see what
 * brings delivery back.
 *
 *   npx tsx scripts/nats-consumer-quorum.ts [--rounds 12] [--fallback-replicas 1] [--dir /tmp/x]
 *
 * On 4 December 2026 (nats-server 2.9.10, 2 cores): without the re-creation at 20 s, 1 round
 * of 6 stuck for the whole minute, until the third server came back (both live servers logged
 * "consumer has NO quorum, stalled"; the consumer had been created 0.1 s after the cluster
 * elected a new metadata leader). With it, 30 rounds: 4 left the consumer without a leader,
 * its info answering "JetStream system temporarily unavailable" and the cluster's listing leaving
 * it out; each time deleting and creating it again brought delivery back 4 to 6 s later. The
 * servers' logs stay in the printed folder.
 */
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type ConsumerConfig, type JetStreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { freePort, NatsServer } from './lib/nats-server.js';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '12' }, 'fallback-replicas': { type: 'string', default: '1' }, dir: { type: 'string' } },
});
const rounds = Number(values.rounds);
const fallbackReplicas = Number(values['fallback-replicas']);
const dir = values.dir ?? mkdtempSync(join(tmpdir(), 'enlace-quorum-'));
const started = Date.now();
const say = (...parts: unknown[]) => console.log(`${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s`, ...parts);

const routes = await Promise.all([0, 1, 2].map(() => freePort()));
const servers = await Promise.all(
  [0, 1, 2].map((i) =>
    NatsServer.start(
      join(dir, `s${i}`),
      undefined,
      (port, storeDir) => `listen: 127.0.0.1:${port}
server_name: s${i}
jetstream { store_dir: "${storeDir}" }
cluster { name: quorum, listen: 127.0.0.1:${routes[i]}, routes: [${routes
        .filter((_, j) => j !== i)
        .map((p) => `nats-route://127.0.0.1:${p}`)
        .join(', ')}] }
`,
    ),
  ),
);
say(`servers' stores and logs in ${dir}`);

const nc = await connect({ servers: servers.map((s) => s.url), maxReconnectAttempts: -1, reconnectTimeWait: 250 });
// The cluster elects its metadata leader after the servers are up: asked until it answers.
let jsm: JetStreamManager | undefined;
while (!jsm) {
  jsm = await jetstreamManager(nc, { timeout: 2_000 })
    .then(async (m) => (await m.streams.add({ name: 'S', subjects: ['s.>'], num_replicas: 3 }), m))
    .catch(() => undefined);
  if (!jsm) await delay(300);
}
const manager = jsm;
const js = jetstream(nc, { timeout: 5_000 });
const consumer: Partial<ConsumerConfig> = { durable_name: 'c', filter_subject: 's.x', ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All, ack_wait: 30e9, num_replicas: 3 };
let running = true;
let lastDelivery = Date.now();
let published = 0;
let delivered = 0;

const publishing = (async () => {
  while (running) {
    await js.publish('s.x', new TextEncoder().encode(String(published))).then(
      () => published++,
      () => {},
    );
    await delay(20);
  }
})();
const pulling = (async () => {
  while (running) {
    try {
      const messages = await (await js.consumers.get('S', 'c')).fetch({ max_messages: 100, expires: 2_000 });
      for await (const m of messages) {
        m.ack();
        delivered++;
        lastDelivery = Date.now();
      }
    } catch {
      await delay(200);
    }
  }
})();

async function recreate(replicas = 3): Promise<void> {
  await manager.consumers.delete('S', 'c').catch(() => {});
  for (let i = 0; i < 10; i++) {
    const ok = await manager.consumers.add('S', { ...consumer, num_replicas: replicas }).then(
      () => true,
      (e: unknown) => (say(`create: ${(e as Error).message}`), false),
    );
    if (ok) return;
    await delay(500);
  }
}
const leader = () =>
  manager.consumers.info('S', 'c').then(
    (i) => i.cluster?.leader ?? '(none)',
    (e: unknown) => `(${(e as Error).message})`,
  );

/** Whether the cluster's consumer listing names the consumer (it leaves out one without a leader). */
async function listed(): Promise<boolean> {
  try {
    for await (const c of manager.consumers.list('S')) if (c.name === 'c') return true;
  } catch {
    // no answer: not listed
  }
  return false;
}

await recreate();
let stuck = 0;
for (let r = 0; r < rounds; r++) {
  await delay(3_000);
  const [a, b] = [r % 3, (r + 1) % 3];
  say(`round ${r}: kill s${a}; consumer leader ${await leader()}`);
  await servers[a]!.kill9();
  await delay(2_000);
  await recreate();
  await delay(3_000);
  await servers[a]!.start();
  say(`s${a} back`);
  await delay(6_000 + Math.random() * 8_000);
  say(`kill s${b}; consumer leader ${await leader()}`);
  await servers[b]!.kill9();
  const killedAt = Date.now();
  await delay(2_000);
  await recreate();
  let step = 0;
  for (;;) {
    await delay(1_000);
    const stalled = Date.now() - killedAt;
    if (lastDelivery > killedAt + 2_000) {
      say(
        `delivery resumed ${((lastDelivery - killedAt) / 1000).toFixed(1)} s after the kill (consumer leader ${await leader()}${['', ', after deleting and creating it again', `, after an R${fallbackReplicas} consumer`][step]})`,
      );
      break;
    }
    if (stalled > 20_000 && step === 0) {
      step = 1;
      say(`no delivery for 20 s (consumer leader ${await leader()}; ${(await listed()) ? 'in' : 'left out of'} the consumer listing): deleted and created again`);
      await recreate();
    } else if (stalled > 40_000 && step === 1) {
      step = 2;
      say(`no delivery for 40 s (consumer leader ${await leader()}): created with ${fallbackReplicas} replica(s)`);
      await recreate(fallbackReplicas);
    } else if (stalled > 70_000) {
      stuck++;
      say(`STUCK: no delivery for 70 s (consumer leader ${await leader()})`);
      break;
    }
  }
  await servers[b]!.start();
  say(`s${b} back`);
}
running = false;
await Promise.all([publishing, pulling]);
say(`${rounds} rounds, ${stuck} stuck; ${published} published, ${delivered} deliveries`);
await nc.close();
for (const s of servers) await s.stop();
