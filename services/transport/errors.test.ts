/**
 * classifyNatsError against the errors a real nats-server makes nats.js throw: one case each.
 */
import { DiscardPolicy, jetstream, jetstreamManager, RetentionPolicy, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, NatsServer } from '../../scripts/lib/nats-server.js';
import { classifyNatsError, jetStreamCode } from './errors.js';

/** The error `p` rejects with (fails the test when it resolves). */
async function errorOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('classifyNatsError', () => {
  let dir: string;
  let server: NatsServer;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'enlace-nats-errors-'));
    const config = (port: number, store: string) => `listen: 127.0.0.1:${port}
jetstream { store_dir: "${store}" }
authorization { users: [ { user: node, password: secret, permissions: { publish: { deny: ["forbidden.>"] }, subscribe: { allow: [">"] } } } ] }
`;
    server = await NatsServer.start(join(dir, 'js'), undefined, config);
    nc = await connect({ servers: server.url, user: 'node', pass: 'secret' });
    js = jetstream(nc, { timeout: 2_000 });
    jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'LANES', subjects: ['lanes.>'], retention: RetentionPolicy.Limits, max_msgs_per_subject: 1, discard: DiscardPolicy.New, discard_new_per_subject: true });
  });

  afterAll(async () => {
    if (nc && !nc.isClosed()) await nc.close();
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('a stream that does not exist is stream-not-found (JetStream API 10059)', async () => {
    const e = await errorOf(jsm.streams.info('NO_SUCH_STREAM'));
    expect(classifyNatsError(e)).toBe('stream-not-found');
    expect(jetStreamCode(e)).toBe(10059);
  });

  it('a consumer that does not exist is consumer-not-found (10014), for info and for delete', async () => {
    expect(classifyNatsError(await errorOf(jsm.consumers.info('LANES', 'nobody')))).toBe('consumer-not-found');
    expect(classifyNatsError(await errorOf(jsm.consumers.delete('LANES', 'nobody')))).toBe('consumer-not-found');
  });

  it('a compare-and-set publish against another revision is wrong-last-sequence (10071)', async () => {
    await js.publish('lanes.cas', 'first', { expect: { lastSubjectSequence: 0 } });
    const e = await errorOf(js.publish('lanes.cas.other', 'x', { expect: { lastSubjectSequence: 7 } }));
    expect(classifyNatsError(e)).toBe('wrong-last-sequence');
    expect(jetStreamCode(e)).toBe(10071);
  });

  it('a publish on a subject at its maximum (discard new per subject) is subject-full (10077)', async () => {
    await js.publish('lanes.full', 'one');
    expect(classifyNatsError(await errorOf(js.publish('lanes.full', 'two')))).toBe('subject-full');
  });

  it('a publish that expects another stream than the one capturing the subject is stream-mismatch (10060)', async () => {
    expect(classifyNatsError(await errorOf(js.publish('lanes.x', 'x', { expect: { streamName: 'ANOTHER' } })))).toBe('stream-mismatch');
  });

  it('another JetStream API error is jetstream-api, with its code', async () => {
    const e = await errorOf(jsm.streams.add({ name: 'OVERLAP', subjects: ['lanes.>'] }));
    expect(classifyNatsError(e)).toBe('jetstream-api');
    expect(jetStreamCode(e)).toBeGreaterThan(10000);
  });

  it('a JetStream publish on a subject no stream captures is no-responders', async () => {
    expect(classifyNatsError(await errorOf(js.publish('no.stream.here', 'x')))).toBe('no-responders');
  });

  it('a request nobody subscribes to is no-responders', async () => {
    expect(classifyNatsError(await errorOf(nc.request('nobody.listens', 'x', { timeout: 2_000 })))).toBe('no-responders');
  });

  it('a request that is never answered is timeout', async () => {
    const sub = nc.subscribe('silent', { callback: () => {} });
    await nc.flush();
    expect(classifyNatsError(await errorOf(nc.request('silent', 'x', { timeout: 100 })))).toBe('timeout');
    sub.unsubscribe();
  });

  it('a publish the broker denies is permission', async () => {
    expect(classifyNatsError(await errorOf(nc.request('forbidden.x', 'x', { timeout: 2_000 })))).toBe('permission');
  });

  it('wrong credentials are permission', async () => {
    expect(classifyNatsError(await errorOf(connect({ servers: server.url, user: 'node', pass: 'wrong', reconnect: false })))).toBe('permission');
  });

  it('a server that cannot be reached is connection', async () => {
    const port = await freePort();
    expect(classifyNatsError(await errorOf(connect({ servers: `nats://127.0.0.1:${port}`, reconnect: false })))).toBe('connection');
  });

  it('a call on a closed connection is closed', async () => {
    const other = await connect({ servers: server.url, user: 'node', pass: 'secret' });
    await other.close();
    expect(classifyNatsError(await errorOf(other.request('x', 'y')))).toBe('closed');
  });

  it('an error that is not of NATS is other', () => {
    expect(classifyNatsError(new Error('stream not found'))).toBe('other');
    expect(classifyNatsError('consumer not found')).toBe('other');
    expect(jetStreamCode(new Error('10059'))).toBeUndefined();
  });
});
