/**
 * The tools the envelope vectors are made with (scripts/vectors/envelopes.ts): the fixed clock
 * and network, labelled deterministic seeds, the nodes' key plans, and the hand-made seal
 * pipeline (`craft`) for envelopes that `seal` refuses to make.
 */
import { createHash, sign, type KeyObject } from 'node:crypto';
import { Content, Envelope, EnvelopeHeader, RequestBody } from '../../generated/enlace/v1/envelope.js';
import { b64u, getSodium, type NodeKeySet, type NodeStatus, type RejectionCode } from '../../keys/index.js';
import { sealTo, type SealInput } from '../../services/envelope/index.js';

export const NETWORK_ID = 'enlace-vectors';
export const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
export const MIN = 60_000;
export const DAY = 86_400_000;
export const VALID_DAYS = 365;

/** 32 bytes that depend only on `label`. */
export const seed = (label: string): Uint8Array => new Uint8Array(createHash('sha256').update(`enlace test vector ${label}`).digest());
export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
export const sha256 = (bytes: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(bytes).digest());

export interface NodePlan {
  country: string;
  note: string;
  generations: number[];
  status?: NodeStatus;
  revokedGenerations?: number[];
  serial?: number;
}

export const PLANS: NodePlan[] = [
  { country: 'AR', generations: [NOW - 300 * DAY, NOW - 30 * DAY], note: 'two key generations inside their overlap: both verify, generation 2 is current' },
  { country: 'UY', generations: [NOW - 100 * DAY], note: 'one key generation' },
  { country: 'CL', generations: [NOW - 200 * DAY, NOW - 20 * DAY], revokedGenerations: [1], serial: 2, note: 'generation 1 keys revoked (descriptor serial 2), generation 2 active' },
  { country: 'BR', generations: [NOW - 400 * DAY, NOW - 60 * DAY], note: `generation 1 keys expired at now - 35 days (notAfter = createdAt + ${VALID_DAYS} days)` },
  { country: 'PY', generations: [NOW - 50 * DAY], status: 'suspended', note: 'node suspended by the anchor' },
];

export interface Node {
  plan: NodePlan;
  sets: NodeKeySet[];
}

export type Random = NonNullable<SealInput['fixedRandom']>;

export function randomFor(label: string, recipients: number): Random {
  return {
    idRandom: seed(`case ${label} id`).slice(0, 10),
    contentKey: seed(`case ${label} content key`),
    nonce: seed(`case ${label} nonce`).slice(0, 24),
    ephemeral: Array.from({ length: recipients }, (_, i) => seed(`case ${label} ephemeral ${i}`)),
  };
}

/** A compact JWS built by hand: BASE64URL(UTF8(protected)) '.' BASE64URL(payload) '.' BASE64URL(signature). */
export function compactJws(protectedHeader: Record<string, unknown>, payload: Uint8Array, signer: (input: Buffer) => Uint8Array): string {
  const input = `${b64u(utf8(JSON.stringify(protectedHeader)))}.${b64u(payload)}`;
  return `${input}.${b64u(signer(Buffer.from(input, 'ascii')))}`;
}
export const ed25519 = (key: KeyObject) => (input: Buffer) => new Uint8Array(sign(null, input, key));

export interface Craft {
  label: string;
  header: EnvelopeHeader;
  /** Exact header bytes, when they must not be the canonical encoding of `header`. */
  headerBytes?: Uint8Array;
  body: Uint8Array;
  signer: { kid: string; privateKey: KeyObject };
  /** X25519 public keys to seal the content key to, one per sealed key. */
  sealTo: Uint8Array[];
  /** Replaces the JWS (given the Content bytes that would be signed). */
  jws?: (content: Uint8Array) => string;
}

/** The seal pipeline without seal's guards: Content, JWS, XChaCha20-Poly1305 with the header as AAD, sealed boxes. */
export async function craft(c: Craft): Promise<{ bytes: Uint8Array; jws: string }> {
  const sodium = await getSodium();
  const headerBytes = c.headerBytes ?? EnvelopeHeader.encode(c.header).finish();
  const content = Content.encode({ header: headerBytes, body: c.body }).finish();
  const jws = c.jws ? c.jws(content) : compactJws({ alg: 'EdDSA', kid: c.signer.kid }, content, ed25519(c.signer.privateKey));
  const r = randomFor(c.label, c.sealTo.length);
  const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(utf8(jws), headerBytes, null, r.nonce, r.contentKey);
  const sealedKeys = await Promise.all(c.sealTo.map((pk, i) => sealTo(r.contentKey, pk, r.ephemeral[i])));
  return { bytes: Envelope.encode({ header: headerBytes, nonce: r.nonce, ciphertext, sealedKeys }).finish(), jws };
}

/** Re-encodes an envelope after `edit` changed its decoded parts. */
export function edit(bytes: Uint8Array, change: (e: Envelope) => void): Uint8Array {
  const e = Envelope.decode(bytes);
  const copy: Envelope = { header: e.header.slice(), nonce: e.nonce.slice(), ciphertext: e.ciphertext.slice(), sealedKeys: e.sealedKeys.map((k) => k.slice()) };
  change(copy);
  return Envelope.encode(copy).finish();
}

export function flip(bytes: Uint8Array, at: number): void {
  bytes[at] = bytes[at]! ^ 0x01;
}

export interface CaseOut {
  name: string;
  /** The spec section the case tests (for the cases of the first edition, envelope-sections.ts gives it). */
  section?: string;
  description: string;
  valid: boolean;
  error?: RejectionCode;
  recipient: string;
  maxBytes?: number;
  envelope: string;
  expected?: Record<string, unknown>;
}

export function requestBody(n: number, subject: string): Uint8Array {
  return RequestBody.encode({
    requestKind: 'nationality-verification',
    toAuthority: '',
    subject,
    payload: utf8(JSON.stringify({ testVector: n, note: 'synthetic test data, no real person' })),
    payloadType: 'application/json',
    senderReference: `TV-${String(n).padStart(4, '0')}`,
    urgency: '',
    attachments: [],
    links: undefined,
  }).finish();
}

export function headerJson(h: EnvelopeHeader): Record<string, unknown> {
  return {
    version: h.version,
    networkId: h.networkId,
    id: h.id,
    from: h.from,
    to: h.to.map((r) => ({ address: r.address, keyId: r.keyId })),
    kind: h.kind,
    createdAt: h.createdAt,
    expiresAt: h.expiresAt,
    senderKeyId: h.senderKeyId,
  };
}

/** The same bytes in a non-canonical base64url text: the lowest unused bit of the last character set. */
export function withTrailingBit(segment: string): string {
  const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  if (segment.length % 4 === 0) throw new Error('a segment of length 0 modulo 4 has no unused bits');
  const last = ALPHABET.indexOf(segment.at(-1)!);
  const changed = segment.slice(0, -1) + ALPHABET[last | 1];
  if (changed === segment || Buffer.from(changed, 'base64url').toString('base64url') !== segment) throw new Error('withTrailingBit changed the bytes');
  return changed;
}

export function fromB64uStrict(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64url'));
}

/** The payload (Content bytes) of a compact JWS. */
export function contentOf(jws: string): Uint8Array {
  return new Uint8Array(Buffer.from(jws.split('.')[1]!, 'base64url'));
}
