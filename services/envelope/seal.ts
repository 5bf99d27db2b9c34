import { randomBytes, sign, type KeyObject } from 'node:crypto';
import { Content, Envelope, EnvelopeHeader } from '../../generated/enlace/v1/envelope.js';
import { getSodium, sodiumNow, type Sodium } from '../../keys/index.js';
import { sealToWith } from './sealed-box.js';
import { uuidv7 } from './uuid.js';
import { CONTENT_KEY_BYTES, DEFAULT_TTL_MS, NONCE_BYTES, PROTOCOL_VERSION } from './wire.js';

export interface SealRecipient {
  address: string;
  keyId: string;
  publicKey: Uint8Array;
}

export interface SealInput {
  networkId: string;
  from: string;
  to: SealRecipient[];
  kind: string;
  body: Uint8Array;
  signer: { kid: string; privateKey: KeyObject };
  now: number;
  id?: string;
  expiresAt?: number;
  /** The envelope's position on its sender->recipient lane (docs/protocol.md §24); absent = not on a lane. */
  lane?: { seq: number; epoch: string };
  /** Fixed randomness, for test vectors only: content key, nonce, one ephemeral secret per recipient. */
  fixedRandom?: { contentKey: Uint8Array; nonce: Uint8Array; ephemeral: Uint8Array[]; idRandom: Uint8Array };
  /**
   * Replaces the signature step (docs/protocol.md §6): the JWS bytes to encrypt, built from the
   * serialized Content and header. For the conformance kit's tampered envelopes only; a node never sets it.
   */
  jws?: (content: Uint8Array, headerBytes: Uint8Array) => Uint8Array;
}

export interface Sealed {
  bytes: Uint8Array;
  header: EnvelopeHeader;
  headerBytes: Uint8Array;
}

/**
 * Seals a message: sign (JWS, EdDSA) a Content holding the header bytes and the body,
 * encrypt the JWS with XChaCha20-Poly1305 under a fresh content key with the header
 * bytes as associated data, and seal the content key to each recipient's X25519 key.
 *
 * @example
 * const { bytes } = await seal({ networkId: 'enlace-demo', from: 'AR', kind: 'request',
 *   to: [{ address: 'UY', keyId: uy.kid, publicKey: uy.publicKey }],
 *   body, signer: { kid: ar.signing.kid, privateKey: ar.signing.privateKey }, now: Date.now() });
 */
export async function seal(input: SealInput): Promise<Sealed> {
  return sealWith(await getSodium(), input);
}

/**
 * `seal`, synchronously: for sealing inside a store transaction, where the lane position is
 * assigned (libsodium must be initialised; every node is once its keys are loaded).
 *
 * @example const { bytes } = sealNow({ ...input, lane: { seq: 7, epoch } });
 */
export function sealNow(input: SealInput): Sealed {
  return sealWith(sodiumNow(), input);
}

function sealWith(sodium: Sodium, input: SealInput): Sealed {
  if (input.to.length === 0) throw new TypeError('seal needs at least one recipient');
  const random = input.fixedRandom ?? freshRandom(input.to.length);
  const header: EnvelopeHeader = {
    version: PROTOCOL_VERSION,
    networkId: input.networkId,
    id: input.id ?? uuidv7(input.now, random.idRandom),
    from: input.from,
    to: input.to.map((r) => ({ address: r.address, keyId: r.keyId })),
    kind: input.kind,
    createdAt: input.now,
    expiresAt: input.expiresAt ?? input.now + DEFAULT_TTL_MS,
    senderKeyId: input.signer.kid,
    laneSeq: input.lane?.seq ?? 0,
    laneEpoch: input.lane?.epoch ?? '',
  };
  const headerBytes = EnvelopeHeader.encode(header).finish();
  const content = Content.encode({ header: headerBytes, body: input.body }).finish();
  const jws = input.jws ? input.jws(content, headerBytes) : signCompact(content, input.signer);
  const { contentKey, nonce } = random;
  const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(jws, headerBytes, null, nonce, contentKey);
  const sealedKeys = input.to.map((r, i) => sealToWith(sodium, contentKey, r.publicKey, random.ephemeral[i]));
  const bytes = Envelope.encode({ header: headerBytes, nonce, ciphertext, sealedKeys }).finish();
  return { bytes, header, headerBytes };
}

/** All the randomness one seal needs, from one node:crypto call (never libsodium's slow randombytes). */
function freshRandom(recipients: number): NonNullable<SealInput['fixedRandom']> {
  const ID_RANDOM_BYTES = 10;
  const pool = randomBytes(ID_RANDOM_BYTES + CONTENT_KEY_BYTES + NONCE_BYTES + 32 * recipients);
  let at = 0;
  const take = (n: number): Uint8Array => new Uint8Array(pool.buffer, pool.byteOffset + (at += n) - n, n);
  return {
    idRandom: take(ID_RANDOM_BYTES),
    contentKey: take(CONTENT_KEY_BYTES),
    nonce: take(NONCE_BYTES),
    ephemeral: Array.from({ length: recipients }, () => take(32)),
  };
}

/**
 * The JWS compact serialization jose's `CompactSign` produces for `{ alg: 'EdDSA', kid }`,
 * byte for byte (Ed25519 is deterministic), signed with node:crypto directly: jose signs
 * through WebCrypto, which costs a thread-pool round trip per message. Returned as the
 * ASCII bytes that get encrypted.
 */
function signCompact(payload: Uint8Array, signer: SealInput['signer']): Uint8Array {
  const key = signer.privateKey;
  if (key.type !== 'private' || key.asymmetricKeyType !== 'ed25519') throw new TypeError('the signer key must be an Ed25519 private key');
  const signingInput = `${b64uText(JSON.stringify({ alg: 'EdDSA', kid: signer.kid }))}.${b64uBytes(payload)}`;
  const signature = sign(null, Buffer.from(signingInput, 'latin1'), key);
  return Buffer.from(`${signingInput}.${signature.toString('base64url')}`, 'latin1');
}

const b64uText = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');
const b64uBytes = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
