import { EnlaceError } from '../../keys/index.js';

/**
 * Whether the registry has read the bucket's content at start, and the waits for it. A wait
 * fails only after its whole timeout passes with no progress (no bucket value handled), so a long catch-up on a loaded machine is not cut off while values
 * keep arriving; and it fails naming the last reason the sync did not get through (a bucket
 * that was never created, a broker that refuses), not only that time ran out.
 */
export class CatchUp {
  #done = false;
  #progressAt = performance.now();
  #lastError: unknown;
  readonly #waiters = new Set<() => void>();

  get done(): boolean {
    return this.#done;
  }

  /** A bucket value was handled. */
  progress(): void {
    this.#progressAt = performance.now();
  }

  /** An attempt failed with `e` (kept as the cause of a wait that times out). */
  failed(e: unknown): void {
    this.#lastError = e;
  }

  finish(): void {
    if (this.#done) return;
    this.#done = true;
    for (const w of this.#waiters) w();
    this.#waiters.clear();
  }

  /** Resolves when finished; rejects with ERR_UNAVAILABLE after `timeoutMs` without progress. */
  wait(timeoutMs: number): Promise<void> {
    if (this.#done) return Promise.resolve();
    const start = performance.now();
    return new Promise((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout>;
      const waiter = () => {
        clearTimeout(timer);
        resolve();
      };
      const check = () => {
        const idle = performance.now() - Math.max(start, this.#progressAt);
        if (idle < timeoutMs) {
          timer = setTimeout(check, timeoutMs - idle);
          return;
        }
        this.#waiters.delete(waiter);
        const why = this.#lastError;
        const reason = why instanceof Error ? `: ${why.message}` : '';
        reject(new EnlaceError('ERR_UNAVAILABLE', `the registry did not catch up in time${reason}`, why === undefined ? undefined : { cause: why }));
      };
      this.#waiters.add(waiter);
      timer = setTimeout(check, timeoutMs);
    });
  }
}
