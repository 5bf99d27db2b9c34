import { AckPolicy, DeliverPolicy, RetentionPolicy, StorageType, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, nanos, type NodeConnectionOptions } from '@nats-io/transport-node';
import { randomBytes, randomUUID } from 'node:crypto';
import { ratePerSecond } from './lib/stats.js';

export interface RawResult {
  count: number;
  payloadBytes: number;
  inFlight: number;
  /** First publish to last publish acknowledged by the server. */
  publishMs: number;
  publishPerSecond: number;
  /** First publish to last message consumed and acknowledged: the baseline the ratio uses. */
  totalMs: number;
  perSecond: number;
}

/**
 * Raw JetStream with nothing of Enlace: async publishes (with Nats-Msg-Id, at most
 * `inFlight` awaiting their ack) into a file-backed work-queue stream configured like a
 * node's inbox, while a durable pull consumer reads and acks each message explicitly.
 */
export async function rawJetStream(connectOptions: NodeConnectionOptions, count: number, payloadBytes: number, inFlight = 1024): Promise<RawResult> {
  const nc = await connect(connectOptions);
  try {
    const jsm = await jetstreamManager(nc);
    const js = jetstream(nc);
    const stream = `BENCH_RAW_${randomUUID().slice(0, 8)}`;
    const subject = `bench.raw.${stream}`;
    await jsm.streams.add({
      name: stream,
      subjects: [subject],
      storage: StorageType.File,
      retention: RetentionPolicy.Workqueue,
      duplicate_window: nanos(120_000),
    });
    await jsm.consumers.add(stream, { durable_name: 'bench', ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All, max_ack_pending: 2_000 });
    const payload = new Uint8Array(randomBytes(payloadBytes));

    const consumer = await js.consumers.get(stream, 'bench');
    const messages = await consumer.consume({ max_messages: 512 });
    const start = performance.now();
    const consumed = (async () => {
      let n = 0;
      for await (const m of messages) {
        m.ack();
        if (++n === count) break;
      }
      return performance.now();
    })();

    let next = 0;
    const publisher = async () => {
      while (next < count) {
        const i = next++;
        await js.publish(subject, payload, { msgID: `raw-${i}`, expect: { streamName: stream }, timeout: 10_000 });
      }
    };
    await Promise.all(Array.from({ length: inFlight }, publisher));
    const published = performance.now();
    const done = await consumed;
    await messages.close();
    await jsm.streams.delete(stream);
    return {
      count,
      payloadBytes,
      inFlight,
      publishMs: Math.round(published - start),
      publishPerSecond: ratePerSecond(count, published - start),
      totalMs: Math.round(done - start),
      perSecond: ratePerSecond(count, done - start),
    };
  } finally {
    await nc.drain().catch(() => nc.close());
  }
}
