import type { Indexed } from './entries.js';
import { fold } from './entries.js';
import type { ContactEntry } from './model.js';

export interface SearchQuery {
  theme?: string;
  country?: string;
  language?: string;
  requestKind?: string;
  text?: string;
  includeInactive: boolean;
  offset: number;
  limit: number;
  /** YYYY-MM-DD, for the validity window. */
  today: string;
}

export interface SearchHit {
  entry: ContactEntry;
  score: number;
}

/** Active: not retired, inside its validity window, and its node's descriptor is active. */
export function isActive(e: ContactEntry, today: string, nodeActive: (country: string) => boolean): boolean {
  const c = e.data;
  return e.status === 'active' && (!c.validFrom || c.validFrom <= today) && (!c.validUntil || c.validUntil >= today) && nodeActive(e.country);
}

const YEAR_MS = 365 * 86_400_000;

/**
 * Filters, ranks and pages contact points. Every word of `text` must start a word of the
 * entry (names and units weigh 3, role, person, id and theme labels 2, the rest 1); ties go
 * to points on duty 24/7, verified in the last year, and more specialized (fewer themes).
 */
export function searchContacts(index: Iterable<Indexed>, q: SearchQuery, nodeActive: (country: string) => boolean): { hits: SearchHit[]; total: number } {
  const terms = q.text ? fold(q.text).split(/[^\p{L}\p{N}@.+-]+/u).filter(Boolean) : [];
  const todayMs = Date.parse(`${q.today}T00:00:00Z`);
  const hits: SearchHit[] = [];
  for (const { entry, words } of index) {
    const c = entry.data;
    if (q.country && entry.country !== q.country) continue;
    if (q.theme && !c.themes.includes(q.theme)) continue;
    if (q.language && !c.languages.includes(q.language)) continue;
    if (q.requestKind && !c.requestKinds.includes(q.requestKind)) continue;
    if (!q.includeInactive && !isActive(entry, q.today, nodeActive)) continue;
    let score = 0;
    let matchedAll = true;
    for (const t of terms) {
      let best = 0;
      for (const w of words) {
        if (w.word === t) best = Math.max(best, w.weight * 1.5);
        else if (w.word.startsWith(t)) best = Math.max(best, w.weight);
      }
      if (best === 0) {
        matchedAll = false;
        break;
      }
      score += best;
    }
    if (!matchedAll) continue;
    if (c.available247) score += 0.3;
    if (c.lastVerified && todayMs - Date.parse(`${c.lastVerified}T00:00:00Z`) <= YEAR_MS) score += 0.2;
    score += 0.5 / Math.max(1, c.themes.length);
    hits.push({ entry, score: Math.round(score * 1000) / 1000 });
  }
  hits.sort((a, b) => b.score - a.score || a.entry.country.localeCompare(b.entry.country) || a.entry.id.localeCompare(b.entry.id));
  return { hits: hits.slice(q.offset, q.offset + q.limit), total: hits.length };
}
