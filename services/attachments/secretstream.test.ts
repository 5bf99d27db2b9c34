import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { getSodium } from '../../keys/index.js';
import { CHUNK_BYTES } from './rules.js';
import { ciphertextLength, decryptStream, encryptStream } from './secretstream.js';

const FULL = CHUNK_BYTES + 17;
const bytes = (n: number) => new Uint8Array(randomBytes(n));

/** A stream with the tags a caller chooses, to build streams encryptStream never makes. */
async function streamWithTags(chunks: Uint8Array[], tags: ('message' | 'final')[]) {
  const sodium = await getSodium();
  const key = bytes(32);
  const { state, header } = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
  const parts = chunks.map((c, i) =>
    sodium.crypto_secretstream_xchacha20poly1305_push(
      state,
      c,
      null,
      tags[i] === 'final' ? sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL : sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE,
    ),
  );
  return { key, header, ciphertext: Buffer.concat(parts) };
}

describe('attachment secretstream', () => {
  it.each([0, 1, CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 1, 3 * CHUNK_BYTES + 5])('round-trips %i bytes', async (n) => {
    const plain = bytes(n);
    const s = await encryptStream(plain);
    expect(s.ciphertext.byteLength).toBe(ciphertextLength(n));
    expect(await decryptStream(s.ciphertext, s.key, s.header, n)).toEqual(plain);
  });

  it('uses a fresh key and header for every stream', async () => {
    const plain = bytes(100);
    const [a, b] = [await encryptStream(plain), await encryptStream(plain)];
    expect(Buffer.from(a.key).equals(Buffer.from(b.key))).toBe(false);
    expect(Buffer.from(a.header).equals(Buffer.from(b.header))).toBe(false);
  });

  it('rejects a truncated stream, with or without a size that matches the truncation', async () => {
    const plain = bytes(3 * CHUNK_BYTES + 10);
    const s = await encryptStream(plain);
    const cut = s.ciphertext.subarray(0, 3 * FULL);
    expect(await decryptStream(cut, s.key, s.header, plain.byteLength)).toBeUndefined();
    // Even if the size claimed were that of the first three chunks, the last one is not final.
    let detail = '';
    expect(await decryptStream(cut, s.key, s.header, 3 * CHUNK_BYTES, (d) => (detail = d))).toBeUndefined();
    expect(detail).toMatch(/tag/);
    expect(await decryptStream(s.ciphertext.subarray(0, s.ciphertext.byteLength - 1), s.key, s.header, plain.byteLength)).toBeUndefined();
  });

  it('rejects reordered chunks', async () => {
    const plain = bytes(3 * CHUNK_BYTES + 10);
    const s = await encryptStream(plain);
    const c = s.ciphertext;
    const swapped = Buffer.concat([c.subarray(FULL, 2 * FULL), c.subarray(0, FULL), c.subarray(2 * FULL)]);
    expect(await decryptStream(swapped, s.key, s.header, plain.byteLength)).toBeUndefined();
  });

  it('rejects a stream without a final tag, and data after the final tag', async () => {
    const a = bytes(CHUNK_BYTES);
    const b = bytes(100);
    const noFinal = await streamWithTags([a, b], ['message', 'message']);
    expect(await decryptStream(noFinal.ciphertext, noFinal.key, noFinal.header, a.byteLength + b.byteLength)).toBeUndefined();
    const early = await streamWithTags([a, b], ['final', 'final']);
    expect(await decryptStream(early.ciphertext, early.key, early.header, a.byteLength + b.byteLength)).toBeUndefined();
    const ok = await streamWithTags([a, b], ['message', 'final']);
    expect(await decryptStream(ok.ciphertext, ok.key, ok.header, a.byteLength + b.byteLength)).toEqual(new Uint8Array(Buffer.concat([a, b])));
  });

  it('rejects a bit flip anywhere in the ciphertext, the header or the key', async () => {
    const plain = bytes(2 * CHUNK_BYTES + 3);
    const s = await encryptStream(plain);
    for (const at of [0, 1, 16, 17, FULL - 1, FULL, FULL + 20, 2 * FULL, s.ciphertext.byteLength - 1]) {
      const c = s.ciphertext.slice();
      c[at]! ^= 0x01;
      expect(await decryptStream(c, s.key, s.header, plain.byteLength), `flip at ${at}`).toBeUndefined();
    }
    const h = s.header.slice();
    h[3]! ^= 0x80;
    expect(await decryptStream(s.ciphertext, s.key, h, plain.byteLength)).toBeUndefined();
    const k = s.key.slice();
    k[31]! ^= 0x01;
    expect(await decryptStream(s.ciphertext, k, s.header, plain.byteLength)).toBeUndefined();
  });

  it('rejects keys and headers of the wrong length and sizes that are not byte counts', async () => {
    const s = await encryptStream(bytes(10));
    expect(await decryptStream(s.ciphertext, s.key.subarray(1), s.header, 10)).toBeUndefined();
    expect(await decryptStream(s.ciphertext, s.key, s.header.subarray(1), 10)).toBeUndefined();
    expect(await decryptStream(s.ciphertext, s.key, s.header, -1)).toBeUndefined();
    expect(await decryptStream(s.ciphertext, s.key, s.header, 9.5)).toBeUndefined();
  });
});
