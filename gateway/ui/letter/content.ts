import type { GetRequestResponse, Request } from '../../../generated/enlace/v1/exchange.js';
import { RequestPayload } from '../../../generated/enlace/v1/requests.js';
import { label as codeLabel } from '../../../services/requests/codes.js';
import { REDACTED } from '../../../services/requests/redact.js';
import { directionCode, eventCode, statusCode, type RequestKind } from '../../app/codes.js';
import { plainPath, REQUEST_FORMS } from '../../app/typed-forms.js';
import { translateDynamic, translator, type Lang, type MessageKey, type Params } from '../../i18n/index.js';
import { formatBytes } from '../../app/documents.js';
import { documentType } from '../documents.js';
import { handlingLabel } from '../links.js';
import { subjectLine } from '../subject.js';
import { fieldLabel } from '../typed.js';
import { countryName, type View } from '../view.js';

/**
 * One line of the letter. `depth` indents a person's or an offence's fields under its heading
 * (a row with no value). A `shared` row holds a value that reads the same in every language
 * (a hash, a key id): the letter prints it once across both columns, under both labels.
 */
export interface LetterRow {
  label: string;
  value: string;
  depth: number;
  shared?: boolean;
}

export interface LetterSection {
  title: string;
  rows: LetterRow[];
  /** A sentence under the title (a redaction, an erasure). */
  note?: string;
}

/** The letter in one language. Built from the same response for each language, two of them have the same shape row for row. */
export interface LetterText {
  lang: Lang;
  title: string;
  subject: string;
  sections: LetterSection[];
  footer: string;
  /** "Page {page} of {pages}" in this language. */
  page: (page: number, pages: number) => string;
}

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function words(lang: Lang, country: string, timeZone: string) {
  const t = translator(lang);
  const view: View = { lang, t, country, csrf: '', path: '', timeZone };
  const code = (prefix: string, c: string, params?: Params) => translateDynamic(lang, `${prefix}.${c}`, c, params);
  const time = (ms: number | bigint) =>
    Number(ms)
      ? new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short' }).format(new Date(Number(ms)))
      : '—';
  const authority = (a: string) => {
    const [c = '', slug] = a.split('/');
    return `${countryName(view, c)} (${c})${slug ? ` · ${slug}` : ''}`;
  };
  return { t: (k: MessageKey, p?: Params) => t(k, p), view, code, time, authority };
}

type Words = ReturnType<typeof words>;

/** Which code table a value of the typed request belongs to (by path without indices). */
function tableOf(kind: string, path: string) {
  return REQUEST_FORMS[kind as RequestKind]?.find((f) => plainPath(f.path) === path)?.table;
}

/** The typed form as rows, the way the detail page lays it out: nested objects under a heading, codes as their labels. */
function typedRows(lang: Lang, w: Words, typed: RequestPayload, skip: (path: string) => boolean): LetterRow[] {
  const json = RequestPayload.toJSON(typed) as Record<string, unknown>;
  const kindKey = Object.keys(json).find((k) => k !== 'language');
  if (!kindKey) return [];
  const kind = snake(kindKey);
  const rows: LetterRow[] = [];
  const scalar = (path: string, x: unknown): string => {
    if (x === REDACTED) return translateDynamic(lang, 'typed.redacted', 'withheld');
    if (typeof x === 'boolean') return w.t(x ? 'common.yes' : 'common.no');
    const table = tableOf(kind, path);
    if (typeof x === 'string') return table ? codeLabel(table, x, lang) : x;
    return typeof x === 'number' || typeof x === 'bigint' ? String(x) : '';
  };
  const walk = (obj: Record<string, unknown>, path: string, depth: number) => {
    for (const [k, val] of Object.entries(obj)) {
      const p = path ? `${path}.${snake(k)}` : snake(k);
      if (skip(p) || val === '' || val === false || val === null || (Array.isArray(val) && val.length === 0)) continue;
      const lbl = fieldLabel(lang, p);
      if (Array.isArray(val) && val.some((i) => i !== null && typeof i === 'object')) {
        val.forEach((item, i) => {
          rows.push({ label: val.length > 1 ? `${lbl} ${i + 1}` : lbl, value: '', depth });
          if (item !== null && typeof item === 'object') walk(item as Record<string, unknown>, p, depth + 1);
          else rows.push({ label: lbl, value: scalar(p, item), depth: depth + 1 });
        });
      } else if (Array.isArray(val)) {
        rows.push({ label: lbl, value: val.map((i) => scalar(p, i)).join(', '), depth });
      } else if (typeof val === 'object' && isFile(val)) {
        rows.push({ label: lbl, value: w.t('letter.document', { type: val.mediaType, bytes: Buffer.from(val.data, 'base64').byteLength }), depth });
      } else if (typeof val === 'object') {
        rows.push({ label: lbl, value: '', depth });
        walk(val as Record<string, unknown>, p, depth + 1);
      } else {
        rows.push({ label: lbl, value: scalar(p, val), depth });
      }
    }
  };
  const body = json[kindKey];
  if (body && typeof body === 'object') walk(body as Record<string, unknown>, '', 0);
  return rows;
}

/** A file inside the form (a photo): printed as its type and size. */
function isFile(x: object): x is { mediaType: string; data: string } {
  return Object.keys(x).sort().join() === 'data,mediaType';
}

interface LegalBasisJson {
  code?: string;
  details?: string;
}

/** The legal bases of a typed request, wherever its form keeps them (top level or inside an offence). */
function legalBases(typed: RequestPayload | undefined): LegalBasisJson[] {
  if (!typed) return [];
  const json = RequestPayload.toJSON(typed) as Record<string, Record<string, unknown> | undefined>;
  const body = Object.entries(json).find(([k]) => k !== 'language')?.[1];
  const list = body?.legalBases;
  return Array.isArray(list) ? (list as LegalBasisJson[]) : [];
}

function factsSection(w: Words, r: Request): LetterSection {
  const rows: LetterRow[] = [
    { label: w.t('detail.kind'), value: w.code('kind', r.kind), depth: 0 },
    { label: w.t('detail.reference'), value: r.senderReference || '—', depth: 0 },
    { label: w.t('detail.urgency'), value: codeLabel('urgency', r.urgency || 'normal', w.view.lang), depth: 0 },
    { label: w.t('detail.created'), value: w.time(r.createdAt), depth: 0 },
    { label: w.t('detail.id'), value: r.id, depth: 0, shared: true },
  ];
  const status = statusCode(r.status);
  rows.splice(3, 0, { label: w.t('list.status'), value: w.code('status', status), depth: 0 });
  if (r.stage) rows.splice(4, 0, { label: w.t('detail.stage'), value: codeLabel('extradition_stages', r.stage, w.view.lang), depth: 0 });
  return { title: w.t('detail.facts'), rows };
}

function contentSection(lang: Lang, w: Words, r: Request): LetterSection {
  const title = w.t('detail.content');
  if (r.erased) return { title, rows: [], note: w.t('detail.erased') };
  const note = r.payloadRedacted ? w.t('detail.redacted') : undefined;
  if (r.typed) {
    const rows = typedRows(lang, w, r.typed, (p) => p === 'legal_bases');
    return note ? { title, rows, note } : { title, rows };
  }
  if (r.payloadRedacted) return { title, rows: [], note: w.t('detail.redacted') };
  if (r.payload.byteLength === 0) return { title, rows: [], note: w.t('detail.noPayload') };
  const text =
    r.payloadType === 'application/json' || r.payloadType.startsWith('text/') ? new TextDecoder().decode(r.payload) : w.t('detail.binary', { bytes: r.payload.byteLength, type: r.payloadType });
  return { title, rows: [{ label: w.t('detail.content'), value: text, depth: 0 }] };
}

/** Each document by name, type and size, then the SHA-256 of the file across both columns (where the reader's role sees it). */
function documentsSection(w: Words, r: Request): LetterSection {
  const title = w.t('detail.attachments');
  if (!r.attachments.length) return { title, rows: [], note: w.t('letter.noDocuments') };
  const rows = r.attachments.flatMap((a, i): LetterRow[] => {
    const row: LetterRow = {
      label: `${i + 1}. ${a.fileName || translateDynamic(w.view.lang, 'typed.redacted', 'withheld')}`,
      value: w.t('letter.documentMeta', { type: documentType(a.mediaType), size: formatBytes(w.view.lang, a.size) }),
      depth: 0,
    };
    return a.sha256.byteLength ? [row, { label: w.t('docs.sha'), value: hex(a.sha256), depth: 1, shared: true }] : [row];
  });
  const section: LetterSection = { title, rows };
  if (r.attachments.some((a) => !a.fileName)) section.note = w.t('docs.withheld');
  return section;
}

function integritySection(w: Words, res: GetRequestResponse): LetterSection {
  const rows: LetterRow[] = [];
  const rc = res.receipt;
  if (rc) {
    rows.push(
      { label: w.t('receipt.sha'), value: hex(rc.envelopeSha256), depth: 0, shared: true },
      { label: w.t('receipt.id'), value: rc.receiptEnvelopeId, depth: 0, shared: true },
      { label: `${w.t('receipt.signer')} (${rc.signerCountry})`, value: rc.signerKeyId, depth: 0, shared: true },
      {
        label: w.t('receipt.outcome'),
        value: `${w.code('receipt', rc.outcome)}${rc.reasonCode ? ` (${rc.reasonCode})` : ''}, ${w.t(rc.signatureVerified ? 'letter.verified' : 'letter.notVerified')}`,
        depth: 0,
      },
      { label: w.t('receipt.received'), value: w.time(rc.receivedAt), depth: 0 },
    );
  }
  for (const st of res.steps) {
    if (!st.signature?.keyId) continue;
    rows.push({ label: `${w.t('letter.stepSigner')} ${st.by} · ${w.code('action', st.action)}`, value: st.signature.keyId, depth: 0, shared: true });
  }
  const section: LetterSection = { title: w.t('letter.integrity'), rows };
  if (!rc) section.note = w.t('letter.noReceipt');
  return section;
}

function timelineSection(w: Words, res: GetRequestResponse): LetterSection {
  const r = res.request!;
  const other = directionCode(r.direction) === 'outbound' ? r.to.slice(0, 2) : r.from.slice(0, 2);
  const items = [
    ...res.timeline.filter((e) => eventCode(e.type) !== 'transition').map((e) => ({ at: Number(e.at), text: w.code('event', eventCode(e.type), { country: other, time: w.time(e.at) }) })),
    ...res.steps.map((st) => ({
      at: Number(st.at),
      text: `${st.by} · ${st.action === 'record_stage' ? codeLabel('extradition_stages', st.stage, w.view.lang) : w.code('action', st.action)}${st.note ? `: ${st.note}` : ''}`,
    })),
  ].sort((a, b) => a.at - b.at);
  return { title: w.t('detail.timeline'), rows: items.map((it) => ({ label: w.time(it.at), value: it.text, depth: 0 })) };
}

/**
 * The letter of a request in `lang`, from what the node returned to the reader (redacted for
 * the reader's role by the node; nothing here reads around it).
 */
export function letterText(res: GetRequestResponse, lang: Lang, at: { country: string; timeZone: string; now: number }): LetterText {
  const r = res.request!;
  const w = words(lang, at.country, at.timeZone);
  const bases = legalBases(r.typed);
  const legal: LetterSection = {
    title: w.t('letter.legalBasis'),
    rows: bases.map((b) => ({ label: codeLabel('legal_bases', b.code ?? '', lang), value: b.details ?? '', depth: 0 })),
  };
  if (!bases.length) legal.note = r.payloadRedacted && !r.typed ? w.t('detail.redacted') : w.t('letter.noLegalBasis');
  const handling = r.links?.handling ?? [];
  const sections: LetterSection[] = [
    // The use restrictions (docs/protocol.md §25.3) come first, as on the page.
    ...(handling.length ? [{ title: w.t('restrict.title'), rows: handling.map((c) => ({ label: handlingLabel(w.view, c), value: '', depth: 0 })), note: w.t('restrict.carry') }] : []),
    {
      title: w.t('letter.authorities'),
      rows: [
        { label: w.t('letter.requesting'), value: w.authority(r.from), depth: 0 },
        { label: w.t('letter.requested'), value: w.authority(r.to), depth: 0 },
      ],
    },
    factsSection(w, r),
    legal,
    contentSection(lang, w, r),
    documentsSection(w, r),
    integritySection(w, res),
    timelineSection(w, res),
  ];
  return {
    lang,
    title: w.t('letter.title'),
    subject: subjectLine(w.view, r),
    sections,
    footer: w.t('letter.footer', { country: at.country, time: w.time(at.now) }),
    page: (page, pages) => w.t('letter.page', { page, pages }),
  };
}
