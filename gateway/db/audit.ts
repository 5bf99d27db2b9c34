import type { GatewayDb } from './open.js';

/** What the gateway records about accounts; every row is kept forever and shown to auditors. */
export const ACCOUNT_ACTIONS = [
  'create',
  'disable',
  'enable',
  'reset_password',
  'change_password',
  'set_roles',
  'request_role',
  'approve_role',
  'refuse_role',
  'withdraw_role',
  'suspend_role',
  'enrol_totp',
  'remove_totp',
  'sign_in',
  'logout',
] as const;
export type AccountAction = (typeof ACCOUNT_ACTIONS)[number];

export interface AccountAuditRow {
  seq: number;
  at: number;
  actor: string;
  action: string;
  target: string;
  detail: string;
}

export function recordAudit(db: GatewayDb, row: Omit<AccountAuditRow, 'seq'>): void {
  db.prepare('INSERT INTO user_audit (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)').run(row.at, row.actor, row.action, row.target, row.detail);
}

export interface AccountAuditFilter {
  /** Actor or target, exact user name. */
  person?: string;
  action?: string;
  since?: number;
  until?: number;
  limit?: number;
}

/** Newest first. */
export function listAccountAudit(db: GatewayDb, f: AccountAuditFilter = {}): AccountAuditRow[] {
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (f.person) {
    where.push('(actor = ? COLLATE NOCASE OR target = ? COLLATE NOCASE)');
    args.push(f.person, f.person);
  }
  if (f.action) {
    where.push('action = ?');
    args.push(f.action);
  }
  if (f.since !== undefined) {
    where.push('at >= ?');
    args.push(f.since);
  }
  if (f.until !== undefined) {
    where.push('at < ?');
    args.push(f.until);
  }
  const sql = `SELECT seq, at, actor, action, target, detail FROM user_audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`;
  return db.prepare(sql).all(...args, f.limit ?? 500) as AccountAuditRow[];
}
