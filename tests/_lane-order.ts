import Database from 'better-sqlite3';
import { expect } from 'vitest';
import { decodeOuter } from '../services/envelope/index.js';

/** How a receiver applied one sender's lane (docs/protocol.md §24), read from both stores. */
export interface LaneOrder {
  /** The last position the sender gave on its lane to the receiver (its counter, §24.5). */
  lastSeq: number;
  /** Positions whose envelope the sender keeps (requests and steps), so whose number is known. */
  numbered: number;
  /** Positions taken by orders of the other state's proposals (§19) and by erasures (§21), whose bytes the sender does not keep: counted, not numbered. */
  orders: number;
  /** Positions 1..lastSeq accounted for by neither (a defect in the counter: a gap, or a number given twice). */
  unaccounted: number;
  /** Envelopes of the lane that the receiver neither accepted nor rejected. */
  missing: number;
  /** Of those the receiver accepted, the ones applied after an envelope of a later position: out of sender order. */
  outOfOrder: number;
  /** First few out-of-order envelopes, for a failure message. */
  examples: string[];
}

type Row = { id: string; envelope: Buffer };

/**
 * Compares the order in which `receiver` applied `sender`'s envelopes with the sender's lane
 * numbers. The receiver's order is the rowid of its permanent de-duplication record (§11),
 * written in the transaction that applies an envelope; the numbers are the lane_seq the sender
 * signed into the headers of the requests and steps it keeps as evidence. Both databases are
 * read read-only, so the nodes may be running.
 */
export function laneOrder(senderDb: string, receiverDb: string, sender: string, receiver: string): LaneOrder {
  const tx = new Database(senderDb, { readonly: true, fileMustExist: true });
  const rx = new Database(receiverDb, { readonly: true, fileMustExist: true });
  try {
    const counter = tx.prepare('SELECT epoch, last_seq FROM lanes_out WHERE destination = ?').get(receiver) as { epoch: string; last_seq: number } | undefined;
    const mine = [
      ...(tx.prepare("SELECT id, envelope FROM requests WHERE direction = 'outbound' AND counterpart = ?").all(receiver) as Row[]),
      ...(tx.prepare("SELECT t.event_id AS id, t.envelope FROM transitions t JOIN requests r ON r.id = t.request_id WHERE t.origin = 'local' AND r.counterpart = ?").all(receiver) as Row[]),
    ];
    // Orders of proposals (§19), erasures and erasure answers (§21): on the lane, their bytes not kept.
    const orders = (
      tx
        .prepare(
          `SELECT t.order_id AS id FROM transitions t JOIN requests r ON r.id = t.request_id WHERE t.origin = 'remote' AND t.order_id <> '' AND r.counterpart = @to
           UNION SELECT s.envelope_id AS id FROM sent_envelopes s JOIN requests r ON r.id = s.request_id WHERE r.counterpart = @to`,
        )
        .all({ to: receiver }) as { id: string }[]
    ).map((o) => o.id);
    const seqOf = new Map<string, number>();
    for (const m of mine) {
      const header = m.envelope.byteLength > 0 ? decodeOuter(new Uint8Array(m.envelope))?.header : undefined;
      if (header && header.laneSeq > 0 && header.laneEpoch === counter?.epoch) seqOf.set(m.id, header.laneSeq);
    }
    const lastSeq = counter?.last_seq ?? 0;
    const distinct = new Set(seqOf.values());
    const unaccounted = Math.abs(lastSeq - distinct.size - orders.length) + (seqOf.size - distinct.size);

    const applied = (rx.prepare('SELECT envelope_id FROM inbox_dedup WHERE sender = ? ORDER BY rowid').all(sender) as { envelope_id: string }[]).map((r) => r.envelope_id);
    const rejected = new Set((rx.prepare('SELECT envelope_id FROM quarantine WHERE from_addr = ?').all(sender) as { envelope_id: string }[]).map((r) => r.envelope_id));
    const settled = new Set([...applied, ...rejected]);
    const missing = [...seqOf.keys(), ...orders].filter((id) => !settled.has(id)).length;

    let highest = 0;
    let outOfOrder = 0;
    const examples: string[] = [];
    for (const id of applied) {
      const seq = seqOf.get(id);
      if (seq === undefined) continue;
      if (seq < highest) {
        outOfOrder++;
        if (examples.length < 5) examples.push(`${id} at position ${seq} applied after position ${highest}`);
      }
      highest = Math.max(highest, seq);
    }
    return { lastSeq, numbered: seqOf.size, orders: orders.length, unaccounted, missing, outOfOrder, examples };
  } finally {
    tx.close();
    rx.close();
  }
}

/** Fails unless `lane` (of direction `dir`, "AR->UY") was applied whole and in the sender's order. */
export function expectLaneOrder(dir: string, lane: LaneOrder): void {
  expect(lane.outOfOrder, `${dir}: envelopes applied out of lane order: ${lane.examples.join('; ')}`).toBe(0);
  expect(lane.missing, `${dir}: lane envelopes the receiver never applied`).toBe(0);
  expect(lane.unaccounted, `${dir}: lane positions the sender cannot account for`).toBe(0);
}

/** Runs `read` on a node's database file opened read-only (the node may be running), and closes it. */
export function readOnly<T>(dbPath: string, read: (db: Database.Database) => T): T {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}
