import type { ExchangeDeps } from './deps.js';

/**
 * The retention policy: a case that has been final (completed, refused, withdrawn, failed...)
 * for longer than the retention period loses its contents for good (its case key is
 * destroyed); the non-personal timeline, hashes and receipts remain.
 */
export class RetentionWatch {
  readonly #deps: ExchangeDeps;
  #timer: NodeJS.Timeout | undefined;

  constructor(deps: ExchangeDeps) {
    this.#deps = deps;
  }

  start(): void {
    if (this.#deps.settings.retentionMs <= 0) return;
    this.#timer ??= setInterval(() => this.check(), this.#deps.settings.retentionCheckMs);
    this.#timer.unref();
  }

  /** Erases every expired case now; returns how many. */
  check(): number {
    const { store, clock, settings, country, logger } = this.#deps;
    if (settings.retentionMs <= 0) return 0;
    const now = clock.now();
    const ids = store.expiredCases(now - settings.retentionMs);
    if (ids.length === 0) return 0;
    const days = Math.round(settings.retentionMs / 86_400_000);
    store.tx(() => {
      for (const id of ids) {
        store.eraseCase(id, now);
        store.audit.append({ at: now, actor: 'retention-policy', roles: [], action: 'erase', requestId: id, detail: `final for more than ${days} days` });
        store.addTimeline(id, 'transition', now, `${country}: case data erased at this node (retention period of ${days} days ended)`);
      }
    });
    logger.info({ count: ids.length }, 'cases erased by the retention policy');
    return ids.length;
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
