/** Limits and allowlists of attachments (docs/protocol.md §18.4), shared by the API edge and the inbox. */

/** Plaintext bytes of all the attachments of one request together. */
export const MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024;
export const MAX_ATTACHMENTS = 20;
/** Plaintext bytes per secretstream chunk; each ciphertext chunk is this plus 17 bytes. */
export const CHUNK_BYTES = 64 * 1024;

/** The media types a request may carry, each with the bytes its files start with. */
export const MEDIA_TYPES = {
  'application/pdf': { label: 'PDF', magic: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // "%PDF-"
  'image/jpeg': { label: 'JPEG', magic: [0xff, 0xd8, 0xff] },
  'image/png': { label: 'PNG', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
} as const;

export type MediaType = keyof typeof MEDIA_TYPES;

export const MEDIA_TYPES_TEXT = 'application/pdf, image/jpeg or image/png';

export function isMediaType(value: string): value is MediaType {
  return Object.hasOwn(MEDIA_TYPES, value);
}

/** Whether `content` starts with the signature of `mediaType`. */
export function hasMagic(mediaType: MediaType, content: Uint8Array): boolean {
  const magic = MEDIA_TYPES[mediaType].magic;
  return content.byteLength >= magic.length && magic.every((b, i) => content[i] === b);
}

/**
 * What is wrong with a file name, or undefined when it is acceptable: 1 to 255 characters
 * (Unicode code points, as protovalidate's max_len counts them in envelope.proto),
 * no path (`/`, `\`), no control or bidirectional-formatting characters (which can disguise
 * an extension), not `.` or `..`, no leading or trailing space.
 */
export function fileNameProblem(name: string): string | undefined {
  const length = [...name].length;
  if (length === 0 || length > 255) return 'must have 1 to 255 characters';
  if (/[/\\]/.test(name)) return 'must be a file name without a path (no / or \\)';
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(name)) return 'must not contain control characters';
  if (/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(name)) return 'must not contain bidirectional formatting characters';
  if (name === '.' || name === '..') return 'must not be . or ..';
  if (name.trim() !== name) return 'must not start or end with a space';
  return undefined;
}

/** The file name extensions each media type may carry (lower case, without the dot). */
export const EXTENSIONS: Record<MediaType, readonly string[]> = {
  'application/pdf': ['pdf'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/png': ['png'],
};

/**
 * What is wrong with the extension of `name` for a file of `mediaType` (whose content was
 * checked to start with that type's signature), or undefined: `evidence.html` declared and
 * sniffed as PDF is refused, so no browser or desktop ever opens it as a page.
 */
export function extensionProblem(name: string, mediaType: MediaType): string | undefined {
  const m = /\.([^.]+)$/.exec(name);
  const ext = m?.[1]?.toLowerCase();
  const allowed = EXTENSIONS[mediaType];
  if (ext && allowed.includes(ext)) return undefined;
  return `must end in ${allowed.map((e) => `.${e}`).join(' or ')} for a ${MEDIA_TYPES[mediaType].label} file`;
}

/** One file as a person submits it, after validation. */
export interface NewAttachmentInput {
  fileName: string;
  mediaType: MediaType;
  content: Uint8Array;
}
