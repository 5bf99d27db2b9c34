import { randomBytes } from 'node:crypto';
import type { Db } from './db.js';
import { preparedPer, u8 } from './rows.js';
import type { Store } from './store.js';

/** Per-sender order (docs/protocol.md §24): this node's lane counters, and the inbound lanes' positions and held envelopes. */

type Row = Record<string, unknown>;

/** An inbound envelope that arrived ahead of its turn, kept as received. */
export interface HeldEnvelope {
  sender: string;
  epoch: string;
  seq: number;
  envelopeId: string;
  subject: string;
  bytes: Uint8Array;
  heldAt: number;
}

const stmts = preparedPer((db: Db) => ({
  outLane: db.prepare('SELECT epoch, last_seq FROM lanes_out WHERE destination = ?'),
  newOutLane: db.prepare('INSERT INTO lanes_out (destination, epoch, last_seq) VALUES (?, ?, 1)'),
  stepOutLane: db.prepare('UPDATE lanes_out SET last_seq = last_seq + 1 WHERE destination = ?'),
  inLane: db.prepare('SELECT next_seq, gap_since FROM lanes_in WHERE sender = ? AND epoch = ?'),
  newInLane: db.prepare('INSERT OR IGNORE INTO lanes_in (sender, epoch, next_seq, gap_since) VALUES (?, ?, 1, NULL)'),
  advance: db.prepare('UPDATE lanes_in SET next_seq = ? WHERE sender = ? AND epoch = ? AND next_seq < ?'),
  gapOpened: db.prepare('UPDATE lanes_in SET gap_since = ? WHERE sender = ? AND epoch = ? AND gap_since IS NULL'),
  gapReset: db.prepare('UPDATE lanes_in SET gap_since = ? WHERE sender = ? AND epoch = ?'),
  gapClosed: db.prepare('UPDATE lanes_in SET gap_since = NULL WHERE sender = ? AND epoch = ?'),
  hold: db.prepare(`INSERT OR IGNORE INTO lanes_held (sender, epoch, seq, envelope_id, subject, bytes, held_at)
    VALUES (@sender, @epoch, @seq, @envelopeId, @subject, @bytes, @heldAt)`),
  heldAt: db.prepare('SELECT * FROM lanes_held WHERE sender = ? AND epoch = ? AND seq = ?'),
  firstHeld: db.prepare('SELECT MIN(seq) AS seq FROM lanes_held WHERE sender = ? AND epoch = ?'),
  drop: db.prepare('DELETE FROM lanes_held WHERE sender = ? AND epoch = ? AND seq = ?'),
  ready: db.prepare(`SELECT h.* FROM lanes_held h JOIN lanes_in l ON l.sender = h.sender AND l.epoch = h.epoch
    WHERE h.seq <= l.next_seq ORDER BY h.sender, h.epoch, h.seq LIMIT ?`),
  gaps: db.prepare('SELECT sender, epoch, next_seq, gap_since FROM lanes_in WHERE gap_since IS NOT NULL AND gap_since <= ?'),
  count: db.prepare('SELECT COUNT(*) AS n FROM lanes_held'),
}));

/**
 * The next position on this node's lane to `destination`, inside the caller's transaction (a
 * rollback gives it back, so positions stay contiguous). The first use picks a fresh epoch.
 */
export function nextLaneSeq(store: Store, destination: string): { seq: number; epoch: string } {
  const s = stmts(store.db);
  const row = s.outLane.get(destination) as Row | undefined;
  if (!row) {
    const epoch = randomBytes(16).toString('hex');
    s.newOutLane.run(destination, epoch);
    return { seq: 1, epoch };
  }
  s.stepOutLane.run(destination);
  return { seq: (row.last_seq as number) + 1, epoch: row.epoch as string };
}

/** The next position to apply from `sender` in `epoch` (1 for a lane not seen before). */
export function laneNext(store: Store, sender: string, epoch: string): number {
  const row = stmts(store.db).inLane.get(sender, epoch) as Row | undefined;
  return row ? (row.next_seq as number) : 1;
}

/**
 * The lane applied `seq`: the next one to apply is `seq + 1` (never moves back). Progress
 * restarts the gap clock when envelopes are still held, and stops it when none is.
 */
export function laneApplied(store: Store, sender: string, epoch: string, seq: number, now: number): void {
  const s = stmts(store.db);
  s.newInLane.run(sender, epoch);
  s.advance.run(seq + 1, sender, epoch, seq + 1);
  const first = (s.firstHeld.get(sender, epoch) as Row).seq as number | null;
  if (first === null) s.gapClosed.run(sender, epoch);
  else s.gapReset.run(now, sender, epoch);
}

/** Keeps an envelope that is ahead of its lane's next position (a second copy of it is ignored). */
export function holdOnLane(store: Store, h: HeldEnvelope): void {
  const s = stmts(store.db);
  s.newInLane.run(h.sender, h.epoch);
  s.hold.run({ ...h, bytes: Buffer.from(h.bytes) });
  s.gapOpened.run(h.heldAt, h.sender, h.epoch);
}

/** Removes a held envelope once it has been applied (or found to be a copy). */
export function dropHeld(store: Store, sender: string, epoch: string, seq: number): void {
  stmts(store.db).drop.run(sender, epoch, seq);
}

/** Held envelopes whose turn has come (their position is the lane's next, or behind it), in lane order. */
export function heldReady(store: Store, limit: number): HeldEnvelope[] {
  return (stmts(store.db).ready.all(limit) as Row[]).map(heldOf);
}

/**
 * Lanes whose gap has been open since `before` or earlier: the missing positions are given up
 * (§24.4) and the lane moves to its first held envelope. Returns the lanes moved.
 */
export function skipStaleGaps(store: Store, before: number): { sender: string; epoch: string; from: number; to: number }[] {
  const s = stmts(store.db);
  const moved: { sender: string; epoch: string; from: number; to: number }[] = [];
  for (const g of s.gaps.all(before) as Row[]) {
    const sender = g.sender as string;
    const epoch = g.epoch as string;
    const first = (s.firstHeld.get(sender, epoch) as Row).seq as number | null;
    if (first === null) {
      s.gapClosed.run(sender, epoch);
      continue;
    }
    s.advance.run(first, sender, epoch, first);
    s.gapClosed.run(sender, epoch);
    moved.push({ sender, epoch, from: g.next_seq as number, to: first });
  }
  return moved;
}

/** How many envelopes wait for an earlier one of their lane. */
export function heldOnLanes(store: Store): number {
  return (stmts(store.db).count.get() as Row).n as number;
}

function heldOf(r: Row): HeldEnvelope {
  return {
    sender: r.sender as string,
    epoch: r.epoch as string,
    seq: r.seq as number,
    envelopeId: r.envelope_id as string,
    subject: r.subject as string,
    bytes: u8(r.bytes),
    heldAt: r.held_at as number,
  };
}
