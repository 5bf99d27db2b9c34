import { EventEmitter } from 'node:events';
import type { GatewayDb } from '../db/open.js';
import type { UserRole } from '../db/users.js';

/** What a notification says happened; one home for the closed list (labels: notify.kind.*). */
export const NOTIFICATION_KINDS = ['new_request', 'new_step', 'due_soon', 'overdue', 'failed'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * One thing that happened to a request, for the people holding `roles`. Metadata only: the
 * request's id, type and counterpart, never its subject or any other case content, so the
 * list (and the e-mail made from it) shows nothing a role may not read.
 */
export interface NewNotification {
  kind: NotificationKind;
  requestId: string;
  requestKind: string;
  counterpart: string;
  roles: readonly UserRole[];
  at: number;
  /** Recorded once: a second notification with the same key (a replayed event, the next deadline scan) is dropped. */
  once: string;
}

export interface Notification extends Omit<NewNotification, 'once' | 'roles'> {
  id: number;
  read: boolean;
}

/** A person who asked for notification e-mail. */
export interface MailRecipient {
  userId: number;
  address: string;
  lang: string;
  roles: UserRole[];
}

type Row = Record<string, unknown>;

const roleList = (roles: readonly string[]) => `,${roles.join(',')},`;

/** The gateway's notifications, their reads per person, opt-in e-mail addresses and the watch cursor (gateway/db migration 4). */
export class NotificationStore {
  readonly #db: GatewayDb;
  readonly #events = new EventEmitter();

  constructor(db: GatewayDb) {
    this.#db = db;
    this.#events.setMaxListeners(0);
  }

  /** Records `n` unless its `once` key was recorded before; returns the new row's id. */
  record(n: NewNotification): number | undefined {
    const res = this.#db
      .prepare('INSERT OR IGNORE INTO notifications (kind, request_id, request_kind, counterpart, roles, at, once) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(n.kind, n.requestId, n.requestKind, n.counterpart, roleList(n.roles), n.at, n.once);
    if (res.changes === 0) return undefined;
    const id = Number(res.lastInsertRowid);
    this.#events.emit('recorded', { ...n, id });
    return id;
  }

  /** Calls `listener` with each notification recorded from now on; returns the unsubscribe. */
  onRecorded(listener: (n: NewNotification & { id: number }) => void): () => void {
    this.#events.on('recorded', listener);
    return () => this.#events.off('recorded', listener);
  }

  #forRoles(roles: readonly string[]): { sql: string; params: string[] } {
    if (roles.length === 0) return { sql: '0', params: [] };
    return { sql: `(${roles.map(() => "n.roles LIKE '%,' || ? || ',%'").join(' OR ')})`, params: [...roles] };
  }

  /** The newest notifications for a person's roles, with whether they read each. */
  list(user: { id: number; roles: readonly string[] }, limit = 100): Notification[] {
    const f = this.#forRoles(user.roles);
    const rows = this.#db
      .prepare(
        `SELECT n.*, r.user_id IS NOT NULL AS is_read FROM notifications n
         LEFT JOIN notification_reads r ON r.notification_id = n.id AND r.user_id = ?
         WHERE ${f.sql} ORDER BY n.id DESC LIMIT ?`,
      )
      .all(user.id, ...f.params, limit) as Row[];
    return rows.map((r) => ({
      id: r.id as number,
      kind: r.kind as NotificationKind,
      requestId: r.request_id as string,
      requestKind: r.request_kind as string,
      counterpart: r.counterpart as string,
      at: r.at as number,
      read: r.is_read === 1,
    }));
  }

  unreadCount(user: { id: number; roles: readonly string[] }): number {
    const f = this.#forRoles(user.roles);
    const row = this.#db
      .prepare(`SELECT COUNT(*) AS n FROM notifications n WHERE ${f.sql} AND NOT EXISTS (SELECT 1 FROM notification_reads r WHERE r.notification_id = n.id AND r.user_id = ?)`)
      .get(...f.params, user.id) as Row;
    return row.n as number;
  }

  /** Marks one notification (when it is for the person's roles) or all of theirs read; answers the one's request id. */
  markRead(user: { id: number; roles: readonly string[] }, which: number | 'all'): string | undefined {
    const f = this.#forRoles(user.roles);
    const one = which === 'all' ? '' : 'AND n.id = ?';
    const ids = this.#db.prepare(`SELECT n.id, n.request_id FROM notifications n WHERE ${f.sql} ${one}`).all(...f.params, ...(which === 'all' ? [] : [which])) as Row[];
    const insert = this.#db.prepare('INSERT OR IGNORE INTO notification_reads (notification_id, user_id) VALUES (?, ?)');
    this.#db.transaction(() => ids.forEach((r) => insert.run(r.id, user.id)))();
    return which === 'all' ? undefined : (ids[0]?.request_id as string | undefined);
  }

  mailAddress(userId: number): string {
    return ((this.#db.prepare('SELECT address FROM notification_mail WHERE user_id = ?').get(userId) as Row | undefined)?.address as string | undefined) ?? '';
  }

  /** Opts a person in with `address`, or out with ''. */
  setMailAddress(userId: number, address: string): void {
    if (address) this.#db.prepare('INSERT INTO notification_mail (user_id, address) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET address = excluded.address').run(userId, address);
    else this.#db.prepare('DELETE FROM notification_mail WHERE user_id = ?').run(userId);
  }

  /** The enabled people who asked for e-mail and hold one of `roles`. */
  mailRecipients(roles: readonly string[]): MailRecipient[] {
    const rows = this.#db.prepare('SELECT u.id, u.roles, u.lang, m.address FROM notification_mail m JOIN users u ON u.id = m.user_id WHERE u.disabled = 0').all() as Row[];
    return rows
      .map((r) => ({ userId: r.id as number, address: r.address as string, lang: r.lang as string, roles: JSON.parse(r.roles as string) as UserRole[] }))
      .filter((r) => r.roles.some((x) => roles.includes(x)));
  }

  cursor(): string {
    return ((this.#db.prepare('SELECT cursor FROM notification_cursor WHERE id = 1').get() as Row | undefined)?.cursor as string | undefined) ?? '';
  }

  setCursor(cursor: string): void {
    this.#db.prepare('INSERT INTO notification_cursor (id, cursor) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET cursor = excluded.cursor').run(cursor);
  }
}
