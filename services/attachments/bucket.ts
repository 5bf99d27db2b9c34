import { jetstream } from '@nats-io/jetstream';
import { Objm, StorageType, type ObjectInfo, type ObjectStore } from '@nats-io/obj';
import { nanos } from '@nats-io/transport-node';
import { EnlaceError } from '../../keys/index.js';
import { attachmentBucket, attachmentStream, foreignApiPrefix, stateAccount, type Transport } from '../transport/index.js';

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
 * Attachment ciphertexts of one direction (docs/protocol.md §18.4). Each pair of states has its
 * own JetStream object store in the recipient's account: only the sender can write it (the
 * recipient's account exports it to that sender alone), only the recipient can read it.
 * - `attachmentBucketOf(transport, net, to)`: what this node sends to `to` (writes only,
 *   through the API `to`'s account exports under `$JS.<to>.API`);
 * - `attachmentBucketOf(transport, net)`: what this node receives, from any sender (reads and
 *   deletes, in its own account).
 * Opened lazily on the node's NATS connection; one of each per transport.
 */
export class AttachmentBucket {
  readonly #transport: Transport;
  readonly #networkId: string;
  readonly #to: string | undefined;
  #stores: Promise<ObjectStore[]> | undefined;

  constructor(transport: Transport, networkId: string, to?: string) {
    this.#transport = transport;
    this.#networkId = networkId;
    this.#to = to;
  }

  /** The outgoing store (one), or every incoming store of this node (one per sender). */
  #open(): Promise<ObjectStore[]> {
    this.#stores ??= (async () => {
      const nc = await this.#transport.connection();
      const me = this.#transport.country;
      if (this.#to !== undefined) {
        const js = jetstream(nc, { timeout: 10_000, apiPrefix: foreignApiPrefix(stateAccount(this.#to)), checkAPI: false });
        return [await new Objm(js).open(attachmentBucket(this.#networkId, this.#to, me))];
      }
      const js = jetstream(nc, { timeout: 10_000 });
      const prefix = attachmentStream(this.#networkId, me, '');
      const names: string[] = [];
      for await (const name of (await js.jetstreamManager()).streams.names()) if (name.startsWith(prefix)) names.push(name.slice('OBJ_'.length));
      const objm = new Objm(js);
      return Promise.all(names.map((n) => objm.open(n, false)));
    })();
    this.#stores.catch(() => (this.#stores = undefined));
    return this.#stores;
  }

  /** The store that holds `name` (the first one that does), or undefined. */
  async #holding(name: string): Promise<{ os: ObjectStore; info: ObjectInfo } | undefined> {
    // Incoming: listed again each time, since a sender's bucket may have been created meanwhile.
    if (this.#to === undefined) this.#stores = undefined;
    for (const os of await this.#open()) {
      const info = await os.info(name);
      if (info && !info.deleted) return { os, info };
    }
    return undefined;
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
        const [os] = await this.#open();
        await os!.putBlob({ name, options: { max_chunk_size: OBJECT_CHUNK_BYTES } }, bytes, { timeout: 10_000 });
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
    const held = await this.#holding(name);
    if (!held) return { ok: false, detail: `object ${name} is missing` };
    const { os, info } = held;
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
    const held = await this.#holding(name);
    if (held) await held.os.delete(name);
  }
}

/**
 * Creates (or confirms) the buckets this node receives attachments in, one per sender, in
 * its own account: max age ATTACHMENT_MAX_AGE_MS, the transport's replicas. Idempotent.
 */
export async function ensureAttachmentBuckets(transport: Transport, networkId: string, senders: readonly string[]): Promise<void> {
  const nc = await transport.connection();
  const objm = new Objm(jetstream(nc, { timeout: 10_000 }));
  for (const from of senders) {
    if (from === transport.country) continue;
    await objm.create(attachmentBucket(networkId, transport.country, from), {
      description: `Enlace attachments from ${from}: secretstream ciphertext only, keys travel in the signed request`,
      storage: StorageType.File,
      ttl: nanos(ATTACHMENT_MAX_AGE_MS),
      replicas: transport.replicas,
    });
  }
}

const buckets = new WeakMap<Transport, Map<string, AttachmentBucket>>();

/**
 * The attachments this node sends to `to` (when given) or receives from anyone (when not),
 * on `transport`'s connection: one of each per transport, opened on first use.
 */
export function attachmentBucketOf(transport: Transport, networkId: string, to?: string): AttachmentBucket {
  let byPeer = buckets.get(transport);
  if (!byPeer) buckets.set(transport, (byPeer = new Map()));
  const key = to ?? '';
  let b = byPeer.get(key);
  if (!b) byPeer.set(key, (b = new AttachmentBucket(transport, networkId, to)));
  return b;
}
