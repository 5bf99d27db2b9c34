import { existsSync } from 'node:fs';
import { join } from 'node:path';

export type DirectoryResult = { measured: false; reason: string } | { measured: true; countries: number; contactPoints: number; searches: number; p50Ms: number; p95Ms: number; p99Ms: number };

const REPO = new URL('..', import.meta.url).pathname;

/**
 * Directory search at 35 countries x 200 contact points. Measured once the registry
 * (issue 4) exists with a search function; until then the row says so.
 */
export async function directorySearch(): Promise<DirectoryResult> {
  if (!existsSync(join(REPO, 'services', 'registry', 'index.ts'))) {
    return { measured: false, reason: 'not measured: registry not yet built' };
  }
  return { measured: false, reason: 'not measured: the registry exists but this benchmark does not drive its search yet' };
}
