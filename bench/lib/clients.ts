import { Metadata, status, type ChannelCredentials, type ClientReadableStream } from '@grpc/grpc-js';
import { randomBytes } from 'node:crypto';
import {
  type Direction,
  EventType,
  ExchangeServiceClient,
  ListRequestsRequest,
  type RequestStatus,
  SubmitRequestRequest,
  type SubmitRequestResponse,
  type WatchRequestsResponse,
} from '../../generated/enlace/v1/exchange.js';
import { mintToken, type TokenIssuer } from '../../services/index.js';

/** One watched event, stamped with the measuring process's clock when it arrived. */
export interface Seen {
  type: EventType;
  id: string;
  senderReference: string;
  at: number;
}

/** gRPC access to one node, as an integrator would have it: submit, watch, list. */
export class BenchClient {
  readonly #exchange: ExchangeServiceClient;
  readonly #metadata: Metadata;
  readonly #watches = new Set<ClientReadableStream<WatchRequestsResponse>>();

  private constructor(exchange: ExchangeServiceClient, metadata: Metadata) {
    this.#exchange = exchange;
    this.#metadata = metadata;
  }

  static async create(issuer: TokenIssuer, address: string, creds: ChannelCredentials): Promise<BenchClient> {
    const token = await mintToken(issuer, { subject: 'bench', roles: ['operator'] }, 3_600, Date.now());
    const metadata = new Metadata();
    metadata.set('authorization', `Bearer ${token}`);
    return new BenchClient(new ExchangeServiceClient(address, creds), metadata);
  }

  submit(req: SubmitRequestRequest): Promise<SubmitRequestResponse> {
    return new Promise((resolve, reject) => this.#exchange.submitRequest(req, this.#metadata, (err, res) => (err ? reject(err) : resolve(res))));
  }

  /**
   * Streams the node's request events to `onEvent`; resolves once the server has accepted
   * the call (its response headers arrived), so nothing submitted after that is missed. A
   * stream the node ends because this client fell behind (RESOURCE_EXHAUSTED) is reopened
   * after the last cursor seen, as an integrator would: nothing is missed or seen twice.
   */
  async watch(direction: Direction, onEvent: (seen: Seen) => void): Promise<() => void> {
    let last = '';
    let stopped = false;
    let current: ClientReadableStream<WatchRequestsResponse> | undefined;
    const open = (): Promise<void> => {
      const call = this.#exchange.watchRequests({ direction, resumeAfter: last }, this.#metadata);
      current = call;
      this.#watches.add(call);
      call.on('data', (res: WatchRequestsResponse) => {
        last = res.cursor;
        const at = performance.now();
        onEvent({ type: res.event?.type ?? EventType.EVENT_TYPE_UNSPECIFIED, id: res.request?.id ?? '', senderReference: res.request?.senderReference ?? '', at });
      });
      call.on('error', (e: Error & { code?: number }) => {
        this.#watches.delete(call);
        if (!stopped && e.code === status.RESOURCE_EXHAUSTED) void open();
      });
      return new Promise<void>((resolve, reject) => {
        call.once('metadata', () => resolve());
        call.once('error', reject);
      });
    };
    await open();
    return () => {
      stopped = true;
      current?.cancel();
      if (current) this.#watches.delete(current);
    };
  }

  /** How many requests of a direction and status the node lists (all pages). */
  async count(direction: Direction, status: RequestStatus): Promise<number> {
    const page = await new Promise<{ totalCount: number }>((resolve, reject) =>
      this.#exchange.listRequests(ListRequestsRequest.fromPartial({ direction, status, pageSize: 1 }), this.#metadata, (err, res) => (err ? reject(err) : resolve(res))),
    );
    return page.totalCount;
  }

  close(): void {
    for (const w of this.#watches) w.cancel();
    this.#exchange.close();
  }
}

/**
 * A request with a 2 KiB payload (random bytes, so nothing compresses) to `to`. Built with
 * fromPartial so that fields added to the contract later take their defaults.
 */
export function benchRequest(to: string, senderReference: string, payloadBytes: number): SubmitRequestRequest {
  return SubmitRequestRequest.fromPartial({
    toCountry: to,
    kind: 'nationality_verification',
    subject: 'Benchmark request',
    payload: new Uint8Array(randomBytes(payloadBytes)),
    payloadType: 'application/octet-stream',
    senderReference,
  });
}
