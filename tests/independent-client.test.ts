/**
 * An integrator's view: a gRPC client built only from the .proto files (proto/ and the
 * standard health and reflection protos), no project code, and a token from `enlace token`.
 */
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, Federation, PASSPHRASE, testPki } from './_util.js';
import { readFileSync } from 'node:fs';

const REPO = new URL('..', import.meta.url).pathname;
const require = createRequire(import.meta.url);
const HEALTH_PROTO = join(dirname(require.resolve('grpc-health-check/package.json')), 'proto/health/v1/health.proto');
const REFLECTION_PROTO = join(dirname(require.resolve('@grpc/reflection/package.json')), 'build/proto/grpc/reflection/v1/reflection.proto');

/** What this client reads of the answers, in the .proto field names (keepCase). */
interface RequestAnswer {
  request: { id: string; status: string };
  receipt: { signer_country: string; signature_verified: boolean; envelope_sha256: Uint8Array };
}
interface HealthAnswer {
  status: string;
}
interface ReflectionAnswer {
  list_services_response: { service: { name: string }[] };
}
type UnaryMethod = (req: object, md: grpc.Metadata, done: (e: grpc.ServiceError | null, r: unknown) => void) => void;

/** Looks up a service constructor by its full name, e.g. "enlace.v1.ExchangeService". */
function load(files: string[], includeDirs: string[], service: string): grpc.ServiceClientConstructor {
  const root = grpc.loadPackageDefinition(loadSync(files, { includeDirs, keepCase: true, longs: Number, enums: String, defaults: true }));
  return service.split('.').reduce<unknown>((o, k) => (o as grpc.GrpcObject)[k], root) as grpc.ServiceClientConstructor;
}

function unary<T>(client: grpc.Client, method: string, req: object, md = new grpc.Metadata()): Promise<T> {
  const call = (client as unknown as Record<string, UnaryMethod>)[method]!;
  return new Promise((res, rej) => call.call(client, req, md, (e, r) => (e ? rej(e) : res(r as T))));
}

describe('an independent client built only from proto/', () => {
  let fed: Federation;
  let tls: grpc.ChannelCredentials;
  const addresses: Record<string, string> = {};

  beforeAll(async () => {
    fed = await Federation.create(['AR', 'UY']);
    // TLS like any client of a node: the network CA, nothing of Enlace's code.
    tls = grpc.credentials.createSsl(readFileSync((await testPki()).caCert));
    for (const c of ['AR', 'UY']) {
      const node = await fed.startNode(c);
      await node.waitForTransport();
      addresses[c] = node.grpcAddress;
    }
  });

  afterAll(async () => {
    await fed?.destroy();
  });

  it('submits AR to UY with a token from `enlace token` and sees DELIVERED with a receipt', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(REPO, 'bin/enlace.js'), 'token', '--data', fed.layout.dataDir('AR'), '--country', 'AR', '--role', 'integrator', '--ttl', '10m'],
      {
        env: { ...process.env, ENLACE_KEY_PASSPHRASE: PASSPHRASE },
      },
    );
    const token = stdout.trim();
    expect(token.split('.')).toHaveLength(3);

    const Exchange = load(['enlace/v1/exchange.proto'], [join(REPO, 'proto')], 'enlace.v1.ExchangeService');
    const client = new Exchange(addresses.AR!, tls);
    const md = new grpc.Metadata();
    md.set('authorization', `Bearer ${token}`);
    const submitted = await unary<RequestAnswer>(
      client,
      'SubmitRequest',
      {
        to_country: 'UY',
        kind: 'criminal_records',
        subject: 'Criminal records of a suspect',
        payload: Buffer.from('{"person":"J. D."}'),
        payload_type: 'application/json',
        idempotency_key: 'integrator-0001',
      },
      md,
    );
    const id = submitted.request.id;
    const done = await eventually(
      async () => {
        const got = await unary<RequestAnswer>(client, 'GetRequest', { id }, md);
        return got.request.status === 'REQUEST_STATUS_DELIVERED' ? got : undefined;
      },
      20_000,
      'DELIVERED',
    );
    expect(done.receipt.signer_country).toBe('UY');
    expect(done.receipt.signature_verified).toBe(true);
    expect(done.receipt.envelope_sha256).toHaveLength(32);
    client.close();
  });

  it('answers grpc.health.v1 and server reflection on every node without a token', async () => {
    const health = load([HEALTH_PROTO], [], 'grpc.health.v1.Health');
    const reflection = load([REFLECTION_PROTO], [], 'grpc.reflection.v1.ServerReflection');
    for (const address of Object.values(addresses)) {
      const h = new health(address, tls);
      expect((await unary<HealthAnswer>(h, 'Check', { service: '' })).status).toBe('SERVING');
      expect((await unary<HealthAnswer>(h, 'Check', { service: 'enlace.v1.ExchangeService' })).status).toBe('SERVING');
      h.close();

      const r = new reflection(address, tls);
      const stream = (r as unknown as { ServerReflectionInfo(): grpc.ClientDuplexStream<object, ReflectionAnswer> }).ServerReflectionInfo();
      const answer = new Promise<ReflectionAnswer>((res, rej) => {
        stream.on('data', res);
        stream.on('error', rej);
      });
      stream.write({ list_services: '' });
      const services = (await answer).list_services_response.service.map((s) => s.name);
      stream.end();
      expect(services).toEqual(expect.arrayContaining(['enlace.v1.ExchangeService', 'enlace.v1.NodeService', 'grpc.health.v1.Health']));
      r.close();
    }
  });
});
