/**
 * A generated population of requests for the statistics (tests, the benchmark, the demo
 * federation): every value drawn from a seeded generator, so the expected figures are known.
 * The people in it are fictional: the payloads are the test kit's, with sex, birth date,
 * nationality and forms of exploitation set from the draw.
 */
import { RequestPayload, ResponsePayload } from '../../generated/enlace/v1/requests.js';
import { TYPED_REQUEST, TYPED_RESPONSE } from '../../services/requests/index.js';
import { completeRequest, completeResponse } from '../../services/requests/testkit.js';
import { uuidv7 } from '../../services/envelope/index.js';
import type { StatsCombination, Status, Store } from '../../services/store/index.js';
import { seeded } from './seeded.js';

export { seeded };

const DAY = 86_400_000;

export type PopulationKind = 'nationality_verification' | 'consular_notification';

export interface GeneratedCase {
  id: string;
  kind: PopulationKind;
  direction: 'outbound' | 'inbound';
  counterpart: string;
  createdAt: number;
  sex: string;
  /** The age group the birth date gives on the day of the request. */
  ageGroup: string;
  nationality: string;
  forms: string[];
  status: Status;
  /** nationality_verification answers: confirmed or not_confirmed; '' otherwise. */
  outcome: string;
  /** Working days to the acknowledgement and to the final answer; null when it did not happen. */
  ackDays: number | null;
  finalDays: number | null;
  /** Deadline: 10 working days after the request. */
  dueAt: number;
}

type Weights = readonly (readonly [string, number])[];

/** Shares loosely after the UNODC Global Report on Trafficking in Persons (2022) for the Americas: fictional, for a meaningful demo. */
export const REALISTIC = {
  sex: [
    ['female', 0.62],
    ['male', 0.33],
    ['', 0.05],
  ],
  age: [
    ['child_0_11', 0.06],
    ['child_12_17', 0.21],
    ['adult_18_24', 0.27],
    ['adult_25_59', 0.4],
    ['adult_60_plus', 0.02],
    ['unknown', 0.04],
  ],
  nationality: [
    ['PY', 0.22],
    ['BO', 0.2],
    ['VE', 0.18],
    ['CO', 0.14],
    ['DO', 0.1],
    ['HT', 0.08],
    ['', 0.08],
  ],
  forms: [
    ['sexual_exploitation.prostitution', 0.38],
    ['forced_labour', 0.36],
    ['servitude', 0.1],
    ['sexual_exploitation.sex_tourism', 0.05],
    ['slavery', 0.04],
    ['removal_of_organs', 0.01],
    ['', 0.06],
  ],
} as const satisfies Record<string, Weights>;

function pick(next: () => number, w: Weights): string {
  let x = next() * w.reduce((a, [, p]) => a + p, 0);
  for (const [v, p] of w) if ((x -= p) < 0) return v;
  return w.at(-1)![0];
}

/** `days` working days (Mon-Fri UTC) after `from`, same time of day. */
export function addWorkingDays(from: number, days: number): number {
  let t = from;
  for (let n = 0; n < days;) {
    t += DAY;
    const wd = new Date(t).getUTCDay();
    if (wd !== 0 && wd !== 6) n++;
  }
  return t;
}

const YEARS: Record<string, number> = { child_0_11: 8, child_12_17: 15, adult_18_24: 21, adult_25_59: 37, adult_60_plus: 66 };

/** A birth date that puts a person in `group` on the day `at` ('' for unknown). */
function birthDateFor(group: string, at: number): string {
  const years = YEARS[group];
  if (years === undefined) return '';
  const d = new Date(at);
  return `${d.getUTCFullYear() - years}-01-01`;
}

export interface PopulationOptions {
  /** First day (ms UTC); requests fall on weekdays at 12:00 UTC over `months` months. */
  from: number;
  months: number;
  counterparts: readonly string[];
  /** Weights of the drawn values (REALISTIC by default). */
  weights?: typeof REALISTIC;
}

/** `n` requests drawn with `seed`. */
export function generatePopulation(n: number, seed: number, opts: PopulationOptions): GeneratedCase[] {
  const next = seeded(seed);
  const w = opts.weights ?? REALISTIC;
  const span = Math.round(opts.months * 30.4) * DAY;
  const out: GeneratedCase[] = [];
  for (let i = 0; i < n; i++) {
    let createdAt = Math.floor(opts.from / DAY) * DAY + Math.floor(next() * (span / DAY)) * DAY + 12 * 3_600_000;
    while ([0, 6].includes(new Date(createdAt).getUTCDay())) createdAt += DAY;
    const kind: PopulationKind = next() < 0.7 ? 'nationality_verification' : 'consular_notification';
    const first = pick(next, w.forms);
    const second = next() < 0.15 ? pick(next, w.forms) : '';
    const forms = [...new Set([first, second].filter(Boolean))].sort();
    const acked = next() < 0.85;
    const answered = acked && next() < 0.75;
    const ackDays = acked ? Math.floor(next() * 4) : null;
    const finalDays = answered ? ackDays! + 1 + Math.floor(next() * 14) : null;
    const status: Status = answered ? 'completed' : acked ? 'acknowledged' : 'delivered';
    out.push({
      id: uuidv7(createdAt),
      kind,
      direction: next() < 0.5 ? 'outbound' : 'inbound',
      counterpart: opts.counterparts[Math.floor(next() * opts.counterparts.length)]!,
      createdAt,
      sex: pick(next, w.sex),
      ageGroup: pick(next, w.age),
      nationality: pick(next, w.nationality),
      forms,
      status,
      outcome: answered && kind === 'nationality_verification' ? (next() < 0.8 ? 'confirmed' : 'not_confirmed') : '',
      ackDays,
      finalDays,
      dueAt: addWorkingDays(createdAt, 10),
    });
  }
  return out;
}

function payloadOf(c: GeneratedCase): Uint8Array {
  const p = completeRequest(c.kind);
  const b = p.body;
  if (b?.$case !== 'nationalityVerification' && b?.$case !== 'consularNotification') throw new Error(c.kind);
  const person = b.$case === 'nationalityVerification' ? b.value.victim! : b.value.person!;
  person.sex = c.sex;
  person.dateOfBirth = birthDateFor(c.ageGroup, c.createdAt);
  person.nationalities = c.nationality ? [c.nationality] : [];
  b.value.exploitationForms = c.forms;
  return RequestPayload.encode(p).finish();
}

function responseOf(c: GeneratedCase): Uint8Array {
  const r = completeResponse(c.kind);
  if (r.body?.$case === 'nationalityVerification') r.body.value.outcome = c.outcome;
  return ResponsePayload.encode(r).finish();
}

const bytes = (s: string) => new TextEncoder().encode(s);

/** Writes the population into a node's store as the exchange would (request, steps, schedule), in one transaction. */
export function insertPopulation(store: Store, country: string, cases: readonly GeneratedCase[]): void {
  store.tx(() => {
    for (const c of cases) {
      const [from, to] = c.direction === 'outbound' ? [country, c.counterpart] : [c.counterpart, country];
      store.insertRequest({
        id: c.id,
        direction: c.direction,
        fromAddr: from,
        toAddr: to,
        counterpart: c.counterpart,
        kind: c.kind,
        subject: 'Generated request (fictional)',
        payload: payloadOf(c),
        payloadType: TYPED_REQUEST,
        senderReference: `GEN-${c.id.slice(-8)}`,
        status: c.status,
        failureReason: '',
        idempotencyKey: null,
        requestHash: null,
        envelope: bytes('generated'),
        envelopeSha256: new Uint8Array(32),
        createdAt: c.createdAt,
        updatedAt: c.createdAt,
        urgency: 'normal',
        stage: '',
        receivedAt: c.direction === 'inbound' ? c.createdAt : null,
        dueAt: c.dueAt,
        pausedAt: null,
      });
      store.setSchedule(c.id, c.createdAt, c.dueAt, null);
      const step = (seq: number, statusAfter: Status, at: number, response: Uint8Array | null) =>
        store.insertTransition({
          eventId: uuidv7(at),
          requestId: c.id,
          origin: c.direction === 'inbound' ? 'local' : 'remote',
          action: statusAfter === 'acknowledged' ? 'acknowledge' : 'complete',
          statusAfter,
          stage: '',
          stageDate: '',
          note: '',
          response,
          responseType: response ? TYPED_RESPONSE : '',
          actorRole: 'focal_point',
          at,
          delivery: 'delivered',
          reasonCode: '',
          envelope: bytes('generated step'),
          envelopeSha256: new Uint8Array(32),
          seq,
          state: 'ordered',
          orderId: '',
          verdict: { verified: true, keyId: '', checkedAt: at, detail: '' },
        });
      if (c.ackDays !== null) step(1, 'acknowledged', addWorkingDays(c.createdAt, c.ackDays), null);
      if (c.finalDays !== null) step(2, 'completed', addWorkingDays(c.createdAt, c.finalDays), responseOf(c));
    }
  });
}

/** A generated request as the store's statistics row would give it (one request, nothing erased). */
export function combinationOf(c: GeneratedCase): StatsCombination {
  return {
    kind: c.kind,
    direction: c.direction,
    counterpart: c.counterpart,
    period: new Date(c.createdAt).toISOString().slice(0, 7),
    status: c.status,
    sex: c.sex,
    age_group: c.ageGroup,
    nationality: c.nationality,
    forms: JSON.stringify(c.forms),
    outcome: c.outcome,
    n: 1,
    erased: 0,
  };
}
