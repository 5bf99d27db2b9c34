import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadNodeKeys, type TrustStore } from '../keys/index.js';
import { KIND, uuidv7 } from '../services/envelope/index.js';
import { loadTrust, type NationalNode } from '../services/index.js';
import { ACCEPTED, Probe } from '../cli/conformance/probe.js';
import { requestBody, statusUpdateBytes } from './_messages.js';
import { Federation, NETWORK, PASSPHRASE, quietLogger } from './_util.js';

interface Arrival {
  label: string;
  kind: 'request' | 'withdraw';
  of?: string;
  epoch: string;
  seq: number;
}
interface Step {
  arrive?: Arrival;
  copy?: string;
  wait?: number;
  expect: { applied: string[]; held: string[]; next: Record<string, number>; status?: Record<string, string> };
}
interface Case {
  name: string;
  section: string;
  epochs: Record<string, string>;
  steps: Step[];
}
const { laneGapMs, cases } = JSON.parse(readFileSync(new URL('./vectors/lanes-v1.json', import.meta.url), 'utf8')) as { laneGapMs: number; cases: Case[] };

/** The receiver's clock: it moves only when a `wait` step moves it, so a wait of the lane gap less 1 ms is exactly that. */
const clock = { t: 0, now: () => clock.t };

/**
 * The lane vectors (tests/vectors/lanes-v1.json, protocol §24) against the reference node AR as the
 * receiver, with the lane gap wait of the vectors; the conformance probe plays the sender BR and
 * seals each envelope at the case's lane position. After each step the probe sends two unordered
 * requests (lane_seq 0) and waits for their receipts: the inbox has then handled the step and run a
 * lane check (a held envelope's turn, a gap past its wait) after it, so a state that must not have
 * changed yet is checked as firmly as one that must.
 */
describe('lane vectors (tests/vectors/lanes-v1.json, protocol §24) against the reference receiving node', () => {
  let fed: Federation;
  let ar: NationalNode;
  let probe: Probe;

  beforeAll(async () => {
    fed = await Federation.create(['AR', 'BR']);
    clock.t = Date.now();
    const trust: TrustStore = await loadTrust(fed.config('BR'), quietLogger);
    const ring = await loadNodeKeys(join(fed.layout.dataDir('BR'), 'keys', 'BR.keys.json'), PASSPHRASE);
    probe = new Probe({ servers: [fed.nats.url], networkId: NETWORK, ring, trust, target: 'AR', user: 'BR', password: fed.password('BR'), tls: { caFile: fed.pki.caCert }, now: clock.now });
    await probe.start();
    ar = await fed.startNode('AR', { clock, settings: { laneGapMs } });
    await ar.waitForTransport();
  });

  afterAll(async () => {
    await probe?.stop();
    await fed?.destroy();
  });

  const withdrawal = (requestId: string): Uint8Array => statusUpdateBytes(requestId, { action: 'withdraw', status: 'withdrawn', note: 'the victim was found', at: clock.now() });

  const db = () => ar.deps.store.db;
  let ticks = 0;
  /** An unordered request and its receipt, twice: everything published before has been handled, and a lane check ran after it. */
  async function settle(): Promise<void> {
    for (let i = 0; i < 2; i++) {
      const tick = await probe.sealed(KIND.request, requestBody({ senderReference: `lane-tick-${ticks++}` }));
      await probe.publish(tick.bytes, tick.id);
      expect((await probe.receipt(tick.id, 30_000))?.outcome, 'an unordered request is answered').toBe(ACCEPTED);
    }
  }

  for (const c of cases) {
    it(`${c.name} (${c.section})`, async () => {
      // Ids drawn first: a withdrawal names its request even when it is sealed before it.
      const ids = new Map<string, string>(c.steps.flatMap((st) => (st.arrive ? [[st.arrive.label, uuidv7(clock.now())] as const] : [])));
      const sent = new Map<string, { id: string; bytes: Uint8Array }>();
      const labelOf = new Map<string, string>();
      const epochs = Object.values(c.epochs);
      for (const [n, st] of c.steps.entries()) {
        const what = `${c.name} step ${n + 1}`;
        if (st.arrive) {
          const a = st.arrive;
          const body = a.kind === 'request' ? requestBody({ senderReference: `lane-${c.name}-${a.label}` }) : withdrawal(ids.get(a.of!)!);
          const env = await probe.sealed(a.kind === 'request' ? KIND.request : KIND.status, body, { id: ids.get(a.label)!, ...(a.seq > 0 ? { lane: { seq: a.seq, epoch: c.epochs[a.epoch]! } } : {}) });
          labelOf.set(env.id, a.label);
          sent.set(a.label, env);
          await probe.publish(env.bytes, env.id);
        } else if (st.copy) {
          await probe.publish(sent.get(st.copy)!.bytes);
        } else if (st.wait !== undefined) {
          clock.t += st.wait;
        }
        await settle();
        const applied = (db().prepare('SELECT envelope_id FROM inbox_dedup ORDER BY rowid').all() as { envelope_id: string }[]).map((r) => labelOf.get(r.envelope_id)).filter((l) => l !== undefined);
        const held = (
          db()
            .prepare(`SELECT envelope_id FROM lanes_held WHERE epoch IN (${epochs.map(() => '?').join(',')}) ORDER BY epoch, seq`)
            .all(...epochs) as { envelope_id: string }[]
        ).map((r) => labelOf.get(r.envelope_id) ?? r.envelope_id);
        const next = Object.fromEntries(
          Object.keys(st.expect.next).map((name) => [
            name,
            (db().prepare('SELECT next_seq FROM lanes_in WHERE sender = ? AND epoch = ?').get('BR', c.epochs[name]) as { next_seq: number } | undefined)?.next_seq ?? 1,
          ]),
        );
        expect({ applied, held: held.sort(), next }, what).toEqual({ applied: st.expect.applied, held: [...st.expect.held].sort(), next: st.expect.next });
        for (const [label, status] of Object.entries(st.expect.status ?? {})) expect(ar.deps.store.getRequest(ids.get(label)!)?.status, `${what}: status of ${label}`).toBe(status);
        // Whatever was applied was answered (accepted) once; a held one not yet.
        for (const label of st.expect.applied) expect((await probe.receipt(ids.get(label)!, 15_000))?.outcome, `${what}: ${label} answered`).toBe(ACCEPTED);
        for (const label of st.expect.held) expect(probe.receiptsFor(ids.get(label)!), `${what}: ${label} held, not answered`).toHaveLength(0);
      }
    });
  }
});
