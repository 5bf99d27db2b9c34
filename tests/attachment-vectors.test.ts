import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AttachmentRef } from '../generated/enlace/v1/envelope.js';
import { b64u, fromB64u } from '../keys/index.js';
import { CHUNK_BYTES, ciphertextLength, decryptStream, hasMagic, isMediaType } from '../services/attachments/index.js';
import { refsProblem } from '../services/attachments/receive.js';

// The committed file, read as another implementation would (tests/layer-vectors.test.ts checks
// that it regenerates byte for byte), checked with the reference's receiving rules of §18.4: the
// list first (refsProblem), then each ciphertext: present, of the length its size implies, its
// SHA-256 the signed one, every chunk opening in order up to TAG_FINAL, the type's signature.
interface File {
  chunkBytes: number;
  cases: {
    name: string;
    section: string;
    requestId: string;
    refs: { encoded: string; id: string; objectName: string; size: number }[];
    objects: Record<string, string>;
    valid: boolean;
    error?: string;
    check?: string;
    plaintextSha256?: string[];
  }[];
}
const v = JSON.parse(readFileSync(new URL('./vectors/attachments-v1.json', import.meta.url), 'utf8')) as File;

/** The plaintexts of an accepted request, or the step of §18.4 that rejects it ERR_ATTACHMENT_INVALID. */
async function receive(requestId: string, refs: AttachmentRef[], objects: Record<string, Uint8Array>): Promise<Uint8Array[] | string> {
  const problem = refsProblem(requestId, refs);
  if (problem) return 'list';
  const plain: Uint8Array[] = [];
  for (const r of refs) {
    const object = objects[r.objectName];
    if (!object) return 'missing';
    if (object.byteLength !== ciphertextLength(r.size)) return 'length';
    if (!timingSafeEqual(createHash('sha256').update(object).digest(), r.ciphertextSha256)) return 'sha256';
    const p = await decryptStream(object, r.key, r.header, r.size);
    if (!p) return 'decrypt';
    if (!isMediaType(r.mediaType) || !hasMagic(r.mediaType, p)) return 'type';
    plain.push(p);
  }
  return plain;
}

describe('attachment vectors (tests/vectors/attachments-v1.json, protocol §18.4)', () => {
  it('covers the valid shapes and every rule of §18.4', () => {
    expect(v.chunkBytes).toBe(CHUNK_BYTES);
    expect(v.cases.filter((c) => c.valid).map((c) => c.name)).toEqual(['pdf-one-chunk', 'png-two-chunks', 'jpeg-exact-chunk', 'two-attachments']);
    expect(v.cases.filter((c) => !c.valid).every((c) => c.error === 'ERR_ATTACHMENT_INVALID')).toBe(true);
    expect(v.cases.length).toBeGreaterThanOrEqual(25);
  });

  for (const c of v.cases) {
    it(`${c.name} (${c.section})`, async () => {
      const refs = c.refs.map((r) => AttachmentRef.decode(fromB64u(r.encoded)));
      expect(refs.map((r) => [r.id, r.objectName, r.size])).toEqual(c.refs.map((r) => [r.id, r.objectName, r.size]));
      const objects = Object.fromEntries(Object.entries(c.objects).map(([k, b]) => [k, fromB64u(b)]));
      const got = await receive(c.requestId, refs, objects);
      if (c.valid) {
        expect(typeof got, String(got)).toBe('object');
        expect((got as Uint8Array[]).map((p) => b64u(new Uint8Array(createHash('sha256').update(p).digest())))).toEqual(c.plaintextSha256);
      } else {
        expect(got).toBe(c.check);
      }
    });
  }
});
