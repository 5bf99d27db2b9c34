import { credentials, Metadata, status, type CallOptions, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import { DirectoryServiceClient } from '../../generated/enlace/v1/directory.js';
import { ExchangeServiceClient, type WatchRequestsRequest, type WatchRequestsResponse } from '../../generated/enlace/v1/exchange.js';
import { NodeServiceClient } from '../../generated/enlace/v1/node.js';
import { StatsServiceClient } from '../../generated/enlace/v1/stats.js';
import { MAX_MESSAGE_BYTES, mintToken, type Principal, type TokenIssuer } from '../../services/index.js';
import { STATUS_DETAILS_KEY, violationsOf } from '../../services/grpc/status-details.js';
import { problemOfViolation } from '../app/violations.js';
import { GatewayError, type FieldProblem } from '../errors.js';
import type { Logger } from '../logger.js';

const TOKEN_TTL_S = 600;
const CALL_TIMEOUT_MS = 15_000;

type Unary<Req, Res> = (req: Req, md: Metadata, opts: Partial<CallOptions>, cb: (err: ServiceError | null, res: Res) => void) => unknown;

/**
 * The gateway's only way to its node: the generated gRPC clients, called with a token the
 * node's own API issuer mints for the signed-in person with exactly their roles, so the node
 * enforces least privilege. Node errors become GatewayErrors with the node's stable code.
 */
export class NodeClient {
  readonly exchange: ExchangeServiceClient;
  readonly node: NodeServiceClient;
  readonly directory: DirectoryServiceClient;
  readonly stats: StatsServiceClient;
  readonly #issuer: TokenIssuer;
  readonly #logger: Logger;
  readonly #tokens = new Map<string, { token: string; renewAt: number }>();
  readonly #now: () => number;

  /** `ca`: the network CA (PEM) the node's TLS certificate must chain to; plaintext without it. */
  constructor(address: string, issuer: TokenIssuer, logger: Logger, now: () => number = Date.now, ca?: Buffer) {
    if (!ca) logger.warn({ node: address }, 'the gateway reaches its node in plaintext: set ENLACE_NODE_GRPC_CA for TLS');
    const creds = ca ? credentials.createSsl(ca) : credentials.createInsecure();
    // A request with its documents (up to 50 MiB) and a document read back exceed gRPC's 4 MB default.
    this.exchange = new ExchangeServiceClient(address, creds, { 'grpc.max_receive_message_length': MAX_MESSAGE_BYTES, 'grpc.max_send_message_length': MAX_MESSAGE_BYTES });
    this.node = new NodeServiceClient(address, creds);
    this.directory = new DirectoryServiceClient(address, creds);
    this.stats = new StatsServiceClient(address, creds);
    this.#issuer = issuer;
    this.#logger = logger;
    this.#now = now;
  }

  async #metadata(p: Principal): Promise<Metadata> {
    const key = `${p.subject}|${[...p.roles].sort().join(',')}`;
    const now = this.#now();
    let cached = this.#tokens.get(key);
    if (!cached || cached.renewAt <= now) {
      cached = { token: await mintToken(this.#issuer, p, TOKEN_TTL_S, now), renewAt: now + (TOKEN_TTL_S / 2) * 1000 };
      this.#tokens.set(key, cached);
    }
    const md = new Metadata();
    md.set('authorization', `Bearer ${cached.token}`);
    return md;
  }

  /**
   * One unary call as `principal`.
   *
   * @example const info = await client.call(user, client.node, client.node.getNodeInfo, {});
   */
  async call<C, Req, Res>(p: Principal, target: C, method: Unary<Req, Res>, req: Req): Promise<Res> {
    const md = await this.#metadata(p);
    return new Promise<Res>((resolve, reject) => {
      method.call(target, req, md, { deadline: Date.now() + CALL_TIMEOUT_MS }, (err, res) => (err ? reject(this.#error(err)) : resolve(res)));
    });
  }

  /** Follows WatchRequests as `principal`; returns a function that ends the stream. */
  async watch(p: Principal, req: WatchRequestsRequest, onEvent: (e: WatchRequestsResponse) => void, onEnd: (e?: GatewayError) => void): Promise<() => void> {
    const md = await this.#metadata(p);
    const stream: ClientReadableStream<WatchRequestsResponse> = this.exchange.watchRequests(req, md);
    let ended = false;
    const end = (e?: GatewayError) => {
      if (ended) return;
      ended = true;
      onEnd(e);
    };
    stream.on('data', onEvent);
    stream.on('error', (err: ServiceError) => end(err.code === status.CANCELLED ? undefined : this.#error(err)));
    stream.on('end', () => end());
    return () => {
      ended = true;
      stream.cancel();
    };
  }

  #error(err: ServiceError): GatewayError {
    const code = String(err.metadata?.get('enlace-error-code')[0] ?? '');
    if (err.code === status.UNAVAILABLE || err.code === status.DEADLINE_EXCEEDED) {
      return new GatewayError('ERR_UNAVAILABLE', 'error.nodeUnavailable', { cause: err });
    }
    if (/^ERR_[A-Z_]+$/.test(code) && code !== 'ERR_INTERNAL') {
      // The node's message names the field in English; it goes along as a detail. A named
      // rule has its own sentence in the user's language (error.rule.*, else the code's).
      const rule = String(err.metadata?.get('enlace-error-rule')[0] ?? '');
      const key = /^[a-z_]{1,40}$/.test(rule) ? `error.rule.${rule}` : `error.${code}`;
      return new GatewayError(code as GatewayError['code'], key, { params: { detail: err.details }, problems: this.#violations(err), cause: err });
    }
    this.#logger.error({ err, grpc: err.code }, 'node call failed');
    return new GatewayError('ERR_INTERNAL', 'error.ERR_INTERNAL', { cause: err });
  }

  /** The node's field violations (google.rpc.BadRequest in grpc-status-details-bin), fields named by their proto path. */
  #violations(err: ServiceError): FieldProblem[] {
    const details = err.metadata?.get(STATUS_DETAILS_KEY)[0];
    if (!(details instanceof Buffer)) return [];
    try {
      return violationsOf(details).map((v) => problemOfViolation(v, v.field));
    } catch (e) {
      this.#logger.warn({ err: e }, 'the node sent status details that do not decode');
      return [];
    }
  }

  close(): void {
    this.exchange.close();
    this.node.close();
    this.directory.close();
    this.stats.close();
  }
}
