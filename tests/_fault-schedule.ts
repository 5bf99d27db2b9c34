/**
 * The fault suite's schedule (tests/fault-suite.test.ts): the fault kinds this machine can
 * inject, how many rounds, and every round's fault and steps drawn from the seed before anything
 * runs, so that a run is replayed from its seed.
 */
import { cannotMount } from './_small-disk.js';
import { REQUESTED_MOVES, REQUESTING_MOVES } from './_timeline.js';

export const LONG = !!process.env.ENLACE_LONG;
export const PER_ROUND = LONG ? 20 : 8;
export const COUNTRIES = ['AR', 'UY'] as const;
export type Country = (typeof COUNTRIES)[number];
export const other = (c: Country): Country => (c === 'AR' ? 'UY' : 'AR');

const ALL_KINDS = ['kill-node', 'pause-node', 'kill-broker', 'pause-and-broker-kill', 'broker-store-lost', 'disk-full', 'clock-skew', 'partition', 'slow-link', 'replay'] as const;
export type Kind = (typeof ALL_KINDS)[number];
export const diskSkip = cannotMount();
if (diskSkip) console.warn(`fault suite: no disk-full faults, cannot mount a loopback filesystem (${diskSkip})`);
export const KINDS: readonly Kind[] = ALL_KINDS.filter((k) => k !== 'disk-full' || !diskSkip);
export const ROUNDS = Number(process.env.ENLACE_FAULT_ROUNDS ?? (LONG ? 60 : KINDS.length));

export interface Plan {
  kind: Kind;
  target: Country;
  /** When, after the round's traffic starts, the fault begins. */
  atMs: number;
  /** How long the fault lasts (pause, outage, full disk, partition, slow link). */
  holdMs: number;
  /** clock-skew: the new offset of the target's clock (within the 5-minute acceptance window of protocol §12); slow-link: the delay per chunk. */
  amount: number;
  steps: { pick: number; requested: boolean; move: [string, string] }[];
}

/** The whole schedule, drawn from the seed before anything runs: a run is replayed from its seed. */
export function schedule(rnd: () => number): Plan[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const order = [...KINDS];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return Array.from({ length: ROUNDS }, (_, r) => {
    const kind = r < order.length ? order[r]! : pick(KINDS);
    const skew = (20_000 + Math.floor(rnd() * 130_000)) * (rnd() < 0.5 ? -1 : 1);
    return {
      kind,
      target: pick(COUNTRIES),
      atMs: Math.floor(rnd() * 400),
      // In the long run a pause or partition is sometimes longer than the client's ping timeout
      // (about 10 s) or the consumer's 30 s ack wait, where redeliveries reorder.
      holdMs: LONG && (kind === 'pause-node' || kind === 'pause-and-broker-kill' || kind === 'partition') && rnd() < 0.3 ? 10_000 + Math.floor(rnd() * 30_000) : 500 + Math.floor(rnd() * 3_000),
      amount: kind === 'clock-skew' ? (rnd() < 0.25 ? 0 : skew) : 50 + Math.floor(rnd() * 250),
      steps: Array.from({ length: PER_ROUND }, () => {
        const requested = rnd() < 0.6;
        return { pick: rnd(), requested, move: pick(requested ? REQUESTED_MOVES : REQUESTING_MOVES) };
      }),
    };
  });
}
