/**
 * The language scan of the browser tests (issue 17 item 3): what a page in one language shows
 * that belongs to another (English of the catalogue, English words of the node's sentences)
 * or that is a raw id (a UUID, a key id, an authority's slug, a country code instead of its
 * name), outside the folded technical details an operator opens on purpose.
 */
import type { Page } from 'playwright-core';
import { DICTIONARIES, type Lang } from '../gateway/index.js';
import { untranslated } from './_browser.js';

/** The text a person reads on the page and the labelling attributes, without the technical details, form values, or text marked as another language. */
async function readable(page: Page): Promise<{ text: string; at: string }[]> {
  return page.evaluate(() => {
    const pageLang = document.documentElement.lang;
    const skip = (el: Element | null): boolean => {
      for (let e = el; e; e = e.parentElement) {
        if (e.matches('script, style, noscript, textarea, .technical, [data-technical]')) return true;
        const lang = e.getAttribute('lang');
        if (lang && e !== document.documentElement && lang !== pageLang) return true;
      }
      return false;
    };
    const out: { text: string; at: string }[] = [];
    const at = (e: Element | null): string => (e ? `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${typeof e.className === 'string' && e.className ? `.${e.className.split(' ')[0]}` : ''}` : '');
    const path = (e: Element | null): string => [e?.parentElement?.parentElement ?? null, e?.parentElement ?? null, e].map(at).filter(Boolean).join(' > ');
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = (n.textContent ?? '').replace(/\s+/g, ' ').trim();
      if (text && !skip(n.parentElement)) out.push({ text, at: path(n.parentElement) });
    }
    for (const el of document.body.querySelectorAll('[placeholder], [aria-label], [title], [alt], input[type="submit"], input[type="button"]')) {
      if (skip(el)) continue;
      for (const a of ['placeholder', 'aria-label', 'title', 'alt']) if (el.getAttribute(a)) out.push({ text: el.getAttribute(a)!.trim(), at: `${path(el)}[${a}]` });
      if (el.matches('input[type="submit"], input[type="button"]')) out.push({ text: (el as HTMLInputElement).value, at: path(el) });
    }
    return out;
  });
}

/** English fragments of the catalogue, words only, that a page in `lang` must not show (its own catalogue does not read the same). */
function englishFragments(lang: Lang): string[] {
  const own = Object.values(DICTIONARIES[lang]).join('\n');
  const fragments = new Set<string>();
  for (const value of Object.values(DICTIONARIES.en)) {
    for (const part of value.split(/\{[^}]*\}|[“”"().:;!?]/)) {
      const f = part.trim();
      if (f.split(/\s+/).length >= 3 && f.length >= 12 && !own.includes(f)) fragments.add(f);
    }
  }
  return [...fragments];
}

const ENGLISH_WORDS = /\b(the|must|should|with|from|have|been|was|were|your|this|that|delivered|verified|handed|received|request|network)\b/i;
const RAW = [
  { what: 'a UUID', re: /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/i },
  { what: 'a key id', re: /(?<![\w-])[A-Za-z0-9_-]{43}(?![\w-])/ },
  { what: 'an authority slug', re: /(?<![\w-])[A-Z]{2}\/[a-z0-9][a-z0-9-]*/ },
  { what: 'a country code', re: /(?<![\w/(-])(AR|UY|BR|CL|PY|BO|PE|CO|EC|VE|MX|US|CA|HT)(?![\w/)-])/ },
];

const FRAGMENTS = new Map<Lang, string[]>();

/**
 * Everything on the page that is not in its language or is a raw id, one line each; `allowed`
 * lists texts the test itself typed (case content, names) that are not the page's words.
 */
export async function languageProblems(page: Page, lang: Lang, allowed: string[] = []): Promise<string[]> {
  const texts = (await readable(page)).filter((t) => !allowed.includes(t.text));
  // A labelled technical identifier (data-technical: a request id, a key id, a column of the file) is not a word of the page.
  const problems = untranslated((await page.content()).replace(/<(\w+)\b[^>]*\sdata-technical\b[^>]*>[^<]*<\/\1>/g, ''), lang);
  if (lang !== 'en') {
    if (!FRAGMENTS.has(lang)) FRAGMENTS.set(lang, englishFragments(lang));
    for (const t of texts) {
      const f = FRAGMENTS.get(lang)!.find((x) => t.text.includes(x));
      if (f) problems.push(`English "${f}" in ${t.at}`);
      else if (ENGLISH_WORDS.test(t.text)) problems.push(`English words in "${t.text.slice(0, 120)}" (${t.at})`);
    }
  }
  for (const t of texts) for (const { what, re } of RAW) if (re.test(t.text)) problems.push(`${what} in "${t.text.slice(0, 120)}" (${t.at})`);
  return [...new Set(problems)];
}
