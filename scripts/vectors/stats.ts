/**
 * tests/vectors/stats-v1.json: aggregate statistics records (docs/protocol.md §27.4) under the
 * anchor of envelope-v1.json: one valid record per state, invalid ones each with the code it
 * must produce, a suppression example and the combination of the valid records (§27.5).
 * Deterministic: keys from fixed labels, Ed25519 signatures, a fixed clock.
 */
import { EnlaceError, signingKeyFromSeed, type SigningKey } from '../../keys/index.js';
import { buildStatsRecord, combineRecords, STATS_RECORD_TYP, suppress, verifyStatsRecord, type StatsRecord } from '../../services/stats/index.js';
import type { StatsCombination } from '../../services/store/index.js';
import { MIN, NETWORK_ID, seed } from './envelope-kit.js';
import { b64, publishedAnchor, recordWorld, signSegments, type RecordWorld } from './record-kit.js';

const NOW = Date.UTC(2026, 3, 2, 12, 0, 0);
const QUARTER = '2026-Q1';
const THRESHOLD = 5;

/** A quarter's combinations at one node, written out: kind, direction, counterpart, sex, age group, forms, outcome, count. */
function combos(rows: [string, string, string, string, string, string[], string, number][]): StatsCombination[] {
  return rows.map(([kind, direction, counterpart, sex, age, forms, outcome, n]) => ({
    kind,
    direction,
    counterpart,
    period: '2026-02',
    status: 'completed',
    sex,
    age_group: age,
    nationality: 'PY',
    forms: JSON.stringify(forms),
    outcome,
    n,
    erased: 0,
  }));
}

const UY_COMBOS = combos([
  ['nationality_verification', 'outbound', 'AR', 'female', 'adult_18_24', ['sexual_exploitation.prostitution'], 'confirmed', 14],
  ['nationality_verification', 'outbound', 'AR', 'female', 'child_12_17', ['sexual_exploitation.prostitution'], 'confirmed', 6],
  ['nationality_verification', 'outbound', 'BR', 'male', 'adult_25_59', ['forced_labour'], 'confirmed', 9],
  ['nationality_verification', 'outbound', 'BR', 'male', 'adult_25_59', ['forced_labour'], 'not_confirmed', 2],
  ['consular_notification', 'outbound', 'AR', 'female', 'adult_25_59', ['forced_labour', 'servitude'], '', 7],
  ['consular_notification', 'outbound', 'AR', 'male', 'child_0_11', ['servitude'], '', 1],
  ['nationality_verification', 'inbound', 'AR', 'female', 'adult_18_24', ['sexual_exploitation.prostitution'], 'confirmed', 11],
]);
const AR_COMBOS = combos([
  ['nationality_verification', 'outbound', 'UY', 'female', 'adult_18_24', ['sexual_exploitation.prostitution'], 'confirmed', 11],
  ['nationality_verification', 'outbound', 'BR', 'female', 'adult_25_59', ['forced_labour'], 'confirmed', 8],
  ['nationality_verification', 'outbound', 'BR', 'male', 'adult_60_plus', ['forced_labour'], 'confirmed', 3],
  ['consular_notification', 'outbound', 'UY', 'female', 'adult_25_59', ['servitude'], '', 12],
  ['nationality_verification', 'inbound', 'UY', 'female', 'adult_18_24', ['sexual_exploitation.prostitution'], 'confirmed', 20],
]);

/** 'accepted', 'waits', or a rejection code. */
type Outcome = string;

/** What the cases are written with: the states, UY's and AR's records, a signer (UY's key unless told) and the list the cases are added to. */
interface StatsKit {
  world: RecordWorld;
  uyRecord: StatsRecord;
  arRecord: StatsRecord;
  headerOf: (key: SigningKey) => string;
  sign: (r: StatsRecord, key?: SigningKey, header?: string) => string;
  /** A copy of UY's record changed by `f`. */
  edit: (f: (r: StatsRecord) => void) => StatsRecord;
  /** Checks that `jws` at `key` gives `expected`, and adds the case. */
  add: (name: string, section: string, description: string, jws: string, key: string, expected: Outcome) => void;
  records: unknown[];
}

const K = `stats.UY.${QUARTER}`;

export async function buildStatsVectors(): Promise<string> {
  const kit = statsKit(await recordWorld(NOW));
  await jwsCases(kit);
  payloadCases(kit);
  disclosureCases(kit);
  return statsFile(kit);
}

function statsKit(world: RecordWorld): StatsKit {
  const { UY, trust } = world;
  const headerOf = (key: SigningKey) => JSON.stringify({ alg: 'EdDSA', kid: key.kid, typ: STATS_RECORD_TYP });
  const sign = (r: StatsRecord, key: SigningKey = UY.signing, header = headerOf(key)) => signSegments(header, JSON.stringify(r), key);
  const uyRecord = buildStatsRecord(UY_COMBOS, { networkId: NETWORK_ID, country: 'UY', quarter: QUARTER, at: NOW - 10 * MIN, threshold: THRESHOLD });
  const arRecord = buildStatsRecord(AR_COMBOS, { networkId: NETWORK_ID, country: 'AR', quarter: QUARTER, at: NOW - 20 * MIN, threshold: THRESHOLD });
  const edit = (f: (r: StatsRecord) => void): StatsRecord => {
    const r = JSON.parse(JSON.stringify(uyRecord)) as StatsRecord;
    f(r);
    return r;
  };

  const records: unknown[] = [];
  const add: StatsKit['add'] = (name, section, description, jws, key, expected) => {
    const [, country, quarter] = /^stats\.([A-Z]{2})\.(\d{4}-Q[1-4])$/.exec(key)!;
    let got: Outcome;
    try {
      verifyStatsRecord(jws, { country: country!, quarter: quarter! }, { networkId: NETWORK_ID, trust, now: NOW, threshold: THRESHOLD });
      got = 'accepted';
    } catch (e) {
      if (!(e instanceof EnlaceError)) throw e;
      got = e.code === 'ERR_UNKNOWN_NODE' ? 'waits' : e.code;
    }
    if (got !== expected) throw new Error(`stats vector ${name}: ${got}, not ${expected}`);
    records.push({ name, section, description, key, record: jws, valid: expected === 'accepted', ...(expected === 'accepted' ? {} : { expected }) });
  };
  return { world, uyRecord, arRecord, headerOf, sign, edit, add, records };
}

/** §27.4 steps 1-3: the valid records, then headers, signers and a signature that do not hold. */
async function jwsCases({ world, uyRecord, arRecord, sign, headerOf, add }: StatsKit): Promise<void> {
  const { UY, AR } = world;
  const valid = sign(uyRecord);
  add('valid', '§27.2-§27.4', "UY's record of 2026-Q1: the agreed tables, counts below 5 withheld with their complements.", valid, K, 'accepted');
  add('valid-AR', '§27.2-§27.4', "AR's record of 2026-Q1.", sign(arRecord, AR.signing), `stats.AR.${QUARTER}`, 'accepted');
  add('wrong-typ', '§27.4 step 1', 'typ "JWT".', sign(uyRecord, UY.signing, JSON.stringify({ alg: 'EdDSA', kid: UY.signing.kid, typ: 'JWT' })), K, 'ERR_STATS_MALFORMED');
  add(
    'alg-none',
    '§27.4 step 1',
    'alg "none" and an empty signature.',
    `${b64(JSON.stringify({ alg: 'none', kid: UY.signing.kid, typ: STATS_RECORD_TYP }))}.${b64(JSON.stringify(uyRecord))}.`,
    K,
    'ERR_STATS_SIGNATURE',
  );
  add(
    'duplicate-alg',
    '§27.4 step 1, §6 strict parsing',
    'Header {"alg":"none",…,"alg":"EdDSA"}, signed by UY.',
    sign(uyRecord, UY.signing, `{"alg":"none","kid":"${UY.signing.kid}","typ":"${STATS_RECORD_TYP}","alg":"EdDSA"}`),
    K,
    'ERR_STATS_MALFORMED',
  );
  add('signed-by-other-country', '§27.4 step 2', "At UY's key, signed by AR's key.", sign(uyRecord, AR.signing), K, 'ERR_STATS_WRONG_COUNTRY');
  add('unknown-key', '§27.4 step 2', 'Signed by a key no descriptor lists.', sign(uyRecord, await signingKeyFromSeed(seed('stranger signing'))), K, 'ERR_STATS_SIGNATURE');
  add(
    'no-descriptor-yet',
    '§27.4 step 2',
    'At stats.MX.2026-Q1: no descriptor of MX is held, so the record waits.',
    sign({ ...uyRecord, country: 'MX' }, await signingKeyFromSeed(seed('key MX 1 signing'))),
    `stats.MX.${QUARTER}`,
    'waits',
  );
  const [h, p, s] = valid.split('.') as [string, string, string];
  const altered = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as StatsRecord;
  altered.tables[0]!.total = (altered.tables[0]!.total ?? 0) + 1;
  add('altered', '§27.4 step 3', "The valid record with kind_x_direction's total raised by 1, the signature kept.", `${h}.${b64(JSON.stringify(altered))}.${s}`, K, 'ERR_STATS_SIGNATURE');
  add(
    'payload-duplicate-member',
    '§27.4 step 4',
    'Payload with "country":"AR","country":"UY".',
    signSegments(headerOf(UY.signing), JSON.stringify(uyRecord).replace('"country":"UY"', '"country":"AR","country":"UY"'), UY.signing),
    K,
    'ERR_STATS_MALFORMED',
  );
}

/** §27.4 steps 4-5: the payload's own rules and the signer's key. */
function payloadCases({ world, uyRecord, sign, add }: StatsKit): void {
  const { CL1 } = world;
  add('wrong-network', '§27.4 step 4', 'networkId "enlace-other".', sign({ ...uyRecord, networkId: 'enlace-other' }), K, 'ERR_STATS_MALFORMED');
  add('about-other-country', '§27.4 step 4', 'country "AR" at stats.UY, signed by UY.', sign({ ...uyRecord, country: 'AR' }), K, 'ERR_STATS_WRONG_COUNTRY');
  add('quarter-differs-from-key', '§27.4 step 4', 'quarter 2025-Q4 at stats.UY.2026-Q1.', sign({ ...uyRecord, quarter: '2025-Q4' }), K, 'ERR_STATS_MALFORMED');
  add('dated-in-future', '§27.4 step 4', 'at = now + 6 minutes.', sign({ ...uyRecord, at: NOW + 6 * MIN }), K, 'ERR_STATS_MALFORMED');
  add('revoked-key', '§27.4 step 5', "CL's record signed by CL's revoked generation 1 key.", sign({ ...uyRecord, country: 'CL' }, CL1.signing), `stats.CL.${QUARTER}`, 'ERR_STATS_SIGNATURE');
}

/** §27.3 and §27.4 step 6: a record that discloses what the agreed threshold withholds, or whose sums differ. */
function disclosureCases({ uyRecord, sign, edit, add }: StatsKit): void {
  add('threshold-lower', '§27.4 step 6', 'threshold 3 where the network agreed 5.', sign({ ...uyRecord, threshold: 3 }), K, 'ERR_STATS_DISCLOSIVE');
  add('table-missing', '§27.4 step 6', 'sex_x_age_group left out.', sign(edit((r) => r.tables.pop())), K, 'ERR_STATS_DISCLOSIVE');
  add('table-finer', '§27.4 step 6', 'A table nationality_x_age_group in place of sex_x_age_group.', sign(edit((r) => (r.tables[6]!.id = 'nationality_x_age_group'))), K, 'ERR_STATS_DISCLOSIVE');
  const smallAt = (r: StatsRecord) => r.tables.find((x) => x.id === 'kind_x_outcome')!;
  add(
    'small-count-shown',
    '§27.3, §27.4 step 6',
    'kind_x_outcome shows (nationality_verification, not_confirmed) = 2.',
    sign(
      edit((r) => {
        const t = smallAt(r);
        t.cells[t.rows.indexOf('nationality_verification')]![t.columns.indexOf('not_confirmed')] = 2;
      }),
    ),
    K,
    'ERR_STATS_DISCLOSIVE',
  );
  add(
    'withheld-recoverable',
    '§27.3, §27.4 step 6',
    'kind_x_outcome shows every cell but the withheld 2, whose row total is shown: 2 follows by subtraction.',
    sign(
      edit((r) => {
        const t = smallAt(r);
        const row = t.rows.indexOf('nationality_verification');
        t.cells[row] = t.cells[row]!.map((v, j) => (t.columns[j] === 'not_confirmed' ? null : (v ?? (t.columns[j] === 'confirmed' ? 29 : 0))));
        t.rowTotals[row] = 31;
      }),
    ),
    K,
    'ERR_STATS_DISCLOSIVE',
  );
  add(
    'sums-differ',
    '§27.4 step 6',
    "kind_x_direction's grand total is 10 more than its row totals.",
    sign(edit((r) => (r.tables[0]!.total = (r.tables[0]!.total ?? 0) + 10))),
    K,
    'ERR_STATS_MALFORMED',
  );
}

function statsFile({ world, uyRecord, arRecord, records }: StatsKit): string {
  const { anchor, descriptors } = world;
  const example = {
    threshold: THRESHOLD,
    cells: [
      [3, 10, 8],
      [12, 20, 6],
      [0, 7, 15],
    ],
  };
  const suppressed = suppress({ cells: example.cells }, example.threshold);
  const combined = combineRecords([arRecord, uyRecord]).filter((c) => c.table === 'sex_x_age_group');

  return (
    JSON.stringify(
      {
        description: 'Enlace aggregate statistics record vectors, version 1 (docs/protocol.md §27). Generated by scripts/gen-vectors.ts (npm run vectors); do not edit.',
        warning: 'TEST ONLY. The anchor is the one of envelope-v1.json; its private key is public.',
        format: {
          trust: "pin `anchor` for `networkId` and accept every descriptor of `descriptors` (§4.2); CL's generation 1 keys are revoked.",
          records: 'check `record` found at `key` at time `now` with the network threshold `threshold` (§27.4). valid=true: accepted. Otherwise `expected` is the rejection code, or "waits".',
          suppression:
            '`input` suppressed at `threshold` by the reference node (§27.3): null = withheld. Another implementation may withhold other complementary cells; what it publishes MUST pass §27.4 step 6.',
          combination: 'the sex_x_age_group cells of the network table combined from the records valid and valid-AR (§27.5); row or column "*" is a total.',
        },
        networkId: NETWORK_ID,
        now: NOW,
        threshold: THRESHOLD,
        anchor: publishedAnchor(anchor),
        descriptors,
        records,
        suppression: { input: example.cells, threshold: example.threshold, published: suppressed },
        combination: combined,
      },
      null,
      2,
    ) + '\n'
  );
}
