import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NodeConnectionOptions } from '@nats-io/transport-node';
import { inboxStream } from '../services/index.js';
import { benchRequest } from './lib/clients.js';
import { BENCH_NETWORK, type NodeChild } from './lib/network.js';
import { RssSampler } from './lib/rss.js';
import { ratePerSecond, sleep, withDeadline } from './lib/stats.js';
import type { Driver } from './e2e.js';

export interface Drain {
  /** Requests the benchmark meant to queue. */
  target: number;
  /** Requests the sender accepted before the queueing deadline: the backlog that was drained. */
  count: number;
  /** Submits at the sender while the receiver is offline, and how fast they were accepted. */
  submitMs: number;
  submitPerSecond: number;
  /** Seconds since the first submit when each further tenth of the target had been accepted. */
  submitCurve: { accepted: number; atSeconds: number }[];
  /** Until every accepted request sat in the receiver's inbox stream. */
  queuedMs: number;
  /** Messages in the receiver's stream when it started: more than `count` when re-sends outlived the broker's duplicate window. */
  streamMessages: number;
  /** Receiver process spawned until it printed its ready line. */
  startMs: number;
  /** Ready until the receiver's inbox stream is empty: every request committed and acknowledged. */
  drainMs: number;
  /** Requests (unique) drained per second. */
  perSecond: number;
  /** Ready until every receipt is back at the sender (status DELIVERED). */
  receiptsMs: number;
  receiptsPerSecond: number;
  /** CPU used from the receiver's ready line until every receipt was back, per process. */
  cpuSeconds: Record<string, number>;
  peakRssMiB: Record<string, number>;
}

/**
 * Receiver offline while up to `target` requests queue in its inbox stream, then started
 * again: how long until it has committed them all, and until the sender has all the
 * receipts. Submitting stops at `queueDeadlineMs`; what was accepted by then is the backlog.
 */
export async function backlogDrain(
  d: Driver,
  receiverAccount: NodeConnectionOptions,
  sender: NodeChild,
  receiver: NodeChild,
  opts: { target: number; prefix: string; queueDeadlineMs: number; timeoutMs: number; log?: (line: string) => void },
): Promise<Drain> {
  const { target, timeoutMs } = opts;
  const nc = await connect(receiverAccount);
  try {
    const stream = inboxStream(BENCH_NETWORK, receiver.country);
    const { inStream, waitFor } = streamWatch(await jetstreamManager(nc), stream, timeoutMs);
    await receiver.stop();
    const before = await inStream();
    const q = await queueBacklog(d, sender, opts);
    const { start, submitted, accepted } = q;
    if (accepted < target) opts.log?.(`  queueing stopped at the deadline: ${accepted} of ${target} accepted in ${Math.round((submitted - start) / 1000)} s`);
    const delivered = q.refs.map((ref) => d.tracker.delivery(ref));
    const queued = await waitFor((n) => n >= before + accepted, `${accepted} requests queued in ${stream}`);
    const streamMessages = await inStream();

    const rss = new RssSampler({ [sender.country]: () => sender.pid, [receiver.country]: () => receiver.pid });
    const spawned = performance.now();
    await receiver.start();
    const ready = performance.now();
    d.cpu.start();
    const drained = await waitFor((n) => n === 0, `${stream} drained`);
    await withDeadline(Promise.all(delivered), timeoutMs, `${accepted} receipts back after the drain`);
    const receipts = performance.now();
    const cpuSeconds = d.cpu.stop();
    const peakRssMiB = rss.stop();
    return {
      target,
      count: accepted,
      submitMs: Math.round(submitted - start),
      submitPerSecond: ratePerSecond(accepted, submitted - start),
      submitCurve: q.submitCurve,
      queuedMs: Math.round(queued - start),
      streamMessages,
      startMs: Math.round(ready - spawned),
      drainMs: Math.round(drained - ready),
      perSecond: ratePerSecond(accepted, drained - ready),
      receiptsMs: Math.round(receipts - ready),
      receiptsPerSecond: ratePerSecond(accepted, receipts - ready),
      cpuSeconds,
      peakRssMiB,
    };
  } finally {
    await nc.close();
  }
}

/** The receiver's inbox stream as seen from the broker: its message count, and a wait until that count passes a check. */
function streamWatch(jsm: JetStreamManager, stream: string, timeoutMs: number) {
  const inStream = async () => (await jsm.streams.info(stream)).state.messages;
  const waitFor = async (check: (n: number) => boolean, what: string) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (check(await inStream())) return performance.now();
      if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
      await sleep(50);
    }
  };
  return { inStream, waitFor };
}

/** 64 workers submit at the sender until `target` are accepted or `queueDeadlineMs` passes; the refs accepted, with a curve of the count every tenth. */
async function queueBacklog(
  d: Driver,
  sender: NodeChild,
  opts: { target: number; prefix: string; queueDeadlineMs: number; log?: (line: string) => void },
): Promise<{ start: number; submitted: number; accepted: number; refs: string[]; submitCurve: Drain['submitCurve'] }> {
  const { target, prefix } = opts;
  const refs = Array.from({ length: target }, (_, i) => `${prefix}-${String(i).padStart(6, '0')}`);
  const start = performance.now();
  const stopAt = start + opts.queueDeadlineMs;
  const submitCurve: Drain['submitCurve'] = [];
  const step = Math.max(1, Math.floor(target / 10));
  let next = 0;
  let accepted = 0;
  const worker = async () => {
    while (next < target && performance.now() < stopAt) {
      const ref = refs[next++]!;
      d.tracker.submitting(ref);
      await d.sender.submit(benchRequest(d.to, ref, d.payloadBytes));
      d.tracker.accepted(ref);
      if (++accepted % step === 0) {
        const atSeconds = Math.round((performance.now() - start) / 100) / 10;
        submitCurve.push({ accepted, atSeconds });
        opts.log?.(`  ${accepted} accepted at ${sender.country} after ${atSeconds} s`);
      }
    }
  };
  await Promise.all(Array.from({ length: 64 }, worker));
  return { start, submitted: performance.now(), accepted, refs: refs.slice(0, accepted), submitCurve };
}
