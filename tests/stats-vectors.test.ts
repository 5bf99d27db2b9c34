import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EnlaceError, pinAnchor, TrustStore, type OkpPublicJwk } from '../keys/index.js';
import { combineRecords, determined, tableRelations, verifyStatsRecord, type NetworkCell, type StatsRecord, type Suppressed } from '../services/stats/index.js';

// The committed file, read as another implementation would (tests/layer-vectors.test.ts checks
// that it regenerates byte for byte); the node's own verifyStatsRecord decides.
interface File {
  networkId: string;
  now: number;
  threshold: number;
  anchor: { kid: string; publicJwk: OkpPublicJwk };
  descriptors: Record<string, string>;
  records: { name: string; section: string; key: string; record: string; valid: boolean; expected?: string }[];
  suppression: { input: number[][]; threshold: number; published: Suppressed };
  combination: NetworkCell[];
}
const v = JSON.parse(readFileSync(new URL('./vectors/stats-v1.json', import.meta.url), 'utf8')) as File;
const trust = new TrustStore(pinAnchor(v.networkId, v.anchor.publicJwk));

function check(c: File['records'][number]): { outcome: string; record?: StatsRecord } {
  const [, country, quarter] = /^stats\.([A-Z]{2})\.(\d{4}-Q[1-4])$/.exec(c.key)!;
  try {
    return { outcome: 'accepted', record: verifyStatsRecord(c.record, { country: country!, quarter: quarter! }, { networkId: v.networkId, trust, now: v.now, threshold: v.threshold }) };
  } catch (e) {
    if (!(e instanceof EnlaceError)) throw e;
    return { outcome: e.code === 'ERR_UNKNOWN_NODE' ? 'waits' : e.code };
  }
}

describe('aggregate record vectors (tests/vectors/stats-v1.json, protocol §27)', () => {
  it('trusts the descriptors it names', async () => {
    for (const jws of Object.values(v.descriptors)) await trust.add(jws);
    expect(trust.countries().sort()).toEqual(['AR', 'CL', 'UY']);
    expect(v.records.filter((r) => r.valid).map((r) => r.name)).toEqual(['valid', 'valid-AR']);
  });

  for (const c of v.records) {
    it(`${c.name} (${c.section}): ${c.valid ? 'accepted' : c.expected}`, () => {
      expect(check(c).outcome).toBe(c.valid ? 'accepted' : c.expected);
    });
  }

  it('suppression example: no count below the threshold shown, no withheld value determined by the rest', () => {
    const { input, threshold, published: p } = v.suppression;
    const shown = [...p.cells.flat(), ...p.rowTotals, ...p.columnTotals, p.total].filter((x): x is number => x !== null);
    expect(shown.every((x) => x === 0 || x >= threshold)).toBe(true);
    p.cells.forEach((row, i) => row.forEach((x, j) => x !== null && expect(x).toBe(input[i]![j])));
    const rel = tableRelations(input.length, input[0]!.length);
    const hidden = [
      ...p.cells.flatMap((row, i) => row.flatMap((x, j) => (x === null ? [rel.cell(i, j)] : []))),
      ...p.rowTotals.flatMap((x, i) => (x === null ? [rel.row(i)] : [])),
      ...p.columnTotals.flatMap((x, j) => (x === null ? [rel.col(j)] : [])),
    ];
    expect(hidden.length).toBeGreaterThan(1);
    expect(determined(hidden, rel.eqs)).toEqual([]);
  });

  it('combination: the network table of the two valid records', () => {
    const records = v.records.filter((r) => r.valid).map((r) => check(r).record!);
    expect(combineRecords(records).filter((c) => c.table === 'sex_x_age_group')).toEqual(v.combination);
  });
});
