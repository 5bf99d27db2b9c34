import Database from 'better-sqlite3';
import { makePrivateSqliteFiles, prepareSqliteFile } from '../../keys/index.js';
import { MIGRATIONS } from './migrations.js';

export type Db = Database.Database;

/**
 * Opens the node's SQLite file: WAL, and synchronous=FULL for the whole connection
 * (SQLite sets durability per connection, not per table; the outbox, de-duplication and
 * receipts need it, and the rest is small enough not to matter). Applies pending migrations.
 * The file, its -wal and -shm are 0600, in a folder created 0700.
 */
export function openDb(path: string): Db {
  prepareSqliteFile(path);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Deleted and overwritten content (free text sealed in place, an erased case) is zeroed, not left in free pages.
  db.pragma('secure_delete = ON');
  migrate(db);
  makePrivateSqliteFiles(path);
  return db;
}

/** Migrations are numbered 1, 2, 3, … : a repeated or skipped number is a merge mistake, refused before anything runs. */
function checkNumbering(): void {
  const wrong = MIGRATIONS.findIndex((m, i) => m.version !== i + 1);
  if (wrong >= 0) throw new Error(`store migration at position ${wrong + 1} is numbered ${MIGRATIONS[wrong]!.version}; migrations must be numbered 1, 2, 3, … without repeats or gaps`);
}

export function migrate(db: Db): number {
  checkNumbering();
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const current = (db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
  const pending = MIGRATIONS.filter((m) => m.version > current);
  if (pending.length > 0) {
    // Table rebuilds need foreign keys off; the pragma is a no-op inside a transaction.
    db.pragma('foreign_keys = OFF');
    try {
      for (const m of pending) {
        db.transaction(() => {
          db.exec(m.sql);
          const broken = db.pragma('foreign_key_check') as unknown[];
          if (broken.length > 0) throw new Error(`migration ${m.version} leaves ${broken.length} broken references`);
          db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(m.version, Date.now());
        })();
      }
    } finally {
      db.pragma('foreign_keys = ON');
    }
  }
  return MIGRATIONS.at(-1)?.version ?? 0;
}
