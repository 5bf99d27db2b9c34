import type { GetAttachmentRequest, NewAttachment } from '../../generated/enlace/v1/exchange.js';
import { InvalidArgumentError } from '../../keys/index.js';
import { UUID } from '../vocabulary.js';
import { extensionProblem, fileNameProblem, hasMagic, isMediaType, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, MEDIA_TYPES, MEDIA_TYPES_TEXT, type NewAttachmentInput } from '../attachments/index.js';
import { validRequestId } from './validate.js';

const MIB = 1024 * 1024;

/** SubmitRequest.attachments: at most 20 files, 50 MiB together, allowed types whose content matches. */
export function validAttachments(list: readonly NewAttachment[]): NewAttachmentInput[] {
  if (list.length > MAX_ATTACHMENTS) throw new InvalidArgumentError('attachments', `must have at most ${MAX_ATTACHMENTS} files (has ${list.length})`);
  const total = list.reduce((n, a) => n + a.content.byteLength, 0);
  if (total > MAX_ATTACHMENT_BYTES) {
    throw new InvalidArgumentError('attachments', `must be at most ${MAX_ATTACHMENT_BYTES / MIB} MiB (${MAX_ATTACHMENT_BYTES} bytes) together; these are ${total} bytes`);
  }
  return list.map((a, i) => {
    const field = `attachments[${i}]`;
    const nameProblem = fileNameProblem(a.fileName);
    if (nameProblem) throw new InvalidArgumentError(`${field}.file_name`, nameProblem);
    if (!isMediaType(a.mediaType)) throw new InvalidArgumentError(`${field}.media_type`, `must be ${MEDIA_TYPES_TEXT}`);
    if (a.content.byteLength === 0) throw new InvalidArgumentError(`${field}.content`, 'must not be empty');
    if (!hasMagic(a.mediaType, a.content)) {
      throw new InvalidArgumentError(`${field}.content`, `is not a ${MEDIA_TYPES[a.mediaType].label} file (media_type says ${a.mediaType})`);
    }
    const extension = extensionProblem(a.fileName, a.mediaType);
    if (extension) throw new InvalidArgumentError(`${field}.file_name`, extension);
    return { fileName: a.fileName, mediaType: a.mediaType, content: a.content };
  });
}

export function validGetAttachment(req: GetAttachmentRequest): { requestId: string; attachmentId: string } {
  const requestId = validRequestId(req.requestId, 'request_id');
  if (!UUID.test(req.attachmentId)) throw new InvalidArgumentError('attachment_id', 'must be an attachment id (a lower-case UUID, as listed on the request)');
  return { requestId, attachmentId: req.attachmentId };
}
