/**
 * A lane consumer that answers no pull while the connection is up ends the reader with
 * LaneStuckError, so that the node creates its consumers afresh. Seen in the cluster failover
 * test on 3 December: a consumer created while one server was dead and another catching up
 * stayed without a leader, every pull missing its heartbeats, for the whole 2-minute wait.
 * Here the broker is real and the consumer is deleted behind the reader's back (its pulls then
 * fail like those of a consumer without a leader).
 */
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LaneReader, LaneStuckError } from '../services/transport/lane-reader.js';
import { NatsServer, quietLogger, tempDir } from './_util.js';

describe('a lane consumer that answers no pull', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('ends the reader with LaneStuckError once its pulls have failed for LANE_STUCK_MS, the connection up', async () => {
    const dir = await tempDir();
    cleanups.push(dir.cleanup);
    const server = await NatsServer.start(join(dir.path, 'js'));
    cleanups.push(() => server.stop());
    const nc = await connect({ servers: server.url });
    cleanups.push(() => nc.close());
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'LANES', subjects: ['lanes.>'] });
    await jsm.consumers.add('LANES', { durable_name: 'from-UY', filter_subject: 'lanes.UY', ack_policy: AckPolicy.Explicit });
    const consumer = await jetstream(nc).consumers.get('LANES', 'from-UY');
    await jetstream(nc).publish('lanes.UY', new TextEncoder().encode('first'));

    const handled: string[] = [];
    const reader = new LaneReader(
      async (batch) => {
        for (const m of batch) {
          handled.push(m.string());
          m.ack();
        }
        // Once the first message is in, the consumer goes away: every later pull fails.
        await jsm.consumers.delete('LANES', 'from-UY');
      },
      new AbortController().signal,
      quietLogger,
      () => !nc.isClosed(),
    );
    reader.addLane('UY', consumer);
    const error = await reader
      .run(async () => {})
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(handled).toEqual(['first']);
    expect(error).toBeInstanceOf(LaneStuckError);
    expect((error as LaneStuckError).sender).toBe('UY');
  }, 60_000);
});
