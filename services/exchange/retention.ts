import type { ExchangeDeps } from './deps.js';
import { eraseCase } from './erase.js';

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
    this.#timer ??= setInterval(() => void this.check(), this.#deps.settings.retentionCheckMs);
    this.#timer.unref();
  }

  /**
   * Erases every expired case now, through the same path as EraseCase (the other state is
   * asked to erase its copy); returns how many. A case under a legal hold is kept.
   */
  async check(): Promise<number> {
    const { store, clock, settings, logger } = this.#deps;
    if (settings.retentionMs <= 0) return 0;
    const ids = store.expiredCases(clock.now() - settings.retentionMs);
    if (ids.length === 0) return 0;
    const days = Math.round(settings.retentionMs / 86_400_000);
    let erased = 0;
    for (const id of ids) {
      try {
        await eraseCase(this.#deps, id, `retention period of ${days} days ended`, { subject: 'retention-policy', roles: [], systemReason: true });
        erased++;
      } catch (e) {
        logger.warn({ err: e, request: id }, 'the retention policy could not erase a case');
      }
    }
    logger.info({ count: erased }, 'cases erased by the retention policy');
    return erased;
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
