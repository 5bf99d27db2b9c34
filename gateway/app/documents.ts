import {
  EXTENSIONS,
  extensionProblem,
  fileNameProblem,
  hasMagic,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS,
  MEDIA_TYPES,
  type MediaType,
  type NewAttachmentInput,
} from '../../services/attachments/index.js';
import type { Lang } from '../i18n/index.js';
import type { UploadedFile } from '../multipart.js';

/** One problem of the documents of a compose form: a dictionary key and its parameters. */
export interface DocumentProblem {
  key: string;
  params: Record<string, string | number>;
}

/**
 * The node's rules for documents (services/attachments/rules.ts), as the compose page gives
 * them to its script: the browser checks with the same numbers and signatures as the node.
 */
export function documentRules(): { maxCount: number; maxBytes: number; types: Record<string, { label: string; ext: readonly string[]; magic: readonly number[] }> } {
  const types = Object.fromEntries((Object.keys(MEDIA_TYPES) as MediaType[]).map((t) => [t, { label: MEDIA_TYPES[t].label, ext: EXTENSIONS[t], magic: MEDIA_TYPES[t].magic }]));
  return { maxCount: MAX_ATTACHMENTS, maxBytes: MAX_ATTACHMENT_BYTES, types };
}

/** A number of bytes as people read it, in their language, in units of 1024 as file managers show them: "1,3 MB", "820 kB". */
export function formatBytes(lang: Lang, bytes: number): string {
  const [value, unit] = bytes >= 1024 * 1024 ? [bytes / (1024 * 1024), 'megabyte'] : [Math.max(1, Math.ceil(bytes / 1024)), 'kilobyte'];
  return new Intl.NumberFormat(lang, { style: 'unit', unit, maximumFractionDigits: 1 }).format(value);
}

/** The media type whose signature `content` starts with, if any: the content decides, not what the browser declared. */
function sniff(content: Uint8Array): MediaType | undefined {
  return (Object.keys(MEDIA_TYPES) as MediaType[]).find((t) => hasMagic(t, content));
}

/**
 * Checks the documents of a compose form with the node's rules and reports every problem at
 * once (each file's type, name and emptiness, then the count and the total size).
 *
 * @example const { files, problems } = checkDocuments('es', body.uploads.filter((u) => u.name === 'documents'));
 */
export function checkDocuments(lang: Lang, uploads: readonly UploadedFile[]): { files: NewAttachmentInput[]; problems: DocumentProblem[] } {
  const files: NewAttachmentInput[] = [];
  const problems: DocumentProblem[] = [];
  for (const u of uploads) {
    const name = u.filename;
    const content = new Uint8Array(u.data.buffer, u.data.byteOffset, u.data.byteLength);
    if (content.byteLength === 0) {
      problems.push({ key: 'docs.rule.empty', params: { name } });
      continue;
    }
    const type = sniff(content);
    if (!type) {
      problems.push({ key: 'docs.rule.type', params: { name } });
      continue;
    }
    if (fileNameProblem(name)) problems.push({ key: 'docs.rule.name', params: { name } });
    else if (extensionProblem(name, type)) problems.push({ key: 'docs.rule.extension', params: { name, ext: EXTENSIONS[type].map((e) => `.${e}`).join(' / '), type: MEDIA_TYPES[type].label } });
    else files.push({ fileName: name, mediaType: type, content });
  }
  if (uploads.length > MAX_ATTACHMENTS) problems.push({ key: 'docs.rule.count', params: { max: MAX_ATTACHMENTS, count: uploads.length } });
  const total = uploads.reduce((n, u) => n + u.data.byteLength, 0);
  if (total > MAX_ATTACHMENT_BYTES) problems.push({ key: 'docs.rule.total', params: { size: formatBytes(lang, total), max: formatBytes(lang, MAX_ATTACHMENT_BYTES) } });
  return { files, problems };
}
