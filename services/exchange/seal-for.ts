import { createHash } from 'node:crypto';
import { currentKeySet } from '../../keys/index.js';
import { encodeReceipt, KIND, parseAddress, seal, sealNow, type ReceiptFacts, type SealInput } from '../envelope/index.js';
import { nextLaneSeq } from '../store/index.js';
import type { ExchangeDeps } from './deps.js';

/** An envelope sealed by this node, ready for the outbox. */
export interface Outgoing {
  id: string;
  /** The destination country (the inbox it is published to). */
  to: string;
  kind: string;
  bytes: Uint8Array;
  sha256: Uint8Array;
}

/**
 * Seals `body` to `address` (a country, or COUNTRY/authority) with this node's current
 * signing key and the recipient's current encryption key from the trust store, valid for
 * the configured envelope lifetime. The one way this node seals anything it sends.
 *
 * @example const out = await sealFor(deps, 'UY', KIND.status, StatusUpdate.encode(update).finish());
 *          store.enqueue({ envelopeId: out.id, destination: out.to, kind: out.kind, bytes: out.bytes, ... });
 */
export async function sealFor(deps: ExchangeDeps, address: string, kind: string, body: Uint8Array, opts: { id?: string; now?: number } = {}): Promise<Outgoing> {
  const { input, country } = sealInput(deps, address, kind, body, opts);
  return outgoing(await seal(input), country, kind);
}

/**
 * Seals `body` to `address` at the next position of this node's lane to that country
 * (docs/protocol.md §24): call it inside the store transaction that puts the envelope in the
 * outbox, so that positions follow commit order and a rollback leaves no gap. Every envelope
 * that expects a receipt is sealed this way; receipts are not on a lane (`sealFor`).
 *
 * @example store.tx(() => { const out = sealOnLane(deps, 'UY', KIND.status, body);
 *            store.enqueue({ envelopeId: out.id, destination: out.to, kind: out.kind, bytes: out.bytes, ... }); });
 */
export function sealOnLane(deps: ExchangeDeps, address: string, kind: string, body: Uint8Array, opts: { id?: string; now?: number } = {}): Outgoing {
  const { input, country } = sealInput(deps, address, kind, body, opts);
  return outgoing(sealNow({ ...input, lane: nextLaneSeq(deps.store, country) }), country, kind);
}

function sealInput(deps: ExchangeDeps, address: string, kind: string, body: Uint8Array, opts: { id?: string; now?: number }): { input: SealInput; country: string } {
  const now = opts.now ?? deps.clock.now();
  const country = parseAddress(address)?.country ?? address;
  const recipient = deps.trust.encryptionKeys(country, now)[0]!;
  const signer = currentKeySet(deps.ring).signing;
  const input: SealInput = {
    networkId: deps.networkId,
    from: deps.country,
    to: [{ address, keyId: recipient.kid, publicKey: recipient.publicKey }],
    kind,
    body,
    signer: { kid: signer.kid, privateKey: signer.privateKey },
    now,
    ...(opts.id ? { id: opts.id } : {}),
    expiresAt: now + deps.settings.envelopeTtlMs,
  };
  return { input, country };
}

function outgoing(sealed: { header: { id: string }; bytes: Uint8Array }, country: string, kind: string): Outgoing {
  return { id: sealed.header.id, to: country, kind, bytes: sealed.bytes, sha256: sha256(sealed.bytes) };
}

/** A signed receipt (acceptance or rejection) for `peer`. */
export function sealReceiptFor(deps: ExchangeDeps, peer: string, facts: ReceiptFacts): Promise<Outgoing> {
  return sealFor(deps, peer, KIND.receipt, encodeReceipt(facts));
}

export function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(bytes).digest());
}
