import { createHash, timingSafeEqual } from 'node:crypto';
import type { AttachmentRef } from '../../generated/enlace/v1/envelope.js';
import { UUID } from '../envelope/wire.js';
import type { AttachmentFile } from '../store/index.js';
import { attachmentObjectName } from '../transport/index.js';
import { extensionProblem, fileNameProblem, hasMagic, isMediaType, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS } from './rules.js';
import { ciphertextLength, decryptStream } from './secretstream.js';

/**
 * What receiving found: the files, or why the request is invalid, or (`incomplete`) that parts
 * of its ciphertext have not all arrived yet, which is no fault of the request.
 */
export type Received = { ok: true; files: AttachmentFile[] } | { ok: false; incomplete: boolean; detail: string };

/**
 * The ciphertext of attachment `attachmentId` of the request, which must be `length` bytes:
 * here it is assembled from the parts received on the sender's lane (services/store/attachment-parts.ts).
 */
export type CiphertextSource = (attachmentId: string, length: number) => Uint8Array | 'incomplete' | 'inconsistent';

/** What is wrong with the refs a request carries, before anything is fetched; undefined when nothing. */
export function refsProblem(requestId: string, refs: readonly AttachmentRef[]): string | undefined {
  if (refs.length > MAX_ATTACHMENTS) return `${refs.length} attachments`;
  const total = refs.reduce((n, r) => n + r.size, 0);
  if (total > MAX_ATTACHMENT_BYTES) return `${total} bytes of attachments`;
  const ids = new Set<string>();
  for (const [i, r] of refs.entries()) {
    if (!UUID.test(r.id) || ids.has(r.id)) return `attachment ${i}: id missing, malformed or repeated`;
    ids.add(r.id);
    if (r.objectName !== attachmentObjectName(requestId, r.id)) return `attachment ${i}: object name ${r.objectName} is not this request's`;
    if (!isMediaType(r.mediaType)) return `attachment ${i}: media type ${r.mediaType} is not allowed`;
    const nameProblem = fileNameProblem(r.fileName) ?? extensionProblem(r.fileName, r.mediaType);
    if (nameProblem) return `attachment ${i}: file name ${nameProblem}`;
    if (r.size < 1 || r.key.byteLength !== 32 || r.header.byteLength !== 24 || r.ciphertextSha256.byteLength !== 32) {
      return `attachment ${i}: size, key, header or hash out of profile`;
    }
  }
  return undefined;
}

/**
 * Checks and decrypts the attachments of an accepted request (docs/protocol.md §18.4): each
 * ciphertext must be complete with the length its size implies, hash to the signed SHA-256,
 * decrypt chunk by chunk up to the final tag, and start with its media type's signature.
 * Resolves `ok: false` (the request is rejected with ERR_ATTACHMENT_INVALID) on any
 * mismatch, or `ok: false, incomplete: true` while parts are missing (the request waits).
 *
 * @example
 * const got = await receiveAttachments((id, n) => assembledParts(store, 'AR', header.id, id, n), header.id, body.attachments);
 * if (!got.ok && !got.incomplete) return reject('ERR_ATTACHMENT_INVALID');
 */
export async function receiveAttachments(source: CiphertextSource, requestId: string, refs: readonly AttachmentRef[]): Promise<Received> {
  const invalid = (detail: string): Received => ({ ok: false, incomplete: false, detail });
  const problem = refsProblem(requestId, refs);
  if (problem) return invalid(problem);
  const ciphertexts: Uint8Array[] = [];
  // Every one complete before any is decrypted: a request waiting for parts costs no decryption.
  for (const [i, r] of refs.entries()) {
    const got = source(r.id, ciphertextLength(r.size));
    if (got === 'incomplete') return { ok: false, incomplete: true, detail: `attachment ${i}: parts missing` };
    if (got === 'inconsistent') return invalid(`attachment ${i}: its parts overlap or exceed the signed size`);
    ciphertexts.push(got);
  }
  const files: AttachmentFile[] = [];
  for (const [i, r] of refs.entries()) {
    const bytes = ciphertexts[i]!;
    const digest = createHash('sha256').update(bytes).digest();
    if (!timingSafeEqual(digest, r.ciphertextSha256)) return invalid(`attachment ${i}: the ciphertext's SHA-256 differs from the signed one`);
    let why = '';
    const plain = await decryptStream(bytes, r.key, r.header, r.size, (d) => (why = d));
    if (!plain) return invalid(`attachment ${i}: ${why}`);
    if (!isMediaType(r.mediaType) || !hasMagic(r.mediaType, plain)) return invalid(`attachment ${i}: content is not ${r.mediaType}`);
    files.push({ id: r.id, fileName: r.fileName, mediaType: r.mediaType, content: plain });
  }
  return { ok: true, files };
}
