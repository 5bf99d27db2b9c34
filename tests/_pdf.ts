/** What a person reads in a PDF the gateway makes (a letter of request), extracted with pdf.js. */
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** The text of every page of `bytes`, items joined by spaces, every run of white space (page breaks too) made one space. */
export async function pdfText(bytes: Uint8Array): Promise<string> {
  const doc = await getDocument({ data: bytes, useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    pages.push(content.items.map((it) => ('str' in it ? it.str : '')).join(' '));
  }
  await doc.destroy();
  return pages.join('\n').replace(/\s+/g, ' ');
}
