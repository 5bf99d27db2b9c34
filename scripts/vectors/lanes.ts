/**
 * tests/vectors/lanes-v1.json: per-sender order at a receiver (docs/protocol.md §24). Each case
 * is a sequence of arrivals on one sender's lanes (a kind, an epoch and a position, or a copy of
 * an envelope that came before) and of waits on the receiver's clock; after each, the envelopes
 * applied so far in the order they were applied, the ones held, and each lane's next position.
 * The expected states are the rules of §24.2 and §24.4 worked by hand; tests/lane-vectors.test.ts
 * checks the reference node against every one. Deterministic: epochs are SHA-256 of labels.
 */
import { createHash } from 'node:crypto';

/** The lane gap wait the cases are written for (the reference default, §24.4). */
const LANE_GAP_MS = 4 * 3600_000;

const epoch = (label: string): string => createHash('sha256').update(`enlace test vector lane epoch ${label}`).digest('hex').slice(0, 32);

type Arrival = { label: string; kind: 'request'; epoch: string; seq: number } | { label: string; kind: 'withdraw'; of: string; epoch: string; seq: number };
interface Expect {
  applied: string[];
  held: string[];
  next: Record<string, number>;
  status?: Record<string, string>;
}
type Step = ({ arrive: Arrival } | { copy: string } | { wait: number }) & { expect: Expect };

interface Case {
  name: string;
  section: string;
  description: string;
  epochs: Record<string, string>;
  steps: Step[];
}

const e1 = 'E1';
const e2 = 'E2';
const req = (label: string, ep: string, seq: number): Arrival => ({ label, kind: 'request', epoch: ep, seq });
const withdraw = (label: string, of: string, ep: string, seq: number): Arrival => ({ label, kind: 'withdraw', of, epoch: ep, seq });

/** §24.2: in order, ahead of the turn, copies. */
function orderCases(): Case[] {
  return [
    {
      name: 'in-order',
      section: '§24.2 rule 1',
      description: 'Positions 1, 2, 3 arrive in order: each is applied on arrival and moves the lane on.',
      epochs: { [e1]: epoch('in-order 1') },
      steps: [
        { arrive: req('a', e1, 1), expect: { applied: ['a'], held: [], next: { [e1]: 2 } } },
        { arrive: req('b', e1, 2), expect: { applied: ['a', 'b'], held: [], next: { [e1]: 3 } } },
        { arrive: withdraw('c', 'a', e1, 3), expect: { applied: ['a', 'b', 'c'], held: [], next: { [e1]: 4 }, status: { a: 'withdrawn' } } },
      ],
    },
    {
      name: 'ahead-held-then-released',
      section: '§24.2 rules 1 and 3',
      description:
        'Position 3 (a request) and position 2 (the withdrawal of the request at position 1) arrive before position 1: both are held, the withdrawal is not refused; position 1 releases 2 then 3.',
      epochs: { [e1]: epoch('ahead 1') },
      steps: [
        { arrive: req('c', e1, 3), expect: { applied: [], held: ['c'], next: { [e1]: 1 } } },
        { arrive: withdraw('b', 'a', e1, 2), expect: { applied: [], held: ['b', 'c'], next: { [e1]: 1 } } },
        { arrive: req('a', e1, 1), expect: { applied: ['a', 'b', 'c'], held: [], next: { [e1]: 4 }, status: { a: 'withdrawn' } } },
      ],
    },
    {
      name: 'duplicate',
      section: '§24.2 rules 2 and 3, §11',
      description: 'A copy of an applied envelope is answered with its original receipt and changes nothing; a copy of a held envelope is held once; both are applied once when their turn comes.',
      epochs: { [e1]: epoch('duplicate 1') },
      steps: [
        { arrive: req('a', e1, 1), expect: { applied: ['a'], held: [], next: { [e1]: 2 } } },
        { copy: 'a', expect: { applied: ['a'], held: [], next: { [e1]: 2 } } },
        { arrive: req('c', e1, 3), expect: { applied: ['a'], held: ['c'], next: { [e1]: 2 } } },
        { copy: 'c', expect: { applied: ['a'], held: ['c'], next: { [e1]: 2 } } },
        { arrive: req('b', e1, 2), expect: { applied: ['a', 'b', 'c'], held: [], next: { [e1]: 4 } } },
        { copy: 'c', expect: { applied: ['a', 'b', 'c'], held: [], next: { [e1]: 4 } } },
      ],
    },
  ];
}

/** §24.4: the lane gap wait. */
function gapCases(): Case[] {
  return [
    {
      name: 'gap-given-up',
      section: '§24.4, §24.2 rule 2',
      description: `Position 1 never comes: positions 2 and 3 are held for the lane gap wait (${LANE_GAP_MS} ms after the first was held), not 1 ms less; then position 1 is given up and 2, 3 are applied. Position 1 arriving later is applied as it comes.`,
      epochs: { [e1]: epoch('gap 1') },
      steps: [
        { arrive: req('b', e1, 2), expect: { applied: [], held: ['b'], next: { [e1]: 1 } } },
        { arrive: req('c', e1, 3), expect: { applied: [], held: ['b', 'c'], next: { [e1]: 1 } } },
        { wait: LANE_GAP_MS - 1, expect: { applied: [], held: ['b', 'c'], next: { [e1]: 1 } } },
        { wait: 1, expect: { applied: ['b', 'c'], held: [], next: { [e1]: 4 } } },
        { arrive: req('a', e1, 1), expect: { applied: ['b', 'c', 'a'], held: [], next: { [e1]: 4 } } },
      ],
    },
    {
      name: 'gap-wait-restarts-on-progress',
      section: '§24.4',
      description:
        'The wait restarts when the lane applies its next position while envelopes are still held: position 4 is held, position 2 held too; position 1 comes just before the wait ends and releases 2; position 3 is then given up a full wait after that progress, not before.',
      epochs: { [e1]: epoch('restart wait 1') },
      steps: [
        { arrive: req('b', e1, 2), expect: { applied: [], held: ['b'], next: { [e1]: 1 } } },
        { arrive: req('d', e1, 4), expect: { applied: [], held: ['b', 'd'], next: { [e1]: 1 } } },
        { wait: LANE_GAP_MS - 1_000, expect: { applied: [], held: ['b', 'd'], next: { [e1]: 1 } } },
        { arrive: req('a', e1, 1), expect: { applied: ['a', 'b'], held: ['d'], next: { [e1]: 3 } } },
        { wait: LANE_GAP_MS - 1, expect: { applied: ['a', 'b'], held: ['d'], next: { [e1]: 3 } } },
        { wait: 1, expect: { applied: ['a', 'b', 'd'], held: [], next: { [e1]: 5 } } },
      ],
    },
  ];
}

/** §24.1: epochs, and envelopes on no lane. */
function epochCases(): Case[] {
  return [
    {
      name: 'new-epoch',
      section: '§24.1 rule 4, §24.2',
      description:
        'The sender starts a new epoch (its counter was lost): position 1 of the new epoch is applied at once; the epochs are independent lanes, each in its own order, and a gap on one holds nothing of the other.',
      epochs: { [e1]: epoch('epoch 1'), [e2]: epoch('epoch 2') },
      steps: [
        { arrive: req('a1', e1, 1), expect: { applied: ['a1'], held: [], next: { [e1]: 2 } } },
        { arrive: req('b1', e2, 1), expect: { applied: ['a1', 'b1'], held: [], next: { [e1]: 2, [e2]: 2 } } },
        { arrive: req('b3', e2, 3), expect: { applied: ['a1', 'b1'], held: ['b3'], next: { [e1]: 2, [e2]: 2 } } },
        { arrive: req('a2', e1, 2), expect: { applied: ['a1', 'b1', 'a2'], held: ['b3'], next: { [e1]: 3, [e2]: 2 } } },
        { arrive: req('b2', e2, 2), expect: { applied: ['a1', 'b1', 'a2', 'b2', 'b3'], held: [], next: { [e1]: 3, [e2]: 4 } } },
      ],
    },
    {
      name: 'unordered',
      section: '§24.1 (lane_seq 0)',
      description: 'An envelope with lane_seq 0 and no epoch is applied on arrival, whatever a lane of the same sender holds, and moves no lane.',
      epochs: { [e1]: epoch('unordered 1') },
      steps: [
        { arrive: req('b', e1, 2), expect: { applied: [], held: ['b'], next: { [e1]: 1 } } },
        { arrive: req('u', '', 0), expect: { applied: ['u'], held: ['b'], next: { [e1]: 1 } } },
        { arrive: req('a', e1, 1), expect: { applied: ['u', 'a', 'b'], held: [], next: { [e1]: 3 } } },
      ],
    },
  ];
}

export function buildLaneVectors(): string {
  return (
    JSON.stringify(
      {
        description: 'Enlace lane vectors, version 1 (docs/protocol.md §24): per-sender order at a receiver. Generated by scripts/gen-vectors.ts (npm run vectors); do not edit.',
        format: {
          cases:
            'one sender, one receiver; `epochs` maps the names used in the steps to lane_epoch values (an arrival with epoch "" has lane_seq 0 and no epoch). Steps, in order: `arrive` an envelope sealed by the sender with that lane_epoch and lane_seq (kind `request`: a new valid request; kind `withdraw`: the sender withdraws the request `of`, a status envelope), `copy` the same bytes as an earlier arrival again, or `wait` that many ms on the receiver\'s clock. After each step, `expect`: `applied` the labels applied so far, in the order they were applied; `held` the labels held (§24.2 rule 3); `next` each lane\'s next position (§24.2); `status` (optional) the status of a request at the receiver.',
        },
        laneGapMs: LANE_GAP_MS,
        cases: [...orderCases(), ...gapCases(), ...epochCases()],
      },
      null,
      2,
    ) + '\n'
  );
}
