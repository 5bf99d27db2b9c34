import type { Language } from '../../services/vocabulary.js';

/**
 * "From Argentina", "to Brazil" in each language. French and Portuguese put an article before
 * most country names and contract it with the preposition ("d'Argentine", "du Brésil", "des
 * États-Unis"; "da Argentina", "do Brasil", "dos Estados Unidos"); Spanish keeps "de" and "a"
 * as written ("de El Salvador", as the RAE advises for names whose article is part of them).
 * The table holds the states of the Americas; a name it does not know is left as written.
 */

/** m, f: masculine, feminine; mpl, fpl: plural; fa: feminine that keeps its article after "de" (islands); none: no article. */
type Gender = 'm' | 'f' | 'fa' | 'mpl' | 'fpl' | 'none';

const FR: Record<string, Gender> = {
  AG: 'none',
  AR: 'f',
  BS: 'fpl',
  BB: 'fa',
  BZ: 'm',
  BO: 'f',
  BR: 'm',
  CA: 'm',
  CL: 'm',
  CO: 'f',
  CR: 'm',
  CU: 'none',
  DM: 'fa',
  DO: 'fa',
  EC: 'm',
  SV: 'm',
  US: 'mpl',
  GD: 'fa',
  GT: 'm',
  GY: 'm',
  HT: 'none',
  HN: 'm',
  JM: 'fa',
  MX: 'm',
  NI: 'm',
  PA: 'm',
  PY: 'm',
  PE: 'm',
  KN: 'none',
  LC: 'none',
  VC: 'none',
  SR: 'm',
  TT: 'none',
  UY: 'm',
  VE: 'm',
};

const PT: Record<string, Gender> = {
  AG: 'none',
  AR: 'f',
  BS: 'fpl',
  BB: 'none',
  BZ: 'm',
  BO: 'f',
  BR: 'm',
  CA: 'm',
  CL: 'm',
  CO: 'f',
  CR: 'f',
  CU: 'none',
  DM: 'f',
  DO: 'f',
  EC: 'm',
  SV: 'none',
  US: 'mpl',
  GD: 'none',
  GT: 'f',
  GY: 'f',
  HT: 'm',
  HN: 'none',
  JM: 'f',
  MX: 'm',
  NI: 'f',
  PA: 'm',
  PY: 'm',
  PE: 'm',
  KN: 'none',
  LC: 'none',
  VC: 'none',
  SR: 'm',
  TT: 'none',
  UY: 'm',
  VE: 'f',
};

/** A vowel or a mute h (Haïti; the h of Honduras is aspirated: "du Honduras"). */
const vowel = (name: string) => /^([aeiouàâéèêëîïôöùûüæœ]|haï)/i.test(name.normalize('NFC'));

/** French: the article a name takes after `prep` ("" for none), elided before a vowel or a mute h. */
function french(prep: string, g: Gender, name: string): string {
  const v = vowel(name);
  if (prep === 'de') {
    if (g === 'f' || g === 'none') return v ? `d’${name}` : `de ${name}`;
    if (g === 'fa') return v ? `de l’${name}` : `de la ${name}`;
    if (g === 'm') return v ? `de l’${name}` : `du ${name}`;
    return `des ${name}`;
  }
  if (prep === 'à') {
    if (g === 'none') return `à ${name}`;
    if (g === 'mpl' || g === 'fpl') return `aux ${name}`;
    if (v) return `à l’${name}`;
    return g === 'm' ? `au ${name}` : `à la ${name}`;
  }
  if (g === 'none') return `${prep} ${name}`;
  if (g === 'mpl' || g === 'fpl') return `${prep} les ${name}`;
  if (v) return `${prep} l’${name}`;
  return `${prep} ${g === 'm' ? 'le' : 'la'} ${name}`;
}

const PT_CONTRACTED: Record<string, Record<Exclude<Gender, 'fa' | 'none'>, string>> = {
  de: { m: 'do', f: 'da', mpl: 'dos', fpl: 'das' },
  a: { m: 'ao', f: 'à', mpl: 'aos', fpl: 'às' },
  em: { m: 'no', f: 'na', mpl: 'nos', fpl: 'nas' },
  por: { m: 'pelo', f: 'pela', mpl: 'pelos', fpl: 'pelas' },
  para: { m: 'para o', f: 'para a', mpl: 'para os', fpl: 'para as' },
};

function portuguese(prep: string, g: Gender, name: string): string {
  const forms = PT_CONTRACTED[prep];
  if (!forms || g === 'none') return `${prep} ${name}`;
  return `${forms[g === 'fa' ? 'f' : g]} ${name}`;
}

/** The prepositions whose phrase with a country is rewritten, per language. */
const PREPOSITIONS: Partial<Record<Language, readonly string[]>> = { fr: ['de', 'à', 'vers', 'par', 'pour'], pt: ['de', 'a', 'para', 'em', 'por'] };

const byName = new Map<Language, Map<string, string>>();

/** The code of a country's name in `lang`, as Intl.DisplayNames writes it (what the pages show). */
function codeOf(lang: Language, name: string): string | undefined {
  let names = byName.get(lang);
  if (!names) {
    const d = new Intl.DisplayNames([lang], { type: 'region' });
    names = new Map(Object.keys(FR).map((c) => [d.of(c) ?? c, c]));
    byName.set(lang, names);
  }
  return names.get(name);
}

/**
 * "<prep> <country>" as the language writes it.
 * @example countryPhrase('fr', 'de', 'Argentine') // "d’Argentine"
 * @example countryPhrase('pt', 'de', 'Brasil') // "do Brasil"
 */
export function countryPhrase(lang: Language, prep: string, name: string): string {
  const code = codeOf(lang, name);
  if (!code || !PREPOSITIONS[lang]?.includes(prep)) return `${prep} ${name}`;
  if (lang === 'fr') return french(prep, FR[code]!, name);
  return portuguese(prep, PT[code]!, name);
}

/** The pattern of "<prep> {country}" in a message of `lang`, or undefined for a language that writes them as they are. */
export function countryPhrasePattern(lang: Language): RegExp | undefined {
  const preps = PREPOSITIONS[lang];
  return preps ? new RegExp(`(^|[\\s(«“])(${preps.join('|')}) \\{country\\}`, 'g') : undefined;
}
