import { credentials, Metadata, type ChannelCredentials } from '@grpc/grpc-js';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
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
import {
  DEFAULT_EXCHANGE_SETTINGS,
  mintToken,
  NationalNode,
  type Clock,
  type ExchangeSettings,
  loadOrCreateIssuer,
  type NodeConfig,
  type Role,
  type TokenIssuer,
} from '../services/index.js';
import { MAX_MESSAGE_BYTES } from '../services/grpc/index.js';

export const PASSPHRASE = 'test-only passphrase, never for real use';
export const NETWORK = 'enlace-test';

export async function tempDir(prefix = 'enlace-test-'): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

export { freePort, natsBinary, NatsServer } from '../scripts/lib/nats-server.js';
import { freePort, NatsServer } from '../scripts/lib/nats-server.js';

export const quietLogger = pino({ level: process.env.ENLACE_TEST_LOG ?? 'silent' });

export const FAST_SETTINGS: ExchangeSettings = {
  ...DEFAULT_EXCHANGE_SETTINGS,
  resendAfterMs: 2_000,
  resendMaxMs: 10_000,
  publishBackoffMs: 100,
  publishBackoffMaxMs: 1_000,
  horizonCheckMs: 200,
};

export function nodeConfig(layout: DemoLayout, country: string, natsUrl: string, settings: Partial<ExchangeSettings> = {}): NodeConfig {
  return {
    node: { country, dataDir: layout.dataDir(country), trustDir: layout.trustDir },
    nats: { servers: [natsUrl] },
    grpc: { host: '127.0.0.1', port: 0 },
    exchange: { ...FAST_SETTINGS, ...settings },
    log: { level: 'silent' },
  };
}

/** A test federation: a temp folder, a nats-server, keys and descriptors for the countries. */
export class Federation {
  readonly dir: string;
  readonly layout: DemoLayout;
  readonly nats: NatsServer;
  readonly nodes = new Map<string, NationalNode>();
  readonly #cleanup: () => Promise<void>;

  private constructor(dir: string, layout: DemoLayout, nats: NatsServer, cleanup: () => Promise<void>) {
    this.dir = dir;
    this.layout = layout;
    this.nats = nats;
    this.#cleanup = cleanup;
  }

  static async create(countries: string[] = ['AR', 'UY', 'BR']): Promise<Federation> {
    const tmp = await tempDir();
    const { layout } = await ensureDemoNetwork(join(tmp.path, 'net'), NETWORK, countries, PASSPHRASE, Date.now());
    const nats = await NatsServer.start(join(tmp.path, 'jetstream'));
    return new Federation(tmp.path, layout, nats, tmp.cleanup);
  }

  config(country: string, settings: Partial<ExchangeSettings> = {}): NodeConfig {
    return nodeConfig(this.layout, country, this.nats.url, settings);
  }

  async startNode(country: string, opts: { settings?: Partial<ExchangeSettings>; clock?: Clock } = {}): Promise<NationalNode> {
    const node = await NationalNode.create(this.config(country, opts.settings), { passphrase: PASSPHRASE }, { logger: quietLogger, ...(opts.clock ? { clock: opts.clock } : {}) });
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

function promised<Req, Res>(fn: (req: Req, md: Metadata, cb: Callback<Res>) => unknown, md: Metadata): (req: Req) => Promise<Res> {
  return (req) => new Promise((resolve, reject) => fn(req, md, (err, res) => (err ? reject(err) : resolve(res))));
}

export async function clientsFor(node: NationalNode, roles: Role[] = ['operator']): Promise<Clients> {
  return clientsForIssuer(node.issuer, node.grpcAddress, roles);
}

export async function clientsForIssuer(issuer: TokenIssuer, address: string, roles: Role[] = ['operator'], now = Date.now()): Promise<Clients> {
  const token = await mintToken(issuer, { subject: 'test', roles }, 600, now);
  const metadata = new Metadata();
  metadata.set('authorization', `Bearer ${token}`);
  const creds: ChannelCredentials = credentials.createInsecure();
  // Attachments make messages of up to 56 MiB (services/grpc/server.ts); the default client limit is 4 MiB.
  const exchange = new ExchangeServiceClient(address, creds, { 'grpc.max_receive_message_length': MAX_MESSAGE_BYTES, 'grpc.max_send_message_length': MAX_MESSAGE_BYTES });
  const nodeClient = new NodeServiceClient(address, creds);
  return {
    exchange,
    node: nodeClient,
    metadata,
    submit: promised<SubmitRequestRequest, SubmitRequestResponse>((r, md, cb) => exchange.submitRequest(r, md, cb), metadata),
    get: (id) => promised<GetRequestRequest, GetRequestResponse>((r, md, cb) => exchange.getRequest(r, md, cb), metadata)({ id, recheckSignatures: false }),
    attachment: (requestId, attachmentId) =>
      promised<GetAttachmentRequest, GetAttachmentResponse>((r, md, cb) => exchange.getAttachment(r, md, cb), metadata)({ requestId, attachmentId }),
    list: (req) =>
      promised<ListRequestsRequest, ListRequestsResponse>((r, md, cb) => exchange.listRequests(r, md, cb), metadata)(ListRequestsRequest.fromPartial(req)),
    info: () => promised<GetNodeInfoRequest, GetNodeInfoResponse>((r, md, cb) => nodeClient.getNodeInfo(r, md, cb), metadata)({}),
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

const REPO = new URL('..', import.meta.url).pathname;

/** A node as a child process (`enlace node`), for crash tests: kill -9 and restart. */
export class NodeProcess {
  readonly country: string;
  readonly port: number;
  readonly #fed: Federation;
  #proc: ChildProcess | undefined;
  output = '';

  private constructor(fed: Federation, country: string, port: number) {
    this.#fed = fed;
    this.country = country;
    this.port = port;
  }

  static async start(fed: Federation, country: string): Promise<NodeProcess> {
    const p = new NodeProcess(fed, country, await freePort());
    await p.start();
    return p;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const cfg = this.#fed.config(this.country);
    const proc = spawn(
      process.execPath,
      ['--import', 'tsx', join(REPO, 'cli/run.ts'), 'node', '--country', this.country, '--data', cfg.node.dataDir, '--trust', cfg.node.trustDir, '--nats', this.#fed.nats.url, '--grpc', this.address],
      {
        cwd: REPO,
        env: { ...process.env, ENLACE_KEY_PASSPHRASE: PASSPHRASE, ENLACE_LOG_LEVEL: process.env.ENLACE_TEST_LOG ?? 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.#proc = proc;
    await new Promise<void>((resolve, reject) => {
      const onData = (d: Buffer) => {
        this.output += d.toString();
        if (this.output.includes('"event":"ready"')) resolve();
      };
      proc.stdout!.on('data', onData);
      proc.stderr!.on('data', (d: Buffer) => (this.output += d.toString()));
      proc.once('exit', (code) => reject(new Error(`node ${this.country} exited (${code}): ${this.output}`)));
    });
  }

  /** kill -9: no chance to flush or close anything. */
  async kill9(): Promise<void> {
    await this.#signal('SIGKILL');
  }

  async stop(): Promise<void> {
    await this.#signal('SIGTERM');
  }

  async #signal(sig: NodeJS.Signals): Promise<void> {
    const proc = this.#proc;
    this.#proc = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill(sig);
    });
  }

  /** Clients with an operator token minted from this node's issuer key on disk. */
  async clients(roles: Role[] = ['operator']): Promise<Clients> {
    const issuer = await loadOrCreateIssuer(join(this.#fed.layout.dataDir(this.country), 'keys', 'api-issuer.key.json'), this.country, PASSPHRASE);
    return clientsForIssuer(issuer, this.address, roles);
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
