import { randomBytes } from 'node:crypto';
import { getSodium, type Sodium } from '../../keys/index.js';

/**
 * libsodium's crypto_box_seal, built from its parts so that the ephemeral secret comes
 * from node:crypto (or a test vector) instead of libsodium-wrappers' slow randombytes:
 * epk = X25519(esk), nonce = BLAKE2b-192(epk ‖ pk), output = epk ‖ crypto_box(m, nonce, pk, esk).
 * The output opens with any crypto_box_seal_open.
 */
export async function sealTo(message: Uint8Array, recipientPublicKey: Uint8Array, ephemeralSecret?: Uint8Array): Promise<Uint8Array> {
  return sealToWith(await getSodium(), message, recipientPublicKey, ephemeralSecret);
}

/** `sealTo` with libsodium already initialised (no await on the hot path). */
export function sealToWith(sodium: Sodium, message: Uint8Array, recipientPublicKey: Uint8Array, ephemeralSecret?: Uint8Array): Uint8Array {
  const esk = ephemeralSecret ?? new Uint8Array(randomBytes(32));
  const epk = sodium.crypto_scalarmult_base(esk);
  const nonceInput = new Uint8Array(64);
  nonceInput.set(epk, 0);
  nonceInput.set(recipientPublicKey, 32);
  const nonce = sodium.crypto_generichash(24, nonceInput, null);
  const boxed = sodium.crypto_box_easy(message, nonce, recipientPublicKey, esk);
  const out = new Uint8Array(32 + boxed.byteLength);
  out.set(epk, 0);
  out.set(boxed, 32);
  return out;
}

/** crypto_box_seal_open; returns undefined when the box does not open. */
export async function openSealed(sealed: Uint8Array, publicKey: Uint8Array, secretKey: Uint8Array): Promise<Uint8Array | undefined> {
  return openSealedWith(await getSodium(), sealed, publicKey, secretKey);
}

/** `openSealed` with libsodium already initialised. */
export function openSealedWith(sodium: Sodium, sealed: Uint8Array, publicKey: Uint8Array, secretKey: Uint8Array): Uint8Array | undefined {
  try {
    return sodium.crypto_box_seal_open(sealed, publicKey, secretKey);
  } catch {
    return undefined;
  }
}
