import { GatewayError } from '../errors.js';
import { recordAudit } from './audit.js';
import type { GatewayDb } from './open.js';
import { isContentRole, USER_ROLES, type ContentRole, type User, type UserRole, type Users } from './users.js';

export type GrantDecision = 'approved' | 'refused' | 'withdrawn';

export interface RoleGrant {
  id: number;
  userId: number;
  username: string;
  role: ContentRole;
  requestedBy: string;
  requestedAt: number;
  decision: GrantDecision | null;
  decidedBy: string | null;
  decidedAt: number | null;
}

interface Row {
  id: number;
  user_id: number;
  username: string;
  role: ContentRole;
  requested_by: string;
  requested_at: number;
  decision: GrantDecision | null;
  decided_by: string | null;
  decided_at: number | null;
}

const toGrant = (r: Row): RoleGrant => ({
  id: r.id,
  userId: r.user_id,
  username: r.username,
  role: r.role,
  requestedBy: r.requested_by,
  requestedAt: r.requested_at,
  decision: r.decision,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
});

/** Who approves from the node operator's command line (cli or `gateway/main.ts approve`). */
export const OPERATOR_CLI = 'operator-cli';

/**
 * Four eyes on content: a content role (focal point, prosecutor) asked for a person becomes
 * theirs only when someone else approves it, a person holding that role at this gateway or
 * the node operator on the command line; never the one who asked, never the person concerned.
 */
export class RoleGrants {
  readonly #db: GatewayDb;
  readonly #users: Users;
  constructor(db: GatewayDb, users: Users) {
    this.#db = db;
    this.#users = users;
  }

  /** Asks for content roles; other roles take effect at once. Returns the content roles now awaiting approval. */
  request(target: User, roles: readonly UserRole[], actor: string, now: number): ContentRole[] {
    return this.#db.transaction(() => {
      const pending: ContentRole[] = [];
      for (const role of roles) {
        if (!isContentRole(role) || target.roles.includes(role)) continue;
        const info = this.#db.prepare('INSERT OR IGNORE INTO role_grants (user_id, role, requested_by, requested_at) VALUES (?, ?, ?, ?)').run(target.id, role, actor, now);
        if (info.changes) recordAudit(this.#db, { at: now, actor, action: 'request_role', target: target.username, detail: role });
        pending.push(role);
      }
      return pending;
    })();
  }

  byId(id: number): RoleGrant | undefined {
    const r = this.#db.prepare('SELECT g.*, u.username FROM role_grants g JOIN users u ON u.id = g.user_id WHERE g.id = ?').get(id) as Row | undefined;
    return r && toGrant(r);
  }

  pending(): RoleGrant[] {
    return (this.#db.prepare('SELECT g.*, u.username FROM role_grants g JOIN users u ON u.id = g.user_id WHERE g.decision IS NULL ORDER BY g.id').all() as Row[]).map(toGrant);
  }

  pendingFor(userId: number): ContentRole[] {
    return this.pending()
      .filter((g) => g.userId === userId)
      .map((g) => g.role);
  }

  all(limit = 500): RoleGrant[] {
    return (this.#db.prepare('SELECT g.*, u.username FROM role_grants g JOIN users u ON u.id = g.user_id ORDER BY g.id DESC LIMIT ?').all(limit) as Row[]).map(toGrant);
  }

  /** Whether `approver` may decide this grant (holds the role, is neither the asker nor the person concerned). */
  mayDecide(g: RoleGrant, approver: User | typeof OPERATOR_CLI): boolean {
    if (approver === OPERATOR_CLI) return true;
    return approver.roles.includes(g.role) && approver.username.toLowerCase() !== g.requestedBy.toLowerCase() && approver.id !== g.userId && !approver.disabled;
  }

  /**
   * Approves or refuses. ERR_PERMISSION_DENIED (`grants.notYours`) when the approver may not
   * decide it; ERR_NOT_FOUND when it is not open any more.
   */
  decide(id: number, decision: 'approved' | 'refused', approver: User | typeof OPERATOR_CLI, now: number): RoleGrant {
    return this.#db.transaction(() => {
      const g = this.byId(id);
      if (!g || g.decision !== null) throw new GatewayError('ERR_NOT_FOUND', 'grants.notOpen');
      if (!this.mayDecide(g, approver)) throw new GatewayError('ERR_PERMISSION_DENIED', 'grants.notYours');
      const who = approver === OPERATOR_CLI ? OPERATOR_CLI : approver.username;
      this.#db.prepare('UPDATE role_grants SET decision = ?, decided_by = ?, decided_at = ? WHERE id = ?').run(decision, who, now, id);
      recordAudit(this.#db, { at: now, actor: who, action: decision === 'approved' ? 'approve_role' : 'refuse_role', target: g.username, detail: `${g.role} (asked by ${g.requestedBy})` });
      if (decision === 'approved') {
        const u = this.#users.byId(g.userId)!;
        this.#users.setRoles(
          u.id,
          USER_ROLES.filter((r) => r === g.role || u.roles.includes(r)),
          who,
          now,
        );
      }
      return this.byId(id)!;
    })();
  }

  /** Withdraws open grants of a person for roles no longer asked for. */
  withdraw(userId: number, keep: readonly UserRole[], actor: string, now: number): void {
    for (const g of this.pending().filter((x) => x.userId === userId && !keep.includes(x.role))) {
      this.#db.prepare("UPDATE role_grants SET decision = 'withdrawn', decided_by = ?, decided_at = ? WHERE id = ?").run(actor, now, g.id);
      recordAudit(this.#db, { at: now, actor, action: 'withdraw_role', target: g.username, detail: g.role });
    }
  }
}
