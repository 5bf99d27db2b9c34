import type { KeyObject } from 'node:crypto';
import type { PinnedAnchor } from './anchor.js';
import { verifyDescriptor, type DescriptorKey, type NodeDescriptor } from './descriptor.js';
import { EnlaceError, EnvelopeRejectedError } from './errors.js';
import { ed25519PublicKeyObject, rawPublicKey } from './jwk.js';

interface Entry {
  descriptor: NodeDescriptor;
  jws: string;
  verifyKeys: Map<string, KeyObject>;
}

export interface EncryptionKey {
  kid: string;
  publicKey: Uint8Array;
}

/**
 * The node's view of the network: the pinned anchor and every descriptor that verified
 * against it. Keys are always looked up here, never taken from a message.
 */
export class TrustStore {
  readonly anchor: PinnedAnchor;
  readonly #entries = new Map<string, Entry>();

  constructor(anchor: PinnedAnchor) {
    this.anchor = anchor;
  }

  get networkId(): string {
    return this.anchor.networkId;
  }

  /** Verifies and adds a descriptor. An older serial never replaces a newer one. */
  async add(jws: string): Promise<NodeDescriptor> {
    const descriptor = await verifyDescriptor(jws, this.anchor);
    const existing = this.#entries.get(descriptor.country);
    if (existing && existing.descriptor.serial > descriptor.serial) {
      throw new EnlaceError('ERR_DESCRIPTOR_INVALID', `node descriptor rejected: serial ${descriptor.serial} is older than ${existing.descriptor.serial} for ${descriptor.country}`);
    }
    if (existing && existing.descriptor.serial === descriptor.serial) return existing.descriptor;
    const verifyKeys = new Map<string, KeyObject>();
    for (const key of descriptor.keys) {
      if (key.use === 'sig') verifyKeys.set(key.kid, ed25519PublicKeyObject(rawPublicKey(key.jwk)));
    }
    this.#entries.set(descriptor.country, { descriptor, jws, verifyKeys });
    return descriptor;
  }

  descriptor(country: string): NodeDescriptor | undefined {
    return this.#entries.get(country)?.descriptor;
  }

  descriptorJws(country: string): string | undefined {
    return this.#entries.get(country)?.jws;
  }

  countries(): string[] {
    return [...this.#entries.keys()].sort();
  }

  /**
   * The verification key `kid` of `country`, checked for status and validity at `at`.
   * Failures are envelope rejections: ERR_UNKNOWN_KEY, ERR_KEY_REVOKED, ERR_KEY_NOT_VALID.
   */
  verificationKey(country: string, kid: string, at: number): KeyObject {
    const entry = this.#entries.get(country);
    const key = entry?.descriptor.keys.find((k) => k.kid === kid && k.use === 'sig');
    if (!entry || !key) throw new EnvelopeRejectedError('ERR_UNKNOWN_KEY');
    if (entry.descriptor.status !== 'active' || key.status !== 'active') throw new EnvelopeRejectedError('ERR_KEY_REVOKED');
    if (!inWindow(entry.descriptor, key, at)) throw new EnvelopeRejectedError('ERR_KEY_NOT_VALID');
    return entry.verifyKeys.get(kid)!;
  }

  /** The encryption keys to seal to for `country` at `at`: every active one in its window, newest first. */
  encryptionKeys(country: string, at: number): EncryptionKey[] {
    const entry = this.#entries.get(country);
    if (!entry) throw new EnlaceError('ERR_UNKNOWN_NODE', `no trusted descriptor for ${country}`);
    if (entry.descriptor.status !== 'active') throw new EnlaceError('ERR_UNKNOWN_NODE', `node ${country} is ${entry.descriptor.status}`);
    const keys = entry.descriptor.keys.filter((k) => k.use === 'enc' && k.status === 'active' && inWindow(entry.descriptor, k, at)).sort((a, b) => b.notBefore - a.notBefore);
    if (keys.length === 0) throw new EnlaceError('ERR_UNKNOWN_NODE', `node ${country} has no valid encryption key`);
    return keys.map((k) => ({ kid: k.kid, publicKey: rawPublicKey(k.jwk) }));
  }
}

function inWindow(d: NodeDescriptor, k: DescriptorKey, at: number): boolean {
  return at >= d.validFrom && at < d.validUntil && at >= k.notBefore && at < k.notAfter;
}
