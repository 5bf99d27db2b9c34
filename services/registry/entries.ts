import type { ContactEntry, ContactPoint, CountryEntry, EntryState, EntryType } from './model.js';
import { THEME_LABELS } from './themes.js';

/** Lower case without diacritics, so that "victimas" finds "Víctimas". */
export function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Words of a contact point for free-text search, by weight (3 = names, 1 = notes). */
export interface Indexed {
  entry: ContactEntry;
  words: { word: string; weight: number }[];
}

function words(text: string, weight: number): { word: string; weight: number }[] {
  return fold(text)
    .split(/[^\p{L}\p{N}@.+-]+/u)
    .flatMap((w) => [w, ...w.split(/[@.+-]/)])
    .filter((w) => w.length > 0)
    .map((word) => ({ word, weight }));
}

function indexContact(entry: ContactEntry): Indexed {
  const c: ContactPoint = entry.data;
  return {
    entry,
    words: [
      ...Object.values(c.authority).flatMap((t) => words(t, 3)),
      ...Object.values(c.unit).flatMap((t) => words(t, 3)),
      ...words(c.id, 2),
      ...words(c.roleTitle, 2),
      ...words(c.person, 2),
      ...c.themes.flatMap((t) => Object.values(THEME_LABELS[t as keyof typeof THEME_LABELS] ?? {}).flatMap((l) => words(l, 2))),
      ...words(c.email, 1),
      ...words(c.address, 1),
      ...words(c.notes, 1),
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
