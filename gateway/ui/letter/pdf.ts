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
  const cols = left.lang === right.lang ? [left] : [left, right];
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

  const full = PAGE.width - 2 * MARGIN;
  const width = cols.length === 1 ? full : (full - GUTTER) / 2;
  const xOf = (i: number) => MARGIN + i * (width + GUTTER);
  const bottom = PAGE.height - MARGIN - 14;
  let y = MARGIN;

  const height = (font: string, size: number, text: string, w: number) => (text ? doc.font(font).fontSize(size).heightOfString(text, { width: w }) : 0);
  const put = (font: string, size: number, text: string, x: number, at: number, w: number, color = 'black') => {
    if (text) doc.font(font).fontSize(size).fillColor(color).text(text, x, at, { width: w });
  };
  const room = (h: number) => {
    if (y + h <= bottom) return;
    doc.addPage();
    y = MARGIN;
  };
  /** Blocks side by side, each column its own text in its own language; the row is as tall as its tallest column. */
  const sideBySide = (blocks: { font: string; size: number; text: (t: LetterText) => string; color?: string; indent?: number }[], gap: number) => {
    const h = Math.max(...cols.map((c) => blocks.reduce((sum, b) => sum + height(b.font, b.size, b.text(c), width - (b.indent ?? 0)), 0)));
    room(h);
    cols.forEach((c, i) => {
      let at = y;
      for (const b of blocks) {
        put(b.font, b.size, b.text(c), xOf(i) + (b.indent ?? 0), at, width - (b.indent ?? 0), b.color);
        at += height(b.font, b.size, b.text(c), width - (b.indent ?? 0));
      }
    });
    y += h + gap;
  };
  const sharedRow = (labels: string, value: string) => {
    const h = height('bold', SIZE.label, labels, full) + height('mono', SIZE.value - 1, value, full);
    room(h);
    put('bold', SIZE.label, labels, MARGIN, y, full, GREY);
    put('mono', SIZE.value - 1, value, MARGIN, y + height('bold', SIZE.label, labels, full), full);
    y += h + 4;
  };

  if (cols.length === 2) sideBySide([{ font: 'bold', size: SIZE.label, text: (t) => LANG_NAMES[t.lang], color: GREY }], 2);
  sideBySide([{ font: 'bold', size: SIZE.title, text: (t) => t.title }], 2);
  sideBySide([{ font: 'regular', size: SIZE.subject, text: (t) => t.subject }], 10);

  left.sections.forEach((section, s) => {
    const row = (t: LetterText, r: number): LetterRow => t.sections[s]!.rows[r]!;
    room(40);
    doc
      .moveTo(MARGIN, y)
      .lineTo(PAGE.width - MARGIN, y)
      .lineWidth(0.5)
      .strokeColor('#999999')
      .stroke();
    y += 5;
    sideBySide([{ font: 'bold', size: SIZE.section, text: (t) => t.sections[s]!.title }], 3);
    if (section.note) sideBySide([{ font: 'regular', size: SIZE.note, text: (t) => t.sections[s]!.note ?? '', color: GREY }], 4);
    section.rows.forEach((first, r) => {
      if (first.shared) return sharedRow([...new Set(cols.map((t) => row(t, r).label))].join(' · '), first.value);
      const indent = first.depth * INDENT;
      if (!first.value) return sideBySide([{ font: 'bold', size: SIZE.value, text: (t) => row(t, r).label, indent }], 2);
      const pieces = cols.map((t) => chunks(row(t, r).value));
      const count = Math.max(...pieces.map((p) => p.length));
      sideBySide(
        [
          { font: 'bold', size: SIZE.label, text: (t) => row(t, r).label, color: GREY, indent },
          { font: 'regular', size: SIZE.value, text: (t) => pieces[cols.indexOf(t)]![0] ?? '', indent },
        ],
        count > 1 ? 0 : 4,
      );
      for (let k = 1; k < count; k++) sideBySide([{ font: 'regular', size: SIZE.value, text: (t) => pieces[cols.indexOf(t)]![k] ?? '', indent }], k === count - 1 ? 4 : 0);
      return undefined;
    });
    y += 6;
  });
  sideBySide([{ font: 'regular', size: SIZE.footer, text: (t) => t.footer, color: GREY }], 0);

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Below the bottom margin pdfkit would open a new page: the footer line sits in the margin.
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const line = [...new Set(cols.map((t) => t.page(i + 1, range.count)))].join(' · ');
    put('regular', SIZE.footer, line, MARGIN, PAGE.height - MARGIN + 8, full, GREY);
    doc.page.margins.bottom = margin;
  }
  doc.end();
  return done;
}
