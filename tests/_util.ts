import { credentials, Metadata, type CallOptions, type ChannelCredentials } from '@grpc/grpc-js';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import {
  ExchangeServiceClient,
  type GetAttachmentRequest,
  type GetAttachmentResponse,
  type GetRequestRequest,
  type GetRequestResponse,
  ListRequestsRequest,
  type ListRequestsResponse,
  type SubmitRequestRequest,
  type SubmitRequestResponse,
} from '../generated/enlace/v1/exchange.js';
import { NodeServiceClient, type GetNodeInfoRequest, type GetNodeInfoResponse } from '../generated/enlace/v1/node.js';
import { ensureDemoNetwork, type DemoLayout } from '../keys/index.js';
import { DEFAULT_EXCHANGE_SETTINGS, mintToken, NationalNode, type Clock, type ExchangeSettings, type NodeConfig, type Role, type TokenIssuer } from '../services/index.js';
import { MAX_MESSAGE_BYTES } from '../services/grpc/index.js';
import { createRegistryBucket } from '../services/registry/index.js';
import { brokerConfig, NETWORK_USER, type BrokerPlan } from '../services/transport/index.js';
import { ensureDemoPki, type DemoPki } from '../scripts/lib/demo-pki.js';

export const PASSPHRASE = 'test-only passphrase, never for real use';
export const NETWORK = 'enlace-test';

export async function tempDir(prefix = 'enlace-test-'): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

export { freePort, natsBinary, NatsServer } from '../scripts/lib/nats-server.js';
import { NatsServer } from '../scripts/lib/nats-server.js';

export const quietLogger = pino({ level: process.env.ENLACE_TEST_LOG ?? 'silent' });

export const FAST_SETTINGS: ExchangeSettings = {
  ...DEFAULT_EXCHANGE_SETTINGS,
  resendAfterMs: 2_000,
  resendMaxMs: 10_000,
  publishBackoffMs: 100,
  publishBackoffMaxMs: 1_000,
  horizonCheckMs: 200,
};

let sharedPki: Promise<DemoPki> | undefined;

/**
 * The tests' network CA and localhost server certificate, made once per machine with
 * openssl (in a fresh folder renamed into place, so parallel test files never see half of it).
 */
export function testPki(): Promise<DemoPki> {
  sharedPki ??= (async () => {
    const final = join(tmpdir(), `enlace-test-pki-${process.getuid?.() ?? 0}`);
    if (!existsSync(join(final, 'server.crt'))) {
      const fresh = await mkdtemp(join(tmpdir(), 'enlace-test-pki-new-'));
      await ensureDemoPki(fresh, []);
      await rename(fresh, final).catch(() => rm(fresh, { recursive: true, force: true }));
    }
    return ensureDemoPki(final, []);
  })();
  return sharedPki;
}

/** gRPC client credentials that verify a test node's certificate against the test CA. */
export async function grpcCredentials(): Promise<ChannelCredentials> {
  return credentials.createSsl(readFileSync((await testPki()).caCert));
}

export interface FederationOptions {
  /** gRPC between the tests and the nodes: TLS (the default) or, explicitly, plaintext. */
  grpc?: 'tls' | 'plaintext';
  /** When the node keys and descriptors say they were made (default now); earlier lets a node run with its clock behind. */
  keysCreatedAt?: number;
  /** The states the broker has accounts for at first (all of `countries` by default); `admit` adds one to the running broker. */
  broker?: string[];
}

export function nodeConfig(layout: DemoLayout, country: string, natsUrl: string, settings: Partial<ExchangeSettings> = {}, pki?: DemoPki, grpc: 'tls' | 'plaintext' = 'tls'): NodeConfig {
  return {
    node: { country, dataDir: layout.dataDir(country), trustDir: layout.trustDir },
    nats: pki ? { servers: [natsUrl], user: country, tls: { caFile: pki.caCert } } : { servers: [natsUrl], plaintext: true },
    grpc: pki && grpc === 'tls' ? { host: '127.0.0.1', port: 0, tls: { certFile: pki.serverCert, keyFile: pki.serverKey } } : { host: '127.0.0.1', port: 0, plaintext: true },
    exchange: { ...FAST_SETTINGS, ...settings },
    log: { level: 'silent' },
  };
}

/**
 * `enlace network init` against a broker that may not answer yet (a cluster electing its
 * JetStream leader, a server restarted with an empty store): the registry bucket, tried again
 * until it is made.
 */
export async function initRegistry(connectAsNetwork: () => Promise<NatsConnection>, replicas = 1, timeoutMs = 30_000): Promise<void> {
  await eventually(
    async () => {
      const nc = await connectAsNetwork();
      try {
        await createRegistryBucket(nc, NETWORK, replicas);
        return true;
      } catch {
        return undefined;
      } finally {
        await nc.close();
      }
    },
    timeoutMs,
    'the registry bucket',
  );
}

/**
 * A test federation: a temp folder, keys and descriptors for the countries, and a nats-server
 * run from the accounts configuration of deploy/ (services/transport/accounts.ts) for these
 * countries, with TLS from the test CA; the registry bucket made as `enlace network init` does.
 */
export class Federation {
  readonly dir: string;
  readonly layout: DemoLayout;
  readonly nats: NatsServer;
  readonly pki: DemoPki;
  readonly countries: readonly string[];
  readonly nodes = new Map<string, NationalNode>();
  readonly #passwords: Record<string, string>;
  readonly #grpc: 'tls' | 'plaintext';
  readonly #cleanup: () => Promise<void>;
  readonly #onBroker: string[] = [];

  private constructor(
    dir: string,
    layout: DemoLayout,
    nats: NatsServer,
    pki: DemoPki,
    countries: readonly string[],
    passwords: Record<string, string>,
    grpc: 'tls' | 'plaintext',
    cleanup: () => Promise<void>,
  ) {
    this.dir = dir;
    this.layout = layout;
    this.nats = nats;
    this.pki = pki;
    this.countries = countries;
    this.#passwords = passwords;
    this.#grpc = grpc;
    this.#cleanup = cleanup;
  }

  static async create(countries: string[] = ['AR', 'UY', 'BR'], opts: FederationOptions = {}): Promise<Federation> {
    const tmp = await tempDir();
    const { layout } = await ensureDemoNetwork(join(tmp.path, 'net'), NETWORK, countries, PASSPHRASE, opts.keysCreatedAt ?? Date.now());
    const pki = await testPki();
    const passwords = Object.fromEntries([NETWORK_USER, ...countries].map((u) => [u, randomBytes(12).toString('base64url')]));
    const onBroker = [...(opts.broker ?? countries)];
    const nats = await NatsServer.start(join(tmp.path, 'jetstream'), undefined, Federation.#serverConfig(pki, passwords, onBroker));
    const fed = new Federation(tmp.path, layout, nats, pki, countries, passwords, opts.grpc ?? 'tls', tmp.cleanup);
    fed.#onBroker.push(...onBroker);
    const nc = await fed.connectAs(NETWORK_USER);
    await createRegistryBucket(nc, NETWORK);
    await nc.close();
    return fed;
  }

  static #serverConfig(pki: DemoPki, passwords: Record<string, string>, countries: readonly string[]) {
    const plan: BrokerPlan = { networkId: NETWORK, countries, password: (u) => JSON.stringify(passwords[u]) };
    return (port: number, storeDir: string) => brokerConfig({ listen: `127.0.0.1:${port}`, storeDir, tls: { cert: pki.serverCert, key: pki.serverKey, ca: pki.caCert } }, plan);
  }

  /**
   * What the broker's operator does when a state joins (docs/protocol.md §14.2 step 3): the
   * configuration regenerated with `country`'s account and lanes, and the running server told
   * to reload it; no server or node restarts.
   */
  async admit(country: string): Promise<void> {
    if (this.#onBroker.includes(country)) return;
    await this.nats.reload(Federation.#serverConfig(this.pki, this.#passwords, [...this.#onBroker, country]));
    // nats-server 2.9: the new account's imports of the network account's JetStream API answer
    // "jetstream is not enabled" until a second reload, once the account has its JetStream (deploy/README.md).
    await this.nats.reload();
    this.#onBroker.push(country);
  }

  /** The broker password of a state's user (or of the network user). */
  password(user: string): string {
    const p = this.#passwords[user];
    if (!p) throw new Error(`no NATS user ${user} in this federation`);
    return p;
  }

  /** A NATS connection as `user` (a state, or NETWORK_USER), over TLS like the nodes'. */
  connectAs(user: string, opts: { maxReconnectAttempts?: number; reconnectTimeWait?: number } = {}): Promise<NatsConnection> {
    return connect({ servers: this.nats.url, user, pass: this.password(user), tls: { caFile: this.pki.caCert }, name: `test-${user}`, ...opts });
  }

  /** A node's configuration; `natsUrl` puts something (a test proxy) between it and the broker. */
  config(country: string, settings: Partial<ExchangeSettings> = {}, natsUrl = this.nats.url): NodeConfig {
    return nodeConfig(this.layout, country, natsUrl, settings, this.pki, this.#grpc);
  }

  /** Environment of `enlace node` for `country` (NATS user and password file, TLS files); the password file is written first. */
  async nodeEnv(country: string): Promise<Record<string, string>> {
    const passFile = join(this.dir, `nats-password-${country}`);
    await writeFile(passFile, this.password(country), { mode: 0o600 });
    return {
      ENLACE_NATS_USER: country,
      ENLACE_NATS_PASSWORD_FILE: passFile,
      ENLACE_NATS_CA: this.pki.caCert,
      ...(this.#grpc === 'tls' ? { ENLACE_GRPC_TLS_CERT: this.pki.serverCert, ENLACE_GRPC_TLS_KEY: this.pki.serverKey } : { ENLACE_GRPC_PLAINTEXT: '1' }),
    };
  }

  async startNode(country: string, opts: { settings?: Partial<ExchangeSettings>; clock?: Clock; natsUrl?: string } = {}): Promise<NationalNode> {
    const node = await NationalNode.create(
      this.config(country, opts.settings, opts.natsUrl),
      { passphrase: PASSPHRASE, natsPassword: this.password(country) },
      { logger: quietLogger, ...(opts.clock ? { clock: opts.clock } : {}) },
    );
    await node.start();
    this.nodes.set(country, node);
    return node;
  }

  async stopNode(country: string): Promise<void> {
    await this.nodes.get(country)?.destroy();
    this.nodes.delete(country);
  }

  async destroy(): Promise<void> {
    for (const c of [...this.nodes.keys()]) await this.stopNode(c);
    await this.nats.stop();
    await this.#cleanup();
  }
}

export interface Clients {
  exchange: ExchangeServiceClient;
  node: NodeServiceClient;
  metadata: Metadata;
  submit(req: SubmitRequestRequest): Promise<SubmitRequestResponse>;
  get(id: string): Promise<GetRequestResponse>;
  attachment(requestId: string, attachmentId: string): Promise<GetAttachmentResponse>;
  list(req: Partial<ListRequestsRequest>): Promise<ListRequestsResponse>;
  info(): Promise<GetNodeInfoResponse>;
  close(): void;
}

type Callback<Res> = (err: (Error & { code?: number }) | null, res: Res) => void;

/**
 * How long a test's gRPC call may take before it fails with DEADLINE_EXCEEDED: a node that stops
 * answering fails the test with the call named instead of hanging it until the runner's timeout.
 */
export const CALL_DEADLINE_MS = 60_000;

function promised<Req, Res>(fn: (req: Req, md: Metadata, opts: CallOptions, cb: Callback<Res>) => unknown, md: Metadata): (req: Req) => Promise<Res> {
  return (req) => new Promise((resolve, reject) => fn(req, md, { deadline: Date.now() + CALL_DEADLINE_MS }, (err, res) => (err ? reject(err) : resolve(res))));
}

/** Clients of a started node, over TLS or in plaintext as the node serves. */
export async function clientsFor(node: NationalNode, roles: Role[] = ['operator']): Promise<Clients> {
  return clientsForIssuer(node.issuer, node.grpcAddress, roles, Date.now(), node.cfg.grpc.tls ? await grpcCredentials() : credentials.createInsecure());
}

export async function clientsForIssuer(issuer: TokenIssuer, address: string, roles: Role[] = ['operator'], now = Date.now(), creds?: ChannelCredentials): Promise<Clients> {
  const token = await mintToken(issuer, { subject: 'test', roles }, 600, now);
  const metadata = new Metadata();
  metadata.set('authorization', `Bearer ${token}`);
  creds ??= await grpcCredentials();
  // Attachments make messages of up to 56 MiB (services/grpc/server.ts); the default client limit is 4 MiB.
  const exchange = new ExchangeServiceClient(address, creds, { 'grpc.max_receive_message_length': MAX_MESSAGE_BYTES, 'grpc.max_send_message_length': MAX_MESSAGE_BYTES });
  const nodeClient = new NodeServiceClient(address, creds);
  return {
    exchange,
    node: nodeClient,
    metadata,
    submit: promised<SubmitRequestRequest, SubmitRequestResponse>((r, md, o, cb) => exchange.submitRequest(r, md, o, cb), metadata),
    get: (id) => promised<GetRequestRequest, GetRequestResponse>((r, md, o, cb) => exchange.getRequest(r, md, o, cb), metadata)({ id, recheckSignatures: false }),
    attachment: (requestId, attachmentId) => promised<GetAttachmentRequest, GetAttachmentResponse>((r, md, o, cb) => exchange.getAttachment(r, md, o, cb), metadata)({ requestId, attachmentId }),
    list: (req) => promised<ListRequestsRequest, ListRequestsResponse>((r, md, o, cb) => exchange.listRequests(r, md, o, cb), metadata)(ListRequestsRequest.fromPartial(req)),
    info: () => promised<GetNodeInfoRequest, GetNodeInfoResponse>((r, md, o, cb) => nodeClient.getNodeInfo(r, md, o, cb), metadata)({}),
    close: () => (exchange.close(), nodeClient.close()),
  };
}

export function submitRequestOf(over: Partial<SubmitRequestRequest> = {}): SubmitRequestRequest {
  return {
    toCountry: 'UY',
    toAuthority: '',
    kind: 'nationality_verification',
    subject: 'Verify nationality of a presumed victim',
    payload: new TextEncoder().encode(JSON.stringify({ names: ['M. R.'], purpose: 'identification' })),
    payloadType: 'application/json',
    idempotencyKey: '',
    senderReference: 'AR-2026-0001',
    urgency: '',
    typed: undefined,
    attachments: [],
    links: undefined,
    alsoToCountries: [],
    ...over,
  };
}

/** Polls until `check` returns a value (not undefined) or the deadline passes. */
export async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** gRPC status codes used in assertions. */
export const GRPC = { INVALID_ARGUMENT: 3, NOT_FOUND: 5, PERMISSION_DENIED: 7, UNAUTHENTICATED: 16 } as const;

/** The rejection of a promised gRPC call: its status code, details and Enlace error code. */
export async function rejectionOf(p: Promise<unknown>): Promise<{ code: number; details: string; enlaceCode: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as { code: number; details: string; metadata?: Metadata };
    return { code: err.code, details: err.details, enlaceCode: String(err.metadata?.get('enlace-error-code')[0] ?? '') };
  }
  throw new Error('expected the call to fail');
}

/** A clock that tests move forward. */
export class TestClock {
  offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
