import { createHash, randomUUID } from 'node:crypto';
import type { AttachmentRef } from '../../generated/enlace/v1/envelope.js';
import type { AttachmentFile } from '../store/index.js';
import { attachmentObjectName } from '../transport/index.js';
import type { AttachmentBucket } from './bucket.js';
import type { NewAttachmentInput } from './rules.js';
import { encryptStream } from './secretstream.js';

/** How long a submit may wait for JetStream to take its attachments: 10 s, plus 1 s per MiB. */
export function uploadTimeoutMs(files: readonly NewAttachmentInput[]): number {
  const bytes = files.reduce((n, f) => n + f.content.byteLength, 0);
  return 10_000 + Math.ceil(bytes / (1024 * 1024)) * 1_000;
}

export interface Uploaded {
  /** For the signed RequestBody: what opens and checks each object. */
  refs: AttachmentRef[];
  /** For this node's store: the files in clear, with the ids the refs carry. */
  files: AttachmentFile[];
  objectNames: string[];
}

/**
 * Encrypts each file under a fresh secretstream key and stores the ciphertext in the bucket
 * as `<requestId>/<attachment id>`, before the request is committed, so a committed request
 * never names a missing object. Throws ERR_UNAVAILABLE when NATS does not take them in time
 * (the objects already stored are then deleted, or left to the bucket's max age).
 */
export async function uploadAttachments(bucket: AttachmentBucket, requestId: string, inputs: readonly NewAttachmentInput[]): Promise<Uploaded> {
  const out: Uploaded = { refs: [], files: [], objectNames: [] };
  const deadline = Date.now() + uploadTimeoutMs(inputs);
  try {
    for (const input of inputs) {
      const id = randomUUID();
      const objectName = attachmentObjectName(requestId, id);
      const { key, header, ciphertext } = await encryptStream(input.content);
      await bucket.put(objectName, ciphertext, Math.max(1_000, deadline - Date.now()));
      out.objectNames.push(objectName);
      out.refs.push({
        id,
        fileName: input.fileName,
        mediaType: input.mediaType,
        size: input.content.byteLength,
        key,
        header,
        ciphertextSha256: new Uint8Array(createHash('sha256').update(ciphertext).digest()),
        objectName,
      });
      out.files.push({ id, fileName: input.fileName, mediaType: input.mediaType, content: input.content });
    }
  } catch (e) {
    discardObjects(bucket, out.objectNames);
    throw e;
  }
  return out;
}

/** Deletes objects in the background, best effort (the bucket's max age removes what remains). */
export function discardObjects(bucket: AttachmentBucket, names: readonly string[]): void {
  for (const name of names) bucket.delete(name).catch(() => {});
}
