import type { CryptoResult } from './crypto-run.js';
import type { DirectoryResult } from './directory.js';
import type { Drain } from './drain.js';
import type { FixedRate, LatencySet, Throughput } from './e2e.js';
import type { Machine } from './lib/machine.js';
import type { NodeMemory } from './lib/network.js';
import type { Percentiles } from './lib/stats.js';
import { profileMarkdown, type ProfileSummary } from './profile.js';
import type { RawResult } from './raw.js';

export interface Target {
  target: string;
  value: number;
  met: boolean;
}

/** Everything one run measured; written as bench/results/latest.json. */
export interface Results {
  date: string;
  mode: 'quick' | 'full';
  machine: Machine;
  code: { commit: string; uncommittedChanges: boolean | undefined };
  /** Load average when the run started and ended: other work on the machine skews every figure. */
  load: { atStart: { oneMinute: number; runnable: number } | undefined; atEnd: { oneMinute: number; runnable: number } | undefined };
  setup: { nodes: string; driver: string; payloadBytes: number; envelopeBytes: number; window: number; nodeSettings: string };
  /** End-to-end rate / raw JetStream rate, same count and payload size, same run. */
  ratio: number;
  targets: { ratio: Target; drain: Target; memory: Target };
  raw: { perSecond: number; rounds: RawResult[] };
  endToEnd: Throughput;
  latency: { light: FixedRate; saturation: LatencySet };
  drain: Drain;
  memory: {
    idle: Record<string, number>;
    underLoadPeak: Record<string, number>;
    drainPeak: Record<string, number>;
    afterDrain: Record<string, number>;
    /** The node's own accounting (process.memoryUsage through the preloaded probe), by moment and node. */
    accounting: Record<string, Record<string, NodeMemory | undefined>>;
  };
  crypto: CryptoResult;
  directory: DirectoryResult;
  profiles?: ProfileSummary[];
}

const n = (x: number, digits = 0) => x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ms = (p: Percentiles) => `${n(p.p50, 1)} / ${n(p.p95, 1)} / ${n(p.p99, 1)}`;
const met = (t: { met: boolean }) => (t.met ? 'met' : '**not met**');
const perNode = (r: Record<string, number>) =>
  Object.entries(r)
    .map(([k, v]) => `${k} ${n(v, 1)}`)
    .join(', ');

/** The markdown table of a run (bench/results/latest.md). */
export function renderMarkdown(r: Results): string {
  const lines = [...headerLines(r), ...measureRows(r), '', ...primitiveLines(r.crypto)];
  lines.push(...memoryAccountLines(r), ...profileLines(r));
  return lines.join('\n') + '\n';
}

function headerLines(r: Results): string[] {
  const m = r.machine;
  const quickNote = r.mode === 'quick' ? ' (quick run: smaller counts than the full run)' : '';
  return [
    `## Enlace benchmarks, ${r.date.slice(0, 10)}, ${r.mode} run${quickNote}`,
    '',
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${n(m.memoryMiB)} MiB, ${m.platform}, Node ${m.node}, nats-server ${m.natsServer}.`,
    `Code: commit ${r.code.commit}${r.code.uncommittedChanges ? ", with uncommitted changes in the node's folders" : ''}.`,
    `Load average (1 min) at start ${r.load.atStart?.oneMinute ?? '?'}, at end ${r.load.atEnd?.oneMinute ?? '?'}${(r.load.atStart?.oneMinute ?? 0) > 1 ? ': other processes were running, so these figures are pessimistic' : ''}.`,
    `Setup: ${r.setup.nodes}; driven by ${r.setup.driver}. Payload ${n(r.setup.payloadBytes)} B (envelope ${n(r.setup.envelopeBytes)} B). Node settings: ${r.setup.nodeSettings}.`,
    '',
  ];
}

/** The directory search cell: the figures, or why they were not measured. */
function directoryCell(rd: DirectoryResult): string {
  return rd.measured
    ? `p99 ${n(rd.p99Ms, 2)} ms (p50 ${n(rd.p50Ms, 2)}, p95 ${n(rd.p95Ms, 2)}; ${n(rd.searches)} searches on one node holding all ${n(rd.contactPoints)} points). All 35 nodes loaded in ${n(rd.fullLoadMs / 1000, 1)} s; a fresh node caught up in ${n(rd.freshNodeCatchUpMs / 1000, 2)} s; one change reached all 35 nodes in p50 ${n(rd.changeToAllP50Ms)} ms, max ${n(rd.changeToAllMaxMs)} ms`
    : rd.reason;
}

/** The backlog's queueing cell: all queued, or how far queueing got before its deadline; and the re-sends stored twice. */
function backlogCells(d: Results['drain']): { queued: string; dups: string } {
  const queued =
    d.count === d.target
      ? `${n(d.count)} requests queued while UY was offline`
      : `only ${n(d.count)} of ${n(d.target)} requests queued while UY was offline: AR's submits slowed down as its outbox grew (${d.submitCurve.map((p) => `${n(p.accepted)} by ${n(p.atSeconds, 1)} s`).join(', ')}) and queueing stopped at the deadline`;
  const dups = d.streamMessages > d.count ? `; ${n(d.streamMessages)} messages in UY's stream, ${n(d.streamMessages - d.count)} of them re-sends stored after the broker's duplicate window` : '';
  return { queued, dups };
}

function measureRows(r: Results): string[] {
  const e = r.endToEnd;
  const rawBest = r.raw.rounds.map((x) => x.perSecond);
  const light = r.latency.light;
  const sat = r.latency.saturation;
  const d = r.drain;
  const c = r.crypto;
  const { queued, dups } = backlogCells(d);
  const cpuRow = Object.entries(e.cpuMsPerRequest)
    .map(([k, v]) => `${k} ${n(v, 2)}`)
    .join(', ');
  return [
    '| measure | result | target |',
    '|---|---|---|',
    `| raw JetStream: async publish + durable consume, ${n(r.raw.rounds[0]?.count ?? 0)} x ${n(r.setup.payloadBytes)} B | ${n(r.raw.perSecond)} msg/s (median of ${rawBest.map((x) => n(x)).join(', ')}) | |`,
    `| end to end: SubmitRequest at AR, delivered at UY, receipt back at AR, ${n(e.count)} requests, ${e.window} in flight | ${n(e.perSecond)} requests/s | |`,
    `| **ratio** end to end / raw | **${n(r.ratio, 3)}** | >= 0.25, ${met(r.targets.ratio)} |`,
    `| CPU per request during the end-to-end run, ms | ${cpuRow} | |`,
    `| latency at ${light.targetPerSecond}/s for ${light.seconds} s (${n(light.count)} requests), submit to received at UY, p50 / p95 / p99 ms | ${ms(light.latency.received)} | |`,
    `| latency at ${light.targetPerSecond}/s, submit to receipt at AR, p50 / p95 / p99 ms | ${ms(light.latency.delivered)} | |`,
    `| latency at saturation (${e.window} in flight), submit to received at UY, p50 / p95 / p99 ms | ${ms(sat.received)} | |`,
    `| latency at saturation, submit to receipt at AR, p50 / p95 / p99 ms | ${ms(sat.delivered)} | |`,
    `| latency at saturation, SubmitRequest call alone, p50 / p95 / p99 ms | ${ms(sat.accepted)} | |`,
    `| backlog: ${queued}; accepted at AR at ${n(d.submitPerSecond)}/s${dups} | UY ready ${n(d.startMs)} ms after spawn | |`,
    `| backlog drain at UY, ready to inbox stream empty | ${n(d.perSecond)} requests/s (${n(d.count)} in ${n(d.drainMs / 1000, 1)} s) | >= 1,500/s for ${n(d.target)}, ${met(r.targets.drain)} |`,
    `| backlog: every receipt back at AR | ${n(d.receiptsPerSecond)} requests/s (${n(d.receiptsMs / 1000, 1)} s) | |`,
    `| memory (VmRSS, MiB): idle | ${perNode(r.memory.idle)} | < 200 MB |`,
    `| memory: peak under end-to-end load | ${perNode(r.memory.underLoadPeak)} | < 200 MB |`,
    `| memory: peak during the drain; 1 s after it | ${perNode(r.memory.drainPeak)}; ${perNode(r.memory.afterDrain)} | < 200 MB, ${met(r.targets.memory)} |`,
    `| crypto: seal, 1 recipient, 2 KiB body (one core) | ${n(c.seal.opsPerSecond)}/s (${n(c.seal.usPerOp, 1)} µs) | |`,
    `| crypto: open | ${n(c.open.opsPerSecond)}/s (${n(c.open.usPerOp, 1)} µs) | |`,
    `| crypto: seal / sum of its primitives; open / sum of its primitives | ${n(c.ratios.sealToPrimitives ?? NaN, 2)}; ${n(c.ratios.openToPrimitives ?? NaN, 2)} | |`,
    `| directory search, 35 countries x 200 contact points (registries in the measuring process) | ${directoryCell(r.directory)} | |`,
  ];
}

function primitiveLines(c: CryptoResult): string[] {
  return ['Primitives (one core):', '', '| primitive | µs/op | ops/s |', '|---|---:|---:|', ...Object.values(c.primitives).map((p) => `| ${p.name} | ${n(p.usPerOp, 1)} | ${n(p.opsPerSecond)} |`), ''];
}

/** Where each node's memory is, when the run measured it. */
function memoryAccountLines(r: Results): string[] {
  const acct = Object.entries(r.memory.accounting).flatMap(([when, nodes]) =>
    Object.entries(nodes)
      .filter((e): e is [string, NodeMemory] => e[1] !== undefined)
      .map(([node, m]) => `| ${node}, ${when} | ${n(m.rss, 1)} | ${n(m.heapTotal, 1)} (${n(m.heapUsed, 1)} used) | ${n(m.external, 1)} | ${n(m.rss - m.heapTotal - m.external, 1)} |`),
  );
  if (!acct.length) return [];
  return [
    "Where the memory is (MiB, from process.memoryUsage() inside the node). External includes WebAssembly memories (libsodium); the rest is the Node binary, threads (among them the tsx loader's), and native allocations:",
    '',
    '| node, moment | RSS | V8 heap | external | rest |',
    '|---|---:|---:|---:|---:|',
    ...acct,
    '',
  ];
}

/** Where the time goes, when the run took CPU profiles. */
function profileLines(r: Results): string[] {
  if (!r.profiles?.length) return [];
  return [
    '### Where the time goes (CPU profiles of the node processes)',
    '',
    'Both nodes restarted with `node --cpu-prof`, then the end-to-end load and a backlog drain again. Profiles: the sender for both runs; the receiver during the end-to-end load; the receiver during the drain. Shares are of busy (non-idle) time; busy time includes time blocked in synchronous calls (SQLite commits).',
    '',
    ...r.profiles.map((p) => profileMarkdown({ ...p, topFunctions: p.topFunctions.slice(0, 12) })),
  ];
}
