/**
 * A fault campaign (issue 14): runs the randomized fault suite (tests/fault-suite.test.ts) many
 * times, each run with its own seed and every fault kind at least once, and the cluster
 * failover test (tests/nats-cluster-failover.test.ts) every few runs; then prints and writes the
 * totals: runs passed and failed (with the seeds to replay), requests, faults by kind, requests
 * lost, duplicated and out of sender order, recovery time after each run's last fault (p50,
 * max), the failover stalls and the inbox losses the nodes counted through them (a failover that
 * failed, counted one or stalled past 15 s keeps the nodes' debug logs).
 *
 *   npm run test:campaign -- --runs 200 [--seed 1000] [--failover-every 10] [--out file.json]
 *
 * Every run is a separate vitest process, so a failed run does not stop the campaign; the
 * figures of a run are the JSON line the suite prints ("fault suite: {...}"). The results go to
 * test-artifacts/ (ignored by git) after every run, so a campaign cut short keeps what it measured.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';

interface SuiteFigures {
  seed: number;
  rounds: number;
  faults: Record<string, number>;
  requests: Record<string, number>;
  recoveryMsAfterLastFault: number;
  outOfSenderOrder: number;
  copiesSeen: number;
  /** Nodes that did not stop cleanly on SIGTERM and exited by themselves (cli/node.ts); absent in runs before it was counted. */
  uncleanStops?: number;
}

interface Run {
  seed: number;
  passed: boolean;
  seconds: number;
  figures?: SuiteFigures;
  /** The first failure lines vitest printed, for a failed run. */
  failure?: string;
}

interface FailoverRun {
  passed: boolean;
  stallsMs: number[];
  /** Each node's count of inbox losses it noticed (a false alarm: the failover loses no store). */
  inboxLosses: number[];
}

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '200' },
    seed: { type: 'string', default: String(Date.now() % 2 ** 30) },
    'failover-every': { type: 'string', default: '10' },
    out: { type: 'string', default: join('test-artifacts', `fault-campaign-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.json`) },
  },
});
const RUNS = Number(values.runs);
const FIRST_SEED = Number(values.seed);
const FAILOVER_EVERY = Number(values['failover-every']);
/** A failover stall past this keeps the nodes' logs: the Raft election (4 to 9 s) and a publish timeout (5 s) explain up to about 15 s. */
const LONG_STALL_MS = 15_000;
const OUT = values.out;

/** The process group of the vitest run under way, stopped with the campaign (Ctrl-C). */
let running: number | undefined;
for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.on(sig, () => {
    if (running) process.kill(-running, 'SIGTERM');
    process.exit(130);
  });

/** Runs one vitest file with `env`, collecting its output; resolves with the exit code and the output. */
function vitest(file: string, env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    // Its own process group, so that stopping the campaign stops the run's nodes and broker too.
    const child = spawn('npx', ['vitest', 'run', file, '--reporter', 'default'], {
      env: { ...process.env, ...env, FORCE_COLOR: '0', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    running = child.pid;
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) => {
      running = undefined;
      resolve({ code: code ?? 1, output });
    });
  });
}

// vitest colours its output whatever FORCE_COLOR says; the figures are read without the escapes.
const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');

function suiteFigures(output: string): SuiteFigures | undefined {
  const marker = 'fault suite: {';
  const line = plain(output)
    .split('\n')
    .find((l) => l.includes(marker));
  return line ? (JSON.parse(line.slice(line.indexOf(marker) + marker.length - 1)) as SuiteFigures) : undefined;
}

function failureOf(output: string): string {
  const lines = plain(output).split('\n');
  const at = lines.findIndex((l) => /FAIL|Error:|AssertionError/.test(l));
  return lines
    .slice(Math.max(0, at), at + 12)
    .join('\n')
    .slice(0, 2_000);
}

function failoverStalls(output: string): number[] {
  return [...plain(output).matchAll(/"deliveryStallMs":(\d+)/g)].map((m) => Number(m[1]));
}

function failoverInboxLosses(output: string): number[] {
  const line = plain(output).match(/inbox losses noticed[^:]*: ([\d, ]+)/);
  return line ? line[1]!.split(',').map((n) => Number(n.trim())) : [];
}

const percentile = (xs: number[], p: number): number => {
  if (xs.length === 0) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
};

function summary(runs: Run[], failovers: FailoverRun[]) {
  const done = runs.filter((r) => r.figures);
  const faults: Record<string, number> = {};
  for (const r of done) for (const [k, n] of Object.entries(r.figures!.faults)) faults[k] = (faults[k] ?? 0) + n;
  const recoveries = done.map((r) => r.figures!.recoveryMsAfterLastFault);
  const stalls = failovers.flatMap((f) => f.stallsMs);
  return {
    runs: runs.length,
    passed: runs.filter((r) => r.passed).length,
    failedSeeds: runs.filter((r) => !r.passed).map((r) => r.seed),
    faultsTotal: Object.values(faults).reduce((a, b) => a + b, 0),
    faultsByKind: faults,
    requestsAccepted: done.reduce((n, r) => n + Object.values(r.figures!.requests).reduce((a, b) => a + b, 0), 0),
    // A run whose requests were lost, duplicated or diverged fails its assertions: these count the runs that passed them.
    outOfSenderOrder: done.reduce((n, r) => n + r.figures!.outOfSenderOrder, 0),
    copiesRecorded: done.reduce((n, r) => n + r.figures!.copiesSeen, 0),
    uncleanStops: done.reduce((n, r) => n + (r.figures!.uncleanStops ?? 0), 0),
    recoveryMsP50: percentile(recoveries, 0.5),
    recoveryMsMax: Math.max(0, ...recoveries),
    failoverRuns: failovers.length,
    failoverPassed: failovers.filter((f) => f.passed).length,
    failoverStallMsP50: percentile(stalls, 0.5),
    failoverStallMsMax: Math.max(0, ...stalls),
    failoverInboxLosses: failovers.reduce((n, f) => n + (f.inboxLosses ?? []).reduce((a, b) => a + b, 0), 0),
    minutes: Math.round(runs.reduce((s, r) => s + r.seconds, 0) / 6) / 10,
  };
}

function save(runs: Run[], failovers: FailoverRun[]): void {
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, JSON.stringify({ firstSeed: FIRST_SEED, summary: summary(runs, failovers), runs, failovers }, null, 2) + '\n');
}

async function main(): Promise<void> {
  const runs: Run[] = [];
  const failovers: FailoverRun[] = [];
  console.log(`fault campaign: ${RUNS} runs from seed ${FIRST_SEED}, cluster failover every ${FAILOVER_EVERY}, results in ${OUT}`);
  for (let i = 0; i < RUNS; i++) {
    const seed = FIRST_SEED + i;
    const started = Date.now();
    const { code, output } = await vitest('tests/fault-suite.test.ts', { ENLACE_FAULT_SEED: String(seed) });
    const figures = suiteFigures(output);
    const run: Run = { seed, passed: code === 0, seconds: Math.round((Date.now() - started) / 1000), ...(figures ? { figures } : {}), ...(code === 0 ? {} : { failure: failureOf(output) }) };
    runs.push(run);
    console.log(
      `run ${i + 1}/${RUNS} seed ${seed}: ${run.passed ? 'passed' : 'FAILED'} in ${run.seconds} s${figures ? `, ${Object.values(figures.requests).reduce((a, b) => a + b, 0)} requests, recovery ${figures.recoveryMsAfterLastFault} ms` : ''}`,
    );
    if (!run.passed) {
      // The whole output of a failed run, to read beside its seed (replay: ENLACE_FAULT_SEED=<seed> npx vitest run tests/fault-suite.test.ts).
      const log = OUT.replace(/\.json$/, '') + `-seed-${seed}.log`;
      writeFileSync(log, plain(output));
      console.log(`${run.failure}\n(whole output in ${log})`);
    }
    if (FAILOVER_EVERY > 0 && (i + 1) % FAILOVER_EVERY === 0) {
      // The nodes' debug logs, kept when the failover failed, a node counted an inbox loss or delivery stalled past LONG_STALL_MS.
      const logs = OUT.replace(/\.json$/, '') + `-failover-after-run-${i + 1}`;
      const f = await vitest('tests/nats-cluster-failover.test.ts', { ENLACE_TEST_LOG_DIR: logs });
      const failover = { passed: f.code === 0, stallsMs: failoverStalls(f.output), inboxLosses: failoverInboxLosses(f.output) };
      failovers.push(failover);
      console.log(`cluster failover: ${failover.passed ? 'passed' : 'FAILED'}, delivery stalls ${failover.stallsMs.join(', ')} ms, inbox losses counted ${failover.inboxLosses.join(', ')}`);
      const readable = !failover.passed || failover.inboxLosses.some((n) => n > 0) || failover.stallsMs.some((ms) => ms > LONG_STALL_MS);
      if (!readable) rmSync(logs, { recursive: true, force: true });
      else console.log(`(the nodes' logs in ${logs}/)`);
      if (!failover.passed) {
        // Its whole output, like a failed run's: the failover test prints no seed to replay it from.
        const log = `${logs}.log`;
        writeFileSync(log, plain(f.output));
        console.log(`${failureOf(f.output)}\n(whole output in ${log})`);
      }
    }
    save(runs, failovers);
  }
  const s = summary(runs, failovers);
  console.log(`fault campaign: ${JSON.stringify(s, null, 2)}`);
  process.exitCode = s.passed === s.runs && s.failoverPassed === s.failoverRuns ? 0 : 1;
}

await main();
