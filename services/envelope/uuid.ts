import { randomBytes } from 'node:crypto';

/**
 * RFC 9562 UUIDv7: 48-bit Unix milliseconds, version 7, 74 random bits.
 * Ids created in the same millisecond are not ordered among themselves.
 *
 * @example uuidv7(Date.now()) // '0193f1c2-7a4b-7c1d-9e2f-3a4b5c6d7e8f'
 */
export function uuidv7(ms: number, random: Uint8Array = randomBytes(10)): string {
  const b = new Uint8Array(16);
  let t = ms;
  for (let i = 5; i >= 0; i--) {
    b[i] = t % 256;
    t = Math.floor(t / 256);
  }
  b.set(random.subarray(0, 10), 6);
  b[6] = 0x70 | (b[6]! & 0x0f);
  b[8] = 0x80 | (b[8]! & 0x3f);
  const h = Buffer.from(b).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
