/**
 * What the fault suite (tests/fault-suite.test.ts) reads of its two nodes to measure and to
 * explain: when the last receipt came, both timelines of a request on the test's clock, what
 * each node still holds for delivery, and the end of every process's output for a failure.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readOnly } from './_lane-order.js';
import type { NodeProcess } from './_node-process.js';
import { COUNTRIES, type Country } from './_fault-schedule.js';
import type { Clients, Federation } from './_util.js';

const REPO = new URL('..', import.meta.url).pathname;

export class FaultWatch {
  readonly #fed: Federation;
  readonly #nodes: ReadonlyMap<Country, NodeProcess>;
  readonly #clients: ReadonlyMap<Country, Clients>;

  constructor(fed: Federation, nodes: ReadonlyMap<Country, NodeProcess>, clients: ReadonlyMap<Country, Clients>) {
    this.#fed = fed;
    this.#nodes = nodes;
    this.#clients = clients;
  }

  dbOf(c: Country): string {
    return join(this.#fed.layout.dataDir(c), 'node.db');
  }

  /** Per node, from which receipt row on the node ran with which clock offset (the first run: offset 0 from row 0). */
  readonly #offsets = new Map<Country, { fromRow: number; offsetMs: number }[]>();

  /** Called while `c` is stopped, before it starts again with its clock moved by `offsetMs`. */
  offsetChanges(c: Country, offsetMs: number): void {
    const fromRow = readOnly(this.dbOf(c), (db) => (db.prepare('SELECT coalesce(max(rowid), 0) AS r FROM receipts').get() as { r: number }).r) + 1;
    this.#offsets.set(c, [...(this.#offsets.get(c) ?? []), { fromRow, offsetMs }]);
  }

  /**
   * When the node stored its last receipt (for a request or a step), on the test's clock: the
   * moment everything had settled. Checking every request takes a while on a busy machine, so
   * the time the check passed would overstate the recovery. The last row is the last stored; its
   * time goes through the offset of the run that wrote it (a clock set back makes times of two
   * runs overlap, so the time alone cannot say which).
   */
  lastReceipt(c: Country): { at: number; requestId: string } {
    const last = readOnly(
      this.dbOf(c),
      (db) => db.prepare('SELECT rowid AS row, stored_at AS t, request_id AS id FROM receipts ORDER BY rowid DESC LIMIT 1').get() as { row: number; t: number; id: string } | undefined,
    );
    if (!last) return { at: 0, requestId: '' };
    const offsetMs = (this.#offsets.get(c) ?? []).filter((o) => o.fromRow <= last.row).at(-1)?.offsetMs ?? 0;
    return { at: last.t - offsetMs, requestId: last.id };
  }

  /** The request whose receipt a node stored last, with both timelines in seconds from `since` (a long recovery's explanation). */
  async lastAnswered(since: number): Promise<Record<string, unknown>> {
    const last = COUNTRIES.map((c) => ({ c, ...this.lastReceipt(c) })).sort((a, b) => b.at - a.at)[0]!;
    return { storedBy: last.c, requestId: last.requestId, ...(await this.timelinesOf(last.requestId, since)) };
  }

  /** Both nodes' timelines of `id`, each event in seconds from `since` by the test's clock (approximate across a clock set back: NodeProcess.testTimeOf). */
  async timelinesOf(id: string, since: number): Promise<Record<string, string[]>> {
    const events = async (c: Country) =>
      (
        await this.#clients
          .get(c)!
          .get(id)
          .catch(() => undefined)
      )?.timeline.map((t) => `${((this.#nodes.get(c)!.testTimeOf(t.at) - since) / 1000).toFixed(1)} s ${t.detail}`) ?? [];
    return Object.fromEntries(await Promise.all(COUNTRIES.map(async (c) => [c, await events(c)] as const)));
  }

  /** What each node still holds for delivery (its outbox, envelopes held for their lane turn or their request), for a failure to show where things stopped. */
  deliveryState(): Record<string, unknown> {
    return Object.fromEntries(
      COUNTRIES.map((c) => [
        c,
        readOnly(this.dbOf(c), (db) => ({
          outbox: db.prepare('SELECT kind, count(*) AS n, max(attempts) AS attempts, min(next_attempt_at) AS nextAt, max(last_error) AS error FROM outbox GROUP BY kind').all(),
          lanesIn: db.prepare('SELECT sender, next_seq, gap_since FROM lanes_in').all(),
          lanesHeld: db.prepare('SELECT sender, count(*) AS n, min(seq) AS first FROM lanes_held GROUP BY sender').all(),
          heldSteps: (db.prepare('SELECT count(*) AS n FROM held_steps').get() as { n: number }).n,
          clock: Date.now() + this.#nodes.get(c)!.clockOffsetMs,
        })),
      ]),
    );
  }

  /**
   * Copies of both nodes' databases into test-artifacts/ (ignored by git), for a failed run to be
   * read afterwards; returns where. A consistent snapshot of a running node (VACUUM INTO).
   */
  keepDatabases(seed: number): string[] {
    const dir = join(REPO, 'test-artifacts');
    mkdirSync(dir, { recursive: true });
    return COUNTRIES.map((c) => {
      const to = join(dir, `fault-${seed}-${c}.db`);
      rmSync(to, { force: true });
      readOnly(this.dbOf(c), (db) => db.prepare('VACUUM INTO ?').run(to));
      return to;
    });
  }

  /** Both nodes' whole output (every process of each, in order) and the broker's, into test-artifacts/ beside the databases; returns where. */
  keepLogs(seed: number): string[] {
    const dir = join(REPO, 'test-artifacts');
    mkdirSync(dir, { recursive: true });
    const logs: [string, string][] = [...COUNTRIES.map((c): [string, string] => [c, this.#nodes.get(c)!.output]), ['nats', this.#fed.nats.log]];
    return logs.map(([name, text]) => {
      const to = join(dir, `fault-${seed}-${name}.log`);
      writeFileSync(to, text);
      return to;
    });
  }

  /** Copies of already accepted envelopes the node recorded (its de-duplication gate, protocol §14). */
  copiesRecorded(c: Country): number {
    return readOnly(this.dbOf(c), (db) => (db.prepare('SELECT coalesce(sum(duplicates), 0) AS n FROM inbox_dedup').get() as { n: number }).n);
  }

  /** The end of both nodes' and the broker's output, for a failure to show what they last said. */
  tails(): string {
    return [...COUNTRIES.map((c) => `--- ${c}:\n${this.#nodes.get(c)!.output.slice(-3000)}`), `--- nats-server:\n${this.#fed.nats.log.slice(-2000)}`].join('\n');
  }

  /**
   * `p`, or a failure naming `what` and the end of both nodes' and the broker's output after `ms`:
   * a fault that leaves something hanging fails the round that caused it, not the runner's timeout.
   */
  async within<T>(ms: number, p: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        p.catch((e: Error) => {
          throw new Error(`${what} failed: ${e.message}\n${this.tails()}`, { cause: e });
        }),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not done after ${ms / 1000} s\n${this.tails()}`)), ms))),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}
