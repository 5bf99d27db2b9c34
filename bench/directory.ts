/**
 * Registry at scale: 35 countries x 200 contact points, each country a Registry (the node's
 * registry component with its own SQLite file, NATS connection and trust store) in this
 * process, all on one nats-server run as a deployment's is (bench/lib/broker.ts: per-state
 * accounts, TLS, the registry bucket made by the network's user), each registry connected
 * as its state's user. Reports search latency on one node holding all 7,000
 * points, the time for every node to load everyone's directory, and the time for one change
 * to reach all 35 nodes.
 *
 *   node --expose-gc --import tsx bench/directory.ts [--quick]      (also run by npm run bench)
 *
 * It reports; it asserts nothing.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { TrustStore } from '../keys/index.js';
import { testNetwork } from '../services/envelope/testkit.js';
import { blankContact, LABEL_LANGUAGES, Registry, THEMES, type ContactPoint } from '../services/registry/index.js';
import { openDb, type Db } from '../services/store/index.js';
import { BenchBroker } from './lib/broker.js';
import { percentiles, round, until } from './lib/stats.js';

export type DirectoryResult =
  | { measured: false; reason: string }
  | {
      measured: true;
      countries: number;
      contactPoints: number;
      searches: number;
      p50Ms: number;
      p95Ms: number;
      p99Ms: number;
      /** Every node holds every country's directory, from the first import. */
      fullLoadMs: number;
      /** A node with an empty cache reads, verifies and indexes all 7,000 points. */
      freshNodeCatchUpMs: number;
      /** One change, from the upsert call until the 35th node has applied it. */
      changeToAllP50Ms: number;
      changeToAllMaxMs: number;
      changes: number;
    };

/** The 35 member states of the OAS. */
const OAS = 'AG AR BS BB BZ BO BR CA CL CO CR CU DM DO EC SV US GD GT GY HT HN JM MX NI PA PY PE KN LC VC SR TT UY VE'.split(' ');
const REPO = new URL('..', import.meta.url).pathname;
/** Each state's JetStream reservation: 35 of the default 8 GiB exceed the broker's 50G; here only the network account stores anything (the registry). */
const STATE_LIMITS = { maxFileBytes: 1024 ** 3 };
const WORDS = 'fiscalia trata migracion victimas cooperacion policia consulado ninez trabajo registro identificacion extradicion justicia proteccion'.split(' ');

function contactFor(country: string, i: number): ContactPoint {
  const pick = <T>(list: readonly T[], k: number) => list[(i * 7 + k * 13) % list.length]!;
  return {
    ...blankContact(country, `cp-${String(i).padStart(3, '0')}`),
    authority: { es: `Dirección de ${pick(WORDS, 1)} ${i}`, en: `Directorate ${i}` },
    unit: { es: `Unidad de ${pick(WORDS, 2)}` },
    themes: [pick(THEMES, 0), pick(THEMES, 5)].filter((t, k, a) => a.indexOf(t) === k),
    languages: [pick(LABEL_LANGUAGES, 0), 'es'].filter((t, k, a) => a.indexOf(t) === k),
    roleTitle: `Punto focal ${pick(WORDS, 3)}`,
    person: `Persona ${country} ${i}`,
    email: `cp${i}@${country.toLowerCase()}.example`,
    phone: `+5982555${String(1000 + i)}`,
    available247: i % 10 === 0,
    timeZone: 'America/Montevideo',
    officeHours: [{ days: [1, 2, 3, 4, 5], open: '09:00', close: '17:00' }],
    validFrom: '2025-01-01',
    lastVerified: '2025-06-01',
  };
}

/** What the registries of one run share and what is closed after it: the folder, the broker, and each registry's connection and database. */
interface Bench {
  dir: string;
  broker: BenchBroker;
  net: Awaited<ReturnType<typeof testNetwork>>;
  logger: Logger;
  connections: NatsConnection[];
  dbs: Db[];
  /** The registries still running. */
  running: Registry[];
}

export async function directorySearch(opts: { quick?: boolean; log?: (line: string) => void } = {}): Promise<DirectoryResult> {
  const log = opts.log ?? (() => {});
  const perCountry = 200;
  const searches = opts.quick ? 500 : 3_000;
  const changes = opts.quick ? 5 : 20;
  const dir = await mkdtemp(join(tmpdir(), 'enlace-bench-registry-'));
  const net = await testNetwork(OAS, Date.now(), 'enlace-bench');
  const broker = await BenchBroker.start(dir, net.networkId, OAS, STATE_LIMITS).catch(async (e: unknown) => {
    await rm(dir, { recursive: true, force: true });
    throw e;
  });
  const bench: Bench = { dir, broker, net, logger: pino({ level: 'silent' }), connections: [], dbs: [], running: [] };
  try {
    const registries: Registry[] = [];
    for (const country of OAS) registries.push(await startRegistry(bench, country));
    await Promise.all(registries.map((r) => r.ready(30_000)));
    log(`${OAS.length} registries ready; importing ${perCountry} contact points each`);
    const fullLoadMs = await loadDirectories(registries, perCountry);
    if (fullLoadMs === undefined) return { measured: false, reason: 'not measured: the directories did not reach every node within 120 s' };
    log(`every node holds ${OAS.length * perCountry} contact points after ${fullLoadMs} ms`);
    const freshNodeCatchUpMs = await freshNodeCatchUp(bench);
    log(`a fresh node caught up with all ${OAS.length * perCountry} points in ${freshNodeCatchUpMs} ms`);
    const c = percentiles(await changesToAll(registries, changes));
    log(`one change to all ${OAS.length} nodes: p50 ${c.p50} ms, max ${c.max} ms over ${changes} changes`);
    const s = await searchLatency(bench, registries[0]!, searches);
    log(`search: p50 ${s.p50 / 1000} ms, p99 ${s.p99 / 1000} ms over ${searches} queries`);
    return {
      measured: true,
      countries: OAS.length,
      contactPoints: OAS.length * perCountry,
      searches,
      p50Ms: round(s.p50 / 1000, 3),
      p95Ms: round(s.p95 / 1000, 3),
      p99Ms: round(s.p99 / 1000, 3),
      fullLoadMs,
      freshNodeCatchUpMs,
      changeToAllP50Ms: c.p50,
      changeToAllMaxMs: c.max,
      changes,
    };
  } finally {
    for (const r of bench.running) await r.destroy();
    for (const nc of bench.connections) await nc.close();
    for (const db of bench.dbs) db.close();
    await broker.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** A registry of `country` with its own trust store, connection and SQLite file, started. */
async function startRegistry(bench: Bench, country: string, name = country): Promise<Registry> {
  const { net } = bench;
  const trust = new TrustStore(net.trust.anchor);
  for (const c of OAS) await trust.add(net.trust.descriptorJws(c)!);
  const nc = await bench.broker.connect(country, `bench-${name}`);
  bench.connections.push(nc);
  const db = openDb(join(bench.dir, `${name}.db`));
  bench.dbs.push(db);
  const registry = await Registry.create({
    networkId: net.networkId,
    country,
    ring: net.rings.get(country)!,
    trust,
    store: { db },
    transport: { connection: async () => nc },
    clock: { now: () => Date.now() },
    logger: bench.logger,
  });
  registry.start();
  bench.running.push(registry);
  return registry;
}

/** Every country imports its directory; the time until every node holds all of them, or undefined after 120 s. */
async function loadDirectories(registries: Registry[], perCountry: number): Promise<number | undefined> {
  const loadStart = performance.now();
  await Promise.all(registries.map((r) => r.importDirectory('json', JSON.stringify({ contacts: Array.from({ length: perCountry }, (_, i) => contactFor(r.country, i)) }), 'bench')));
  const loaded = await until(() => registries.every((r) => OAS.every((c) => r.headSeq(c) === 1)), 120_000, 20);
  return loaded ? round(performance.now() - loadStart) : undefined;
}

/** A node with an empty cache joins: the time until it holds every country's directory. */
async function freshNodeCatchUp(bench: Bench): Promise<number> {
  const catchUpStart = performance.now();
  const fresh = await startRegistry(bench, 'AR', 'fresh');
  await fresh.ready(120_000);
  await until(() => OAS.every((c) => fresh.headSeq(c) === 1), 120_000, 5);
  return round(performance.now() - catchUpStart);
}

/** `changes` upserts by writers in turn: for each, the time until the last node applied it. */
async function changesToAll(registries: Registry[], changes: number): Promise<number[]> {
  const toAll: number[] = [];
  for (let k = 0; k < changes; k++) {
    const writer = registries[(k * 11) % registries.length]!;
    const target = writer.headSeq(writer.country) + 1;
    const start = performance.now();
    let arrived = 0;
    let lastAt = 0;
    const offs = registries.map((r) =>
      r.onChange((_entries, rec) => {
        if (rec.payload.country === writer.country && rec.payload.seq === target) {
          arrived++;
          lastAt = performance.now();
        }
      }),
    );
    await writer.upsertContact({ ...contactFor(writer.country, k), person: `Cambio ${k}` }, 'bench');
    await until(() => arrived === registries.length, 10_000, 1);
    for (const off of offs) off();
    toAll.push(lastAt - start);
  }
  return toAll;
}

/** The i-th query of the mix: free text, theme and country, theme and language, text and country. */
function query(i: number) {
  const q = i % 4;
  return {
    includeInactive: false,
    offset: 0,
    limit: 20,
    ...(q === 0 ? { text: WORDS[i % WORDS.length]! } : {}),
    ...(q === 1 ? { theme: THEMES[i % THEMES.length]!, country: OAS[i % OAS.length]! } : {}),
    ...(q === 2 ? { theme: THEMES[i % THEMES.length]!, language: LABEL_LANGUAGES[i % 4]! } : {}),
    ...(q === 3 ? { text: `${WORDS[i % WORDS.length]!} ${i % 200}`, country: OAS[i % OAS.length]! } : {}),
  };
}

/**
 * Search as one node's process sees it: the other registries go, and their memory with them.
 * Percentiles in microseconds, after 500 searches to warm up.
 */
async function searchLatency(bench: Bench, reader: Registry, searches: number): Promise<ReturnType<typeof percentiles>> {
  for (const r of bench.running.splice(0)) if (r !== reader) await r.destroy();
  bench.running.push(reader);
  for (let i = 0; i < 500; i++) reader.search(query(i));
  (globalThis as { gc?: () => void }).gc?.();
  const samples: number[] = [];
  for (let i = 0; i < searches; i++) {
    const q = query(i);
    const t = performance.now();
    reader.search(q);
    samples.push(performance.now() - t);
  }
  return percentiles(samples.map((ms) => ms * 1000));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await directorySearch({ quick: process.argv.includes('--quick'), log: (l) => console.log(l) });
  console.log(JSON.stringify(result, null, 2));
  await writeFile(join(REPO, 'bench', 'results', 'directory.json'), JSON.stringify({ at: new Date().toISOString(), ...result }, null, 2) + '\n');
}
