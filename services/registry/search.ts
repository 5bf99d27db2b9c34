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
  const terms = (
    q.text
      ? fold(q.text)
          .split(/[^\p{L}\p{N}@.+-]+/u)
          .filter(Boolean)
      : []
  ).map((t) => ({ prefix: ` ${t}`, word: ` ${t} ` }));
  const yearAgo = new Date(Date.parse(`${q.today}T00:00:00Z`) - YEAR_MS).toISOString().slice(0, 10);
  const hits: SearchHit[] = [];
  for (const { entry, text } of index) {
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
      for (let i = 0; i < 3; i++) {
        const weight = 3 - i;
        if (weight * 1.5 <= best) break;
        if (text[i]!.includes(t.prefix)) best = Math.max(best, text[i]!.includes(t.word) ? weight * 1.5 : weight);
      }
      if (best === 0) {
        matchedAll = false;
        break;
      }
      score += best;
    }
    if (!matchedAll) continue;
    if (c.available247) score += 0.3;
    if (c.lastVerified && c.lastVerified >= yearAgo) score += 0.2;
    score += 0.5 / Math.max(1, c.themes.length);
    hits.push({ entry, score: Math.round(score * 1000) / 1000 });
  }
  const byText = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  hits.sort((a, b) => b.score - a.score || byText(a.entry.country, b.entry.country) || byText(a.entry.id, b.entry.id));
  return { hits: hits.slice(q.offset, q.offset + q.limit), total: hits.length };
}
