import type { Logger } from 'pino';
import type { NodeKeyring, TrustStore } from '../../keys/index.js';
import type { CountryCalendar, ServiceLevel } from '../requests/deadlines.js';
import type { Store } from '../store/index.js';
import type { Transport } from '../transport/index.js';
import type { ClockHealth } from './clock-health.js';
import type { RequestEvents } from './events.js';

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface ExchangeSettings {
  /** A request without a receipt this long after submission becomes FAILED. */
  deliveryHorizonMs: number;
  /** Envelope lifetime (expiresAt - createdAt); must exceed the horizon. */
  envelopeTtlMs: number;
  maxEnvelopeBytes: number;
  /** First re-send of an unanswered request; doubles per attempt up to resendMaxMs. */
  resendAfterMs: number;
  resendMaxMs: number;
  /** Pause after a failed publish (broker down); doubles up to publishBackoffMaxMs. */
  publishBackoffMs: number;
  publishBackoffMaxMs: number;
  horizonCheckMs: number;
  /** Cases final for longer than this are erased (contents and key); 0 keeps them. */
  retentionMs: number;
  retentionCheckMs: number;
  /** Events a WatchRequests client that does not keep up may have queued before its stream ends (it resumes from its cursor). */
  watchBufferEvents: number;
  /** Clock offsets (against the broker or a peer) beyond this are logged and flagged; default 2 minutes. */
  clockSkewWarnMs?: number;
  /**
   * How long an inbound lane waits for a missing position while later envelopes are held
   * (docs/protocol.md §24.4) before it gives the position up; must exceed resendMaxMs, so
   * that the sender's re-send can fill the gap first.
   */
  laneGapMs: number;
}

export const DEFAULT_EXCHANGE_SETTINGS: ExchangeSettings = {
  deliveryHorizonMs: 72 * 3600_000,
  envelopeTtlMs: 7 * 24 * 3600_000,
  maxEnvelopeBytes: 8 * 1024 * 1024,
  // Re-sends only cover an envelope the broker lost: the stream keeps every published one
  // until the receiver takes it, so early re-sends would only pile up duplicates in a backlog.
  resendAfterMs: 5 * 60_000,
  resendMaxMs: 2 * 3600_000,
  publishBackoffMs: 250,
  publishBackoffMaxMs: 2_000,
  horizonCheckMs: 1_000,
  retentionMs: 5 * 365 * 24 * 3600_000,
  retentionCheckMs: 3600_000,
  watchBufferEvents: 1_000,
  laneGapMs: 4 * 3600_000,
};

/** A state's published service levels and working-day calendar (from the registry). */
export interface CalendarSource {
  serviceLevels(country: string): ServiceLevel[];
  calendar(country: string): CountryCalendar;
}

/**
 * What the exchange needs from the node: built once and complete by `NationalNode.create`
 * (services/node.ts), never changed afterwards.
 */
export interface ExchangeDeps {
  readonly networkId: string;
  readonly country: string;
  readonly ring: NodeKeyring;
  readonly trust: TrustStore;
  readonly store: Store;
  readonly transport: Transport;
  readonly events: RequestEvents;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly settings: Readonly<ExchangeSettings>;
  /** Service levels and calendars, as the registry publishes them. */
  readonly calendars: CalendarSource;
  /** Measured clock offsets (services/exchange/clock-health.ts); absent in tests that build deps by hand. */
  readonly clockHealth?: ClockHealth;
}
