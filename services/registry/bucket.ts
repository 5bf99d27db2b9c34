import { StorageType } from '@nats-io/jetstream';
import { Kvm, type KV, type KvWatchEntry } from '@nats-io/kv';
import type { NatsConnection, QueuedIterator } from '@nats-io/transport-node';
import { registryBucket, registryLogKey, registryNodeKey } from '../transport/index.js';

/** Largest record the bucket takes (NATS' default max_payload is 1 MiB). */
export const MAX_RECORD_BYTES = 1_000_000;

/**
 * The registry's JetStream key-value bucket: `node.<CC>` holds a country's latest node
 * descriptor (anchor-signed), `log.<CC>.<seq>` record `seq` of its signed change log. Log
 * keys are written once (`create`), so a record is never silently replaced by its author.
 */
export class RegistryBucket {
  readonly kv: KV;

  private constructor(kv: KV) {
    this.kv = kv;
  }

  static async open(nc: NatsConnection, networkId: string): Promise<RegistryBucket> {
    const kv = await new Kvm(nc).create(registryBucket(networkId), {
      history: 10,
      storage: StorageType.File,
      maxValueSize: MAX_RECORD_BYTES,
      description: 'Enlace registry: node descriptors and signed contact-point change logs',
      timeout: 5_000,
    });
    return new RegistryBucket(kv);
  }

  /** Writes a new log record; `exists` when another record already holds that seq. */
  async createRecord(country: string, seq: number, jws: string): Promise<{ revision: number } | { exists: true }> {
    try {
      return { revision: await this.kv.create(registryLogKey(country, seq), jws) };
    } catch (e) {
      if ((await this.kv.get(registryLogKey(country, seq)))?.operation === 'PUT') return { exists: true };
      throw e;
    }
  }

  /**
   * Writes over a log key whose current value is not a valid record (never over a valid
   * one: the caller checks). Compare-and-set on the revision it saw; false if it changed.
   */
  async replaceRecord(country: string, seq: number, jws: string): Promise<{ revision: number } | undefined> {
    const current = await this.kv.get(registryLogKey(country, seq));
    try {
      return { revision: await this.kv.update(registryLogKey(country, seq), jws, current?.revision ?? 0) };
    } catch {
      return undefined;
    }
  }

  /** Every stored value of log record `seq` of `country`, newest first (a key keeps 10). */
  async recordCandidates(country: string, seq: number): Promise<{ jws: string; revision: number }[]> {
    const out: { jws: string; revision: number }[] = [];
    const it = await this.kv.history({ key: registryLogKey(country, seq) });
    for await (const e of it) {
      if (e.operation === 'PUT') out.push({ jws: e.string(), revision: e.revision });
    }
    return out.reverse();
  }

  /**
   * Publishes a descriptor unless the bucket already holds one with an equal or higher
   * serial (`serialOf` verifies a stored one; unverifiable ones are replaced).
   */
  async publishDescriptor(country: string, jws: string, serial: number, serialOf: (jws: string) => Promise<number | undefined>): Promise<boolean> {
    const key = registryNodeKey(country);
    const current = await this.kv.get(key);
    if (!current || current.operation !== 'PUT') {
      await this.kv.create(key, jws);
      return true;
    }
    const held = await serialOf(current.string());
    if (held !== undefined && held >= serial) return false;
    await this.kv.update(key, jws, current.revision);
    return true;
  }

  /** The bucket's last revision (0 when empty). */
  async lastRevision(): Promise<number> {
    const status = await this.kv.status();
    return status.streamInfo.state.last_seq;
  }

  /** Every key's value from `fromRevision` on (all current values when 0), then live changes. */
  watch(fromRevision: number): Promise<QueuedIterator<KvWatchEntry>> {
    return this.kv.watch({ key: '>', ...(fromRevision > 0 ? { resumeFromRevision: fromRevision } : {}) });
  }
}
