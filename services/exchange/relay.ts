import { ATTACHMENT_PART_KIND } from '../attachments/index.js';
import { KIND } from '../envelope/index.js';
import { storageFaultCode, type OutboxRow } from '../store/index.js';
import { classifyNatsError, PUBLISH_TIMEOUT_MS, type NatsFailure } from '../transport/index.js';
import type { ExchangeDeps } from './deps.js';

const BATCH = 256;
/** Bytes published in one pass at most (attachment parts are 512 KiB each); a pass holds at least one entry. */
const PASS_BYTES = 8 * 1024 * 1024;
/**
 * How long what the broker may have lost with a restart counts as at risk: a broker killed
 * loses at most what it acknowledged just before. The node re-sends what it published in this
 * window before a drop (services/node.ts), receipts included: they are kept that long after
 * their publish instead of leaving the outbox at once.
 */
export const RESEND_WINDOW_MS = 30_000;
/** A clock going back by this much between two passes counts as set back. */
const CLOCK_STEP_MS = 1_000;
/**
 * The shortest wait for a probe's acknowledgement (the one publish to a destination after a
 * failure). A stream electing a leader on a cluster answers no publish, and one sent a moment
 * before the election ended waited out the full PUBLISH_TIMEOUT_MS: 10.8 s of stall where the
 * election took 5.5 s (tests/nats-cluster-failover.test.ts, 4 December). A probe waits longer
 * on a link that has been slow (PROBE_TIMEOUT_PASSES) or failing for long (PROBE_TIMEOUT_SHARE),
 * so that a link that is slow, not dead, still gets its acknowledgements in; never past
 * PUBLISH_TIMEOUT_MS. Doubling the wait after each timeout instead was tried: a probe sent 4 s
 * before an election ended held a failover stall at 10.9 s.
 */
const PROBE_TIMEOUT_MIN_MS = 1_000;
/** A probe waits at least this many times the recent time of a pass that went through. */
const PROBE_TIMEOUT_PASSES = 4;
/** A probe waits at least this share of the time publishing has been failing (1 s after 4 s, 5 s after 20 s). */
const PROBE_TIMEOUT_SHARE = 0.25;

/**
 * Publishes due outbox entries. Requests stay in the outbox until their receipt arrives
 * and are re-sent with growing delays; receipts leave it RESEND_WINDOW_MS after the broker has
 * them (a broker restarted in the meantime gets them again).
 * While the broker is down, publishing backs off and the outbox keeps everything.
 */
export class Relay {
  readonly #deps: ExchangeDeps;
  #wake: (() => void) | undefined;
  #kicked = false;
  #stopped = false;
  #running: Promise<void> | undefined;
  #failureDelay: number;
  readonly #healthy = new Set<string>();
  #lastNow = -Infinity;
  /** How long recent passes without a failure took to be acknowledged (ms, moving average). */
  #passMs = 0;
  /** Since when passes have had failures (performance.now(); NaN after a pass that went through). */
  #failingSince = Number.NaN;

  constructor(deps: ExchangeDeps) {
    this.#deps = deps;
    this.#failureDelay = deps.settings.publishBackoffMs;
  }

  start(): void {
    this.#running ??= this.#loop().catch((e: unknown) => this.#deps.logger.error({ err: e }, 'relay stopped'));
  }

  /** Something new is due: publish now instead of waiting for the next timer. */
  kick(): void {
    this.#kicked = true;
    this.#wake?.();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    await this.#running;
  }

  /**
   * One pass after another until stopped. A pass that throws (the store cannot write: the
   * publish marks were not recorded, so the same envelopes go again with the same
   * Nats-Msg-Id and the receiver drops the copies) is logged and retried after a growing pause.
   */
  async #loop(): Promise<void> {
    let pause = this.#deps.settings.publishBackoffMs;
    while (!this.#stopped) {
      try {
        await this.#pass();
        pause = this.#deps.settings.publishBackoffMs;
      } catch (e) {
        const code = storageFaultCode(e);
        this.#deps.logger.error(
          { err: code ? { code: (e as { code?: string }).code, message: (e as Error).message } : e, retryInMs: pause },
          code ? 'relay paused: the store cannot write' : 'relay pass failed; retrying',
        );
        this.#kicked = false;
        await this.#sleep(pause);
        pause = Math.min(pause * 2, Math.max(this.#deps.settings.publishBackoffMaxMs, 1_000));
      }
    }
  }

  async #pass(): Promise<void> {
    const { store, clock, settings, logger } = this.#deps;
    this.#kicked = false;
    this.#retimeIfClockSetBack(clock.now());
    const due = this.#forgetKeptReceipts(this.#deps.transport.connected ? store.dueOutbox(clock.now(), BATCH) : []);
    // After a failure, a destination gets one probe publish before the pipeline resumes,
    // so that a later envelope cannot land in its stream before an earlier one.
    const probed = new Set<string>();
    let bytes = 0;
    const rows = due
      .filter((r) => {
        if (this.#healthy.has(r.destination)) return true;
        if (probed.has(r.destination)) return false;
        probed.add(r.destination);
        return true;
      })
      .filter((r, i) => i === 0 || (bytes += r.bytes.byteLength) <= PASS_BYTES);
    if (rows.length === 0) {
      const next = store.nextOutboxDue();
      const wait = next === undefined ? 1_000 : Math.min(Math.max(next - clock.now(), 5), 1_000);
      await this.#sleep(this.#deps.transport.connected ? wait : 250);
      return;
    }
    const sentAt = clock.now();
    const started = performance.now();
    const probes = new Set(rows.filter((r) => !this.#healthy.has(r.destination)));
    const results = await this.#publishInRuns(rows, probes);
    const passed = results.length === rows.length && results.every((r) => r.status === 'fulfilled');
    if (passed) this.#passMs = 0.7 * this.#passMs + 0.3 * (performance.now() - started);
    this.#failingSince = passed ? Number.NaN : Number.isNaN(this.#failingSince) ? started : this.#failingSince;
    const now = clock.now();
    let failures = 0;
    let lastError: { failure: NatsFailure; message: string } | undefined;
    store.tx(() => {
      results.forEach((res, i) => {
        const row = rows[i]!;
        if (res.status === 'fulfilled') {
          this.#healthy.add(row.destination);
          if (!row.expectsReceipt) {
            store.markPublished(row.envelopeId, now, now + RESEND_WINDOW_MS);
            return;
          }
          const delay = Math.min(settings.resendAfterMs * 2 ** row.attempts, settings.resendMaxMs);
          // A receipt that came while this publish was under way has already removed the entry: the timeline says delivered, not handed over after it.
          const still = store.markPublished(row.envelopeId, now, now + delay);
          if (still && row.attempts === 0 && row.kind === KIND.request) {
            store.addTimeline(row.envelopeId, 'published', sentAt, `handed to the network for ${row.destination}`, { code: 'published_for', params: { country: row.destination.slice(0, 2) } });
          }
        } else {
          failures++;
          this.#healthy.delete(row.destination);
          const message = res.reason instanceof Error ? res.reason.message : String(res.reason);
          lastError = { failure: classifyNatsError(res.reason), message };
          store.markPublishFailed(row.envelopeId, now + this.#failureDelay, message);
        }
      });
    });
    if (failures > 0) {
      // subject-full: the receiver's lane holds its backlog limit; no-responders: its inbox stream is not there (yet).
      logger.warn({ failures, failure: lastError?.failure, error: lastError?.message, retryInMs: this.#failureDelay }, 'publishing failed; the outbox keeps the envelopes and retries');
      await this.#sleep(this.#failureDelay);
      // A timeout has waited already: only failures that come at once (a broker refusing) back off further.
      const waited = results.every((r) => r.status === 'fulfilled' || classifyNatsError(r.reason) === 'timeout');
      this.#failureDelay = waited ? settings.publishBackoffMs : Math.min(this.#failureDelay * 2, settings.publishBackoffMaxMs);
    } else {
      this.#failureDelay = settings.publishBackoffMs;
    }
  }

  /**
   * A clock set back while the node runs (an NTP step) would hold every re-send back by the step
   * (and, through the lane, whatever is sent after it): their delays count from now instead, and
   * what waits for a retry after a failed first publish goes now (as at start).
   */
  #retimeIfClockSetBack(now: number): void {
    const back = this.#lastNow - now;
    const { store } = this.#deps;
    const envelopes = back >= CLOCK_STEP_MS ? store.tx(() => store.retimeFuturePublishes(now) + store.unpublishedDueNow(now)) : 0;
    this.#lastNow = now;
    if (back < CLOCK_STEP_MS) return;
    this.#deps.logger.warn({ backMs: back, envelopes }, 'the clock went back: re-send delays count from now');
  }

  /** Deletes the published receipts among `due` (kept for the re-send window, which has passed) and returns the rest. */
  #forgetKeptReceipts(due: OutboxRow[]): OutboxRow[] {
    const done = due.filter((r) => !r.expectsReceipt && r.published);
    if (done.length === 0) return due;
    this.#deps.store.tx(() => done.forEach((r) => this.#deps.store.deleteOutbox(r.envelopeId)));
    return due.filter((r) => r.expectsReceipt || !r.published);
  }

  /**
   * Publishes `rows` pipelined, except around a request's attachment parts: the parts go as one
   * run, then the request alone, then the rest, each run waiting for the one before; the pass stops
   * at a run that failed (the rest stays due). So a request never reaches its lane ahead of its
   * parts, and nothing published after it overtakes it when its publish is lost. Returns the
   * results of the rows tried, in order. `probes` wait a shorter time for their acknowledgement
   * (from PROBE_TIMEOUT_MIN_MS up to PUBLISH_TIMEOUT_MS, see there).
   */
  async #publishInRuns(rows: readonly OutboxRow[], probes: ReadonlySet<OutboxRow>): Promise<PromiseSettledResult<void>[]> {
    const failingMs = Number.isNaN(this.#failingSince) ? 0 : performance.now() - this.#failingSince;
    const probeTimeoutMs = Math.min(PUBLISH_TIMEOUT_MS, Math.max(PROBE_TIMEOUT_MIN_MS, PROBE_TIMEOUT_PASSES * this.#passMs, PROBE_TIMEOUT_SHARE * failingMs));
    const publish = (r: OutboxRow) =>
      this.#deps.transport.publish(r.destination, r.envelopeId, r.bytes, {
        part: r.kind === ATTACHMENT_PART_KIND,
        msgId: msgIdOf(r),
        ...(probes.has(r) ? { timeoutMs: probeTimeoutMs } : {}),
      });
    const results: PromiseSettledResult<void>[] = [];
    let start = 0;
    for (let i = 0; i < rows.length; i++) {
      const part = (j: number) => j >= 0 && j < rows.length && rows[j]!.kind === ATTACHMENT_PART_KIND;
      const endOfParts = part(i) && i + 1 < rows.length && !part(i + 1);
      const afterParts = !part(i) && part(i - 1);
      if (!endOfParts && !afterParts) continue;
      results.push(...(await Promise.allSettled(rows.slice(start, i + 1).map(publish))));
      start = i + 1;
      if (results.some((r) => r.status === 'rejected')) return results;
    }
    results.push(...(await Promise.allSettled(rows.slice(start).map(publish))));
    return results;
  }

  #sleep(ms: number): Promise<void> {
    if (this.#kicked || this.#stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = () => {
        this.#wake = undefined;
        done();
      };
    });
  }
}

/**
 * The Nats-Msg-Id of a publish (docs/protocol.md §14, the duplicate window): the envelope's id
 * the first time; `<id>.resent.<n>` for a re-send after `n` acknowledged publishes, so that the
 * broker's duplicate window never drops a re-send (one made early because the broker lost what
 * it held comes inside it), while a publish tried again after a lost acknowledgement (same `n`)
 * is still dropped as the copy it is.
 */
export function msgIdOf(row: Pick<OutboxRow, 'envelopeId' | 'attempts'>): string {
  return row.attempts > 0 ? `${row.envelopeId}.resent.${row.attempts}` : row.envelopeId;
}
