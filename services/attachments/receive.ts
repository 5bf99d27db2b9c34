import { createHash, timingSafeEqual } from 'node:crypto';
import type { AttachmentRef } from '../../generated/enlace/v1/envelope.js';
import type { AttachmentFile } from '../store/index.js';
import { attachmentObjectName } from '../transport/index.js';
import type { AttachmentBucket } from './bucket.js';
import { extensionProblem, fileNameProblem, hasMagic, isMediaType, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS } from './rules.js';
import { ciphertextLength, decryptStream } from './secretstream.js';

export type Received = { ok: true; files: AttachmentFile[] } | { ok: false; detail: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Time allowed to fetch one object: 30 s, plus 1 s per MiB. */
const fetchTimeoutMs = (bytes: number) => 30_000 + Math.ceil(bytes / (1024 * 1024)) * 1_000;

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
 * Fetches, checks and decrypts the attachments of an accepted request (docs/protocol.md
 * §18.4): each object must exist with the length its size implies, hash to the signed
 * SHA-256, decrypt chunk by chunk up to the final tag, and start with its media type's
 * signature. Resolves `ok: false` (the request is rejected with ERR_ATTACHMENT_INVALID) on
 * any mismatch; throws when NATS fails (the message is then redelivered later).
 *
 * @example
 * const got = await receiveAttachments(bucket, header.id, body.attachments);
 * if (!got.ok) return reject('ERR_ATTACHMENT_INVALID');
 */
export async function receiveAttachments(bucket: AttachmentBucket, requestId: string, refs: readonly AttachmentRef[]): Promise<Received> {
  const problem = refsProblem(requestId, refs);
  if (problem) return { ok: false, detail: problem };
  const files: AttachmentFile[] = [];
  for (const [i, r] of refs.entries()) {
    const length = ciphertextLength(r.size);
    const fetched = await bucket.fetch(r.objectName, length, fetchTimeoutMs(length));
    if (!fetched.ok) return fetched;
    const digest = createHash('sha256').update(fetched.bytes).digest();
    if (!timingSafeEqual(digest, r.ciphertextSha256)) return { ok: false, detail: `attachment ${i}: the object's SHA-256 differs from the signed one` };
    let why = '';
    const plain = await decryptStream(fetched.bytes, r.key, r.header, r.size, (d) => (why = d));
    if (!plain) return { ok: false, detail: `attachment ${i}: ${why}` };
    if (!isMediaType(r.mediaType) || !hasMagic(r.mediaType, plain)) return { ok: false, detail: `attachment ${i}: content is not ${r.mediaType}` };
    files.push({ id: r.id, fileName: r.fileName, mediaType: r.mediaType, content: plain });
  }
  return { ok: true, files };
}
