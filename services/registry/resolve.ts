import type { ContactEntry } from './model.js';
import { isActive } from './search.js';
import { REQUEST_KIND_THEMES, type RequestKind, type Theme } from './themes.js';

/**
 * The competent contact points of `country` for a request type (or a theme), best first:
 * points that list the request type explicitly come before points that only have a
 * competent theme; within each group, a better-ranked theme, then 24/7 duty, then the
 * most recently verified, then the id. Only active points of an active node count.
 */
export function resolveContacts(contacts: ContactEntry[], q: { country: string; requestKind?: RequestKind; theme?: Theme }, today: string, nodeActive: (country: string) => boolean): ContactEntry[] {
  const themes: readonly Theme[] = q.theme ? [q.theme] : q.requestKind ? REQUEST_KIND_THEMES[q.requestKind] : [];
  const rank = (e: ContactEntry) => {
    const c = e.data;
    const explicit = q.requestKind !== undefined && c.requestKinds.includes(q.requestKind);
    const themeIndex = themes.findIndex((t) => c.themes.includes(t));
    if (q.theme && themeIndex < 0) return undefined;
    if (!explicit && themeIndex < 0) return undefined;
    return { explicit, themeIndex: themeIndex < 0 ? themes.length : themeIndex };
  };
  const ranked = contacts
    .filter((e) => e.country === q.country && isActive(e, today, nodeActive))
    .flatMap((e) => {
      const r = rank(e);
      return r ? [{ e, ...r }] : [];
    });
  ranked.sort(
    (a, b) =>
      Number(b.explicit) - Number(a.explicit) ||
      a.themeIndex - b.themeIndex ||
      Number(b.e.data.available247) - Number(a.e.data.available247) ||
      (b.e.data.lastVerified || '').localeCompare(a.e.data.lastVerified || '') ||
      a.e.id.localeCompare(b.e.id),
  );
  return ranked.map((r) => r.e);
}
