import { existsSync } from 'node:fs';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { LANG_NAMES } from '../../i18n/index.js';
import type { LetterRow, LetterText } from './content.js';

/**
 * Debian's DejaVu fonts (package fonts-dejavu-core, installed by scripts/setup.sh): the PDF
 * standard fonts stop at WinAnsi, DejaVu covers every letter of the four languages and the
 * names a request may hold (ő, ł, ğ...).
 */
export const LETTER_FONT_DIR = '/usr/share/fonts/truetype/dejavu';
const FONTS = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf', mono: 'DejaVuSansMono.ttf' } as const;

const PAGE = { width: 595.28, height: 841.89 }; // A4
const MARGIN = 48;
const GUTTER = 18;
const INDENT = 10;
const SIZE = { title: 15, subject: 10.5, section: 11, label: 7.5, value: 9.5, note: 8.5, footer: 7 } as const;
const GREY = '#555555';

/** Characters of one block: a longer text (facts run to 20,000) is laid out as blocks that each fit on a page. */
const CHUNK = 400;

/** A text cut at white space into pieces of at most CHUNK characters (a word longer than that is cut). */
export function chunks(text: string): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > CHUNK) {
    const cut = rest.lastIndexOf(' ', CHUNK);
    const at = cut > CHUNK / 2 ? cut : CHUNK;
    out.push(rest.slice(0, at));
    rest = rest.slice(at).replace(/^ /, '');
  }
  out.push(rest);
  return out;
}

function fontPaths(dir: string): Record<keyof typeof FONTS, string> {
  const paths = { regular: join(dir, FONTS.regular), bold: join(dir, FONTS.bold), mono: join(dir, FONTS.mono) };
  const missing = Object.values(paths).filter((p) => !existsSync(p));
  if (missing.length) throw new Error(`the letter of request needs the DejaVu fonts (${missing.join(', ')} not found): install Debian's fonts-dejavu-core (scripts/setup.sh does)`);
  return paths;
}

type Block = { font: string; size: number; text: (t: LetterText) => string; color?: string; indent?: number };

/** A PDF document with the letter's fonts, and the promise of its bytes once it ends. */
function openDocument(left: LetterText, fonts: ReturnType<typeof fontPaths>): { doc: PDFKit.PDFDocument; done: Promise<Buffer> } {
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, bufferPages: true, info: { Title: `${left.title} · ${left.subject}`, Producer: 'Enlace', Creator: 'Enlace' }, lang: left.lang });
  doc.registerFont('regular', fonts.regular);
  doc.registerFont('bold', fonts.bold);
  doc.registerFont('mono', fonts.mono);
  const parts: Buffer[] = [];
  doc.on('data', (c: Buffer) => parts.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(parts)));
    doc.on('error', reject);
  });
  return { doc, done };
}

/** Where the letter is written: one or two language columns, the current height, a new page when a row does not fit. */
class Layout {
  readonly full = PAGE.width - 2 * MARGIN;
  readonly width: number;
  readonly bottom = PAGE.height - MARGIN - 14;
  y = MARGIN;

  constructor(
    readonly doc: PDFKit.PDFDocument,
    readonly cols: readonly LetterText[],
  ) {
    this.width = cols.length === 1 ? this.full : (this.full - GUTTER) / 2;
  }

  xOf(i: number): number {
    return MARGIN + i * (this.width + GUTTER);
  }

  height(font: string, size: number, text: string, w: number): number {
    return text ? this.doc.font(font).fontSize(size).heightOfString(text, { width: w }) : 0;
  }

  put(font: string, size: number, text: string, x: number, at: number, w: number, color = 'black'): void {
    if (text) this.doc.font(font).fontSize(size).fillColor(color).text(text, x, at, { width: w });
  }

  room(h: number): void {
    if (this.y + h <= this.bottom) return;
    this.doc.addPage();
    this.y = MARGIN;
  }

  /** Blocks side by side, each column its own text in its own language; the row is as tall as its tallest column. */
  sideBySide(blocks: Block[], gap: number): void {
    const w = (b: Block) => this.width - (b.indent ?? 0);
    const h = Math.max(...this.cols.map((c) => blocks.reduce((sum, b) => sum + this.height(b.font, b.size, b.text(c), w(b)), 0)));
    this.room(h);
    this.cols.forEach((c, i) => {
      let at = this.y;
      for (const b of blocks) {
        this.put(b.font, b.size, b.text(c), this.xOf(i) + (b.indent ?? 0), at, w(b), b.color);
        at += this.height(b.font, b.size, b.text(c), w(b));
      }
    });
    this.y += h + gap;
  }

  /** A row that reads the same in every language (a hash, an id), across both columns. */
  sharedRow(labels: string, value: string): void {
    const labelHeight = this.height('bold', SIZE.label, labels, this.full);
    const h = labelHeight + this.height('mono', SIZE.value - 1, value, this.full);
    this.room(h);
    this.put('bold', SIZE.label, labels, MARGIN, this.y, this.full, GREY);
    this.put('mono', SIZE.value - 1, value, MARGIN, this.y + labelHeight, this.full);
    this.y += h + 4;
  }

  rule(): void {
    this.room(40);
    this.doc
      .moveTo(MARGIN, this.y)
      .lineTo(PAGE.width - MARGIN, this.y)
      .lineWidth(0.5)
      .strokeColor('#999999')
      .stroke();
    this.y += 5;
  }
}

/** Section `s` of the letter: its title and note, then each row (labelled values, shared rows, long values in pieces). */
function writeSection(l: Layout, left: LetterText, s: number): void {
  const section = left.sections[s]!;
  const row = (t: LetterText, r: number): LetterRow => t.sections[s]!.rows[r]!;
  l.rule();
  l.sideBySide([{ font: 'bold', size: SIZE.section, text: (t) => t.sections[s]!.title }], 3);
  if (section.note) l.sideBySide([{ font: 'regular', size: SIZE.note, text: (t) => t.sections[s]!.note ?? '', color: GREY }], 4);
  section.rows.forEach((first, r) => {
    if (first.shared) return l.sharedRow([...new Set(l.cols.map((t) => row(t, r).label))].join(' · '), first.value);
    const indent = first.depth * INDENT;
    if (!first.value) return l.sideBySide([{ font: 'bold', size: SIZE.value, text: (t) => row(t, r).label, indent }], 2);
    const pieces = l.cols.map((t) => chunks(row(t, r).value));
    const count = Math.max(...pieces.map((p) => p.length));
    const piece = (k: number) => (t: LetterText) => pieces[l.cols.indexOf(t)]![k] ?? '';
    l.sideBySide(
      [
        { font: 'bold', size: SIZE.label, text: (t) => row(t, r).label, color: GREY, indent },
        { font: 'regular', size: SIZE.value, text: piece(0), indent },
      ],
      count > 1 ? 0 : 4,
    );
    for (let k = 1; k < count; k++) l.sideBySide([{ font: 'regular', size: SIZE.value, text: piece(k), indent }], k === count - 1 ? 4 : 0);
    return undefined;
  });
  l.y += 6;
}

/** "Page n of m" on every page, in the bottom margin (below it pdfkit would open a new page). */
function numberPages(l: Layout): void {
  const { doc } = l;
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const line = [...new Set(l.cols.map((t) => t.page(i + 1, range.count)))].join(' · ');
    l.put('regular', SIZE.footer, line, MARGIN, PAGE.height - MARGIN + 8, l.full, GREY);
    doc.page.margins.bottom = margin;
  }
}

/**
 * The letter of a request as a PDF: the sender's language on the left, the recipient's on the
 * right, row beside row, one column when both are the same language. Hashes, ids and key ids
 * read the same in every language and span both columns.
 *
 * @example
 *   const pdf = await renderLetter([letterText(res, 'es', at), letterText(res, 'pt', at)]);
 */
export async function renderLetter(texts: readonly [LetterText, LetterText], fontDir = LETTER_FONT_DIR): Promise<Buffer> {
  const fonts = fontPaths(fontDir);
  const [left, right] = texts;
  const { doc, done } = openDocument(left, fonts);
  const l = new Layout(doc, left.lang === right.lang ? [left] : [left, right]);
  if (l.cols.length === 2) l.sideBySide([{ font: 'bold', size: SIZE.label, text: (t) => LANG_NAMES[t.lang], color: GREY }], 2);
  l.sideBySide([{ font: 'bold', size: SIZE.title, text: (t) => t.title }], 2);
  l.sideBySide([{ font: 'regular', size: SIZE.subject, text: (t) => t.subject }], 10);
  left.sections.forEach((_, s) => writeSection(l, left, s));
  l.sideBySide([{ font: 'regular', size: SIZE.footer, text: (t) => t.footer, color: GREY }], 0);
  numberPages(l);
  doc.end();
  return done;
}
