import Database from 'better-sqlite3';
import { makePrivateSqliteFiles, prepareSqliteFile } from '../../keys/index.js';

export type GatewayDb = Database.Database;

const MIGRATIONS: { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE users (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        display_name TEXT NOT NULL,
        roles TEXT NOT NULL,
        lang TEXT NOT NULL DEFAULT '',
        password_hash TEXT NOT NULL,
        must_change_password INTEGER NOT NULL DEFAULT 0,
        disabled INTEGER NOT NULL DEFAULT 0,
        session_version INTEGER NOT NULL DEFAULT 1,
        created_at INTEGER NOT NULL,
        created_by TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        last_login_at INTEGER
      );
      -- First opening of an inbound request at this gateway: "new" means never opened.
      CREATE TABLE request_reads (
        request_id TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users (id),
        at INTEGER NOT NULL
      );
      -- Who did what to users (create, disable, enable, reset), kept forever.
      CREATE TABLE user_audit (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL
      );
    `,
  },
];

/**
 * Opens the gateway's SQLite file (WAL) in the node's data folder and applies migrations.
 * It holds password hashes: the file, its -wal and -shm are 0600.
 */
export function openGatewayDb(path: string): GatewayDb {
  prepareSqliteFile(path);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const current = (db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(m.version, Date.now());
    })();
  }
  makePrivateSqliteFiles(path);
  return db;
}
