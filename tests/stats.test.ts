import { Metadata } from '@grpc/grpc-js';
import { jetstream } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GetCountsRequest,
  GetNetworkFiguresRequest,
  GetProcessIndicatorsRequest,
  GetStructureIndicatorsRequest,
  StatsServiceClient,
  type GetCountsResponse,
  type GetNetworkFiguresResponse,
  type GetProcessIndicatorsResponse,
  type GetStructureIndicatorsResponse,
} from '../generated/enlace/v1/stats.js';
import { addWorkingDays, generatePopulation, insertPopulation, type GeneratedCase } from '../scripts/lib/stats-population.js';
import { loadDemoDirectory, mintToken, type NationalNode, type Role } from '../services/index.js';
import { DEMO_DIRECTORY } from '../services/registry/demo-data.js';
import { registryKeySubject, registryStatsKey } from '../services/transport/index.js';
import { eventually, Federation, grpcCredentials, GRPC, NETWORK, rejectionOf } from './_util.js';

/**
 * The StatsService of a real node over a generated population of known figures (tests count
 * the population themselves), erasure keeping the counts, and the network figures: each
 * node's signed aggregate record through the registry, combined at a third node, a forged one
 * rejected.
 */

let fed: Federation;
let ar: NationalNode;
let uy: NationalNode;
let br: NationalNode;
const population: Record<string, GeneratedCase[]> = {};
const FROM = Date.UTC(2026, 0, 1);

type Unary<Req, Res> = (req: Req, md: Metadata, cb: (e: Error | null, r: Res) => void) => unknown;
async function statsOf(node: NationalNode, roles: Role[] = ['auditor'], subject = 'stats-test') {
  const token = await mintToken(node.issuer, { subject, roles }, 600, Date.now());
  const md = new Metadata();
  md.set('authorization', `Bearer ${token}`);
  const c = new StatsServiceClient(node.grpcAddress, await grpcCredentials());
  const call =
    <Req, Res>(fn: Unary<Req, Res>) =>
    (req: Req) =>
      new Promise<Res>((resolve, reject) => fn.call(c, req, md, (e, r) => (e ? reject(e) : resolve(r))));
  return {
    counts: (rows: string, columns = '', filter = {}, exportFile = '') =>
      call(c.getCounts)(GetCountsRequest.fromPartial({ rows, columns, filter: { fromPeriod: '', toPeriod: '', direction: '', kind: '', ...filter }, exportFile })) as Promise<GetCountsResponse>,
    process: (req: Partial<GetProcessIndicatorsRequest>) => call(c.getProcessIndicators)(GetProcessIndicatorsRequest.fromPartial(req)) as Promise<GetProcessIndicatorsResponse>,
    structure: (req: Partial<GetStructureIndicatorsRequest>) => call(c.getStructureIndicators)(GetStructureIndicatorsRequest.fromPartial(req)) as Promise<GetStructureIndicatorsResponse>,
    network: (quarter: string, exportFile = '') => call(c.getNetworkFigures)(GetNetworkFiguresRequest.fromPartial({ quarter, exportFile })) as Promise<GetNetworkFiguresResponse>,
    close: () => c.close(),
  };
}

/** The population's own count of each (row, column) pair. */
function expected(cases: readonly GeneratedCase[], row: (c: GeneratedCase) => string[], col: (c: GeneratedCase) => string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of cases) for (const r of row(c)) for (const k of col(c)) out[`${r}|${k}`] = (out[`${r}|${k}`] ?? 0) + 1;
  return out;
}
const asMap = (t: GetCountsResponse) => Object.fromEntries(t.cells.map((c) => [`${c.row}|${c.column}`, c.count]));
const sexOf = (c: GeneratedCase) => [c.sex || 'unknown'];
const ageOf = (c: GeneratedCase) => [c.ageGroup];
const formsOf = (c: GeneratedCase) => (c.forms.length ? c.forms : ['none']);
const quarterOf = (c: GeneratedCase) => [`2026-Q${Math.floor(new Date(c.createdAt).getUTCMonth() / 3) + 1}`];

beforeAll(async () => {
  fed = await Federation.create(['AR', 'UY', 'BR']);
  [ar, uy, br] = [await fed.startNode('AR'), await fed.startNode('UY'), await fed.startNode('BR')];
  population.AR = generatePopulation(400, 1, { from: FROM, months: 6, counterparts: ['UY', 'BR', 'CL'] });
  population.UY = generatePopulation(250, 2, { from: FROM, months: 6, counterparts: ['AR', 'BR'] });
  insertPopulation(ar.deps.store, 'AR', population.AR);
  insertPopulation(uy.deps.store, 'UY', population.UY);
}, 120_000);

afterAll(async () => {
  await fed?.destroy();
});

describe('StatsService at one node', () => {
  it('counts by any two dimensions exactly as the population has them', async () => {
    const s = await statsOf(ar);
    try {
      const cases = population.AR!;
      const bySexAge = await s.counts('sex', 'age_group');
      expect(asMap(bySexAge)).toEqual(expected(cases, sexOf, ageOf));
      expect(bySexAge.requests).toBe(400);
      expect(asMap(await s.counts('form', 'quarter'))).toEqual(expected(cases, formsOf, quarterOf));
      expect(asMap(await s.counts('kind', 'status'))).toEqual(
        expected(
          cases,
          (c) => [c.kind],
          (c) => [c.status],
        ),
      );
      expect(asMap(await s.counts('outcome'))).toEqual(
        expected(
          cases,
          (c) => [c.outcome || 'none'],
          () => [''],
        ),
      );
      expect(asMap(await s.counts('nationality', 'direction', { direction: 'inbound' }))).toEqual(
        expected(
          cases.filter((c) => c.direction === 'inbound'),
          (c) => [c.nationality || 'unknown'],
          (c) => [c.direction],
        ),
      );
      const q2 = await s.counts('counterpart', 'month', { fromPeriod: '2026-04', toPeriod: '2026-06', kind: 'consular_notification' });
      const inQ2 = cases.filter((c) => c.createdAt >= Date.UTC(2026, 3, 1) && c.createdAt < Date.UTC(2026, 6, 1) && c.kind === 'consular_notification');
      expect(asMap(q2)).toEqual(
        expected(
          inQ2,
          (c) => [c.counterpart],
          (c) => [new Date(c.createdAt).toISOString().slice(0, 7)],
        ),
      );
      expect(q2.requests).toBe(inQ2.length);
    } finally {
      s.close();
    }
  });

  it('computes working days to acknowledgement and answer, deadlines and what is overdue', async () => {
    const s = await statsOf(ar);
    try {
      const { indicators } = await s.process({ filter: undefined });
      const nearest = (xs: number[], p: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.ceil(p * xs.length) - 1]! : 0);
      for (const direction of ['outbound', 'inbound'] as const) {
        for (const kind of ['', 'nationality_verification', 'consular_notification']) {
          const cases = population.AR!.filter((c) => c.direction === direction && (!kind || c.kind === kind));
          const ack = cases.flatMap((c) => (c.ackDays === null ? [] : [c.ackDays]));
          const fin = cases.flatMap((c) => (c.finalDays === null ? [] : [c.finalDays]));
          const got = indicators.find((i) => i.direction === direction && i.kind === kind && i.counterpart === '');
          expect(got, `${direction} ${kind}`).toMatchObject({
            requests: cases.length,
            acknowledged: ack.length,
            ackDaysMedian: nearest(ack, 0.5),
            ackDaysP90: nearest(ack, 0.9),
            answered: fin.length,
            finalDaysMedian: nearest(fin, 0.5),
            finalDaysP90: nearest(fin, 0.9),
            withDeadline: fin.length,
            withinDeadline: fin.filter((d) => d <= 10).length,
            overdueNow: cases.filter((c) => c.finalDays === null && c.dueAt < Date.now()).length,
          });
        }
      }
      const perCounterpart = indicators.filter((i) => i.direction === 'outbound' && i.kind === 'nationality_verification' && i.counterpart !== '');
      expect(perCounterpart.map((i) => i.counterpart)).toEqual(['BR', 'CL', 'UY']);
      expect(perCounterpart.reduce((a, i) => a + i.requests, 0)).toBe(population.AR!.filter((c) => c.direction === 'outbound' && c.kind === 'nationality_verification').length);
    } finally {
      s.close();
    }
  });

  it('keeps the counts of erased cases, without the cases', async () => {
    const s = await statsOf(ar);
    try {
      const before = await s.counts('form', 'age_group');
      const erased = population.AR!.slice(0, 25);
      for (const c of erased) ar.deps.store.eraseCase(c.id, Date.now());
      expect(ar.deps.store.db.prepare(`SELECT COUNT(*) AS n FROM stats_rows WHERE request_id IN (${erased.map(() => '?').join(',')})`).get(...erased.map((c) => c.id))).toEqual({ n: 0 });
      const after = await s.counts('form', 'age_group');
      expect(asMap(after)).toEqual(asMap(before));
      expect(after.requests).toBe(400);
      expect(after.erased).toBe(25);
      expect(asMap(await s.counts('sex', 'age_group'))).toEqual(expected(population.AR!, sexOf, ageOf));
      const { indicators } = await s.process({ filter: undefined });
      const ack = population.AR!.filter((c) => c.direction === 'outbound' && c.ackDays !== null).map((c) => c.ackDays!);
      expect(indicators.find((i) => i.direction === 'outbound' && i.kind === '')!.acknowledged).toBe(ack.length);
    } finally {
      s.close();
    }
  });

  it('answers auditors and operators only, and names every bad argument at once', async () => {
    const focal = await statsOf(ar, ['focal_point']);
    const s = await statsOf(ar);
    try {
      expect((await rejectionOf(focal.counts('sex'))).code).toBe(GRPC.PERMISSION_DENIED);
      const bad = await rejectionOf(s.counts('colour', 'colour', { fromPeriod: '2026-13', direction: 'sideways' }));
      expect(bad.code).toBe(GRPC.INVALID_ARGUMENT);
      expect(bad.details).toMatch(/rows/);
      const again = await rejectionOf(s.counts('sex', 'sex', { fromPeriod: '2026-13', direction: 'sideways' }));
      expect(again.details).toMatch(/columns/);
    } finally {
      focal.close();
      s.close();
    }
  });

  it('audits every call that returns figures: who, with which roles, which table, and the file of an export', async () => {
    const s = await statsOf(ar, ['auditor'], 'audit-reader');
    const focal = await statsOf(ar, ['focal_point'], 'audit-focal');
    try {
      const seq = () => ar.deps.store.audit.list({ limit: 1 })[0]?.seq ?? 0;
      const since = seq();
      await s.counts('form', 'sex', { fromPeriod: '2026-01', toPeriod: '2026-03', direction: 'outbound' });
      await s.process({ filter: { fromPeriod: '', toPeriod: '', direction: 'inbound', kind: 'consular_notification' } });
      await s.structure({ country: 'AR' });
      await s.network('2026-Q1');
      await s.counts('age_group', '', {}, 'by_age.xlsx');
      await s.network('2026-Q1', 'network_form_x_sex.csv');
      // Refused or invalid calls return no figures and leave no entry.
      await rejectionOf(focal.counts('sex'));
      await rejectionOf(s.counts('colour'));
      expect((await rejectionOf(s.counts('sex', '', {}, '../x.csv'))).code).toBe(GRPC.INVALID_ARGUMENT);
      const entries = ar.deps.store.audit
        .list({ limit: 50 })
        .filter((e) => e.seq > since)
        .reverse();
      expect(entries.map((e) => [e.actor, e.roles, e.action, e.requestId, e.fields, Object.fromEntries(new URLSearchParams(e.detail))])).toEqual([
        ['audit-reader', 'auditor', 'read_stats', '', '', { table: 'counts', rows: 'form', columns: 'sex', from: '2026-01', to: '2026-03', direction: 'outbound' }],
        ['audit-reader', 'auditor', 'read_stats', '', '', { table: 'process', direction: 'inbound', kind: 'consular_notification' }],
        ['audit-reader', 'auditor', 'read_stats', '', '', { table: 'structure', country: 'AR' }],
        ['audit-reader', 'auditor', 'read_stats', '', '', { table: 'network', quarter: '2026-Q1' }],
        ['audit-reader', 'auditor', 'export_stats', '', '', { table: 'counts', rows: 'age_group', file: 'by_age.xlsx' }],
        ['audit-reader', 'auditor', 'export_stats', '', '', { table: 'network', quarter: '2026-Q1', file: 'network_form_x_sex.csv' }],
      ]);
      expect(ar.deps.store.audit.verify().brokenAt).toBeUndefined();
    } finally {
      s.close();
      focal.close();
    }
  });

  it('counts contact points per theme, 24/7 coverage and verification from the directory', async () => {
    await ar.registry.ready();
    await loadDemoDirectory(ar.registry);
    const s = await statsOf(ar);
    try {
      const demo = DEMO_DIRECTORY.AR!.contacts;
      const got = await eventually(async () => {
        const r = await s.structure({ country: 'AR' });
        return r.indicators.length ? r : undefined;
      });
      const themes = [...new Set(demo.flatMap((c) => c.themes))].sort();
      expect(got.indicators.map((i) => i.theme)).toEqual(themes);
      for (const i of got.indicators) {
        const of = demo.filter((c) => c.themes.includes(i.theme));
        expect(i, i.theme).toMatchObject({ country: 'AR', contactPoints: of.length, available247: of.filter((c) => c.available247).length, oldestVerified: of.map((c) => c.lastVerified).sort()[0] });
      }
      expect(got.themesUncovered.every((u) => u.startsWith('AR/') && !themes.includes(u.slice(3)))).toBe(true);
    } finally {
      s.close();
    }
  });
});

describe('network figures', () => {
  const Q = '2026-Q1';
  const inQ1 = (c: GeneratedCase) => c.createdAt < Date.UTC(2026, 3, 1);

  it('combines every state’s verified record at a third node, small cells withheld at the source', async () => {
    await ar.stats.publish(Q);
    await uy.stats.publish(Q);
    const s = await statsOf(br);
    try {
      const f = await eventually(async () => {
        const r = await s.network(Q);
        return r.records.filter((x) => x.accepted).length === 2 ? r : undefined;
      });
      expect(f.threshold).toBe(5);
      expect(f.records.map((r) => [r.country, r.accepted, r.reasonCode])).toEqual([
        ['AR', true, ''],
        ['UY', true, ''],
      ]);
      const truth = (cc: 'AR' | 'UY') =>
        expected(
          population[cc]!.filter((c) => inQ1(c) && c.direction === 'outbound'),
          sexOf,
          ageOf,
        );
      const [tAr, tUy] = [truth('AR'), truth('UY')];
      const cells = f.cells.filter((c) => c.table === 'sex_x_age_group' && c.row !== '*' && c.column !== '*');
      expect(cells.length).toBeGreaterThan(5);
      let withheld = 0;
      for (const c of cells) {
        const key = `${c.row}|${c.column}`;
        const [a, u] = [tAr[key] ?? 0, tUy[key] ?? 0];
        if (!c.suppressed) expect(c.count, key).toBe(a + u);
        else {
          withheld++;
          expect(c.count, key).toBeLessThanOrEqual(a + u);
          expect([a, u].some((v) => v > 0 && v < 5) || c.count < a + u).toBe(true);
        }
      }
      expect(withheld).toBeGreaterThan(0);
      const grand = f.cells.find((c) => c.table === 'sex_x_age_group' && c.row === '*' && c.column === '*')!;
      expect(grand).toMatchObject({
        count: population.AR!.filter((c) => inQ1(c) && c.direction === 'outbound').length + population.UY!.filter((c) => inQ1(c) && c.direction === 'outbound').length,
        suppressed: false,
      });
    } finally {
      s.close();
    }
  });

  it('rejects an altered record, and takes the genuine one again when it is republished', async () => {
    const genuine = await uy.stats.publish(Q);
    const [h, p, sig] = genuine.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString('utf8')) as { tables: { total: number | null }[] };
    payload.tables[0]!.total = (payload.tables[0]!.total ?? 0) + 10;
    const nc = await fed.connectAs('UY');
    try {
      await jetstream(nc).publish(registryKeySubject(NETWORK, registryStatsKey('UY', Q)), `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${sig}`);
    } finally {
      await nc.close();
    }
    const s = await statsOf(br);
    try {
      const f = await eventually(async () => {
        const r = await s.network(Q);
        return r.records.find((x) => x.country === 'UY' && !x.accepted) ? r : undefined;
      });
      expect(f.records.find((x) => x.country === 'UY')).toMatchObject({ accepted: false, reasonCode: 'ERR_STATS_SIGNATURE' });
      const grand = f.cells.find((c) => c.table === 'kind_x_direction' && c.row === '*' && c.column === '*')!;
      expect(grand.count).toBe(population.AR!.filter(inQ1).length);
      await uy.stats.publish(Q);
      await eventually(async () => ((await s.network(Q)).records.find((x) => x.country === 'UY')?.accepted ? true : undefined));
    } finally {
      s.close();
    }
  });

  it('publishes the last complete quarter on its own when the node starts', async () => {
    const s = await statsOf(ar);
    try {
      const now = new Date();
      const q = now.getUTCMonth() < 3 ? `${now.getUTCFullYear() - 1}-Q4` : `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3)}`;
      const f = await eventually(async () => {
        const r = await s.network(q);
        return r.records.length === 3 ? r : undefined;
      });
      expect(f.records.map((r) => [r.country, r.accepted])).toEqual([
        ['AR', true],
        ['BR', true],
        ['UY', true],
      ]);
      void addWorkingDays;
    } finally {
      s.close();
    }
  });
});
