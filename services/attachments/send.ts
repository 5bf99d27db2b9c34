import { createHash, randomUUID } from 'node:crypto';
import type { AttachmentRef } from '../../generated/enlace/v1/envelope.js';
import type { AttachmentFile } from '../store/index.js';
import { attachmentObjectName, attachmentPartId } from '../transport/index.js';
import type { NewAttachmentInput } from './rules.js';
import { encryptStream } from './secretstream.js';

/**
 * Ciphertext bytes per part message on the lane (docs/protocol.md §18.4): well under NATS's
 * default 1 MB max_payload, so that a part never needs a server setting.
 */
export const PART_BYTES = 512 * 1024;

/** Outbox kind of an attachment part (not an envelope kind: it is published with ATTACHMENT_PART_HEADER). */
export const ATTACHMENT_PART_KIND = 'attachment_part';

/** One part of an attachment's ciphertext, as it goes into the outbox. */
export interface Part {
  /** `<request id>/<attachment id>/<offset>`: the outbox key and the Nats-Msg-Id. */
  id: string;
  bytes: Uint8Array;
}

export interface SealedAttachments {
  /** For the signed RequestBody: what opens and checks each object. */
  refs: AttachmentRef[];
  /** For this node's store: the files in clear, with the ids the refs carry. */
  files: AttachmentFile[];
  /** The ciphertexts cut into parts, in order: enqueued before the request, in its transaction. */
  parts: Part[];
}

/** Cuts `ciphertext` into parts of PART_BYTES (the last one shorter), each named by its offset. */
export function partsOf(requestId: string, attachmentId: string, ciphertext: Uint8Array): Part[] {
  const parts: Part[] = [];
  for (let at = 0; at < ciphertext.byteLength; at += PART_BYTES) {
    parts.push({ id: attachmentPartId(requestId, attachmentId, at), bytes: ciphertext.subarray(at, Math.min(at + PART_BYTES, ciphertext.byteLength)) });
  }
  return parts;
}

/**
 * Encrypts each file under a fresh secretstream key and cuts its ciphertext into parts for the
 * outbox. Nothing touches the network: the relay publishes the parts, then the request, on the
 * sender's lane, and re-sends them with the request until its receipt arrives.
 *
 * @example
 * const sealed = await sealAttachments(id, [{ fileName: 'acta.pdf', mediaType: 'application/pdf', content }]);
 * body.attachments = sealed.refs; // and sealed.parts go into the outbox before the request
 */
export async function sealAttachments(requestId: string, inputs: readonly NewAttachmentInput[]): Promise<SealedAttachments> {
  const out: SealedAttachments = { refs: [], files: [], parts: [] };
  for (const input of inputs) {
    const id = randomUUID();
    const { key, header, ciphertext } = await encryptStream(input.content);
    out.parts.push(...partsOf(requestId, id, ciphertext));
    out.refs.push({
      id,
      fileName: input.fileName,
      mediaType: input.mediaType,
      size: input.content.byteLength,
      key,
      header,
      ciphertextSha256: new Uint8Array(createHash('sha256').update(ciphertext).digest()),
      objectName: attachmentObjectName(requestId, id),
    });
    out.files.push({ id, fileName: input.fileName, mediaType: input.mediaType, content: input.content });
  }
  return out;
}
