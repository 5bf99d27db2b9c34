/** One uploaded file of a multipart/form-data body. */
export interface UploadedFile {
  filename: string;
  contentType: string;
  data: Buffer;
}

/** A multipart/form-data body: text fields as strings (the last of a repeated name wins), files apart. */
export interface MultipartBody {
  fields: Record<string, string>;
  files: Record<string, UploadedFile>;
  /** Every text part in body order, repeated names included (a form's lists). */
  entries: [string, string][];
  /** Every file part in body order, with its field name; a file input left empty sends none here. */
  uploads: (UploadedFile & { name: string })[];
}

/** A body that is not the multipart/form-data its header announces. */
export class MultipartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MultipartError';
  }
}

function boundaryOf(contentType: string): string {
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  const b = m?.[1] ?? m?.[2];
  if (!b) throw new MultipartError('no boundary');
  return b;
}

function param(header: string, name: string): string | undefined {
  const m = new RegExp(`;\\s*${name}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(header) ?? new RegExp(`;\\s*${name}=([^\\s;]+)`, 'i').exec(header);
  return m?.[1]?.replace(/\\(.)/g, '$1');
}

/**
 * Parses a whole multipart/form-data body (RFC 7578) held in memory; the server's body
 * limit bounds its size. Browsers send one part per field, each with a Content-Disposition
 * naming it and, for a file, its file name.
 *
 * @example parseMultipart(body, req.headers['content-type']).files.file?.data
 */
export function parseMultipart(body: Buffer, contentType: string): MultipartBody {
  const delimiter = Buffer.from(`--${boundaryOf(contentType)}`);
  const out: MultipartBody = { fields: {}, files: {}, entries: [], uploads: [] };
  let at = body.indexOf(delimiter);
  if (at < 0) throw new MultipartError('no part');
  for (;;) {
    at += delimiter.length;
    if (body.subarray(at, at + 2).toString() === '--') return out;
    if (body.subarray(at, at + 2).toString() !== '\r\n') throw new MultipartError('a delimiter is not followed by a line break');
    at += 2;
    const headEnd = body.indexOf('\r\n\r\n', at);
    if (headEnd < 0) throw new MultipartError('a part has no end of headers');
    const headers = body.subarray(at, headEnd).toString('utf8').split('\r\n');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headEnd + 4);
    if (next < 0) throw new MultipartError('a part is not closed');
    const data = body.subarray(headEnd + 4, next);
    const disposition = headers.find((h) => /^content-disposition:/i.test(h)) ?? '';
    const type = headers.find((h) => /^content-type:/i.test(h))?.replace(/^content-type:\s*/i, '') ?? '';
    const name = param(disposition, 'name');
    const filename = param(disposition, 'filename');
    if (name !== undefined && filename !== undefined) {
      const file = { filename, contentType: type, data: Buffer.from(data) };
      out.files[name] = file;
      if (filename !== '' || data.byteLength > 0) out.uploads.push({ name, ...file });
    } else if (name !== undefined) {
      out.fields[name] = data.toString('utf8');
      out.entries.push([name, out.fields[name]]);
    }
    at = next + 2;
  }
}
