import { randomBytes, type KeyObject } from 'node:crypto';
import { CompactSign } from 'jose';
import { Content, Envelope, EnvelopeHeader } from '../../generated/enlace/v1/envelope.js';
import { getSodium } from '../../keys/index.js';
import { sealTo } from './sealed-box.js';
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
  /** Fixed randomness, for test vectors only: content key, nonce, one ephemeral secret per recipient. */
  fixedRandom?: { contentKey: Uint8Array; nonce: Uint8Array; ephemeral: Uint8Array[]; idRandom: Uint8Array };
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
  if (input.to.length === 0) throw new TypeError('seal needs at least one recipient');
  const sodium = await getSodium();
  const header: EnvelopeHeader = {
    version: PROTOCOL_VERSION,
    networkId: input.networkId,
    id: input.id ?? uuidv7(input.now, input.fixedRandom?.idRandom),
    from: input.from,
    to: input.to.map((r) => ({ address: r.address, keyId: r.keyId })),
    kind: input.kind,
    createdAt: input.now,
    expiresAt: input.expiresAt ?? input.now + DEFAULT_TTL_MS,
    senderKeyId: input.signer.kid,
  };
  const headerBytes = EnvelopeHeader.encode(header).finish();
  const content = Content.encode({ header: headerBytes, body: input.body }).finish();
  const jws = await new CompactSign(content)
    .setProtectedHeader({ alg: 'EdDSA', kid: input.signer.kid })
    .sign(input.signer.privateKey);
  const contentKey = input.fixedRandom?.contentKey ?? new Uint8Array(randomBytes(CONTENT_KEY_BYTES));
  const nonce = input.fixedRandom?.nonce ?? new Uint8Array(randomBytes(NONCE_BYTES));
  const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
    new TextEncoder().encode(jws),
    headerBytes,
    null,
    nonce,
    contentKey,
  );
  const sealedKeys = await Promise.all(
    input.to.map((r, i) => sealTo(contentKey, r.publicKey, input.fixedRandom?.ephemeral[i])),
  );
  const bytes = Envelope.encode({ header: headerBytes, nonce, ciphertext, sealedKeys }).finish();
  return { bytes, header, headerBytes };
}
