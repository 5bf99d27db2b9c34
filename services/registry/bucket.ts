import { jetstream, jetstreamManager, StorageType, type JetStreamClient } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { Msg, NatsConnection } from '@nats-io/transport-node';
import { EnlaceError } from '../../keys/index.js';
import { classifyNatsError, foreignApiPrefix, NETWORK_ACCOUNT, registryBucket, registryKeySubject, registryLogKey, registryNodeKey, registryStatsKey, registryStream } from '../transport/index.js';

/** Largest record the bucket takes (NATS' default max_payload is 1 MiB). */
export const MAX_RECORD_BYTES = 1_000_000;
/** Values a key keeps (the bucket's history). */
const HISTORY = 10;
/** How often the watch asks for values written after the last one it saw. */
const WATCH_POLL_MS = 200;
const TIMEOUT_MS = 5_000;

/** One stored value of the bucket, as the watch hands it over. */
export interface RegistryValue {
  key: string;
  revision: number;
  operation: 'PUT' | 'DEL' | 'PURGE';
  string(): string;
}

/** The watch: values in revision order, then new ones as they come, until `stop`. */
export interface RegistryWatch extends AsyncIterable<RegistryValue> {
  stop(): void;
}

/**
 * Creates the registry bucket: done once by whoever sets up the network (`enlace network
 * init`, connected as the network account's user), never by a node. Idempotent.
 */
export async function createRegistryBucket(nc: NatsConnection, networkId: string, replicas = 1): Promise<void> {
  await new Kvm(nc).create(registryBucket(networkId), {
    history: HISTORY,
    storage: StorageType.File,
    maxValueSize: MAX_RECORD_BYTES,
    replicas,
    description: 'Enlace registry: node descriptors and signed contact-point change logs',
    timeout: TIMEOUT_MS,
  });
}

const decoder = new TextDecoder();

/**
 * The registry's JetStream key-value bucket, in the network account: `node.<CC>` holds a
 * country's latest node descriptor (anchor-signed), `log.<CC>.<seq>` record `seq` of its
 * signed change log. A node reads every key through the direct-get API the network account
 * exports to it, and writes only its own keys (the broker refuses the others). Log keys are
 * written once (expected last sequence 0), so a record is never silently replaced by its author.
 */
export class RegistryBucket {
  readonly #nc: NatsConnection;
  readonly #js: JetStreamClient;
  readonly #networkId: string;
  readonly #api: string;

  private constructor(nc: NatsConnection, networkId: string) {
    this.#nc = nc;
    this.#js = jetstream(nc, { timeout: TIMEOUT_MS });
    this.#networkId = networkId;
    this.#api = foreignApiPrefix(NETWORK_ACCOUNT);
  }

  /** Opens the bucket; ERR_UNAVAILABLE naming `enlace network init` when it is not there. */
  static async open(nc: NatsConnection, networkId: string): Promise<RegistryBucket> {
    const b = new RegistryBucket(nc, networkId);
    try {
      await b.lastRevision();
    } catch (e) {
      throw new EnlaceError('ERR_UNAVAILABLE', `the registry bucket ${registryBucket(networkId)} cannot be read: it is created once for the network with 'enlace network init'`, { cause: e });
    }
    return b;
  }

  #stream(): string {
    return registryStream(this.#networkId);
  }

  #keyOf(subject: string): string {
    return subject.slice(registryKeySubject(this.#networkId, '').length);
  }

  /** One direct get (by sequence with a subject filter, or the last of a subject); undefined when there is none. */
  async #get(query: { seq: number; next_by_subj: string } | { last_by_subj: string }): Promise<RegistryValue | undefined> {
    const r: Msg = await this.#nc.request(`${this.#api}.DIRECT.GET.${this.#stream()}`, JSON.stringify(query), { timeout: TIMEOUT_MS });
    const code = r.headers?.code ?? 0;
    if (code === 404) return undefined;
    if (code !== 0 || !r.headers) throw new EnlaceError('ERR_UNAVAILABLE', `registry read failed (${code} ${r.headers?.description ?? ''})`);
    const h = r.headers;
    const op = h.get('KV-Operation');
    const data = r.data;
    return {
      key: this.#keyOf(h.get('Nats-Subject')),
      revision: Number(h.get('Nats-Sequence')),
      operation: op === 'DEL' || op === 'PURGE' ? op : 'PUT',
      string: () => decoder.decode(data),
    };
  }

  async #current(key: string): Promise<RegistryValue | undefined> {
    return this.#get({ last_by_subj: registryKeySubject(this.#networkId, key) });
  }

  /** Writes `key` if its last revision is `expected` (0: never written); the new revision. */
  async #put(key: string, value: string, expected: number): Promise<number> {
    const ack = await this.#js.publish(registryKeySubject(this.#networkId, key), value, { expect: { lastSubjectSequence: expected }, timeout: TIMEOUT_MS });
    return ack.seq;
  }

  /** Writes a new log record; `exists` when another record already holds that seq. */
  async createRecord(country: string, seq: number, jws: string): Promise<{ revision: number } | { exists: true }> {
    const key = registryLogKey(country, seq);
    try {
      return { revision: await this.#put(key, jws, 0) };
    } catch (e) {
      if (classifyNatsError(e) === 'wrong-last-sequence' && (await this.#current(key))?.operation === 'PUT') return { exists: true };
      throw e;
    }
  }

  /**
   * Writes over a log key whose current value is not a valid record (never over a valid
   * one: the caller checks). Compare-and-set on the revision it saw; undefined if it changed.
   */
  async replaceRecord(country: string, seq: number, jws: string): Promise<{ revision: number } | undefined> {
    const key = registryLogKey(country, seq);
    const current = await this.#current(key);
    try {
      return { revision: await this.#put(key, jws, current?.revision ?? 0) };
    } catch (e) {
      if (classifyNatsError(e) === 'wrong-last-sequence') return undefined;
      throw e;
    }
  }

  /** Every stored value of log record `seq` of `country`, newest first (a key keeps 10). */
  async recordCandidates(country: string, seq: number): Promise<{ jws: string; revision: number }[]> {
    const subject = registryKeySubject(this.#networkId, registryLogKey(country, seq));
    const out: { jws: string; revision: number }[] = [];
    for (let from = 1; ;) {
      const v = await this.#get({ seq: from, next_by_subj: subject });
      if (!v) break;
      if (v.operation === 'PUT') out.push({ jws: v.string(), revision: v.revision });
      from = v.revision + 1;
    }
    return out.reverse();
  }

  /**
   * Publishes this country's descriptor unless the bucket already holds one with an equal or
   * higher serial (`serialOf` verifies a stored one; unverifiable ones are replaced). The
   * broker takes only the node's own `node.<CC>`; the others' fail and are left to them.
   */
  async publishDescriptor(country: string, jws: string, serial: number, serialOf: (jws: string) => Promise<number | undefined>): Promise<boolean> {
    const key = registryNodeKey(country);
    const current = await this.#current(key);
    if (!current || current.operation !== 'PUT') {
      await this.#put(key, jws, current?.revision ?? 0);
      return true;
    }
    const held = await serialOf(current.string());
    if (held !== undefined && held >= serial) return false;
    await this.#put(key, jws, current.revision);
    return true;
  }

  /** Writes this country's aggregate record of a quarter (docs/protocol.md §27.4); a later one replaces it. */
  async putStats(country: string, quarter: string, jws: string): Promise<number> {
    return (await this.#js.publish(registryKeySubject(this.#networkId, registryStatsKey(country, quarter)), jws, { timeout: TIMEOUT_MS })).seq;
  }

  /** The bucket's last revision (0 when empty). */
  async lastRevision(): Promise<number> {
    const jsm = await jetstreamManager(this.#nc, { apiPrefix: this.#api, checkAPI: false, timeout: TIMEOUT_MS });
    return (await jsm.streams.info(this.#stream())).state.last_seq;
  }

  /**
   * Every key's value from `fromRevision` on (all values when 0), then live changes: direct
   * gets of the next revision, polled when there is none yet (the network account exports no
   * consumers, so nothing of a reader lives in it).
   */
  async watch(fromRevision: number): Promise<RegistryWatch> {
    const all = `${registryKeySubject(this.#networkId, '')}>`;
    let stopped = false;
    let wake: (() => void) | undefined;
    const get = (seq: number) => this.#get({ seq, next_by_subj: all });
    async function* values(): AsyncGenerator<RegistryValue> {
      let next = Math.max(1, fromRevision);
      while (!stopped) {
        const v = await get(next);
        if (v) {
          next = v.revision + 1;
          yield v;
          continue;
        }
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, WATCH_POLL_MS);
        });
      }
    }
    const it = values();
    return {
      stop: () => {
        stopped = true;
        wake?.();
      },
      [Symbol.asyncIterator]: () => it,
    };
  }
}
