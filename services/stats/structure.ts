import type { ContactEntry } from '../registry/index.js';

/** Structure indicators (docs/protocol.md §27.1): the directory's contact points per country and theme. */
export interface StructureIndicator {
  country: string;
  theme: string;
  contactPoints: number;
  available247: number;
  /** YYYY-MM-DD of the least recently verified point ("" when one was never verified). */
  oldestVerified: string;
  verifiedLastYear: number;
}

const DAY = 86_400_000;

/**
 * Counts the active contact points by country and theme; `countries` and `themes` name the
 * pairs that should have one, and those without come back in `uncovered` ("UY/extradition").
 */
export function structureIndicators(active: readonly ContactEntry[], countries: readonly string[], themes: readonly string[], now: number): { indicators: StructureIndicator[]; uncovered: string[] } {
  const yearAgo = new Date(now - 365 * DAY).toISOString().slice(0, 10);
  const by = new Map<string, StructureIndicator>();
  for (const e of active) {
    for (const theme of e.data.themes) {
      const key = `${e.country}/${theme}`;
      let s = by.get(key);
      if (!s) by.set(key, (s = { country: e.country, theme, contactPoints: 0, available247: 0, oldestVerified: e.data.lastVerified, verifiedLastYear: 0 }));
      s.contactPoints += 1;
      if (e.data.available247) s.available247 += 1;
      if (e.data.lastVerified === '' || (s.oldestVerified !== '' && e.data.lastVerified < s.oldestVerified)) s.oldestVerified = e.data.lastVerified;
      if (e.data.lastVerified !== '' && e.data.lastVerified >= yearAgo) s.verifiedLastYear += 1;
    }
  }
  const indicators = [...by.values()].sort((a, b) => (a.country === b.country ? (a.theme < b.theme ? -1 : 1) : a.country < b.country ? -1 : 1));
  const uncovered = countries.flatMap((c) => themes.filter((t) => !by.has(`${c}/${t}`)).map((t) => `${c}/${t}`));
  return { indicators, uncovered };
}
