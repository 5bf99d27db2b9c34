import { Metadata, status, type ServerWritableStream } from '@grpc/grpc-js';
import { once } from 'node:events';
import type { ExchangeServiceServer, WatchRequestsRequest, WatchRequestsResponse } from '../../../generated/enlace/v1/exchange.js';
import type { RequestEvent } from '../../exchange/index.js';
import type { RequestRow } from '../../store/index.js';
import type { ApiContext } from '../context.js';
import { requestToProto, timelineToProto, viewerOf } from '../convert.js';
import { auditListed } from '../read-audit.js';
import { PERMISSIONS, serverStream } from '../guard.js';
import { toStoreDirection, validCursor } from '../validate.js';

/** Journal rows replayed per read when a client resumes. */
const REPLAY_PAGE = 200;

/**
 * Live request events, each with a cursor; `resume_after` first replays what the node's
 * journal (the timeline) holds after that cursor, then continues live without a gap or a
 * repeat. A client that does not keep up has a bounded queue; beyond
 * that (settings.watchBufferEvents) its stream ends with RESOURCE_EXHAUSTED, and it resumes from the last cursor it
 * processed, losing nothing.
 */
export function watchRequestsRoute(ctx: ApiContext): Pick<ExchangeServiceServer, 'watchRequests'> {
  return {
    watchRequests: serverStream<WatchRequestsRequest, WatchRequestsResponse>(ctx, PERMISSIONS.readRequests, (call, principal) => {
      const direction = toStoreDirection(call.request.direction);
      const { events } = ctx.exchange;
      const resume = call.request.resumeAfter ? validCursor(call.request.resumeAfter) : undefined;
      // Every event shown is audited; the entries of one event-loop turn are written in one
      // transaction (one disk sync for a burst, not one per event).
      let unaudited: RequestRow[] = [];
      const audit = (r: RequestRow) => {
        if (unaudited.length === 0) {
          setImmediate(() => {
            const rows = unaudited;
            unaudited = [];
            const viewer = viewerOf(ctx, principal);
            auditListed(ctx.exchange, { principal, at: viewer.now, action: 'watch_requests', viewer }, rows);
          });
        }
        unaudited.push(r);
      };
      const stream = new Watch(call, ctx.exchange.settings.watchBufferEvents, (e) => {
        const viewer = viewerOf(ctx, principal);
        audit(e.request);
        return {
          event: timelineToProto({ seq: e.seq, requestId: e.request.id, type: e.type, at: e.at, detail: e.detail, code: e.code, params: e.params }),
          request: requestToProto(e.request, viewer),
          cursor: String(e.seq),
        };
      });
      const wanted = (e: RequestEvent) => !direction || e.request.direction === direction;
      let live = resume === undefined;
      let last = resume ?? 0;
      const offer = (e: RequestEvent | undefined, seq: number) => {
        last = Math.max(last, seq);
        if (e && wanted(e)) stream.push(e);
      };
      const unsubscribe = events.subscribe((e) => {
        if (live && e.seq > last) offer(e, e.seq);
      });
      call.sendMetadata(new Metadata());
      // A replay page never exceeds the queue bound, and the next page waits for the client to drain it.
      const page = Math.max(1, Math.min(REPLAY_PAGE, ctx.exchange.settings.watchBufferEvents));
      const catchUp = async () => {
        for (;;) {
          const rows = events.after(last, page);
          for (const row of rows) offer(row.event, row.seq);
          // The last page and the switch to live events happen in one turn: no commit can fall between them.
          if (rows.length < page) return void (live = true);
          await stream.drained();
          if (stream.ended) return;
        }
      };
      if (!live) catchUp().catch((e: unknown) => stream.fail(status.INTERNAL, 'internal error', e, ctx.logger));
      return () => {
        stream.ended = true;
        unsubscribe();
      };
    }),
  };
}

/** A server stream with a bounded queue in front of grpc-js's own buffer. */
class Watch {
  ended = false;
  readonly #call: ServerWritableStream<WatchRequestsRequest, WatchRequestsResponse>;
  readonly #toResponse: (e: RequestEvent) => WatchRequestsResponse;
  readonly #queue: WatchRequestsResponse[] = [];
  readonly #limit: number;
  #blocked = false;

  constructor(call: ServerWritableStream<WatchRequestsRequest, WatchRequestsResponse>, limit: number, toResponse: (e: RequestEvent) => WatchRequestsResponse) {
    this.#call = call;
    this.#limit = limit;
    this.#toResponse = toResponse;
    call.on('drain', () => {
      this.#blocked = false;
      this.#flush();
    });
  }

  push(e: RequestEvent): void {
    if (this.ended) return;
    this.#queue.push(this.#toResponse(e));
    if (this.#queue.length > this.#limit) {
      const resumeFrom = this.#queue[0]!.cursor;
      this.fail(status.RESOURCE_EXHAUSTED, `the client does not keep up; reconnect with resume_after = ${resumeFrom} or the last cursor processed`);
      return;
    }
    this.#flush();
  }

  /** Resolves when everything queued was handed to grpc-js (or the stream ended). */
  async drained(): Promise<void> {
    while (!this.ended && (this.#queue.length > 0 || this.#blocked)) await once(this.#call, 'drain');
  }

  fail(code: status, details: string, cause?: unknown, logger?: { error(o: object, m: string): void }): void {
    if (cause) logger?.error({ err: cause }, 'watch stream failed');
    this.ended = true;
    this.#queue.length = 0;
    // emit, not destroy: grpc-js sends the status from its 'error' handler (a destroyed stream sends none).
    this.#call.emit('error', Object.assign(new Error(details), { code, details }));
  }

  #flush(): void {
    while (!this.ended && !this.#blocked && this.#queue.length > 0) {
      if (!this.#call.write(this.#queue.shift()!)) this.#blocked = true;
    }
  }
}
