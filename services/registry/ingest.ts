import type { Logger } from 'pino';
import { EnlaceError, isEnlaceError, verifyDescriptor, type TrustStore } from '../../keys/index.js';
import { parseRegistryKey, registryLogKey, registryNodeKey } from '../transport/index.js';
import type { RegistryBucket } from './bucket.js';
import type { RegistryCache } from './cache.js';
import { entriesAfter, placeRecord, type ChainView } from './chain.js';
import type { EntryIndex } from './entries.js';
import type { EntryState } from './model.js';
import { recordHash, verifyRecord, type VerifiedRecord } from './record.js';

export interface IngestDeps {
  networkId: string;
  trust: TrustStore;
  clock: { now(): number };
  logger: Logger;
}

export type AppendResult = 'appended' | 'duplicate' | 'gap' | 'pending' | 'rejected';

/** Hears every aggregate statistics record the bucket delivers (verified by the listener, docs/protocol.md §27.4). */
export type StatsListener = (country: string, quarter: string, jws: string, revision: number) => void;

/** Listeners hear every entry change applied, whoever made it. */
export type ChangeListener = (entries: EntryState<unknown>[], record: VerifiedRecord) => void;

interface Held {
  jws: string;
  revision: number;
}

/**
 * Verifies what the bucket delivers and applies it to the cache: node descriptors to the
 * trust store, log records to their country's chain. A record that fails is stored in
 * rejected_registry_records and never applied; one beyond a gap, or from a country whose
 * descriptor is not held yet, waits in memory (and holds the resume cursor back) until
 * what comes before it arrives. Callers serialize calls (one at a time).
 */
export class Ingestor {
  readonly #deps: IngestDeps;
  readonly #cache: RegistryCache;
  readonly #index: EntryIndex;
  readonly #pending = new Map<string, Map<number, Held>>();
  readonly #listeners = new Set<ChangeListener>();
  bucket: RegistryBucket | undefined;
  onStats: StatsListener | undefined;
  /** Every bucket revision up to this one has been handled (persisted with each change). */
  cursor: number;
  #seenRevision = 0;

  constructor(deps: IngestDeps, cache: RegistryCache, index: EntryIndex) {
    this.#deps = deps;
    this.#cache = cache;
    this.#index = index;
    this.cursor = Number(cache.state('kv_revision') ?? 0);
  }

  onChange(listener: ChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get view(): ChainView {
    return {
      head: (c) => this.#cache.head(c),
      hashAt: (c, seq) => this.#cache.logAt(c, seq)?.hash,
      entry: (c, type, id) => this.#index.get(c, type, id),
    };
  }

  /** Handles one bucket value (a PUT) at `revision`. */
  async onValue(key: string, value: string, revision: number): Promise<void> {
    const parsed = parseRegistryKey(key);
    if (!parsed) {
      this.#reject(key, revision, value, '', new EnlaceError('ERR_REGISTRY_MALFORMED', `${key} is not a registry key`));
    } else if (parsed.kind === 'node') {
      await this.#onDescriptor(parsed.country, value, revision);
    } else if (parsed.kind === 'stats') {
      this.onStats?.(parsed.country, parsed.quarter, value, revision);
    } else {
      const result = await this.tryAppend(parsed.country, parsed.seq, value, revision);
      if (result === 'gap' || result === 'rejected') await this.fill(parsed.country);
    }
    this.#advance(revision);
  }

  /** Marks `revision` handled; the cursor moves only while nothing is pending. */
  #advance(revision: number): void {
    this.#seenRevision = Math.max(this.#seenRevision, revision);
    if (this.#pending.size === 0) this.cursor = Math.max(this.cursor, this.#seenRevision);
  }

  saveCursor(): void {
    this.#cache.setState('kv_revision', String(this.cursor));
  }

  async #onDescriptor(country: string, jws: string, revision: number): Promise<void> {
    const key = registryNodeKey(country);
    const { trust } = this.#deps;
    let serial: number;
    try {
      const d = await verifyDescriptor(jws, trust.anchor);
      if (d.country !== country) throw new EnlaceError('ERR_REGISTRY_WRONG_COUNTRY', `descriptor of ${d.country} stored as ${key}`);
      const held = trust.descriptor(country);
      if (held && d.serial < held.serial) {
        throw new EnlaceError('ERR_REGISTRY_STALE', `descriptor serial ${d.serial} would replace serial ${held.serial}`);
      }
      if (held && d.serial === held.serial) return;
      await trust.add(jws);
      serial = d.serial;
    } catch (e) {
      this.#reject(key, revision, jws, country, e);
      return;
    }
    this.#cache.tx(() => {
      this.#cache.addDescriptor({ country, serial, status: trust.descriptor(country)!.status, jws, source: 'registry', acceptedAt: this.#deps.clock.now() });
      this.saveCursor();
    });
    this.#deps.logger.info({ country, serial }, 'node descriptor accepted from the registry');
    if (this.#pending.has(country)) await this.fill(country);
  }

  /** Verifies one log record and applies it if it is the next of its country's chain. */
  async tryAppend(country: string, seq: number, jws: string, revision: number): Promise<AppendResult> {
    if (this.#cache.logAt(country, seq)?.hash === recordHash(jws)) return 'duplicate';
    const key = registryLogKey(country, seq);
    let rec: VerifiedRecord;
    try {
      rec = await verifyRecord(jws, { country, seq }, { networkId: this.#deps.networkId, trust: this.#deps.trust, now: this.#deps.clock.now() });
    } catch (e) {
      if (isEnlaceError(e) && e.code === 'ERR_UNKNOWN_NODE') {
        this.#hold(country, seq, { jws, revision });
        return 'pending';
      }
      this.#reject(key, revision, jws, country, e);
      return 'rejected';
    }
    let outcome;
    try {
      outcome = placeRecord(this.view, rec);
    } catch (e) {
      this.#reject(key, revision, jws, country, e);
      return 'rejected';
    }
    switch (outcome.kind) {
      case 'duplicate':
        return 'duplicate';
      case 'gap':
        this.#hold(country, seq, { jws, revision });
        return 'gap';
      case 'append':
        this.#apply(rec, revision);
        this.#release(country, seq);
        return 'appended';
      default: {
        const _exhaustive: never = outcome;
        throw new Error(`unknown outcome ${String(_exhaustive)}`);
      }
    }
  }

  /**
   * Appends what follows the head of `country`'s chain: records waiting in memory, else
   * every value the bucket still keeps for the next key (a forged overwrite does not hide
   * an earlier genuine value).
   */
  async fill(country: string): Promise<void> {
    for (;;) {
      const next = (this.#cache.head(country)?.seq ?? 0) + 1;
      const held = this.#pending.get(country)?.get(next);
      if (held && (await this.tryAppend(country, next, held.jws, held.revision)) === 'appended') continue;
      if (!this.bucket) return;
      let appended = false;
      for (const c of await this.bucket.recordCandidates(country, next)) {
        if ((await this.tryAppend(country, next, c.jws, c.revision)) === 'appended') {
          appended = true;
          break;
        }
      }
      if (!appended) return;
    }
  }

  #hold(country: string, seq: number, held: Held): void {
    let m = this.#pending.get(country);
    if (!m) this.#pending.set(country, (m = new Map<number, Held>()));
    m.set(seq, held);
  }

  #release(country: string, seq: number): void {
    const m = this.#pending.get(country);
    if (!m) return;
    for (const s of m.keys()) if (s <= seq) m.delete(s);
    if (m.size === 0) this.#pending.delete(country);
  }

  #apply(rec: VerifiedRecord, revision: number): void {
    const { country, seq, prev, at, by } = rec.payload;
    const entries = entriesAfter(rec, (type, id) => this.#index.get(country, type, id)?.data);
    this.#cache.tx(() => {
      this.#cache.appendLog({ country, seq, prevHash: prev, hash: rec.hash, signerKid: rec.kid, by, at, jws: rec.jws, kvRevision: revision, receivedAt: this.#deps.clock.now() });
      for (const e of entries) this.#cache.putEntry(e);
      this.saveCursor();
    });
    for (const e of entries) this.#index.put(e);
    this.#deps.logger.debug({ country, seq, changes: entries.length }, 'registry record applied');
    for (const l of this.#listeners) l(entries, rec);
  }

  #reject(key: string, revision: number, body: string, claimedCountry: string, e: unknown): void {
    const code = isEnlaceError(e) ? e.code : 'ERR_REGISTRY_MALFORMED';
    const detail = e instanceof Error ? e.message : String(e);
    const inserted = this.#cache.reject({
      receivedAt: this.#deps.clock.now(),
      kvKey: key,
      kvRevision: revision,
      code,
      detail,
      claimedCountry,
      sha256: recordHash(body),
      body,
    });
    if (inserted) this.#deps.logger.warn({ key, revision, code, detail }, 'registry record rejected; it is kept as evidence and not used');
  }
}
