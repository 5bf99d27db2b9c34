import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type { ErrorCode } from '../../keys/index.js';
import type { Store } from './store.js';

/**
 * What a failed SQLite call means for the node, by the primary result code of better-sqlite3's
 * typed `SqliteError` (extended codes such as SQLITE_IOERR_WRITE keep their primary prefix):
 * `ERR_STORAGE_FULL` when the database cannot write (full disk, I/O error, read-only or
 * vanished file, out of memory), `ERR_UNAVAILABLE` when it is only busy; undefined for
 * anything else (a constraint, a defect).
 */
export function storageFaultCode(e: unknown): Extract<ErrorCode, 'ERR_STORAGE_FULL' | 'ERR_UNAVAILABLE'> | undefined {
  if (!(e instanceof Database.SqliteError)) return undefined;
  const primary = /^SQLITE_[A-Z]+/.exec(e.code)?.[0];
  switch (primary) {
    case 'SQLITE_FULL':
    case 'SQLITE_IOERR':
    case 'SQLITE_CANTOPEN':
    case 'SQLITE_READONLY':
    case 'SQLITE_CORRUPT':
    case 'SQLITE_NOMEM':
      return 'ERR_STORAGE_FULL';
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return 'ERR_UNAVAILABLE';
    default:
      return undefined;
  }
}

/** A fault of the database itself, not of the data written: the work waits and is done again later. */
export function isStorageFault(e: unknown): boolean {
  return storageFaultCode(e) !== undefined;
}

/** Free bytes the data folder must have again before writing is tried (a probe that only just fits would flap). */
const FREE_BYTES_TO_RESUME = 1024 * 1024;
const PROBE_FIRST_MS = 100;
const PROBE_MAX_MS = 1_000;

/**
 * Whether the store can write. The store reports every storage fault of a transaction here
 * (`Store.onStorageFault`); from the first one until a probe succeeds (enough free space in
 * the data folder and a real one-page write), `writable` is false, listeners hear it (gRPC
 * health goes NOT_SERVING), and the inbox waits in `whenWritable` instead of retrying.
 * Probes back off from 100 ms to 1 s.
 */
export class StorageHealth {
  readonly #store: Store;
  readonly #logger: Logger;
  readonly #listeners = new Set<(writable: boolean) => void>();
  #waiters: (() => void)[] = [];
  #faultAt: number | undefined;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(store: Store, logger: Logger) {
    this.#store = store;
    this.#logger = logger;
    store.onStorageFault((e) => this.report(e));
  }

  get writable(): boolean {
    return this.#faultAt === undefined;
  }

  /** Called with the new state on every change. */
  onChange(listener: (writable: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Records a storage fault (anything else is ignored) and starts probing. */
  report(e: unknown): void {
    const code = storageFaultCode(e);
    if (code !== 'ERR_STORAGE_FULL' || this.#faultAt !== undefined || this.#stopped) return;
    this.#faultAt = Date.now();
    this.#logger.error(
      { err: { code: (e as { code?: string }).code, message: (e as Error).message } },
      'the store cannot write: submits are refused, the inbox waits, health is NOT_SERVING until it can',
    );
    for (const l of this.#listeners) l(false);
    this.#probe(PROBE_FIRST_MS);
  }

  /** Resolves at once when writable, else when a probe succeeds (or `signal` aborts). */
  whenWritable(signal?: AbortSignal): Promise<void> {
    if (this.writable || this.#stopped || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      this.#waiters.push(resolve);
      signal?.addEventListener('abort', () => resolve(), { once: true });
    });
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#release();
  }

  #probe(delay: number): void {
    this.#timer = setTimeout(() => {
      if (this.#stopped) return;
      if (!this.#canWrite()) return this.#probe(Math.min(delay * 2, PROBE_MAX_MS));
      this.#logger.info({ afterMs: Date.now() - this.#faultAt! }, 'the store writes again');
      this.#faultAt = undefined;
      for (const l of this.#listeners) l(true);
      this.#release();
    }, delay);
    this.#timer.unref();
  }

  #canWrite(): boolean {
    try {
      const fs = statfsSync(dirname(this.#store.db.name));
      if (fs.bavail * fs.bsize < FREE_BYTES_TO_RESUME) return false;
      this.#store.probeWrite();
      return true;
    } catch {
      return false;
    }
  }

  #release(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }
}
