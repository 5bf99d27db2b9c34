import { randomBytes } from 'node:crypto';
import { getSodium } from '../../keys/index.js';
import { CHUNK_BYTES } from './rules.js';

const KEY_BYTES = 32;
const HEADER_BYTES = 24;
const ABYTES = 17;

export interface StreamCiphertext {
  /** Fresh 32-byte key, used for this one stream only. */
  key: Uint8Array;
  /** 24-byte secretstream header (carries the initial nonce). */
  header: Uint8Array;
  /** The chunks, concatenated: every chunk but the last holds CHUNK_BYTES of plaintext. */
  ciphertext: Uint8Array;
}

/** Ciphertext length of a plaintext of `size` bytes: one 17-byte tag per chunk, at least one chunk. */
export function ciphertextLength(size: number): number {
  return size + chunkCount(size) * ABYTES;
}

function chunkCount(size: number): number {
  return Math.max(1, Math.ceil(size / CHUNK_BYTES));
}

/**
 * Encrypts one attachment with crypto_secretstream_xchacha20poly1305 under a fresh key:
 * 64 KiB chunks, TAG_MESSAGE on each but the last, TAG_FINAL on the last (an empty
 * plaintext is one empty final chunk). No associated data.
 *
 * @example
 * const { key, header, ciphertext } = await encryptStream(pdfBytes);
 * const back = await decryptStream(ciphertext, key, header, pdfBytes.byteLength); // equal to pdfBytes
 */
export async function encryptStream(plain: Uint8Array): Promise<StreamCiphertext> {
  const sodium = await getSodium();
  const key = new Uint8Array(randomBytes(KEY_BYTES));
  const { state, header } = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
  const n = chunkCount(plain.byteLength);
  const ciphertext = new Uint8Array(ciphertextLength(plain.byteLength));
  let at = 0;
  for (let i = 0; i < n; i++) {
    const last = i === n - 1;
    const chunk = plain.subarray(i * CHUNK_BYTES, last ? plain.byteLength : (i + 1) * CHUNK_BYTES);
    const tag = last ? sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL : sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
    const c = sodium.crypto_secretstream_xchacha20poly1305_push(state, chunk, null, tag);
    ciphertext.set(c, at);
    at += c.byteLength;
  }
  return { key, header, ciphertext };
}

/**
 * Decrypts what `encryptStream` produced, or returns undefined: the ciphertext length must
 * be the one `size` implies, every chunk must authenticate in order, every chunk but the
 * last must carry TAG_MESSAGE and the last TAG_FINAL. Truncated, extended, reordered or
 * altered streams all give the same undefined; `debug` receives the detail.
 *
 * @example
 * const plain = await decryptStream(object, ref.key, ref.header, ref.size);
 * if (!plain) reject('ERR_ATTACHMENT_INVALID');
 */
export async function decryptStream(ciphertext: Uint8Array, key: Uint8Array, header: Uint8Array, size: number, debug?: (detail: string) => void): Promise<Uint8Array | undefined> {
  const fail = (detail: string): undefined => {
    debug?.(detail);
    return undefined;
  };
  if (key.byteLength !== KEY_BYTES || header.byteLength !== HEADER_BYTES) return fail('key or header of the wrong length');
  if (!Number.isSafeInteger(size) || size < 0) return fail(`size ${size} is not a byte count`);
  if (ciphertext.byteLength !== ciphertextLength(size)) return fail(`${ciphertext.byteLength} ciphertext bytes for ${size} plaintext bytes`);
  const sodium = await getSodium();
  let state;
  try {
    state = sodium.crypto_secretstream_xchacha20poly1305_init_pull(header, key);
  } catch {
    return fail('the header does not initialise a stream');
  }
  const n = chunkCount(size);
  const plain = new Uint8Array(size);
  const full = CHUNK_BYTES + ABYTES;
  for (let i = 0; i < n; i++) {
    const last = i === n - 1;
    const chunk = ciphertext.subarray(i * full, last ? ciphertext.byteLength : (i + 1) * full);
    const out = sodium.crypto_secretstream_xchacha20poly1305_pull(state, chunk, null);
    if (!out) return fail(`chunk ${i} does not authenticate`);
    const want = last ? sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL : sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
    if (out.tag !== want) return fail(`chunk ${i} of ${n} has tag ${out.tag}, expected ${want}`);
    plain.set(out.message, i * CHUNK_BYTES);
  }
  return plain;
}
