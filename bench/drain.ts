import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { inboxStream } from '../services/index.js';
import { benchRequest } from './lib/clients.js';
import { BENCH_NETWORK, type NodeChild } from './lib/network.js';
import { RssSampler } from './lib/rss.js';
import { ratePerSecond, sleep, withDeadline } from './lib/stats.js';
import type { Driver } from './e2e.js';

export interface Drain {
  count: number;
  /** Submits at the sender while the receiver is offline, and how fast they were accepted. */
  submitMs: number;
  submitPerSecond: number;
  /** Until every request sat in the receiver's inbox stream. */
  queuedMs: number;
  /** Receiver process spawned until it printed its ready line. */
  startMs: number;
  /** Ready until the receiver's inbox stream is empty: every request committed and acknowledged. */
  drainMs: number;
  perSecond: number;
  /** Ready until every receipt is back at the sender (status DELIVERED). */
  receiptsMs: number;
  receiptsPerSecond: number;
  cpuSeconds: Record<string, number>;
  peakRssMiB: Record<string, number>;
}

/**
 * Receiver offline while `count` requests queue in its inbox stream, then started again:
 * how long until it has committed them all, and until the sender has all the receipts.
 */
export async function backlogDrain(d: Driver, natsUrl: string, sender: NodeChild, receiver: NodeChild, count: number, prefix: string, timeoutMs: number): Promise<Drain> {
  const nc = await connect({ servers: [natsUrl], name: 'enlace-bench-drain' });
  try {
    const jsm = await jetstreamManager(nc);
    const stream = inboxStream(BENCH_NETWORK, receiver.country);
    const inStream = async () => (await jsm.streams.info(stream)).state.messages;
    const waitFor = async (check: (n: number) => boolean, what: string) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (check(await inStream())) return performance.now();
        if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
        await sleep(50);
      }
    };

    await receiver.stop();
    const before = await inStream();
    const refs = Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(6, '0')}`);
    const delivered = refs.map((ref) => d.tracker.delivery(ref));
    const start = performance.now();
    let next = 0;
    const worker = async () => {
      while (next < count) {
        const ref = refs[next++]!;
        d.tracker.submitting(ref);
        await d.sender.submit(benchRequest(d.to, ref, d.payloadBytes));
        d.tracker.accepted(ref);
      }
    };
    await Promise.all(Array.from({ length: 64 }, worker));
    const submitted = performance.now();
    const queued = await waitFor((n) => n >= before + count, `${count} requests queued in ${stream}`);

    d.cpu.start();
    const rss = new RssSampler({ [sender.country]: () => sender.pid, [receiver.country]: () => receiver.pid });
    const spawned = performance.now();
    await receiver.start();
    const ready = performance.now();
    const drained = await waitFor((n) => n === 0, `${stream} drained`);
    await withDeadline(Promise.all(delivered), timeoutMs, `${count} receipts back after the drain`);
    const receipts = performance.now();
    const cpuSeconds = d.cpu.stop();
    const peakRssMiB = rss.stop();
    return {
      count,
      submitMs: Math.round(submitted - start),
      submitPerSecond: ratePerSecond(count, submitted - start),
      queuedMs: Math.round(queued - start),
      startMs: Math.round(ready - spawned),
      drainMs: Math.round(drained - ready),
      perSecond: ratePerSecond(count, drained - ready),
      receiptsMs: Math.round(receipts - ready),
      receiptsPerSecond: ratePerSecond(count, receipts - ready),
      cpuSeconds,
      peakRssMiB,
    };
  } finally {
    await nc.close();
  }
}
