import { benchRequest, type BenchClient } from './lib/clients.js';
import type { CpuMeter } from './lib/cpu.js';
import { percentiles, ratePerSecond, round, sleep, withDeadline, type Percentiles } from './lib/stats.js';
import type { Tracker } from './lib/tracker.js';

export interface Driver {
  sender: BenchClient;
  to: string;
  tracker: Tracker;
  payloadBytes: number;
  cpu: CpuMeter;
}

export interface LatencySet {
  /** Submit call until its response (the request is committed to the sender's outbox). */
  accepted: Percentiles;
  /** Submit until the receiver's WatchRequests reports it received (committed there). */
  received: Percentiles;
  /** Submit until the sender's WatchRequests reports it delivered (the signed receipt is back). */
  delivered: Percentiles;
}

export interface Throughput {
  count: number;
  /** Requests in flight at once, each counted until its receipt is back. */
  window: number;
  totalMs: number;
  perSecond: number;
  latency: LatencySet;
  cpuSeconds: Record<string, number>;
  cpuMsPerRequest: Record<string, number>;
}

export interface FixedRate {
  targetPerSecond: number;
  seconds: number;
  count: number;
  achievedPerSecond: number;
  latency: LatencySet;
}

function latencySet(tracker: Tracker, refs: readonly string[]): LatencySet {
  const l = tracker.latencies(refs);
  return { accepted: percentiles(l.accepted), received: percentiles(l.received), delivered: percentiles(l.delivered) };
}

/**
 * Submits `count` requests through the sender's gRPC API with at most `window` in flight,
 * each in flight from its submit until its receipt is back at the sender (status DELIVERED).
 * Throughput is count / (first submit to last receipt).
 */
export async function saturate(d: Driver, count: number, window: number, prefix: string, timeoutMs: number): Promise<Throughput> {
  const refs = Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(6, '0')}`);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const ref = refs[next++]!;
      const delivered = d.tracker.delivery(ref);
      d.tracker.submitting(ref);
      await d.sender.submit(benchRequest(d.to, ref, d.payloadBytes));
      d.tracker.accepted(ref);
      await delivered;
    }
  };
  d.cpu.start();
  const start = performance.now();
  await withDeadline(Promise.all(Array.from({ length: Math.min(window, count) }, worker)), timeoutMs, `${count} requests delivered with ${window} in flight`);
  const totalMs = performance.now() - start;
  const cpuSeconds = d.cpu.stop();
  const cpuMsPerRequest = Object.fromEntries(Object.entries(cpuSeconds).map(([k, v]) => [k, round((v * 1000) / count, 3)]));
  return { count, window, totalMs: Math.round(totalMs), perSecond: ratePerSecond(count, totalMs), latency: latencySet(d.tracker, refs), cpuSeconds, cpuMsPerRequest };
}

/** Submits at a fixed rate (open loop: no waiting for earlier requests) for `seconds`, then waits for every receipt. */
export async function fixedRate(d: Driver, perSecond: number, seconds: number, prefix: string, timeoutMs: number): Promise<FixedRate> {
  const count = Math.round(perSecond * seconds);
  const refs = Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(6, '0')}`);
  const inFlight: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const due = start + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const ref = refs[i]!;
    const delivered = d.tracker.delivery(ref);
    d.tracker.submitting(ref);
    inFlight.push(
      d.sender.submit(benchRequest(d.to, ref, d.payloadBytes)).then(() => {
        d.tracker.accepted(ref);
        return delivered;
      }),
    );
  }
  const submittedMs = performance.now() - start;
  await withDeadline(Promise.all(inFlight), timeoutMs, `${count} requests at ${perSecond}/s delivered`);
  return { targetPerSecond: perSecond, seconds, count, achievedPerSecond: round(((count - 1) * 1000) / submittedMs), latency: latencySet(d.tracker, refs) };
}
