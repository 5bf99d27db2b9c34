import { canonical } from './canonical.js';
import type { EntryIndex } from './entries.js';
import { PROFILE_ID, type Change } from './model.js';
import type { ParsedImport } from './transfer.js';

/** Whether two entries' data are the same (their canonical JSON). */
export const sameJson = (a: unknown, b: unknown): boolean => canonical(a) === canonical(b);

/** How an import changes the directory: counted into the report while the changes are planned. */
export interface ImportCounts {
  created: number;
  updated: number;
  retired: number;
  unchanged: number;
}

/**
 * The changes that bring `country`'s directory in `index` to what a parsed import file lists
 * (the file's contact points and profile; with `replace`, active contact points it does not
 * list are retired), counting them into `counts`. Pure: planned again if another writer
 * appended first.
 */
export function planImport(parsed: ParsedImport, index: EntryIndex, country: string, counts: ImportCounts, replace: boolean): Change[] {
  counts.created = counts.updated = counts.retired = counts.unchanged = 0;
  const changes: Change[] = [];
  const listed = new Set(parsed.contacts.map((c) => c.id));
  for (const c of parsed.contacts) {
    const current = index.contact(country, c.id);
    if (current && current.status === 'active' && sameJson(current.data, c)) {
      counts.unchanged++;
      continue;
    }
    if (current) counts.updated++;
    else counts.created++;
    changes.push({ op: 'upsert', type: 'contact', id: c.id, version: (current?.version ?? 0) + 1, entry: c });
  }
  if (replace) {
    for (const e of index.contactsOf(country)) {
      if (e.status === 'active' && !listed.has(e.id)) {
        counts.retired++;
        changes.push({ op: 'retire', type: 'contact', id: e.id, version: e.version + 1, reason: 'not in the imported directory' });
      }
    }
  }
  const profile = parsed.profile;
  if (profile) {
    const current = index.profile(country);
    if (!current || !sameJson(current.data, profile)) {
      changes.push({ op: 'upsert', type: 'country', id: PROFILE_ID, version: (current?.version ?? 0) + 1, entry: profile });
    }
  }
  return changes;
}
