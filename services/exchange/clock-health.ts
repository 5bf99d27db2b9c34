import type { Logger } from 'pino';
import { decodeOuter, parseAddress } from '../envelope/index.js';
import { senderOfSubject } from '../transport/index.js';
import type { Clock } from './deps.js';

/** Offsets beyond this are logged and flagged (ENLACE_CLOCK_SKEW_WARN). */
export const DEFAULT_CLOCK_SKEW_WARN_MS = 2 * 60_000;
/** Samples older than this no longer count. */
const WINDOW_MS = 10 * 60_000;
const MAX_SAMPLES = 256;

/** One clock compared with this node's. */
export interface ClockReading {
  /** "broker", or a peer's country code. */
  source: string;
  /** For "broker": this node's clock minus the broker's. For a peer: the peer's clock minus this node's. */
  offsetMs: number;
  measuredAt: number;
  samples: number;
}

interface Sample {
  at: number;
  value: number;
}

/**
 * Measures clock offsets from what the node sees anyway. The broker stamps every stored
 * message with its own time: `now - stamp` for an inbound message is this node's offset
 * plus the time it waited (never negative), so the smallest recent value is the estimate;
 * the creation time of the inbox consumer, read right after creating it, gives a first
 * reading at start. A peer's signed `created_at` minus the broker's stamp is the peer's
 * offset minus the time before publishing, so the largest recent value is the peer's
 * offset against the broker. The sender is the broker lane's (only its account may publish
 * there), not the envelope's claim.
 */
export class ClockHealth {
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #networkId: string;
  readonly #country: string;
  readonly thresholdMs: number;
  readonly #broker: Sample[] = [];
  readonly #peers = new Map<string, Sample[]>();
  readonly #warned = new Set<string>();

  constructor(opts: { clock: Clock; logger: Logger; networkId: string; country: string; thresholdMs?: number }) {
    this.#clock = opts.clock;
    this.#logger = opts.logger;
    this.#networkId = opts.networkId;
    this.#country = opts.country;
    this.thresholdMs = opts.thresholdMs ?? DEFAULT_CLOCK_SKEW_WARN_MS;
  }

  /** A reading of the broker's clock taken between `before` and `after` on this node's clock. */
  observeBroker(before: number, brokerMs: number, after: number): void {
    if (!Number.isFinite(brokerMs)) return;
    this.#add(this.#broker, after, (before + after) / 2 - brokerMs);
    this.#check('broker');
  }

  /** An inbound message: its broker stamp, its lane, and the signed time in its clear header. */
  observeMessage(subject: string, bytes: Uint8Array, brokerMs: number): void {
    const now = this.#clock.now();
    this.#add(this.#broker, now, now - brokerMs);
    this.#check('broker');
    const lane = senderOfSubject(this.#networkId, this.#country, subject);
    const header = decodeOuter(bytes)?.header;
    if (!lane || !header || parseAddress(header.from)?.country !== lane) return;
    let samples = this.#peers.get(lane);
    if (!samples) this.#peers.set(lane, (samples = []));
    this.#add(samples, now, header.createdAt - brokerMs);
    this.#check(lane);
  }

  /** This node's clock minus the broker's, when measured. */
  own(): number | undefined {
    return this.#estimate('broker');
  }

  /** Every reading: the broker first, then each peer measured. */
  readings(): ClockReading[] {
    const out: ClockReading[] = [];
    const broker = this.#reading('broker');
    if (broker) out.push(broker);
    for (const c of [...this.#peers.keys()].sort()) {
      const r = this.#reading(c);
      if (r) out.push(r);
    }
    return out;
  }

  /** True when some reading is beyond the threshold. */
  skewed(): boolean {
    return this.readings().some((r) => Math.abs(r.offsetMs) > this.thresholdMs);
  }

  /** A sentence for a timeline line: "this node's clock is 10 min ahead of the broker's; UY's is 0 s from this node's". */
  describe(peer?: string): string {
    const own = this.own();
    const parts = [own === undefined ? "this node's clock offset is not measured yet" : `this node's clock is ${formatOffset(own)} the broker's`];
    const p = peer ? this.#reading(peer) : undefined;
    if (p) parts.push(`${peer}'s is ${formatOffset(p.offsetMs)} this node's`);
    return parts.join('; ');
  }

  #reading(source: string): ClockReading | undefined {
    const samples = source === 'broker' ? this.#broker : this.#peers.get(source);
    const value = this.#estimate(source);
    if (!samples || value === undefined) return undefined;
    return { source, offsetMs: Math.round(value), measuredAt: samples.at(-1)!.at, samples: samples.length };
  }

  #estimate(source: string): number | undefined {
    if (source === 'broker') return this.#broker.length ? Math.min(...this.#broker.map((s) => s.value)) : undefined;
    const samples = this.#peers.get(source);
    if (!samples?.length) return undefined;
    const vsBroker = Math.max(...samples.map((s) => s.value));
    return vsBroker - (this.own() ?? 0);
  }

  #add(samples: Sample[], at: number, value: number): void {
    samples.push({ at, value });
    while (samples.length > MAX_SAMPLES || (samples.length > 1 && samples[0]!.at < at - WINDOW_MS)) samples.shift();
  }

  #check(source: string): void {
    const value = this.#estimate(source);
    if (value === undefined) return;
    const over = Math.abs(value) > this.thresholdMs;
    if (over && !this.#warned.has(source)) {
      this.#warned.add(source);
      const whose = source === 'broker' ? "this node's clock differs from the broker's" : `${source}'s clock differs from this node's`;
      this.#logger.warn(
        { clock: source, offsetMs: Math.round(value), thresholdMs: this.thresholdMs },
        `clock skew: ${whose} by ${formatOffset(value)}; envelopes may be refused as expired or not yet valid (check NTP)`,
      );
    } else if (!over && this.#warned.delete(source)) {
      this.#logger.info({ clock: source, offsetMs: Math.round(value) }, 'clock offset back within the threshold');
    }
  }
}

/** "10 min 3 s ahead of", "2 s behind", "0 s from". */
export function formatOffset(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  const text = s >= 60 ? `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}` : `${s} s`;
  if (s === 0) return '0 s from';
  return `${text} ${ms > 0 ? 'ahead of' : 'behind'}`;
}
