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
  {
    version: 2,
    sql: `
      -- Server-side sessions: the HMAC of the cookie value, never the value itself.
      CREATE TABLE sessions (
        id_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users (id),
        stage TEXT NOT NULL CHECK (stage IN ('password', 'full')),
        created_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        address TEXT NOT NULL DEFAULT '',
        ended_at INTEGER,
        end_reason TEXT
      );
      CREATE INDEX sessions_live ON sessions (user_id) WHERE ended_at IS NULL;
      -- A content role asked for one person by another, active only once a third approves.
      CREATE TABLE role_grants (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id INTEGER NOT NULL REFERENCES users (id),
        role TEXT NOT NULL,
        requested_by TEXT NOT NULL,
        requested_at INTEGER NOT NULL,
        decision TEXT CHECK (decision IN ('approved', 'refused', 'withdrawn')),
        decided_by TEXT,
        decided_at INTEGER
      );
      CREATE UNIQUE INDEX role_grants_open ON role_grants (user_id, role) WHERE decision IS NULL;
      ALTER TABLE user_audit ADD COLUMN detail TEXT NOT NULL DEFAULT '';
      -- TOTP (RFC 6238): the enrolled secret, one being set up, and the last time step used (no replay).
      ALTER TABLE users ADD COLUMN totp_secret TEXT;
      ALTER TABLE users ADD COLUMN totp_pending TEXT;
      ALTER TABLE users ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 3,
    sql: `
      -- Requests being written, saved as the person types: sealed, read by their author only (db/drafts.ts).
      CREATE TABLE drafts (
        id TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users (id),
        kind TEXT NOT NULL DEFAULT '',
        to_country TEXT NOT NULL DEFAULT '',
        nonce BLOB NOT NULL,
        sealed BLOB NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX drafts_user ON drafts (user_id, updated_at);
    `,
  },
  {
    version: 4,
    sql: `
      -- A template is a draft with a name (db/drafts.ts): sealed the same way, read by its author only.
      ALTER TABLE drafts ADD COLUMN template_name TEXT;
      CREATE UNIQUE INDEX drafts_template ON drafts (user_id, template_name) WHERE template_name IS NOT NULL;
      -- What happened to which request, for which roles (gateway/notifications): metadata only, never case content.
      CREATE TABLE notifications (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        request_id TEXT NOT NULL,
        request_kind TEXT NOT NULL,
        counterpart TEXT NOT NULL,
        roles TEXT NOT NULL,
        at INTEGER NOT NULL,
        once TEXT NOT NULL UNIQUE
      );
      CREATE TABLE notification_reads (
        notification_id INTEGER NOT NULL REFERENCES notifications (id),
        user_id INTEGER NOT NULL REFERENCES users (id),
        PRIMARY KEY (notification_id, user_id)
      ) WITHOUT ROWID;
      -- A person's e-mail for notifications (opt-in: no row, no mail).
      CREATE TABLE notification_mail (
        user_id INTEGER PRIMARY KEY REFERENCES users (id),
        address TEXT NOT NULL
      );
      -- Where the node's watch stream was left: events after it are replayed on start.
      CREATE TABLE notification_cursor (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        cursor TEXT NOT NULL
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
