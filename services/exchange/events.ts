import { EventEmitter } from 'node:events';
import type { RequestRow, Store, TimelineRow, TimelineType } from '../store/index.js';

export interface RequestEvent {
  /** The timeline row's journal position: WatchRequests' resume cursor. */
  seq: number;
  type: TimelineType;
  at: number;
  detail: string;
  code: string;
  params: Record<string, string>;
  request: RequestRow;
}

/**
 * In-process fan-out of request events, for WatchRequests. Events are the timeline rows
 * the store committed (`Store.onCommit`): written with the data, published from this one place.
 */
export class RequestEvents {
  readonly #emitter = new EventEmitter();
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
    this.#emitter.setMaxListeners(0);
    store.onCommit((rows) => {
      if (this.#emitter.listenerCount('event') === 0) return;
      for (const row of rows) {
        const event = this.#eventOf(row);
        if (event) this.#emitter.emit('event', event);
      }
    });
  }

  /**
   * The journal after position `seq`, at most `limit` rows, in order: each row's position,
   * and its event unless the request is no longer held here.
   */
  after(seq: number, limit: number): { seq: number; event: RequestEvent | undefined }[] {
    return this.#store.timelineAfter(seq, limit).map((row) => ({ seq: row.seq, event: this.#eventOf(row) }));
  }

  #eventOf(row: TimelineRow): RequestEvent | undefined {
    const request = this.#store.getRequest(row.requestId);
    return request ? { seq: row.seq, type: row.type, at: row.at, detail: row.detail, code: row.code, params: row.params, request } : undefined;
  }

  subscribe(listener: (event: RequestEvent) => void): () => void {
    this.#emitter.on('event', listener);
    return () => this.#emitter.off('event', listener);
  }
}
