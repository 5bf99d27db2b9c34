export { sealAttachments, partsOf, PART_BYTES, ATTACHMENT_PART_KIND } from './send.js';
export type { Part, SealedAttachments } from './send.js';
export { receiveAttachments } from './receive.js';
export type { Received, CiphertextSource } from './receive.js';
export { encryptStream, decryptStream, ciphertextLength } from './secretstream.js';
export type { StreamCiphertext } from './secretstream.js';
export { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, CHUNK_BYTES, MEDIA_TYPES, MEDIA_TYPES_TEXT, EXTENSIONS, isMediaType, hasMagic, extensionProblem, fileNameProblem } from './rules.js';
export type { MediaType, NewAttachmentInput } from './rules.js';
