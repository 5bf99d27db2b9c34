import type { ExchangeDeps } from './deps.js';

/** Turns requests with no receipt after the delivery horizon into explicit failures. */
export class HorizonWatch {
  readonly #deps: ExchangeDeps;
  #timer: NodeJS.Timeout | undefined;

  constructor(deps: ExchangeDeps) {
    this.#deps = deps;
  }

  start(): void {
    this.#timer ??= setInterval(() => {
      try {
        this.check();
      } catch (e) {
        this.#deps.logger.error({ err: e }, 'delivery horizon check failed; retried at the next tick');
      }
    }, this.#deps.settings.horizonCheckMs);
    this.#timer.unref();
  }

  /** Marks every overdue request FAILED; returns how many. */
  check(): number {
    const { store, clock, settings } = this.#deps;
    const now = clock.now();
    const overdue = store.overdueOutbound(now - settings.deliveryHorizonMs);
    if (overdue.length === 0) return 0;
    const hours = Math.round(settings.deliveryHorizonMs / 3_600_000);
    const failed = store.tx(() =>
      overdue.map((r) => {
        const detail = `no receipt from ${r.counterpart} within the delivery horizon (${hours} h): not delivered`;
        store.setStatus(r.id, 'failed', 'ERR_DELIVERY_HORIZON', now);
        store.addTimeline(r.id, 'failed', now, detail);
        store.deleteOutbox(r.id);
        return r.id;
      }),
    );
    this.#deps.logger.warn({ count: failed.length }, 'requests failed: no receipt within the delivery horizon');
    return failed.length;
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
