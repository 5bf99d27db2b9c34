export { AttachmentBucket, attachmentBucketOf, ensureAttachmentBuckets, ATTACHMENT_MAX_AGE_MS } from './bucket.js';
export type { Fetched } from './bucket.js';
export { uploadAttachments, discardObjects, uploadTimeoutMs } from './send.js';
export type { Uploaded } from './send.js';
export { receiveAttachments } from './receive.js';
export type { Received } from './receive.js';
export { encryptStream, decryptStream, ciphertextLength } from './secretstream.js';
export type { StreamCiphertext } from './secretstream.js';
export {
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS,
  CHUNK_BYTES,
  MEDIA_TYPES,
  MEDIA_TYPES_TEXT,
  isMediaType,
  hasMagic,
  extensionProblem,
  fileNameProblem,
} from './rules.js';
export type { MediaType, NewAttachmentInput } from './rules.js';
