/**
 * Enlace benchmark suite: raw JetStream beside end to end, latency, backlog drain, memory,
 * crypto and directory search, in one run on one machine.
 *
 *   npm run bench [-- --quick] [--profile] [--keep-profiles] [--directory] [--window N] [--count N]
 *
 * --profile adds the CPU-profile phase and --directory the directory search to a quick
 * run (a full run always has both);
 * ENLACE_BENCH_NODE_ARGS passes extra Node flags to the node processes.
 *
 * Writes bench/results/latest.json and bench/results/latest.md. It reports; it asserts nothing.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { natsBinary } from '../scripts/lib/nats-server.js';
import { runCrypto } from './crypto-run.js';
import { directorySearch, type DirectoryResult } from './directory.js';
import { backlogDrain } from './drain.js';
import { fixedRate, saturate, type Driver } from './e2e.js';
import { CpuMeter, findPid } from './lib/cpu.js';
import { codeVersion, loadAverage, machine } from './lib/machine.js';
import { BenchNetwork, type NodeChild, type NodeMemory } from './lib/network.js';
import { RssSampler } from './lib/rss.js';
import { round, sleep } from './lib/stats.js';
import { Tracker } from './lib/tracker.js';
import { summarizeProfile, type ProfileSummary } from './profile.js';
import { rawJetStream, type RawResult } from './raw.js';
import { renderMarkdown, type Results } from './report.js';

const { values: opts } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    'keep-profiles': { type: 'boolean', default: false },
    window: { type: 'string' },
    directory: { type: 'boolean', default: false },
    count: { type: 'string' },
  },
});
const quick = opts.quick;
const PLAN = quick
  ? { count: 1_500, rawRounds: 2, warmup: 200, lightSeconds: 4, drain: 1_500, queueDeadlineMs: 15_000, profileCount: 1_000 }
  : { count: 20_000, rawRounds: 3, warmup: 1_000, lightSeconds: 30, drain: 20_000, queueDeadlineMs: 120_000, profileCount: 5_000 };
if (opts.count !== undefined) {
  if (!/^\d+$/.test(opts.count) || Number(opts.count) < 100) throw new Error('--count must be a whole number of requests, at least 100');
  PLAN.count = Number(opts.count);
}
const WINDOW = Number(opts.window ?? 256);
const PAYLOAD = 2048;
const LIGHT_RATE = 100;
const TIMEOUT = quick ? 60_000 : 300_000;
const [SENDER, RECEIVER] = ['AR', 'UY'] as const;
const RESULTS = join(new URL('.', import.meta.url).pathname, 'results');

const log = (line: string) => process.stderr.write(`[bench ${((performance.now() - t0) / 1000).toFixed(1)}s] ${line}\n`);
const t0 = performance.now();
const date = new Date().toISOString();
const mc = machine(natsBinary());
const loadAtStart = loadAverage();
log(`${quick ? 'quick' : 'full'} run on ${mc.cpuModel}, ${mc.cores} cores, ${mc.memoryMiB} MiB, Node ${mc.node}, nats-server ${mc.natsServer}`);

log('crypto: bench/crypto.ts, pinned to one core, before anything else runs');
const crypto = await runCrypto(quick);

log('starting nats-server and two nodes as child processes');
const net = await BenchNetwork.create([SENDER, RECEIVER]);
let profileDir: string | undefined;
const interrupted = (signal: NodeJS.Signals) => {
  log(`${signal}: stopping the nodes and nats-server`);
  void net.destroy().finally(() => process.exit(130));
};
process.once('SIGINT', interrupted);
process.once('SIGTERM', interrupted);
try {
  const ar = await net.startNode(SENDER);
  const uy = await net.startNode(RECEIVER);
  const natsPid = findPid(net.nats.storeDir);
  const pids = { [SENDER]: () => ar.pid, [RECEIVER]: () => uy.pid, 'nats-server': () => natsPid, bench: () => process.pid };
  const cpu = new CpuMeter(pids);
  const tx = await ar.client();
  const rx = await uy.client();
  const tracker = await Tracker.attach(tx, rx);
  const driver: Driver = { sender: tx, to: RECEIVER, tracker, payloadBytes: PAYLOAD, cpu };
  await sleep(2_000);
  const idle = { [SENDER]: ar.rss()!, [RECEIVER]: uy.rss()! };
  const accounting: Record<string, Record<string, NodeMemory | undefined>> = {};
  const account = async (when: string) => (accounting[when] = { [SENDER]: await ar.memory(), [RECEIVER]: await uy.memory() });
  await account('idle');
  log(`idle RSS: ${JSON.stringify(idle)} MiB`);

  // Raw JetStream in the receiver's own account, over the same TLS as the nodes.
  const rawAccount = net.connectOptions(RECEIVER, 'enlace-bench-raw');
  const raw: RawResult[] = [];
  const rawRound = async () => {
    const r = await rawJetStream(rawAccount, PLAN.count, PAYLOAD);
    raw.push(r);
    log(`raw JetStream: ${r.count} x ${PAYLOAD} B, publish ${r.publishPerSecond}/s, publish+consume ${r.perSecond}/s`);
  };
  await rawJetStream(rawAccount, 1_000, PAYLOAD);
  for (let i = 0; i < PLAN.rawRounds - 1; i++) await rawRound();

  log(`end to end: warm-up of ${PLAN.warmup}`);
  await saturate(driver, PLAN.warmup, WINDOW, 'warmup', TIMEOUT);
  log(`end to end: ${PLAN.count} requests, ${WINDOW} in flight until their receipt`);
  const load = new RssSampler({ [SENDER]: () => ar.pid, [RECEIVER]: () => uy.pid });
  const e2e = await saturate(driver, PLAN.count, WINDOW, 'e2e', TIMEOUT);
  const underLoad = load.stop();
  await account('after the end-to-end load');
  log(`end to end: ${e2e.perSecond}/s; delivered p50 ${e2e.latency.delivered.p50} ms p99 ${e2e.latency.delivered.p99} ms; CPU ms/request ${JSON.stringify(e2e.cpuMsPerRequest)}`);
  await rawRound();
  const rawRate = median(raw.map((r) => r.perSecond));
  const ratio = round(e2e.perSecond / rawRate, 3);
  log(`ratio end to end / raw: ${ratio}`);

  log(`latency at a light load: ${LIGHT_RATE}/s for ${PLAN.lightSeconds} s`);
  const light = await fixedRate(driver, LIGHT_RATE, PLAN.lightSeconds, 'light', TIMEOUT);
  log(`light: delivered p50 ${light.latency.delivered.p50} ms p99 ${light.latency.delivered.p99} ms`);

  log(`backlog drain: ${RECEIVER} offline while ${PLAN.drain} requests queue`);
  const drain = await backlogDrain(driver, net.connectOptions(RECEIVER, 'enlace-bench-drain'), ar, uy, {
    target: PLAN.drain,
    prefix: 'drain',
    queueDeadlineMs: PLAN.queueDeadlineMs,
    timeoutMs: TIMEOUT,
    log,
  });
  log(`drain: ${drain.count} queued (${drain.streamMessages} stream messages), ${drain.perSecond}/s at ${RECEIVER} (${drain.drainMs} ms), receipts back ${drain.receiptsPerSecond}/s`);
  await sleep(1_000);
  const afterDrain = { [SENDER]: ar.rss()!, [RECEIVER]: uy.rss()! };
  await account('after the drain');
  log(`RSS after the drain: ${JSON.stringify(afterDrain)} MiB`);

  let directory: DirectoryResult = {
    measured: false,
    reason: 'not measured in a quick run (loading 35 registries x 200 contact points takes longer than the whole quick run; add --directory, or run the full benchmark)',
  };
  if (!quick || opts.directory) {
    log('directory search: 35 registries in this process, on their own nats-server');
    directory = await directorySearch({ quick, log: (line) => log(`  ${line}`) });
  }

  let profiles: ProfileSummary[] | undefined;
  if (opts.profile || !quick) {
    profileDir = await mkdtemp(join(tmpdir(), 'enlace-bench-profiles-'));
    profiles = await profileRun(net, ar, uy, driver, profileDir);
  }
  tracker.stop();
  tx.close();
  rx.close();

  const memoryPeak = Math.max(...Object.values(idle), ...Object.values(underLoad), ...Object.values(drain.peakRssMiB), ...Object.values(afterDrain));
  const results: Results = {
    date,
    mode: quick ? 'quick' : 'full',
    machine: mc,
    code: codeVersion(join(RESULTS, '..', '..')),
    load: { atStart: loadAtStart, atEnd: loadAverage() },
    setup: {
      nodes: `${SENDER} and ${RECEIVER} as child processes (enlace node, Node ${mc.node} with tsx), one nats-server child with a fresh JetStream folder, all on this machine`,
      driver: 'this process, over the real gRPC API on loopback (SubmitRequest; WatchRequests on both nodes for timings)',
      payloadBytes: PAYLOAD,
      envelopeBytes: crypto.envelopeBytes,
      window: WINDOW,
      nodeSettings: 'production defaults (first re-send after 5 min)',
    },
    ratio,
    targets: {
      ratio: { target: '>= 0.25', value: ratio, met: ratio >= 0.25 },
      drain: { target: '>= 1,500 requests/s', value: drain.perSecond, met: drain.perSecond >= 1_500 && drain.count === drain.target },
      memory: { target: '< 200 MB RSS', value: memoryPeak, met: memoryPeak < 200 },
    },
    raw: { perSecond: rawRate, rounds: raw },
    endToEnd: e2e,
    latency: { light, saturation: e2e.latency },
    drain,
    memory: { idle, underLoadPeak: underLoad, drainPeak: drain.peakRssMiB, afterDrain, accounting },
    crypto,
    directory,
    ...(profiles ? { profiles } : {}),
  };
  await mkdir(RESULTS, { recursive: true });
  await writeFile(join(RESULTS, 'latest.json'), JSON.stringify(results, null, 2) + '\n');
  const md = renderMarkdown(results);
  await writeFile(join(RESULTS, 'latest.md'), md);
  process.stdout.write(md);
  log(`written: bench/results/latest.json and bench/results/latest.md (${Math.round((performance.now() - t0) / 1000)} s)`);
} finally {
  await net.destroy();
  if (profileDir && opts['keep-profiles']) log(`profiles kept in ${profileDir}`);
  else if (profileDir) await rm(profileDir, { recursive: true, force: true });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : Math.round((s[mid - 1]! + s[mid]!) / 2);
}

/**
 * Restarts both nodes with `--cpu-prof`, runs the end-to-end load and a backlog drain
 * again, stops them (which writes the profiles) and summarizes self time. Profiling slows
 * the nodes; these runs only say where the time goes, their rates are not reported.
 */
async function profileRun(net: BenchNetwork, ar: NodeChild, uy: NodeChild, driver: Driver, dir: string): Promise<ProfileSummary[]> {
  log(`profile: restarting ${SENDER} and ${RECEIVER} with --cpu-prof`);
  ar.profileName = `1-${SENDER}-sender`;
  uy.profileName = `2-${RECEIVER}-receiver-load`;
  for (const n of [ar, uy]) {
    await n.stop();
    n.profileDir = dir;
    await n.start();
  }
  driver.tracker.stop();
  const tx = await ar.client();
  const rx = await uy.client();
  driver.tracker = await Tracker.attach(tx, rx);
  driver.sender = tx;
  await saturate(driver, PLAN.profileCount, WINDOW, 'profile-e2e', TIMEOUT);
  uy.profileName = `3-${RECEIVER}-receiver-drain`;
  await backlogDrain(driver, net.connectOptions(RECEIVER, 'enlace-bench-drain'), ar, uy, {
    target: PLAN.profileCount,
    prefix: 'profile-drain',
    queueDeadlineMs: PLAN.queueDeadlineMs,
    timeoutMs: TIMEOUT,
  });
  driver.tracker.stop();
  tx.close();
  rx.close();
  await ar.stop();
  await uy.stop();
  const files = (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile')).sort();
  log(`profile: ${files.join(', ')}`);
  return Promise.all(files.map((f) => summarizeProfile(join(dir, f))));
}
