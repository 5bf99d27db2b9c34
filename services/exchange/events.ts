import { EventEmitter } from 'node:events';
import type { RequestRow, Store, TimelineType } from '../store/index.js';

export interface RequestEvent {
  /** The timeline row's journal position: WatchRequests' resume cursor. */
  seq: number;
  type: TimelineType;
  at: number;
  detail: string;
  request: RequestRow;
}

/**
 * In-process fan-out of request events, for WatchRequests. Events are the timeline rows
 * the store committed (`Store.onCommit`): written with the data, published from this one place.
 */
export class RequestEvents {
  readonly #emitter = new EventEmitter();

  constructor(store: Store) {
    this.#emitter.setMaxListeners(0);
    store.onCommit((rows) => {
      if (this.#emitter.listenerCount('event') === 0) return;
      for (const row of rows) {
        const request = store.getRequest(row.requestId);
        if (request) this.#emitter.emit('event', { seq: row.seq, type: row.type, at: row.at, detail: row.detail, request } satisfies RequestEvent);
      }
    });
  }

  subscribe(listener: (event: RequestEvent) => void): () => void {
    this.#emitter.on('event', listener);
    return () => this.#emitter.off('event', listener);
  }
}
