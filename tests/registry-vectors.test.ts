import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EnlaceError, pinAnchor, TrustStore, type OkpPublicJwk } from '../keys/index.js';
import { placeRecord, verifyRecord, type ChainView, type EntryType, type VerifiedRecord } from '../services/registry/index.js';

// The committed file, read as another implementation would (tests/layer-vectors.test.ts checks
// that it regenerates byte for byte); the node's own verifyRecord and placeRecord decide.
interface Step {
  key: string;
  record: string;
  expected: string;
  hash?: string;
}
interface File {
  networkId: string;
  now: number;
  anchor: { kid: string; publicJwk: OkpPublicJwk };
  descriptors: Record<string, string>;
  records: (Step & { name: string; section: string; valid: boolean })[];
  chains: { name: string; section: string; steps: Step[] }[];
}
const v = JSON.parse(readFileSync(new URL('./vectors/registry-v1.json', import.meta.url), 'utf8')) as File;

/** One country's log in memory, as placeRecord reads it. */
function memoryLog() {
  const records = new Map<string, { seq: number; hash: string; at: number }[]>();
  const entries = new Map<string, { version: number; status: 'active' | 'retired' }>();
  const view: ChainView = {
    head: (c) => records.get(c)?.at(-1),
    hashAt: (c, seq) => records.get(c)?.[seq - 1]?.hash,
    entry: (c, type: EntryType, id) => entries.get(`${c}/${type}/${id}`),
  };
  const append = (rec: VerifiedRecord) => {
    const { country, seq, at } = rec.payload;
    records.set(country, [...(records.get(country) ?? []), { seq, hash: rec.hash, at }]);
    for (const c of rec.payload.changes) entries.set(`${country}/${c.type}/${c.id}`, { version: c.version, status: c.op === 'retire' ? 'retired' : 'active' });
  };
  return { view, append, length: (c: string) => records.get(c)?.length ?? 0 };
}

const trust = new TrustStore(pinAnchor(v.networkId, v.anchor.publicJwk));

async function offer(log: ReturnType<typeof memoryLog>, step: Step): Promise<string> {
  const [, country, seq] = /^log\.([A-Z]{2})\.(\d{12})$/.exec(step.key)!;
  try {
    const rec = await verifyRecord(step.record, { country: country!, seq: Number(seq) }, { networkId: v.networkId, trust, now: v.now });
    if (step.hash) expect(rec.hash).toBe(step.hash);
    const placed = placeRecord(log.view, rec);
    if (placed.kind === 'append') log.append(rec);
    return { append: 'appended', duplicate: 'duplicate', gap: 'waits' }[placed.kind];
  } catch (e) {
    if (!(e instanceof EnlaceError)) throw e;
    return e.code === 'ERR_UNKNOWN_NODE' ? 'waits' : e.code;
  }
}

describe('registry record vectors (tests/vectors/registry-v1.json, protocol §17)', () => {
  it('trusts the descriptors it names', async () => {
    for (const jws of Object.values(v.descriptors)) await trust.add(jws);
    expect(trust.countries().sort()).toEqual(['AR', 'CL', 'UY']);
    expect(v.records.filter((r) => r.valid).map((r) => r.name)).toEqual(['valid']);
    expect(v.records.map((r) => r.name)).toEqual(expect.arrayContaining(['duplicate-alg', 'signature-trailing-bits', 'signed-by-other-country', 'revoked-key']));
    expect(v.chains.map((c) => c.name)).toEqual(expect.arrayContaining(['valid', 'forked', 'rolled-back-entry']));
  });

  for (const r of v.records) {
    it(`record ${r.name} (${r.section})`, async () => {
      const log = memoryLog();
      const got = await offer(log, r);
      expect(got).toBe(r.valid ? 'appended' : r.expected);
      expect(log.length(r.key.slice(4, 6))).toBe(r.valid ? 1 : 0);
    });
  }

  for (const c of v.chains) {
    it(`chain ${c.name} (${c.section})`, async () => {
      const log = memoryLog();
      const outcomes = [];
      for (const s of c.steps) outcomes.push(await offer(log, s));
      expect(outcomes).toEqual(c.steps.map((s) => s.expected));
      expect(log.length('UY')).toBe(c.steps.filter((s) => s.expected === 'appended').length);
    });
  }
});
