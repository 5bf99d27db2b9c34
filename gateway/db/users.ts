import type { GatewayDb } from './open.js';

/** Roles a person can hold at the gateway (integrators use the gRPC API directly). */
export const USER_ROLES = ['focal_point', 'prosecutor', 'directory_admin', 'auditor', 'operator'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export interface User {
  id: number;
  username: string;
  displayName: string;
  roles: UserRole[];
  lang: string;
  passwordHash: string;
  mustChangePassword: boolean;
  disabled: boolean;
  sessionVersion: number;
  createdAt: number;
  createdBy: string;
  lastLoginAt: number | null;
}

interface UserRow {
  id: number;
  username: string;
  display_name: string;
  roles: string;
  lang: string;
  password_hash: string;
  must_change_password: number;
  disabled: number;
  session_version: number;
  created_at: number;
  created_by: string;
  last_login_at: number | null;
}

function toUser(r: UserRow): User {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    roles: JSON.parse(r.roles) as UserRole[],
    lang: r.lang,
    passwordHash: r.password_hash,
    mustChangePassword: r.must_change_password === 1,
    disabled: r.disabled === 1,
    sessionVersion: r.session_version,
    createdAt: r.created_at,
    createdBy: r.created_by,
    lastLoginAt: r.last_login_at,
  };
}

export interface NewUser {
  username: string;
  displayName: string;
  roles: UserRole[];
  lang: string;
  passwordHash: string;
  mustChangePassword: boolean;
}

/** The gateway's people: accounts, roles and the record of who changed them. */
export class Users {
  readonly #db: GatewayDb;
  constructor(db: GatewayDb) {
    this.#db = db;
  }

  create(u: NewUser, actor: string, now: number): User {
    return this.#db.transaction(() => {
      const info = this.#db
        .prepare(
          `INSERT INTO users (username, display_name, roles, lang, password_hash, must_change_password, created_at, created_by, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(u.username, u.displayName, JSON.stringify(u.roles), u.lang, u.passwordHash, u.mustChangePassword ? 1 : 0, now, actor, now);
      this.#audit(actor, 'create', u.username, now);
      return this.byId(Number(info.lastInsertRowid))!;
    })();
  }

  byId(id: number): User | undefined {
    const r = this.#db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return r && toUser(r);
  }

  byUsername(username: string): User | undefined {
    const r = this.#db.prepare('SELECT * FROM users WHERE username = ?').get(username) as UserRow | undefined;
    return r && toUser(r);
  }

  list(): User[] {
    return (this.#db.prepare('SELECT * FROM users ORDER BY username').all() as UserRow[]).map(toUser);
  }

  count(): number {
    return (this.#db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;
  }

  /** Disabling or enabling ends every open session of that user. */
  setDisabled(id: number, disabled: boolean, actor: string, now: number): void {
    this.#db.transaction(() => {
      const u = this.byId(id);
      if (!u) return;
      this.#db.prepare('UPDATE users SET disabled = ?, session_version = session_version + 1, updated_at = ? WHERE id = ?').run(disabled ? 1 : 0, now, id);
      this.#audit(actor, disabled ? 'disable' : 'enable', u.username, now);
    })();
  }

  /** A new password ends every open session of that user. */
  setPassword(id: number, passwordHash: string, mustChange: boolean, actor: string, now: number): void {
    this.#db.transaction(() => {
      const u = this.byId(id);
      if (!u) return;
      this.#db
        .prepare('UPDATE users SET password_hash = ?, must_change_password = ?, session_version = session_version + 1, updated_at = ? WHERE id = ?')
        .run(passwordHash, mustChange ? 1 : 0, now, id);
      this.#audit(actor, mustChange ? 'reset_password' : 'change_password', u.username, now);
    })();
  }

  setLang(id: number, lang: string): void {
    this.#db.prepare('UPDATE users SET lang = ? WHERE id = ?').run(lang, id);
  }

  touchLogin(id: number, now: number): void {
    this.#db.prepare('UPDATE users SET last_login_at = ? WHERE id = ?').run(now, id);
  }

  markRead(requestId: string, userId: number, now: number): void {
    this.#db.prepare('INSERT OR IGNORE INTO request_reads (request_id, user_id, at) VALUES (?, ?, ?)').run(requestId, userId, now);
  }

  /** Of these request ids, the ones someone at this gateway has opened. */
  readAmong(ids: string[]): Set<string> {
    if (ids.length === 0) return new Set();
    const rows = this.#db.prepare(`SELECT request_id FROM request_reads WHERE request_id IN (${ids.map(() => '?').join(',')})`).all(...ids) as { request_id: string }[];
    return new Set(rows.map((r) => r.request_id));
  }

  /** How many requests someone at this gateway has opened (all inbound: only those are marked). */
  readCount(): number {
    return (this.#db.prepare('SELECT COUNT(*) AS n FROM request_reads').get() as { n: number }).n;
  }

  #audit(actor: string, action: string, target: string, now: number): void {
    this.#db.prepare('INSERT INTO user_audit (at, actor, action, target) VALUES (?, ?, ?, ?)').run(now, actor, action, target);
  }
}
