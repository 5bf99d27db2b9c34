import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AttachmentRef } from '../generated/enlace/v1/envelope.js';
import { b64u, fromB64u } from '../keys/index.js';
import { CHUNK_BYTES, ciphertextLength, decryptStream, hasMagic, isMediaType, receiveAttachments } from '../services/attachments/index.js';
import { refsProblem } from '../services/attachments/receive.js';

// The committed file, read as another implementation would (tests/layer-vectors.test.ts checks
// that it regenerates byte for byte), given to the reference receiver (receiveAttachments, with
// the objects as the ciphertext source), and to its steps one by one, which must refuse each
// rejected case at the step the file names.
interface File {
  chunkBytes: number;
  cases: {
    name: string;
    section: string;
    requestId: string;
    refs: { encoded: string; id: string; objectName: string; size: number }[];
    objects: Record<string, string>;
    valid: boolean;
    waits?: boolean;
    error?: string;
    check?: string;
    plaintextSha256?: string[];
  }[];
}
const v = JSON.parse(readFileSync(new URL('./vectors/attachments-v1.json', import.meta.url), 'utf8')) as File;
const sha256 = (b: Uint8Array) => b64u(new Uint8Array(createHash('sha256').update(b).digest()));

/** The step of §18.4 that refuses a request, in order, with the reference's own functions. */
async function refusingStep(requestId: string, refs: AttachmentRef[], objects: Record<string, Uint8Array>): Promise<string | undefined> {
  if (refsProblem(requestId, refs)) return 'list';
  for (const r of refs) {
    const object = objects[r.objectName]!;
    if (object.byteLength > ciphertextLength(r.size)) return 'length';
    if (sha256(object) !== b64u(r.ciphertextSha256)) return 'sha256';
    const p = await decryptStream(object, r.key, r.header, r.size);
    if (!p) return 'decrypt';
    if (!isMediaType(r.mediaType) || !hasMagic(r.mediaType, p)) return 'type';
  }
  return undefined;
}

describe('attachment vectors (tests/vectors/attachments-v1.json, protocol §18.4)', () => {
  it('covers the valid shapes and every rule of §18.4', () => {
    expect(v.chunkBytes).toBe(CHUNK_BYTES);
    expect(v.cases.filter((c) => c.valid).map((c) => c.name)).toEqual(['pdf-one-chunk', 'png-two-chunks', 'jpeg-exact-chunk', 'two-attachments']);
    expect(v.cases.filter((c) => c.waits).map((c) => c.name)).toEqual(['truncated', 'missing-object']);
    expect(v.cases.filter((c) => !c.valid && !c.waits).every((c) => c.error === 'ERR_ATTACHMENT_INVALID' && c.check)).toBe(true);
    expect(v.cases.length).toBeGreaterThanOrEqual(25);
  });

  for (const c of v.cases) {
    it(`${c.name} (${c.section})`, async () => {
      const refs = c.refs.map((r) => AttachmentRef.decode(fromB64u(r.encoded)));
      expect(refs.map((r) => [r.id, r.objectName, r.size])).toEqual(c.refs.map((r) => [r.id, r.objectName, r.size]));
      const objects = Object.fromEntries(Object.entries(c.objects).map(([k, b]) => [k, fromB64u(b)]));
      // The objects as the parts of §18.4 assemble: short is a part still to come, long is parts that exceed the size.
      const source = (id: string, length: number) => {
        const o = objects[`${c.requestId}/${id}`];
        return o === undefined || o.byteLength < length ? 'incomplete' : o.byteLength > length ? 'inconsistent' : o;
      };
      const got = await receiveAttachments(source, c.requestId, refs);
      if (c.valid) {
        expect(got.ok, got.ok ? '' : got.detail).toBe(true);
        expect(got.ok && got.files.map((f) => sha256(f.content))).toEqual(c.plaintextSha256);
        return;
      }
      expect(got.ok).toBe(false);
      expect(!got.ok && got.incomplete).toBe(c.waits === true);
      if (!c.waits) expect(await refusingStep(c.requestId, refs, objects)).toBe(c.check);
    });
  }
});
