import { CONTENT_ROLES as NODE_CONTENT_ROLES, PERSON_ROLES, type ContentRole as NodeContentRole, type PersonRole } from '../../services/vocabulary.js';
import { recordAudit } from './audit.js';
import type { GatewayDb } from './open.js';
import type { SessionEndReason, SessionStore } from './sessions.js';

/** Roles a person can hold at the gateway (services/vocabulary.ts: PERSON_ROLES). */
export const USER_ROLES = PERSON_ROLES;
export type UserRole = PersonRole;

/** The node's content roles a person can hold: granting one takes a second person (four eyes). */
export type ContentRole = Extract<UserRole, NodeContentRole>;
export const CONTENT_ROLES: readonly ContentRole[] = USER_ROLES.filter((r): r is ContentRole => (NODE_CONTENT_ROLES as readonly string[]).includes(r));
export function isContentRole(r: string): r is ContentRole {
  return (CONTENT_ROLES as readonly string[]).includes(r);
}

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
  /** Base32 TOTP secret once enrolled. */
  totpSecret: string | null;
  totpPending: string | null;
  totpLastStep: number;
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
  totp_secret: string | null;
  totp_pending: string | null;
  totp_last_step: number;
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
    totpSecret: r.totp_secret,
    totpPending: r.totp_pending,
    totpLastStep: r.totp_last_step,
  };
}

/** What creating a person takes; the store sets the rest. */
export type NewUser = Pick<User, 'username' | 'displayName' | 'roles' | 'lang' | 'passwordHash' | 'mustChangePassword'>;

/**
 * The gateway's people: accounts, roles and the record of who changed them. Every change that
 * alters what a person may do (password, roles, disabling, second factor) ends all their
 * sessions in the same transaction.
 */
export class Users {
  readonly #db: GatewayDb;
  readonly #sessions: SessionStore;
  constructor(db: GatewayDb, sessions: SessionStore) {
    this.#db = db;
    this.#sessions = sessions;
  }

  create(u: NewUser, actor: string, now: number): User {
    return this.#db.transaction(() => {
      const info = this.#db
        .prepare(
          `INSERT INTO users (username, display_name, roles, lang, password_hash, must_change_password, created_at, created_by, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(u.username, u.displayName, JSON.stringify(u.roles), u.lang, u.passwordHash, u.mustChangePassword ? 1 : 0, now, actor, now);
      this.#audit(actor, 'create', u.username, now, u.roles.join(','));
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

  #endSessions(id: number, reason: SessionEndReason, now: number): void {
    this.#db.prepare('UPDATE users SET session_version = session_version + 1 WHERE id = ?').run(id);
    this.#sessions.endAllFor(id, reason, now);
  }

  /** Disabling or enabling ends every open session of that user. */
  setDisabled(id: number, disabled: boolean, actor: string, now: number): void {
    this.#db.transaction(() => {
      const u = this.byId(id);
      if (!u) return;
      this.#db.prepare('UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?').run(disabled ? 1 : 0, now, id);
      this.#endSessions(id, 'disabled', now);
      this.#audit(actor, disabled ? 'disable' : 'enable', u.username, now);
    })();
  }

  /**
   * A new password ends every open session of that user. A reset (`mustChange`) also suspends
   * the person's content roles until a second person approves them again: whoever resets an
   * account learns a password that opens it.
   */
  setPassword(id: number, passwordHash: string, mustChange: boolean, actor: string, now: number): ContentRole[] {
    return this.#db.transaction(() => {
      const u = this.byId(id);
      if (!u) return [];
      this.#db.prepare('UPDATE users SET password_hash = ?, must_change_password = ?, updated_at = ? WHERE id = ?').run(passwordHash, mustChange ? 1 : 0, now, id);
      this.#endSessions(id, mustChange ? 'password_reset' : 'password_changed', now);
      this.#audit(actor, mustChange ? 'reset_password' : 'change_password', u.username, now);
      const suspended = mustChange ? u.roles.filter(isContentRole) : [];
      if (suspended.length) {
        this.#db.prepare('UPDATE users SET roles = ? WHERE id = ?').run(JSON.stringify(u.roles.filter((r) => !isContentRole(r))), id);
        for (const role of suspended) {
          this.#db.prepare('INSERT OR IGNORE INTO role_grants (user_id, role, requested_by, requested_at) VALUES (?, ?, ?, ?)').run(id, role, actor, now);
          this.#audit(actor, 'suspend_role', u.username, now, role);
          this.#audit(actor, 'request_role', u.username, now, role);
        }
      }
      return suspended;
    })();
  }

  /** Sets the roles a person holds now (content roles only through RoleGrants); their sessions end. */
  setRoles(id: number, roles: UserRole[], actor: string, now: number): void {
    this.#db.transaction(() => {
      const u = this.byId(id);
      if (!u) return;
      const sorted = USER_ROLES.filter((r) => roles.includes(r));
      if (sorted.join() === u.roles.join()) return;
      this.#db.prepare('UPDATE users SET roles = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(sorted), now, id);
      this.#endSessions(id, 'roles_changed', now);
      this.#audit(actor, 'set_roles', u.username, now, `${u.roles.join(',')} -> ${sorted.join(',')}`);
    })();
  }

  /** Starts TOTP enrolment (the secret is kept pending until a code proves the person has it). */
  setTotpPending(id: number, secret: string | null): void {
    this.#db.prepare('UPDATE users SET totp_pending = ? WHERE id = ?').run(secret, id);
  }

  /** Enrols the pending secret (or removes the second factor with null); sessions end. */
  setTotp(id: number, secret: string | null, step: number, actor: string, now: number): void {
    this.#db.transaction(() => {
      const u = this.byId(id);
      if (!u) return;
      this.#db.prepare('UPDATE users SET totp_secret = ?, totp_pending = NULL, totp_last_step = ?, updated_at = ? WHERE id = ?').run(secret, step, now, id);
      this.#endSessions(id, 'second_factor_changed', now);
      this.#audit(actor, secret ? 'enrol_totp' : 'remove_totp', u.username, now);
    })();
  }

  /** Records the time step of an accepted code; false when it (or a later one) was used already. */
  useTotpStep(id: number, step: number): boolean {
    return this.#db.prepare('UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?').run(step, id, step).changes === 1;
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

  #audit(actor: string, action: string, target: string, now: number, detail = ''): void {
    recordAudit(this.#db, { at: now, actor, action, target, detail });
  }
}
