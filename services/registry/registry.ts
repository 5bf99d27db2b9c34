import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import { currentKeySet, EnlaceError, InvalidArgumentError, verifyDescriptor, type NodeKeyring, type TrustStore } from '../../keys/index.js';
import type { Db } from '../store/index.js';
import { MAX_RECORD_BYTES, RegistryBucket } from './bucket.js';
import { RegistryCache, type RejectedRow } from './cache.js';
import { CatchUp } from './catch-up.js';
import { EntryIndex } from './entries.js';
import { planImport, sameJson } from './import-plan.js';
import { Ingestor, type ChangeListener, type StatsListener } from './ingest.js';
import { PROFILE_ID, recordPayloadSchema, type Change, type ContactEntry, type ContactPoint, type CountryEntry, type CountryProfile, type RecordPayload } from './model.js';
import { GENESIS_PREV, signRecord } from './record.js';
import { resolveContacts } from './resolve.js';
import { isActive, searchContacts, type SearchHit, type SearchQuery } from './search.js';
import { isRequestKind, isTheme, type RequestKind, type Theme } from './themes.js';
import { exportDirectory, parseImport, type ImportProblem, type TransferFormat } from './transfer.js';
import { historyOf, membershipsOf, type HistoryRecord, type NodeMembership } from './views.js';
import { today, validContact, validCountryProfile } from './validate.js';

/** What the registry needs from the node (ExchangeDeps has all of it). */
export interface RegistryDeps {
  networkId: string;
  country: string;
  ring: NodeKeyring;
  trust: TrustStore;
  store: { db: Db };
  transport: { connection(): Promise<NatsConnection> };
  clock: { now(): number };
  logger: Logger;
}

export interface RegistryOptions {
  /** Load this country's demo directory once, when its log is still empty. */
  demoDirectory?: boolean;
}

export interface ImportReport {
  applied: boolean;
  problems: ImportProblem[];
  created: number;
  updated: number;
  retired: number;
  unchanged: number;
  seq: number;
}

/**
 * The node's view of the registry, and its own country's part of it. Reads come from the
 * SQLite cache (mirrored in memory); writes are signed records appended to this country's
 * log in the bucket, then applied here like any other node's.
 */
export class Registry {
  readonly country: string;
  readonly #deps: RegistryDeps;
  readonly #opts: RegistryOptions;
  readonly #cache: RegistryCache;
  readonly #index: EntryIndex;
  readonly #ingest: Ingestor;
  readonly #abort = new AbortController();
  #queue: Promise<unknown> = Promise.resolve();
  #writing: Promise<unknown> = Promise.resolve();
  #running: Promise<void> | undefined;
  readonly #catchUp = new CatchUp();

  private constructor(deps: RegistryDeps, opts: RegistryOptions, cache: RegistryCache, index: EntryIndex) {
    this.country = deps.country;
    this.#deps = deps;
    this.#opts = opts;
    this.#cache = cache;
    this.#index = index;
    this.#ingest = new Ingestor(deps, cache, index);
  }

  /**
   * Opens the cache: descriptors learnt from the registry earlier join the trust store
   * (they verify against the anchor again), and the folder's descriptors are recorded.
   */
  static async create(deps: RegistryDeps, opts: RegistryOptions = {}): Promise<Registry> {
    const cache = new RegistryCache(deps.store.db);
    for (const row of cache.descriptors()) {
      const held = deps.trust.descriptor(row.country);
      if (held && held.serial >= row.serial) continue;
      await deps.trust.add(row.jws).catch((e: unknown) => deps.logger.warn({ err: e, country: row.country }, 'cached descriptor no longer verifies'));
    }
    const now = deps.clock.now();
    cache.tx(() => {
      for (const c of deps.trust.countries()) {
        const d = deps.trust.descriptor(c)!;
        cache.addDescriptor({ country: c, serial: d.serial, status: d.status, jws: deps.trust.descriptorJws(c)!, source: 'folder', acceptedAt: now });
      }
    });
    const index = new EntryIndex();
    for (const e of cache.entries()) index.put(e);
    return new Registry(deps, opts, cache, index);
  }

  /** Connects to the bucket in the background, publishes the descriptors held, follows changes. */
  start(): void {
    this.#running ??= this.#run();
  }

  /**
   * Resolves once the bucket's content at start has been read; rejects with ERR_UNAVAILABLE
   * when `timeoutMs` pass with no progress, its cause the last reason the sync failed.
   */
  ready(timeoutMs = 15_000): Promise<void> {
    return this.#catchUp.wait(timeoutMs);
  }

  get isReady(): boolean {
    return this.#catchUp.done;
  }

  /** The node's statistics hear every aggregate record from here on (set once, before start). */
  onStats(listener: StatsListener): void {
    this.#ingest.onStats = listener;
  }

  /** Publishes this country's signed aggregate record of `quarter` (docs/protocol.md §27.4). */
  async publishStats(quarter: string, jws: string): Promise<number> {
    const bucket = this.#ingest.bucket;
    if (!bucket) throw new EnlaceError('ERR_UNAVAILABLE', 'the registry is not connected to NATS yet; retry shortly');
    return bucket.putStats(this.country, quarter, jws);
  }

  onChange(listener: ChangeListener): () => void {
    return this.#ingest.onChange(listener);
  }

  async destroy(): Promise<void> {
    this.#abort.abort();
    await Promise.race([this.#running, new Promise((r) => setTimeout(r, 2_000))]);
    await this.#queue.catch(() => {});
    if (this.#deps.store.db.open) this.#ingest.saveCursor();
  }

  #markReady(): void {
    if (this.#catchUp.done) return;
    this.#catchUp.finish();
    if (this.#opts.demoDirectory) {
      void import('./demo.js').then(({ loadDemoDirectory }) => loadDemoDirectory(this)).catch((e: unknown) => this.#deps.logger.error({ err: e }, 'could not load the demo directory'));
    }
  }

  /** Runs `fn` after everything queued before it (bucket values and own writes apply one at a time). */
  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => {});
    return run;
  }

  async #run(): Promise<void> {
    const { logger, transport, networkId, trust } = this.#deps;
    const signal = this.#abort.signal;
    while (!signal.aborted) {
      try {
        const nc = await transport.connection();
        if (signal.aborted) return;
        const bucket = (this.#ingest.bucket ??= await RegistryBucket.open(nc, networkId));
        for (const c of trust.countries()) {
          const serialOf = async (jws: string) => (await verifyDescriptor(jws, trust.anchor).catch(() => undefined))?.serial;
          await bucket.publishDescriptor(c, trust.descriptorJws(c)!, trust.descriptor(c)!.serial, serialOf).catch((e: unknown) => logger.debug({ err: e, country: c }, 'descriptor not published'));
        }
        const target = await bucket.lastRevision();
        if (target <= this.#ingest.cursor) this.#markReady();
        const watch = await bucket.watch(this.#ingest.cursor > 0 ? this.#ingest.cursor + 1 : 0);
        const stop = () => watch.stop();
        // Aborted while the watch was being set up: its listener would never fire.
        if (signal.aborted) stop();
        signal.addEventListener('abort', stop, { once: true });
        try {
          for await (const e of watch) {
            if (e.operation === 'PUT') await this.#serial(() => this.#ingest.onValue(e.key, e.string(), e.revision));
            this.#catchUp.progress();
            if (e.revision >= target) this.#markReady();
          }
        } finally {
          signal.removeEventListener('abort', stop);
        }
        if (!signal.aborted) logger.warn('registry watch ended; resuming');
      } catch (e) {
        if (signal.aborted) return;
        this.#catchUp.failed(e);
        logger.warn({ err: e }, 'registry sync interrupted; retrying');
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  // ---- writes (this country's entries only) ----

  /**
   * Appends one signed record with the changes `plan` computes from the current state
   * (called again if another writer got the seq first), and applies it here.
   */
  async #commit(by: string, plan: () => Change[]): Promise<RecordPayload | undefined> {
    const run = async () => {
      const bucket = this.#ingest.bucket;
      if (!bucket) throw new EnlaceError('ERR_UNAVAILABLE', 'the registry is not connected to NATS yet; retry shortly');
      const signer = currentKeySet(this.#deps.ring).signing;
      for (let attempt = 0; attempt < 5; attempt++) {
        const draft = await this.#serial(async () => {
          const changes = plan();
          if (changes.length === 0) return undefined;
          const head = this.#cache.head(this.country);
          const payload: RecordPayload = {
            v: 1,
            networkId: this.#deps.networkId,
            country: this.country,
            seq: (head?.seq ?? 0) + 1,
            prev: head?.hash ?? GENESIS_PREV,
            at: Math.max(this.#deps.clock.now(), head?.at ?? 0),
            by,
            changes,
          };
          const jws = await signRecord(recordPayloadSchema.parse(payload), { kid: signer.kid, privateKey: signer.privateKey });
          if (jws.length > MAX_RECORD_BYTES) throw new InvalidArgumentError('content', `makes a record of ${jws.length} bytes, more than ${MAX_RECORD_BYTES}: split it`);
          return { payload, jws };
        });
        if (!draft) return undefined;
        const { payload, jws } = draft;
        let written = await bucket.createRecord(this.country, payload.seq, jws);
        if ('exists' in written) {
          await this.#serial(() => this.#ingest.fill(this.country));
          if ((this.#cache.head(this.country)?.seq ?? 0) >= payload.seq) continue;
          const replaced = await bucket.replaceRecord(this.country, payload.seq, jws);
          if (!replaced) continue;
          this.#deps.logger.warn({ seq: payload.seq }, "replaced an invalid value at this country's next log key");
          written = replaced;
        }
        const revision = written.revision;
        const result = await this.#serial(() => this.#ingest.tryAppend(this.country, payload.seq, jws, revision));
        if (result === 'appended' || result === 'duplicate') return payload;
        throw new EnlaceError('ERR_INTERNAL', `own registry record ${payload.seq} was not accepted (${result})`);
      }
      throw new EnlaceError('ERR_REGISTRY_CONFLICT', "another writer kept appending to this country's log; retry");
    };
    const p = this.#writing.then(run, run);
    this.#writing = p.catch(() => {});
    return p;
  }

  #own(country: string, field: string): void {
    if (country !== this.country) {
      throw new EnlaceError('ERR_PERMISSION_DENIED', `${field} ${country}: this node (${this.country}) changes only its own country's directory`);
    }
  }

  #expect(current: { version: number } | undefined, expectedVersion: number): void {
    if (expectedVersion > 0 && (current?.version ?? 0) !== expectedVersion) {
      throw new EnlaceError('ERR_REGISTRY_CONFLICT', `expected version ${expectedVersion}, the entry is at version ${current?.version ?? 0}`);
    }
  }

  /** Creates or changes a contact point of this country (empty country = this one; unchanged data writes nothing). */
  async upsertContact(input: ContactPoint, by: string, expectedVersion = 0): Promise<ContactEntry> {
    this.#own(input.country || this.country, 'contact.country');
    const contact = validContact({ ...input, country: this.country }, 'contact', today(this.#deps.clock.now()));
    await this.#commit(by, () => {
      const current = this.#index.contact(this.country, contact.id);
      this.#expect(current, expectedVersion);
      if (current && current.status === 'active' && sameJson(current.data, contact)) return [];
      return [{ op: 'upsert', type: 'contact', id: contact.id, version: (current?.version ?? 0) + 1, entry: contact }];
    });
    return this.#index.contact(this.country, contact.id)!;
  }

  async retireContact(country: string, id: string, by: string, reason: string, expectedVersion = 0): Promise<ContactEntry> {
    this.#own(country, 'country');
    if (reason.length > 500) throw new InvalidArgumentError('reason', 'must have at most 500 characters');
    if (!this.#index.contact(country, id)) throw new EnlaceError('ERR_NOT_FOUND', `no contact point ${country}/${id}`);
    await this.#commit(by, () => {
      const current = this.#index.contact(this.country, id)!;
      this.#expect(current, expectedVersion);
      if (current.status === 'retired') return [];
      return [{ op: 'retire', type: 'contact', id, version: current.version + 1, reason: reason.trim() }];
    });
    return this.#index.contact(this.country, id)!;
  }

  async upsertProfile(input: CountryProfile, by: string, expectedVersion = 0): Promise<CountryEntry> {
    this.#own(input.country || this.country, 'profile.country');
    const profile = validCountryProfile({ ...input, country: this.country }, 'profile');
    await this.#commit(by, () => {
      const current = this.#index.profile(this.country);
      this.#expect(current, expectedVersion);
      if (current && sameJson(current.data, profile)) return [];
      return [{ op: 'upsert', type: 'country', id: PROFILE_ID, version: (current?.version ?? 0) + 1, entry: profile }];
    });
    return this.#index.profile(this.country)!;
  }

  /**
   * Imports this country's directory from a file, all or nothing, as one record: with any
   * problem nothing changes and every bad line is reported. `replace` retires the active
   * contact points the file does not list.
   */
  async importDirectory(format: TransferFormat, content: string, by: string, opts: { replace?: boolean; dryRun?: boolean } = {}): Promise<ImportReport> {
    const parsed = parseImport(format, content, this.country, today(this.#deps.clock.now()));
    const report: ImportReport = { applied: false, problems: parsed.problems, created: 0, updated: 0, retired: 0, unchanged: 0, seq: 0 };
    if (parsed.problems.length > 0) return report;
    const plan = (): Change[] => planImport(parsed, this.#index, this.country, report, opts.replace ?? false);
    if (opts.dryRun) {
      plan();
      return report;
    }
    const payload = await this.#commit(by, plan);
    report.applied = payload !== undefined;
    report.seq = payload?.seq ?? this.#cache.head(this.country)?.seq ?? 0;
    return report;
  }

  // ---- reads ----

  #today(): string {
    return today(this.#deps.clock.now());
  }

  #nodeActive = (country: string): boolean => this.#deps.trust.descriptor(country)?.status === 'active';

  /** Not retired, inside its validity window today, and its node's descriptor active. */
  isActive(e: ContactEntry): boolean {
    return isActive(e, this.#today(), this.#nodeActive);
  }

  contact(country: string, id: string): ContactEntry | undefined {
    return this.#index.contact(country, id);
  }

  profile(country: string): CountryEntry | undefined {
    return this.#index.profile(country);
  }

  search(q: Omit<SearchQuery, 'today'>): { hits: SearchHit[]; total: number } {
    return searchContacts(this.#index.contacts(), { ...q, today: this.#today() }, this.#nodeActive);
  }

  /**
   * The competent contact points of `country` for a cooperation request type, best first
   * (empty when none). Synchronous: it reads the node's cache, never the network.
   *
   * @example const [best] = registry.resolve('nationality_verification', 'UY'); // best?.id is the authority slug
   */
  resolve(requestKind: string, country: string, opts: { theme?: string } = {}): ContactEntry[] {
    if (!isRequestKind(requestKind) && !opts.theme) return [];
    const q: { country: string; requestKind?: RequestKind; theme?: Theme } = { country };
    if (isRequestKind(requestKind)) q.requestKind = requestKind;
    if (opts.theme && isTheme(opts.theme)) q.theme = opts.theme;
    else if (opts.theme) return [];
    return resolveContacts(this.#index.contactsOf(country), q, this.#today(), this.#nodeActive);
  }

  /** Log records of `country` (those touching entry `id` when given), newest first, before `beforeSeq`. */
  history(country: string, opts: { id?: string; beforeSeq?: number; limit: number }): HistoryRecord[] {
    return historyOf(this.#cache, country, opts);
  }

  /** Every node the trust store holds, with its descriptor, its log head and its contact points. */
  nodes(): NodeMembership[] {
    return membershipsOf(this.#deps.trust, this.#cache, this.#index, this.country);
  }

  rejected(limit: number): { records: RejectedRow[]; total: number } {
    return { records: this.#cache.rejected(limit), total: this.#cache.rejectedCount() };
  }

  headSeq(country: string): number {
    return this.#cache.head(country)?.seq ?? 0;
  }

  exportDirectory(format: TransferFormat, country: string, includeRetired: boolean): string {
    const contacts = this.#index.contactsOf(country).filter((e) => includeRetired || e.status === 'active');
    return exportDirectory(format, country, contacts, this.#index.profile(country)?.data);
  }
}
