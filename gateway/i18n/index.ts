import { en, type MessageKey } from './en.js';
import { es } from './es.js';
import { countryPhrase, countryPhrasePattern } from './countries.js';
import { FIELD_LABELS, GROUP_LABELS } from './fields.js';
import { fr } from './fr.js';
import { pt } from './pt.js';
import { LANGUAGES, type Language } from '../../services/vocabulary.js';

/** The gateway speaks the network's working languages (services/vocabulary.ts). */
export const LANGS = LANGUAGES;
export type Lang = Language;
export type { MessageKey };

/** All four dictionaries; tsc checks that each has exactly the keys of `en`. */
export const DICTIONARIES: Record<Lang, Record<MessageKey, string>> = { es, en, fr, pt };

/** The dictionaries with the typed-form field and section labels merged in (`field.<name>`, `group.<name>`). */
const ALL: Record<Lang, Record<string, string>> = Object.fromEntries(
  LANGS.map((lang) => [
    lang,
    {
      ...Object.fromEntries(Object.entries(FIELD_LABELS).map(([k, v]) => [`field.${k}`, v[lang]])),
      ...Object.fromEntries(Object.entries(GROUP_LABELS).map(([k, v]) => [`group.${k}`, v[lang]])),
      ...DICTIONARIES[lang],
    },
  ]),
) as unknown as Record<Lang, Record<string, string>>;

/** What a page shows for a key no dictionary has: visible, and searched for by the tests. */
export const MISSING = (key: string) => `⟦${key}⟧`;

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

export function isLang(x: string | undefined): x is Lang {
  return (LANGS as readonly string[]).includes(x ?? '');
}

/** Fills `{name}` params; "de {country}" and the like become the language's contracted phrase ("d’Argentine", "do Brasil"). */
function fill(text: string, params: Params | undefined, lang: Lang): string {
  if (!params) return text;
  const pattern = typeof params.country === 'string' ? countryPhrasePattern(lang) : undefined;
  if (pattern) text = text.replace(pattern, (_m, before: string, prep: string) => `${before}${countryPhrase(lang, prep, String(params.country))}`);
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

export function translator(lang: Lang): Translate {
  const dict = ALL[lang];
  return (key, params) => fill(dict[key] ?? MISSING(key), params, lang);
}

/** For keys built from data (an error code, a request type): the key if known, else `fallback`. */
export function translateDynamic(lang: Lang, key: string, fallback: string, params?: Params): string {
  const dict = ALL[lang];
  return Object.hasOwn(dict, key) ? fill(dict[key]!, params, lang) : fill(fallback, params, lang);
}

export function hasKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

/** The best of our languages for an Accept-Language header; Spanish when nothing matches. */
export function negotiateLang(header: string | undefined): Lang {
  const wanted = (header ?? '')
    .split(',')
    .map((part) => {
      const [tag, ...rest] = part.trim().split(';');
      const q = rest.find((r) => r.trim().startsWith('q='));
      return { lang: (tag ?? '').slice(0, 2).toLowerCase(), q: q ? Number(q.trim().slice(2)) : 1 };
    })
    .filter((w) => w.lang && w.q > 0)
    .sort((a, b) => b.q - a.q);
  return wanted.map((w) => w.lang).find(isLang) ?? 'es';
}

/** Names of the languages in themselves, for the switcher. */
export const LANG_NAMES: Record<Lang, string> = { es: 'Español', en: 'English', fr: 'Français', pt: 'Português' };
