import type { ContactEntry, ContactPoint, CountryEntry, EntryState, EntryType } from './model.js';
import { THEME_LABELS } from './themes.js';

/** Lower case without diacritics, so that "victimas" finds "Víctimas". */
export function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * A contact point ready for free-text search: its folded words by weight, each list as one
 * string " w1 w2 … " so that a term is found with a native substring search
 * (index 0: names and units, weight 3; 1: id, role, person and theme labels, 2; 2: e-mail,
 * address and notes, 1).
 */
export interface Indexed {
  entry: ContactEntry;
  text: [string, string, string];
}

function wordsOf(text: string): string[] {
  return fold(text)
    .split(/[^\p{L}\p{N}@.+-]+/u)
    .flatMap((w) => [w, ...w.split(/[@.+-]/)])
    .filter((w) => w.length > 0);
}

const themeWords = new Map<string, string[]>();
function wordsOfTheme(theme: string): string[] {
  let w = themeWords.get(theme);
  if (!w) themeWords.set(theme, (w = Object.values(THEME_LABELS[theme as keyof typeof THEME_LABELS] ?? {}).flatMap(wordsOf)));
  return w;
}

const joined = (words: string[]) => ` ${[...new Set(words)].join(' ')} `;

function indexContact(entry: ContactEntry): Indexed {
  const c: ContactPoint = entry.data;
  return {
    entry,
    text: [
      joined([...Object.values(c.authority), ...Object.values(c.unit)].flatMap(wordsOf)),
      joined([...[c.id, c.roleTitle, c.person].flatMap(wordsOf), ...c.themes.flatMap(wordsOfTheme)]),
      joined([c.email, c.address, c.notes].flatMap(wordsOf)),
    ],
  };
}

const keyOf = (country: string, type: EntryType, id: string) => `${country}/${type}/${id}`;

/** The current entries in memory (a mirror of registry_entries), indexed for search. */
export class EntryIndex {
  readonly #entries = new Map<string, EntryState<unknown>>();
  readonly #contacts = new Map<string, Indexed>();

  put(e: EntryState<unknown>): void {
    const key = keyOf(e.country, e.type, e.id);
    this.#entries.set(key, e);
    if (e.type === 'contact') this.#contacts.set(key, indexContact(e as ContactEntry));
  }

  get(country: string, type: EntryType, id: string): EntryState<unknown> | undefined {
    return this.#entries.get(keyOf(country, type, id));
  }

  contact(country: string, id: string): ContactEntry | undefined {
    return this.get(country, 'contact', id) as ContactEntry | undefined;
  }

  profile(country: string): CountryEntry | undefined {
    return this.get(country, 'country', 'profile') as CountryEntry | undefined;
  }

  contacts(): Iterable<Indexed> {
    return this.#contacts.values();
  }

  contactsOf(country: string): ContactEntry[] {
    return [...this.#contacts.values()].map((i) => i.entry).filter((e) => e.country === country);
  }

  count(country: string): number {
    let n = 0;
    for (const i of this.#contacts.values()) if (i.entry.country === country && i.entry.status === 'active') n++;
    return n;
  }
}
