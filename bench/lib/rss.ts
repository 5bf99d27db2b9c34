import { rssMiB } from './machine.js';

/** Samples the RSS of some processes every `everyMs` and keeps the peak of each. */
export class RssSampler {
  readonly #pids: Record<string, () => number | undefined>;
  readonly #peak: Record<string, number> = {};
  readonly #timer: NodeJS.Timeout;

  constructor(pids: Record<string, () => number | undefined>, everyMs = 250) {
    this.#pids = pids;
    this.#timer = setInterval(() => this.#sample(), everyMs);
    this.#sample();
  }

  #sample(): void {
    for (const [name, pidOf] of Object.entries(this.#pids)) {
      const pid = pidOf();
      const rss = pid === undefined ? undefined : rssMiB(pid);
      if (rss !== undefined) this.#peak[name] = Math.max(this.#peak[name] ?? 0, rss);
    }
  }

  /** Stops sampling and returns the peak RSS in MiB of each process. */
  stop(): Record<string, number> {
    this.#sample();
    clearInterval(this.#timer);
    return { ...this.#peak };
  }
}
