import { createHash, type KeyObject } from 'node:crypto';
import { compactVerify } from 'jose';
import { Content, Envelope, EnvelopeHeader } from '../../generated/enlace/v1/envelope.js';
import { bytesEqual, EnvelopeRejectedError, getSodium, splitCompactJws, type RejectionCode } from '../../keys/index.js';
import { openSealedWith } from './sealed-box.js';
import { DEFAULT_MAX_ENVELOPE_BYTES, LANE_EPOCH, MAX_FUTURE_SKEW_MS, NONCE_BYTES, PROTOCOL_VERSION, UUID_V7, parseAddress } from './wire.js';

/** Where `open` finds sender keys: the trust store, or a fixed table in test vectors. */
export interface KeyResolver {
  verificationKey(country: string, kid: string, at: number): KeyObject;
}

export interface OpenContext {
  networkId: string;
  /** This node's country and the X25519 keys it holds, by key id. */
  me: { country: string; encryptionKeys: ReadonlyMap<string, { publicKey: Uint8Array; secretKey: Uint8Array }> };
  keys: KeyResolver;
  now: number;
  maxBytes?: number;
  /** Receives the detail of a rejection; never shown to the caller. */
  debug?: (code: RejectionCode, detail: string) => void;
}

export interface Opened {
  header: EnvelopeHeader;
  headerBytes: Uint8Array;
  body: Uint8Array;
  senderCountry: string;
  sha256: Uint8Array;
}

/**
 * Opens an envelope, checking in this order (docs/protocol.md §8): size, decoding,
 * version, network, profile (field formats, canonical encoding), expiry, future skew,
 * recipient, sender key, decryption, `alg`, signature, header copy. Any failure throws
 * EnvelopeRejectedError carrying only its code.
 *
 * @example
 * try { const { header, body } = await open(bytes, ctx); }
 * catch (e) { if (e instanceof EnvelopeRejectedError) quarantine(bytes, e.code); }
 */
export async function open(bytes: Uint8Array, ctx: OpenContext): Promise<Opened> {
  const reject = (code: RejectionCode, detail: string): never => {
    ctx.debug?.(code, detail);
    throw new EnvelopeRejectedError(code);
  };
  if (bytes.byteLength > (ctx.maxBytes ?? DEFAULT_MAX_ENVELOPE_BYTES)) reject('ERR_TOO_LARGE', `${bytes.byteLength} bytes`);

  const { envelope, header } = decodeOuter(bytes) ?? reject('ERR_MALFORMED', 'envelope or header does not decode');
  if (header.version !== PROTOCOL_VERSION) reject('ERR_UNSUPPORTED_VERSION', `version ${header.version}`);
  if (header.networkId !== ctx.networkId) reject('ERR_WRONG_NETWORK', header.networkId);
  const sender = parseAddress(header.from);
  if (
    !sender ||
    !UUID_V7.test(header.id) ||
    header.to.length === 0 ||
    header.to.length !== envelope.sealedKeys.length ||
    envelope.nonce.byteLength !== NONCE_BYTES ||
    header.to.some((r) => !parseAddress(r.address)) ||
    (header.laneSeq === 0 ? header.laneEpoch !== '' : !LANE_EPOCH.test(header.laneEpoch)) ||
    !isCanonical(bytes, envelope, header)
  ) {
    reject('ERR_MALFORMED', 'header fields out of profile');
  }
  if (header.expiresAt <= ctx.now) reject('ERR_EXPIRED', `expired at ${header.expiresAt}`);
  if (header.createdAt > ctx.now + MAX_FUTURE_SKEW_MS) reject('ERR_NOT_YET_VALID', `created at ${header.createdAt}`);

  const mine = header.to.findIndex((r) => parseAddress(r.address)?.country === ctx.me.country && ctx.me.encryptionKeys.has(r.keyId));
  if (mine < 0) reject('ERR_WRONG_RECIPIENT', 'no recipient entry for this node');
  // The key must be valid at created_at and not have expired by now: created_at is the sender's
  // claim, so checking it alone would let an expired key sign backdated envelopes. (max() keeps a
  // receiver whose clock is behind from rejecting a key that has only just started.)
  const verifyKey = ctx.keys.verificationKey(sender!.country, header.senderKeyId, header.createdAt);
  ctx.keys.verificationKey(sender!.country, header.senderKeyId, Math.max(header.createdAt, ctx.now));

  const myKey = ctx.me.encryptionKeys.get(header.to[mine]!.keyId)!;
  const sodium = await getSodium();
  const contentKey = openSealedWith(sodium, envelope.sealedKeys[mine]!, myKey.publicKey, myKey.secretKey);
  if (!contentKey || contentKey.byteLength !== 32) return reject('ERR_DECRYPT', 'sealed content key does not open');
  let jwsBytes: Uint8Array;
  try {
    jwsBytes = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, envelope.ciphertext, envelope.header, envelope.nonce, contentKey);
  } catch {
    return reject('ERR_DECRYPT', 'AEAD authentication failed');
  }

  const jws = new TextDecoder().decode(jwsBytes);
  // Step 11a: canonical base64url segments and a header without duplicate members, so that
  // `{"alg":"none",…,"alg":"EdDSA"}` or a re-encoded signature segment cannot read differently
  // here and in jose (which is last-wins and lenient on base64url).
  const { protectedHeader } = splitCompactJws(jws) ?? reject('ERR_BAD_SIGNATURE', 'not a JWS compact serialization of the profile');
  if (protectedHeader.alg !== 'EdDSA') reject('ERR_ALG_NOT_ALLOWED', `alg ${String(protectedHeader.alg)}`);
  if (protectedHeader.kid !== header.senderKeyId) reject('ERR_BAD_SIGNATURE', 'kid differs from sender_key_id');
  if ('crit' in protectedHeader) reject('ERR_BAD_SIGNATURE', 'JWS extensions (crit) are not allowed');
  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(jws, verifyKey, { algorithms: ['EdDSA'] }));
  } catch {
    return reject('ERR_BAD_SIGNATURE', 'signature does not verify');
  }

  let content: Content;
  try {
    content = Content.decode(payload);
  } catch {
    return reject('ERR_HEADER_MISMATCH', 'signed content does not decode');
  }
  if (!bytesEqual(content.header, envelope.header)) reject('ERR_HEADER_MISMATCH', 'outer header differs from the signed copy');

  return {
    header,
    headerBytes: envelope.header,
    body: content.body,
    senderCountry: sender!.country,
    sha256: new Uint8Array(createHash('sha256').update(bytes).digest()),
  };
}

/**
 * Envelope and header must be byte-identical to their canonical re-encoding (fields once, in
 * field-number order, defaults omitted, nothing unknown or trailing): exactly one byte string
 * is valid for an envelope, so its SHA-256 in a receipt is unambiguous, and parsers that
 * tolerate more than proto3 requires (a 0 tag ending the message, bad UTF-8) agree with strict ones.
 */
function isCanonical(bytes: Uint8Array, envelope: Envelope, header: EnvelopeHeader): boolean {
  return bytesEqual(Envelope.encode(envelope).finish(), bytes) && bytesEqual(EnvelopeHeader.encode(header).finish(), envelope.header);
}

/** Decodes the clear parts without any check; undefined when they do not decode. */
export function decodeOuter(bytes: Uint8Array): { envelope: Envelope; header: EnvelopeHeader } | undefined {
  try {
    const envelope = Envelope.decode(bytes);
    return { envelope, header: EnvelopeHeader.decode(envelope.header) };
  } catch {
    return undefined;
  }
}
