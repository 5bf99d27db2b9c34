/**
 * The demo federation's statistics (npm start): a fictional population of requests with
 * realistic shares (stats-population.ts, seeded per country), written into each node's store
 * once, before its node starts, so that the statistics page and the network figures show
 * meaningful figures. Only scripts/start.ts calls this; a real node never holds such rows.
 */
import { join } from 'node:path';
import { CaseVault, loadOrCreateDataKey, openDb, Store } from '../../services/store/index.js';
import { generatePopulation, insertPopulation } from './stats-population.js';

/** Requests per demo country: states of different sizes. */
const SIZE: Record<string, number> = { AR: 900, UY: 350, BR: 1_200 };
const MONTHS = 15;

function seedOf(country: string): number {
  return country.charCodeAt(0) * 256 + country.charCodeAt(1);
}

/**
 * Writes the population of `country` into the node's store at `dataDir` unless it is there
 * already (its requests carry the sender reference GEN-…); returns how many it wrote.
 */
export async function seedDemoStatistics(o: { dataDir: string; country: string; counterparts: readonly string[]; passphrase: string; now: number }): Promise<number> {
  const db = openDb(join(o.dataDir, 'node.db'));
  try {
    if (db.prepare("SELECT 1 FROM requests WHERE sender_reference LIKE 'GEN-%' LIMIT 1").get()) return 0;
    const store = new Store(db, await CaseVault.create(db, await loadOrCreateDataKey(join(o.dataDir, 'keys', 'data.key.json'), o.passphrase)));
    const start = new Date(o.now);
    const from = Date.UTC(start.getUTCFullYear(), start.getUTCMonth() - MONTHS, 1);
    const cases = generatePopulation(SIZE[o.country] ?? 500, seedOf(o.country), { from, months: MONTHS, counterparts: o.counterparts }).filter((c) => c.createdAt < o.now);
    insertPopulation(store, o.country, cases);
    return cases.length;
  } finally {
    db.close();
  }
}
