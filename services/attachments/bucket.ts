import { jetstream } from '@nats-io/jetstream';
import { Objm, StorageType, type ObjectStore } from '@nats-io/obj';
import { nanos } from '@nats-io/transport-node';
import { EnlaceError } from '../../keys/index.js';
import { attachmentBucket, type Transport } from '../transport/index.js';

/**
 * Objects live at most this long (the bucket's max age): longer than an envelope's default
 * lifetime (7 days), after which the request that names them is rejected as expired anyway.
 * Receivers delete what they have committed; the max age removes the rest (rejected,
 * never delivered, or orphaned by a failed submit).
 */
export const ATTACHMENT_MAX_AGE_MS = 8 * 24 * 3600_000;
/** Chunk size of the objects on NATS (clamped by the client to the server's max_payload). */
const OBJECT_CHUNK_BYTES = 1024 * 1024;

/** What a fetch found: the object's bytes, or why it cannot be the attachment the request names. */
export type Fetched = { ok: true; bytes: Uint8Array } | { ok: false; detail: string };

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const TIMEOUT = Symbol('timeout');

/** Runs `p` but gives up after `ms`: the result then is TIMEOUT (p goes on, ignored). */
async function within<T>(p: Promise<T>, ms: number): Promise<T | typeof TIMEOUT> {
  let timer: NodeJS.Timeout | undefined;
  p.catch(() => {});
  try {
    return await Promise.race([p, new Promise<typeof TIMEOUT>((r) => (timer = setTimeout(() => r(TIMEOUT), Math.max(0, ms))))]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The network's attachment bucket: a JetStream object store shared by the nodes, holding
 * only ciphertext. Opened lazily on the node's NATS connection; one per transport.
 */
export class AttachmentBucket {
  readonly #transport: Transport;
  readonly #networkId: string;
  #store: Promise<ObjectStore> | undefined;

  constructor(transport: Transport, networkId: string) {
    this.#transport = transport;
    this.#networkId = networkId;
  }

  #open(): Promise<ObjectStore> {
    this.#store ??= (async () => {
      const nc = await this.#transport.connection();
      return new Objm(jetstream(nc, { timeout: 10_000 })).create(attachmentBucket(this.#networkId), {
        description: 'Enlace attachments: secretstream ciphertext only, keys travel in the signed request',
        storage: StorageType.File,
        ttl: nanos(ATTACHMENT_MAX_AGE_MS),
      });
    })();
    this.#store.catch(() => (this.#store = undefined));
    return this.#store;
  }

  /**
   * Stores `bytes` under `name`, retrying while NATS is unreachable, for at most `timeoutMs`;
   * then fails with ERR_UNAVAILABLE (never blocks a submit for longer than that).
   */
  async put(name: string, bytes: Uint8Array, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let pause = 200;
    let last: unknown;
    while (Date.now() < deadline) {
      const attempt = (async () => {
        const os = await this.#open();
        await os.putBlob({ name, options: { max_chunk_size: OBJECT_CHUNK_BYTES } }, bytes, { timeout: 10_000 });
      })();
      const done = await within(attempt.then(() => true as const, (e: unknown) => ((last = e), false as const)), deadline - Date.now());
      if (done === true) return;
      if (done === TIMEOUT) break;
      await sleep(Math.min(pause, Math.max(0, deadline - Date.now())));
      pause = Math.min(pause * 2, 2_000);
    }
    throw new EnlaceError('ERR_UNAVAILABLE', `cannot store the attachments in JetStream (NATS unreachable for ${Math.round(timeoutMs / 1000)} s); nothing was submitted, try again`, { cause: last });
  }

  /**
   * Fetches `name`, which must hold exactly `expectedBytes` bytes. Resolves `ok: false` when the
   * object is missing, has another size or is corrupt in the store (the request is then
   * invalid); throws when NATS fails or is too slow (the caller retries later).
   */
  async fetch(name: string, expectedBytes: number, timeoutMs: number): Promise<Fetched> {
    const got = await within(this.#fetch(name, expectedBytes), timeoutMs);
    if (got === TIMEOUT) throw new Error(`fetching object ${name} took longer than ${timeoutMs} ms`);
    return got;
  }

  async #fetch(name: string, expectedBytes: number): Promise<Fetched> {
    const os = await this.#open();
    const info = await os.info(name);
    if (!info || info.deleted) return { ok: false, detail: `object ${name} is missing` };
    if (info.size !== expectedBytes) return { ok: false, detail: `object ${name} has ${info.size} bytes, not ${expectedBytes}` };
    let bytes: Uint8Array | null;
    try {
      bytes = await os.getBlob(name);
    } catch (e) {
      // The client compares the chunks with the digest in the object's metadata.
      if (e instanceof Error && /digests do not match/.test(e.message)) return { ok: false, detail: `object ${name} is corrupt in the store` };
      throw e;
    }
    return bytes ? { ok: true, bytes } : { ok: false, detail: `object ${name} is missing` };
  }

  /** Deletes `name` (nothing when it is not there). */
  async delete(name: string): Promise<void> {
    const os = await this.#open();
    await os.delete(name);
  }
}

const buckets = new WeakMap<Transport, AttachmentBucket>();

/** The attachment bucket on `transport`'s connection (one per transport, created on first use). */
export function attachmentBucketOf(transport: Transport, networkId: string): AttachmentBucket {
  let b = buckets.get(transport);
  if (!b) {
    b = new AttachmentBucket(transport, networkId);
    buckets.set(transport, b);
  }
  return b;
}
