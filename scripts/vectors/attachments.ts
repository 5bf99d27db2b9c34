/**
 * tests/vectors/attachments-v1.json: attachments as a receiver checks them (docs/protocol.md
 * §18.4), independent of how the ciphertext travelled: the `AttachmentRef`s of a request, the
 * ciphertext of each, and whether the request is accepted or rejected ERR_ATTACHMENT_INVALID.
 *
 * Deterministic: libsodium's secretstream takes its 24-byte header from the system's random
 * source, so the push side is written here from the construction of
 * crypto_secretstream_xchacha20poly1305 (HChaCha20 subkey, ChaCha20-IETF, Poly1305; libsodium
 * secretstream_xchacha20poly1305.c) with a header from a fixed label. Every valid case is also
 * decrypted with libsodium's own pull before it is written, so the two cannot disagree.
 */
import { AttachmentRef } from '../../generated/enlace/v1/envelope.js';
import { b64u, getSodium, type Sodium } from '../../keys/index.js';
import { CHUNK_BYTES, decryptStream } from '../../services/attachments/index.js';
import { seed, sha256, utf8 } from './envelope-kit.js';

const TAG_MESSAGE = 0;
const TAG_FINAL = 3;

/** Pushes chunks of `plain` with the tags given (default: MESSAGE, ..., FINAL), as libsodium does. */
function push(sodium: Sodium, key: Uint8Array, header: Uint8Array, chunks: { plain: Uint8Array; tag: number }[]): Uint8Array {
  const k = sodium.crypto_core_hchacha20(header.subarray(0, 16), key, null);
  const nonce = new Uint8Array(12);
  nonce[0] = 1; // 32-bit little-endian counter, starting at 1
  nonce.set(header.subarray(16, 24), 4);
  const out: Uint8Array[] = [];
  for (const { plain, tag } of chunks) {
    const polyKey = sodium.crypto_stream_chacha20_ietf_xor(new Uint8Array(64), nonce, k).subarray(0, 32);
    const block = new Uint8Array(64);
    block[0] = tag;
    const encBlock = sodium.crypto_stream_chacha20_ietf_xor_ic(block, nonce, 1, k);
    const c = sodium.crypto_stream_chacha20_ietf_xor_ic(plain, nonce, 2, k);
    // libsodium pads to (0x10 - sizeof block + mlen) & 0xf bytes, that is mlen mod 16, not to a
    // multiple of 16 as RFC 8439 would: the construction's quirk, which a reimplementation must keep.
    const pad = new Uint8Array((0x10 - 64 + plain.byteLength) & 0xf);
    const len = new Uint8Array(16);
    new DataView(len.buffer).setBigUint64(0, 0n, true); // no associated data
    new DataView(len.buffer).setBigUint64(8, BigInt(64 + plain.byteLength), true);
    const mac = sodium.crypto_onetimeauth(Buffer.concat([encBlock, c, pad, len]), polyKey);
    out.push(Uint8Array.of(encBlock[0]!), c, mac);
    for (let i = 0; i < 8; i++) nonce[4 + i]! ^= mac[i]!;
    const counter = new DataView(nonce.buffer).getUint32(0, true) + 1;
    new DataView(nonce.buffer).setUint32(0, counter >>> 0, true);
    if (counter >>> 0 === 0) throw new Error('rekeying is not needed for vectors this small');
  }
  return new Uint8Array(Buffer.concat(out));
}

/** The plaintext cut as §18.4 says: 64 KiB chunks, the last shorter (or full), at least one. */
function chunked(plain: Uint8Array): { plain: Uint8Array; tag: number }[] {
  const n = Math.max(1, Math.ceil(plain.byteLength / CHUNK_BYTES));
  return Array.from({ length: n }, (_, i) => ({ plain: plain.subarray(i * CHUNK_BYTES, Math.min(plain.byteLength, (i + 1) * CHUNK_BYTES)), tag: i === n - 1 ? TAG_FINAL : TAG_MESSAGE }));
}

/** A file of `size` bytes that starts with `magic` and is filled from a label. */
function file(magic: number[], size: number, label: string): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i += 32) out.set(seed(`${label} ${i}`).subarray(0, Math.min(32, size - i)), i);
  out.set(magic);
  return out;
}

const PDF = [...utf8('%PDF-1.7\n')];
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff, 0xe0];

interface RefJson {
  id: string;
  fileName: string;
  mediaType: string;
  size: number;
  key: string;
  header: string;
  ciphertextSha256: string;
  objectName: string;
}

/** The step of §18.4 receiving that refuses a case: the list, then per attachment in this order. */
type Check = 'list' | 'length' | 'sha256' | 'decrypt' | 'type';

const requestId = '019bc2a0-5c00-7a11-8a11-000000000001';
const uuid = (n: number) => `019bc2a0-5c00-7b22-8b22-${String(n).padStart(12, '0')}`;

/** An attachment as the sender made it: its reference, its ciphertext, its plaintext. */
interface Made {
  ref: AttachmentRef;
  object: Uint8Array;
  plain: Uint8Array;
}

type Expected = { valid: true } | { valid: false; waits: true } | { valid: false; detail: string; check: string };

/** What the cases are written with: an attachment pushed from labelled key and header, and the list the cases are added to. */
interface AttachmentKit {
  make: (n: number, fileName: string, mediaType: string, plain: Uint8Array, chunks?: { plain: Uint8Array; tag: number }[]) => Made;
  /** Checks that libsodium opens every valid case, and adds the case; `objects` replaces the ciphertexts found. */
  add: (name: string, section: string, description: string, made: Made[], expected: Expected, objects?: Record<string, Uint8Array>) => Promise<void>;
  cases: unknown[];
}

const ok = { valid: true } as const;
const bad = (check: Check, detail: string) => ({ valid: false, check, detail }) as const;
const with_ = (m: Made, change: Partial<AttachmentRef>): Made => ({ ...m, ref: { ...m.ref, ...change } });

export async function buildAttachmentVectors(): Promise<string> {
  const kit = attachmentKit(await getSodium());
  const made = await validCases(kit);
  await ciphertextCases(kit, made);
  await typeAndNameCases(kit, made);
  await listCases(kit, made);
  return attachmentFile(kit.cases);
}

function attachmentKit(sodium: Sodium): AttachmentKit {
  const make: AttachmentKit['make'] = (n, fileName, mediaType, plain, chunks = chunked(plain)) => {
    const key = seed(`attachment ${n} key`);
    const header = seed(`attachment ${n} header`).subarray(0, 24);
    const object = push(sodium, key, header, chunks);
    const id = uuid(n);
    return { plain, object, ref: { id, fileName, mediaType, size: plain.byteLength, key, header, ciphertextSha256: sha256(object), objectName: `${requestId}/${id}` } };
  };

  const cases: unknown[] = [];
  const add: AttachmentKit['add'] = async (name, section, description, made, expected, objects) => {
    if (expected.valid) {
      for (const m of made) {
        const back = await decryptStream(m.object, m.ref.key, m.ref.header, m.ref.size);
        if (!back || Buffer.compare(back, m.plain) !== 0) throw new Error(`attachment vector ${name}: libsodium does not open what was pushed`);
      }
    }
    const refJson = (r: AttachmentRef): RefJson => ({ ...r, key: b64u(r.key), header: b64u(r.header), ciphertextSha256: b64u(r.ciphertextSha256) });
    cases.push({
      name,
      section,
      description,
      requestId,
      refs: made.map((m) => ({ ...refJson(m.ref), encoded: b64u(AttachmentRef.encode(m.ref).finish()) })),
      objects: Object.fromEntries(Object.entries(objects ?? Object.fromEntries(made.map((m) => [m.ref.objectName, m.object]))).map(([k, v]) => [k, b64u(v)])),
      valid: expected.valid,
      ...(expected.valid
        ? { plaintextSha256: made.map((m) => b64u(sha256(m.plain))) }
        : 'waits' in expected
          ? { waits: true }
          : { error: 'ERR_ATTACHMENT_INVALID', check: expected.check, detail: expected.detail }),
    });
  };
  return { make, add, cases };
}

/** The attachments the other cases change, each valid on its own: one chunk, two, exactly one full chunk, two in one request. */
async function validCases({ make, add }: AttachmentKit): Promise<{ pdf: Made; png: Made; smallJpeg: Made }> {
  const pdf = make(1, 'acta.pdf', 'application/pdf', file(PDF, 300, 'pdf'));
  await add('pdf-one-chunk', '§18.4', 'A 300-byte PDF: one chunk, TAG_FINAL.', [pdf], ok);
  const png = make(2, 'foto.png', 'image/png', file(PNG, CHUNK_BYTES + 200, 'png'));
  await add('png-two-chunks', '§18.4', 'A PNG of 65,736 bytes: a full chunk with TAG_MESSAGE, then 200 bytes with TAG_FINAL.', [png], ok);
  const jpeg = make(3, 'pasaporte.jpg', 'image/jpeg', file(JPEG, CHUNK_BYTES, 'jpeg'));
  await add('jpeg-exact-chunk', '§18.4', 'A JPEG of exactly 65,536 bytes: one full chunk with TAG_FINAL (no empty chunk after it).', [jpeg], ok);
  const smallJpeg = make(7, 'foto.jpg', 'image/jpeg', file(JPEG, 500, 'small jpeg'));
  await add('two-attachments', '§18.4', 'The PDF and a 500-byte JPEG in one request.', [pdf, smallJpeg], ok);

  return { pdf, png, smallJpeg };
}

/** §18.4, per attachment: a ciphertext that is altered, cut short, too long, under the wrong key or header, or whose stream tags are wrong. */
async function ciphertextCases({ make, add }: AttachmentKit, { pdf, png }: { pdf: Made; png: Made }): Promise<void> {
  const tampered = pdf.object.slice();
  tampered[40]! ^= 0x01;
  await add(
    'tampered',
    '§18.4',
    'One ciphertext byte flipped; ciphertext_sha256 is that of the altered bytes, so decryption is what fails.',
    [with_(pdf, { ciphertextSha256: sha256(tampered) })],
    bad('decrypt', 'a chunk does not authenticate'),
    { [pdf.ref.objectName]: tampered },
  );
  await add(
    'sha256-differs',
    '§18.4',
    'ciphertext_sha256 of other bytes.',
    [with_(pdf, { ciphertextSha256: sha256(utf8('other')) })],
    bad('sha256', "the ciphertext's SHA-256 differs from the signed one"),
  );
  await add(
    'truncated',
    '§18.4',
    'The object one byte shorter than size implies: its last byte has not come, so the request waits.',
    [pdf],
    { valid: false, waits: true },
    { [pdf.ref.objectName]: pdf.object.subarray(0, -1) },
  );
  await add(
    'extended',
    '§18.4',
    'The object one byte longer than size implies (parts exceed it).',
    [with_(pdf, { ciphertextSha256: sha256(Buffer.concat([pdf.object, Uint8Array.of(0)])) })],
    bad('length', 'longer than size + 17 per chunk'),
    { [pdf.ref.objectName]: new Uint8Array(Buffer.concat([pdf.object, Uint8Array.of(0)])) },
  );
  await add(
    'size-smaller',
    '§18.4',
    'size one byte smaller than the plaintext: the object is longer than that size implies.',
    [with_(pdf, { size: 299 })],
    bad('length', 'longer than size + 17 per chunk'),
  );
  await add('wrong-key', '§18.4', 'The key of another attachment.', [with_(pdf, { key: seed('attachment 2 key') })], bad('decrypt', 'a chunk does not authenticate'));
  await add('wrong-header', '§18.4', 'The header of another attachment.', [with_(pdf, { header: seed('attachment 2 header').subarray(0, 24) })], bad('decrypt', 'a chunk does not authenticate'));
  const noFinal = make(4, 'acta.pdf', 'application/pdf', pdf.plain, [{ plain: pdf.plain, tag: TAG_MESSAGE }]);
  await add('no-final-tag', '§18.4', 'One chunk pushed with TAG_MESSAGE: the stream never ends.', [noFinal], bad('decrypt', 'the last chunk is not TAG_FINAL'));
  const finalFirst = make(
    5,
    'foto.png',
    'image/png',
    png.plain,
    chunked(png.plain).map((c, i) => ({ ...c, tag: i === 0 ? TAG_FINAL : TAG_MESSAGE })),
  );
  await add('final-tag-first', '§18.4', 'Two chunks, TAG_FINAL on the first and TAG_MESSAGE on the last.', [finalFirst], bad('decrypt', 'a chunk before the last is not TAG_MESSAGE'));
  const [c0, c1] = [png.object.subarray(0, CHUNK_BYTES + 17), png.object.subarray(CHUNK_BYTES + 17)];
  const swapped = new Uint8Array(Buffer.concat([c1, c0]));
  await add(
    'chunks-swapped',
    '§18.4',
    "The PNG's two chunks in the other order (length unchanged, hash of the swapped object).",
    [with_(png, { ciphertextSha256: sha256(swapped) })],
    bad('decrypt', 'a chunk does not authenticate'),
    { [png.ref.objectName]: swapped },
  );
}

/** §18.4: a plaintext not of its declared type, a ciphertext missing, and the names a receiver refuses. */
async function typeAndNameCases({ add }: AttachmentKit, { pdf }: { pdf: Made }): Promise<void> {
  await add(
    'not-its-type',
    '§18.4',
    'The PDF declared image/png (named foto.png): the plaintext does not start with the PNG signature.',
    [with_(pdf, { mediaType: 'image/png', fileName: 'foto.png' })],
    bad('type', 'content is not image/png'),
  );
  await add(
    'missing-object',
    '§18.4',
    'No ciphertext for the attachment (a part never came): the request is neither accepted nor rejected, it waits (and its expiry ends it, §12).',
    [pdf],
    { valid: false, waits: true },
    {},
  );
  await add('media-type-not-allowed', '§18.4', 'text/html.', [with_(pdf, { mediaType: 'text/html', fileName: 'acta.html' })], bad('list', 'media type not allowed'));
  await add('extension-differs', '§18.4', 'evidence.html declared application/pdf.', [with_(pdf, { fileName: 'evidence.html' })], bad('list', 'file name extension is not one of the media type'));
  await add('file-name-path', '§18.4', 'file_name "../acta.pdf".', [with_(pdf, { fileName: '../acta.pdf' })], bad('list', 'file name holds a path'));
  await add(
    'file-name-bidi',
    '§18.4',
    'file_name with U+202E RIGHT-TO-LEFT OVERRIDE ("acta\\u202efdp.exe.pdf").',
    [with_(pdf, { fileName: 'acta\u202efdp.exe.pdf' })],
    bad('list', 'file name holds a bidirectional formatting character'),
  );
}

/** §18.4, the list: ids, object names, keys, sizes and counts refused before any ciphertext is read. */
async function listCases({ make, add }: AttachmentKit, { pdf, smallJpeg }: { pdf: Made; smallJpeg: Made }): Promise<void> {
  await add(
    'object-name-other-request',
    '§18.4',
    'object_name of another request.',
    [with_(pdf, { objectName: `019bc2a0-5c00-7a11-8a11-000000000002/${pdf.ref.id}` })],
    bad('list', 'object_name is not <request id>/<id>'),
  );
  await add('id-not-uuid', '§18.4', 'id "1" (object_name "<request id>/1").', [with_(pdf, { id: '1', objectName: `${requestId}/1` })], bad('list', 'id is not a lower-case UUID'));
  await add('id-repeated', '§18.4', 'Two attachments with the same id.', [pdf, with_(smallJpeg, { id: pdf.ref.id, objectName: pdf.ref.objectName })], bad('list', 'id repeated'), {});
  await add('key-short', '§18.4', 'A 31-byte key.', [with_(pdf, { key: pdf.ref.key.subarray(0, 31) })], bad('list', 'key not 32 bytes'));
  await add('size-zero', '§18.4', 'size 0 (an empty file).', [make(6, 'vacio.pdf', 'application/pdf', new Uint8Array())], bad('list', 'size below 1'));
  const many = Array.from({ length: 21 }, (_, i) => with_(pdf, { id: uuid(100 + i), objectName: `${requestId}/${uuid(100 + i)}` }));
  await add('too-many', '§18.4', '21 attachments (at most 20); the list is refused before any ciphertext is read.', many, bad('list', 'more than 20 attachments'), {});
  await add(
    'too-large',
    '§18.4',
    'Two attachments declaring 26,214,401 bytes each (together more than 50 MiB); refused before any ciphertext is read.',
    [with_(pdf, { size: 26_214_401 }), with_(smallJpeg, { size: 26_214_401 })],
    bad('list', 'more than 52,428,800 bytes together'),
    {},
  );
}

function attachmentFile(cases: unknown[]): string {
  return (
    JSON.stringify(
      {
        description: 'Enlace attachment vectors, version 1 (docs/protocol.md §18.4). Generated by scripts/gen-vectors.ts (npm run vectors); do not edit.',
        warning: 'TEST ONLY. Keys and headers come from public labels.',
        format: {
          case: 'a request with id `requestId` carries `refs` (RequestBody.attachments; `encoded` is each AttachmentRef in protobuf, bytes fields in base64url); `objects` holds the ciphertext found for each object_name (base64url). valid=true: the receiver accepts the request and the plaintexts hash to `plaintextSha256`. An object shorter than the length its size implies (size + 17 per chunk) is parts not all come yet, one longer is parts exceeding it. valid=false with waits=true: a ciphertext is missing or incomplete, so the request waits (it is not answered). valid=false otherwise: it rejects the request with `error`, at the step `check` of §18.4 (list: the refs, before any ciphertext is read; then, per attachment in order: length, sha256, decrypt, type); `detail` is informative. Each object here fits in one part (§18.4 transport); the vectors are about the assembled object.',
        },
        chunkBytes: CHUNK_BYTES,
        cases,
      },
      null,
      2,
    ) + '\n'
  );
}
