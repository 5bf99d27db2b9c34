import { createHmac, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { GatewayDb } from './open.js';

/** Why a session ended: kept with the record and shown to auditors. */
export const SESSION_END_REASONS = ['logout', 'password_changed', 'password_reset', 'roles_changed', 'disabled', 'idle', 'expired', 'second_factor_changed'] as const;
export type SessionEndReason = (typeof SESSION_END_REASONS)[number];

/** `password`: the password was right, the second factor is still to come; `full`: signed in. */
export type SessionStage = 'password' | 'full';

export interface SessionRecord {
  idHash: string;
  userId: number;
  stage: SessionStage;
  createdAt: number;
  lastSeenAt: number;
}

interface Row {
  id_hash: string;
  user_id: number;
  stage: SessionStage;
  created_at: number;
  last_seen_at: number;
  ended_at: number | null;
}

export interface SessionLimits {
  /** Inactivity after which a session ends. */
  idleSeconds: number;
  /** Lifetime after which a session ends, however active. */
  maxSeconds: number;
  /** How long the second-factor step of a sign-in may take. */
  secondFactorSeconds: number;
}

/** Activity is written at most this often per session (every request would be a write). */
const TOUCH_EVERY_MS = 15_000;

/**
 * Server-side sessions. The cookie carries 32 random bytes; the database keeps only their
 * HMAC under the gateway's session key, so a copy of gateway.db opens no session. A session
 * ends on logout, on a password change or reset, a change of roles or second factor, when the
 * account is disabled, after `idleSeconds` without a request or `maxSeconds` in all; ending
 * ends every session of that person and tells the open event streams at once (`onEnded`).
 */
export class SessionStore {
  readonly #db: GatewayDb;
  readonly #key: Uint8Array;
  readonly limits: SessionLimits;
  readonly #ended = new EventEmitter();

  constructor(db: GatewayDb, key: Uint8Array, limits: SessionLimits) {
    this.#db = db;
    this.#key = key;
    this.limits = limits;
    this.#ended.setMaxListeners(0);
  }

  #hash(token: string): string {
    return createHmac('sha256', this.#key).update(token).digest('base64url');
  }

  /** A new session; returns the cookie value (never stored). */
  open(userId: number, stage: SessionStage, address: string, now: number): string {
    const token = randomBytes(32).toString('base64url');
    this.#db.prepare('INSERT INTO sessions (id_hash, user_id, stage, created_at, last_seen_at, address) VALUES (?, ?, ?, ?, ?, ?)').run(this.#hash(token), userId, stage, now, now, address);
    return token;
  }

  /** The live session of a cookie, its activity recorded; undefined when absent, ended or timed out (then ended). */
  resolve(token: string | undefined, now: number, touch = true): SessionRecord | undefined {
    if (!token || token.length > 100) return undefined;
    return this.#live(this.#hash(token), now, touch);
  }

  /** Whether a session is still live, without counting as activity (event streams check this). */
  isLive(idHash: string, now: number): boolean {
    return this.#live(idHash, now, false) !== undefined;
  }

  #live(idHash: string, now: number, touch: boolean): SessionRecord | undefined {
    const r = this.#db.prepare('SELECT id_hash, user_id, stage, created_at, last_seen_at, ended_at FROM sessions WHERE id_hash = ?').get(idHash) as Row | undefined;
    if (!r || r.ended_at !== null) return undefined;
    const maxMs = (r.stage === 'password' ? this.limits.secondFactorSeconds : this.limits.maxSeconds) * 1000;
    if (now - r.created_at >= maxMs) return this.#endOne(r, 'expired', now);
    if (now - r.last_seen_at >= this.limits.idleSeconds * 1000) return this.#endOne(r, 'idle', now);
    if (touch && now - r.last_seen_at >= TOUCH_EVERY_MS) this.#db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?').run(now, idHash);
    return { idHash: r.id_hash, userId: r.user_id, stage: r.stage, createdAt: r.created_at, lastSeenAt: touch ? now : r.last_seen_at };
  }

  #endOne(r: Row, reason: SessionEndReason, now: number): undefined {
    this.#db.prepare('UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id_hash = ? AND ended_at IS NULL').run(now, reason, r.id_hash);
    this.#ended.emit(`user:${r.user_id}`, reason);
    return undefined;
  }

  /** The second factor was right: the same session becomes a full one (a new cookie value too). */
  promote(idHash: string, now: number): string {
    const token = randomBytes(32).toString('base64url');
    this.#db.prepare("UPDATE sessions SET id_hash = ?, stage = 'full', last_seen_at = ? WHERE id_hash = ? AND ended_at IS NULL").run(this.#hash(token), now, idHash);
    return token;
  }

  /** Ends every session of a person; open event streams of that person close at once. */
  endAllFor(userId: number, reason: SessionEndReason, now: number): number {
    const n = this.#db.prepare('UPDATE sessions SET ended_at = ?, end_reason = ? WHERE user_id = ? AND ended_at IS NULL').run(now, reason, userId).changes;
    this.#ended.emit(`user:${userId}`, reason);
    return n;
  }

  /** Calls `cb` when any session of this person ends; returns the unsubscribe function. */
  onEnded(userId: number, cb: (reason: SessionEndReason) => void): () => void {
    const name = `user:${userId}`;
    this.#ended.on(name, cb);
    return () => this.#ended.off(name, cb);
  }

  /** Live sessions of a person (account page, tests). */
  liveCount(userId: number, now: number): number {
    const rows = this.#db.prepare('SELECT id_hash, user_id, stage, created_at, last_seen_at, ended_at FROM sessions WHERE user_id = ? AND ended_at IS NULL').all(userId) as Row[];
    return rows.filter((r) => this.#live(r.id_hash, now, false)).length;
  }
}
