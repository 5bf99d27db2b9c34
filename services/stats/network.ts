import type { Logger } from 'pino';
import { currentKeySet, isEnlaceError, type NodeKeyring, type TrustStore } from '../../keys/index.js';
import { putStatsRecord, statsCombinations, statsRecordsOf, type Db, type StatsRecordRow } from '../store/index.js';
import { DEFAULT_THRESHOLD, isQuarter, lastCompleteQuarter, monthsOf } from './agreed.js';
import { combineRecords, type NetworkCell } from './combine.js';
import { buildStatsRecord, signStatsRecord, verifyStatsRecord, type StatsRecord } from './record.js';

export interface NetworkStatsDeps {
  networkId: string;
  country: string;
  ring: NodeKeyring;
  trust: TrustStore;
  store: { db: Db };
  clock: { now(): number };
  logger: Logger;
  /** Writes this node's record of a quarter to the registry (Registry.publishStats). */
  publish: (quarter: string, jws: string) => Promise<number>;
  threshold?: number;
}

export interface NetworkFigures {
  quarter: string;
  threshold: number;
  cells: NetworkCell[];
  records: { country: string; accepted: boolean; reasonCode: string; at: number }[];
}

/** How often the node looks whether the last complete quarter still needs its record. */
const PUBLISH_CHECK_MS = 3_600_000;

/**
 * The network figures at one node (docs/protocol.md §27): it publishes its own signed
 * aggregate record for each complete quarter, keeps every record the registry delivers, and
 * combines those that verify. Records are checked again whenever the figures are read, so a
 * key revoked since, or a descriptor that arrived late, counts.
 */
export class NetworkStats {
  readonly #deps: NetworkStatsDeps;
  readonly threshold: number;
  #timer: NodeJS.Timeout | undefined;
  #published = new Set<string>();
  #stopped = false;

  constructor(deps: NetworkStatsDeps) {
    this.#deps = deps;
    this.threshold = deps.threshold ?? DEFAULT_THRESHOLD;
  }

  /** Publishes the last complete quarter now (when the registry is reachable) and checks again every hour. */
  start(): void {
    if (this.#stopped) return;
    const tick = () => {
      const q = lastCompleteQuarter(this.#deps.clock.now());
      if (this.#published.has(q)) return;
      this.publish(q).then(
        () => this.#published.add(q),
        (e: unknown) => this.#deps.logger.debug({ err: e, quarter: q }, 'aggregate record not published yet'),
      );
    };
    tick();
    this.#timer = setInterval(tick, PUBLISH_CHECK_MS);
    this.#timer.unref();
  }

  stop(): void {
    this.#stopped = true;
    clearInterval(this.#timer);
  }

  /** This node's record of `quarter`: the agreed tables of its requests of those months, suppressed. */
  record(quarter: string): StatsRecord {
    const { from, to } = monthsOf(quarter);
    const combos = statsCombinations(this.#deps.store.db, { fromPeriod: from, toPeriod: to, direction: '', kind: '' });
    return buildStatsRecord(combos, { networkId: this.#deps.networkId, country: this.#deps.country, quarter, at: this.#deps.clock.now(), threshold: this.threshold });
  }

  /** Signs and publishes this node's record of `quarter`; returns the signed record. */
  async publish(quarter: string): Promise<string> {
    const signer = currentKeySet(this.#deps.ring).signing;
    const jws = await signStatsRecord(this.record(quarter), { kid: signer.kid, privateKey: signer.privateKey });
    await this.#deps.publish(quarter, jws);
    return jws;
  }

  #check(country: string, quarter: string, jws: string): { record?: StatsRecord; reasonCode: string; at: number } {
    try {
      const record = verifyStatsRecord(jws, { country, quarter }, { networkId: this.#deps.networkId, trust: this.#deps.trust, now: this.#deps.clock.now(), threshold: this.threshold });
      return { record, reasonCode: '', at: record.at };
    } catch (e) {
      if (!isEnlaceError(e)) throw e;
      this.#deps.logger.debug({ err: e, country, quarter }, 'aggregate record rejected');
      return { reasonCode: e.code, at: 0 };
    }
  }

  /** A value of `stats.<country>.<quarter>` from the registry: checked and kept with its verdict. */
  onValue(country: string, quarter: string, jws: string, revision: number): void {
    const v = this.#check(country, quarter, jws);
    const row: StatsRecordRow = { country, quarter, jws, revision, accepted: v.record !== undefined, reasonCode: v.reasonCode, signedAt: v.at, checkedAt: this.#deps.clock.now() };
    putStatsRecord(this.#deps.store.db, row);
    if (!row.accepted) this.#deps.logger.warn({ country, quarter, code: v.reasonCode }, 'aggregate record rejected');
  }

  /** The network tables of `quarter` from the records held, each verified again. */
  figures(quarter: string): NetworkFigures {
    if (!isQuarter(quarter)) throw new Error(`not a quarter: ${quarter}`);
    return combineHeld(statsRecordsOf(this.#deps.store.db, quarter), quarter, this.threshold, (r) => this.#check(r.country, r.quarter, r.jws));
  }
}

/** Verifies and combines records of one quarter (the figures, and the benchmark of 35 states). */
export function combineHeld(
  rows: readonly { country: string; quarter: string; jws: string }[],
  quarter: string,
  threshold: number,
  check: (r: { country: string; quarter: string; jws: string }) => { record?: StatsRecord; reasonCode: string; at: number },
): NetworkFigures {
  const checked = rows.map((r) => ({ country: r.country, ...check(r) }));
  const accepted = checked.flatMap((c) => (c.record ? [c.record] : []));
  return {
    quarter,
    threshold,
    cells: combineRecords(accepted),
    records: checked.map((c) => ({ country: c.country, accepted: c.record !== undefined, reasonCode: c.reasonCode, at: c.at })),
  };
}
