import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { random, REQUESTED_MOVES, REQUESTING_MOVES, settled, shared, transition } from './_timeline.js';
import { eventually, Federation, submitRequestOf, type Clients } from './_util.js';
import { NodeProcess } from './_node-process.js';

/**
 * One timeline by construction (docs/protocol.md §19): both states fire conflicting steps at
 * random moments, in some rounds one node is killed (kill -9) in the middle and restarted,
 * and afterwards both nodes must show the same status and the same ordered steps, every time.
 * ENLACE_LONG=1 runs 200 rounds (CI's long mode); the default suite runs 20. ENLACE_SEED
 * replays a run.
 */
const ROUNDS = Number(process.env.ENLACE_CONFLICT_ROUNDS ?? (process.env.ENLACE_LONG ? 200 : 20));
const BATCH = 10;
const SEED = Number(process.env.ENLACE_SEED ?? Date.now() % 2 ** 31);

type Move = { side: 'AR' | 'UY'; action: string; note: string; delayMs: number };

function script(rnd: () => number): Move[] {
  const moves: Move[] = [];
  const n = 2 + Math.floor(rnd() * 4);
  for (let i = 0; i < n; i++) {
    const side = rnd() < 0.4 ? 'AR' : 'UY';
    const table = side === 'AR' ? REQUESTING_MOVES : REQUESTED_MOVES;
    const [action, note] = table[Math.floor(rnd() * table.length)]!;
    moves.push({ side, action, note, delayMs: Math.floor(rnd() * 40) });
  }
  return moves;
}

describe('one timeline whatever the timing', () => {
  let fed: Federation;
  const nodes = new Map<string, NodeProcess>();
  const clients = new Map<string, Clients>();

  beforeAll(async () => {
    fed = await Federation.create(['AR', 'UY']);
    for (const c of ['AR', 'UY']) {
      const p = await NodeProcess.start(fed, c);
      nodes.set(c, p);
      clients.set(c, await p.clients(['integrator']));
    }
  }, 60_000);

  afterAll(async () => {
    for (const c of clients.values()) c.close();
    for (const p of nodes.values()) await p.stop();
    await fed?.destroy();
  });

  const get = (country: string, id: string) => clients.get(country)!.get(id);

  it(
    `converges on the same status and steps in ${ROUNDS} rounds of conflicting steps, some with a node killed (seed ${SEED})`,
    async () => {
      const rnd = random(SEED);
      const figures = { rounds: 0, stepsTried: 0, stepsTaken: 0, ordered: 0, declined: 0, kills: 0 };
      for (let done = 0, batch = 0; done < ROUNDS; done += BATCH, batch++) {
        const size = Math.min(BATCH, ROUNDS - done);
        const ids: string[] = [];
        for (let i = 0; i < size; i++) {
          const res = await clients.get('AR')!.submit(submitRequestOf({ senderReference: `CONFLICT-${SEED}-${done + i}` }));
          ids.push(res.request!.id);
        }
        for (const id of ids)
          await eventually(
            () =>
              get('UY', id).then(
                (r) => r,
                () => undefined,
              ),
            30_000,
            `request ${id} at UY`,
          );
        // Every other batch, one node (chosen at random) dies in the middle of the burst.
        const killed = batch % 2 === 1 ? (rnd() < 0.5 ? 'AR' : 'UY') : undefined;
        const killAfterMs = Math.floor(rnd() * 60);
        const bursts = ids.map(async (id) => {
          for (const m of script(rnd)) {
            await new Promise((r) => setTimeout(r, m.delayMs));
            figures.stepsTried++;
            try {
              await transition(clients.get(m.side)!, { requestId: id, action: m.action, note: m.note });
              figures.stepsTaken++;
            } catch {
              // Refused (the request moved on) or the node is down: both are part of the game.
            }
          }
        });
        const kill = killed
          ? (async () => {
              await new Promise((r) => setTimeout(r, killAfterMs));
              await nodes.get(killed)!.kill9();
              figures.kills++;
              await nodes.get(killed)!.start();
            })()
          : Promise.resolve();
        await Promise.all([...bursts, kill]);
        for (const id of ids) {
          const both = await eventually(
            async () => {
              const [ar, uy] = await Promise.all([get('AR', id), get('UY', id)]).catch(() => [undefined, undefined]);
              if (!ar || !uy || !settled(ar)) return undefined;
              return JSON.stringify(shared(ar)) === JSON.stringify(shared(uy)) ? { ar, uy } : undefined;
            },
            60_000,
            `the two nodes to agree on ${id} (seed ${SEED})`,
          ).catch(async (e: unknown) => {
            const [ar, uy] = await Promise.all([get('AR', id), get('UY', id)]);
            expect({ id, seed: SEED, AR: shared(ar) }).toEqual({ id, seed: SEED, AR: shared(uy) });
            throw e;
          });
          expect(shared(both.ar)).toEqual(shared(both.uy));
          // Positions are 1..n without gaps, at both nodes.
          const seqs = both.uy.steps.filter((s) => s.state === 'ordered').map((s) => s.seq);
          expect(seqs).toEqual(seqs.map((_, i) => i + 1));
          figures.ordered += seqs.length;
          figures.declined += shared(both.uy).declined.length;
        }
        figures.rounds += size;
      }
      console.log(`timeline convergence: ${JSON.stringify({ seed: SEED, ...figures })}`);
      expect(figures.rounds).toBe(ROUNDS);
      expect(figures.stepsTaken).toBeGreaterThan(0);
      expect(figures.declined + figures.kills).toBeGreaterThan(0);
    },
    60_000 + ROUNDS * 8_000,
  );
});
