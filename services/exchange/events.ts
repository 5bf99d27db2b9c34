import { EventEmitter } from 'node:events';
import type { RequestRow, TimelineType } from '../store/index.js';

export interface RequestEvent {
  type: TimelineType;
  at: number;
  detail: string;
  request: RequestRow;
}

/** In-process fan-out of request events, for WatchRequests. */
export class RequestEvents {
  readonly #emitter = new EventEmitter();

  constructor() {
    this.#emitter.setMaxListeners(0);
  }

  emit(event: RequestEvent): void {
    this.#emitter.emit('event', event);
  }

  subscribe(listener: (event: RequestEvent) => void): () => void {
    this.#emitter.on('event', listener);
    return () => this.#emitter.off('event', listener);
  }
}
