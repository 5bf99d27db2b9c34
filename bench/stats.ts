/**
 * Statistics at scale: every table of the StatsService over 100,000 requests at one node,
 * beside a raw SQLite scan of the same rows in the same run; and the network figures of the
 * 35 OAS states (verify each signed aggregate record, combine, keep the suppression).
 *
 *   npm run bench:stats [-- --quick]      (--quick: 20,000 requests)
 *
 * It reports figures and ratios to the baseline; it asserts nothing.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { testNetwork, signerOf } from '../services/envelope/testkit.js';
import { buildStatsRecord, columnsOf, combineHeld, countTable, DIMENSIONS, processIndicators, signStatsRecord, verifyStatsRecord, type Dimension } from '../services/stats/index.js';
import { CaseVault, openDb, processGroups, statsCombinations, Store, type StatsCombination } from '../services/store/index.js';
import { generatePopulation, insertPopulation, type GeneratedCase } from '../scripts/lib/stats-population.js';
import { round } from './lib/stats.js';

const { values: opts } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
const CASES = opts.quick ? 20_000 : 100_000;
const ROUNDS = 5;
const OAS = 'AG AR BS BB BZ BO BR CA CL CO CR CU DM DO EC SV US GD GT GY HT HN JM MX NI PA PY PE KN LC VC SR TT UY VE'.split(' ');
const ALL = { fromPeriod: '', toPeriod: '', direction: '', kind: '' };
const log = (line: string) => process.stderr.write(`[bench:stats] ${line}\n`);
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/** The median of `ROUNDS` timed runs of `fn`, in ms. */
function timed(fn: () => unknown, rounds = ROUNDS): number {
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return samples.sort((a, b) => a - b)[Math.floor(rounds / 2)]!;
}

/** A generated request as the store's statistics row would give it. */
function combinationOf(c: GeneratedCase): StatsCombination {
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

async function oneNode(dir: string) {
  const db = openDb(join(dir, 'node.db'));
  const store = new Store(db, await CaseVault.create(db, new Uint8Array(32).fill(7)));
  const from = Date.UTC(2025, 0, 1);
  const t0 = performance.now();
  for (let i = 0; i < CASES; i += 10_000) insertPopulation(store, 'AR', generatePopulation(Math.min(10_000, CASES - i), 1 + i, { from, months: 24, counterparts: OAS.filter((c) => c !== 'AR') }));
  const insertMs = performance.now() - t0;
  log(`${CASES} requests written in ${round(insertMs / 1000)} s`);
  const scan = db.prepare(
    'SELECT s.kind, s.direction, s.counterpart, s.period, s.sex, s.age_group, s.nationality, s.forms, s.outcome, r.status FROM stats_rows s JOIN requests r ON r.id = s.request_id',
  );
  const rawScanMs = timed(() => {
    let n = 0;
    for (const _ of scan.iterate()) n++;
    return n;
  });
  const pairs: [Dimension, Dimension | ''][] = [];
  for (const [i, a] of DIMENSIONS.entries()) {
    pairs.push([a, '']);
    for (const b of DIMENSIONS.slice(i + 1)) pairs.push([a, b]);
  }
  // What one GetCounts call does: read the combinations, then sum them into the table.
  const perTable = pairs.map(([r, c]) => timed(() => countTable(statsCombinations(db, ALL, columnsOf(r, c)), r, c), 1));
  const combos = statsCombinations(db, ALL);
  // Where a table's time goes: reading the combinations (SQLite, GROUP BY) or summing them.
  const readMs = timed(() => statsCombinations(db, ALL));
  const sumMs = timed(() => countTable(combos, 'form', 'age_group'));
  // Every table from one read: what a caller asking for several tables at once would pay.
  const onePassMs = timed(() => {
    const once = statsCombinations(db, ALL);
    for (const [r, c] of pairs) countTable(once, r, c);
  }, 3);
  const processMs = timed(() => processIndicators(processGroups(db, ALL, Date.now())));
  const recordMs = timed(() =>
    buildStatsRecord(statsCombinations(db, { ...ALL, fromPeriod: '2025-04', toPeriod: '2025-06' }), { networkId: 'bench', country: 'AR', quarter: '2025-Q2', at: Date.now(), threshold: 5 }),
  );
  store.close();
  const sorted = [...perTable].sort((a, b) => a - b);
  const slowest = pairs[perTable.indexOf(sorted.at(-1)!)]!;
  return {
    cases: CASES,
    insertSeconds: round(insertMs / 1000),
    combinations: combos.length,
    readCombinationsMs: round(readMs),
    sumOneTableMs: round(sumMs),
    allTablesOnePassMs: round(onePassMs),
    rawScanMs: round(rawScanMs),
    tables: pairs.length,
    allTablesMs: round(perTable.reduce((a, b) => a + b, 0)),
    tableMedianMs: round(sorted[Math.floor(sorted.length / 2)]!),
    tableMaxMs: round(sorted.at(-1)!),
    tableMax: slowest[1] ? `${slowest[0]} x ${slowest[1]}` : slowest[0],
    processMs: round(processMs),
    agreedRecordMs: round(recordMs),
  };
}

async function network() {
  const now = Date.now();
  const net = await testNetwork(OAS, now);
  const rows: { country: string; quarter: string; jws: string }[] = [];
  for (const [i, country] of OAS.entries()) {
    // States of very different sizes: from 40 to 4,000 requests in the quarter.
    const size = Math.round(40 * 100 ** (i / (OAS.length - 1)));
    const cases = generatePopulation(size, 100 + i, { from: Date.UTC(2026, 0, 1), months: 2.9, counterparts: OAS.filter((c) => c !== country) });
    const record = buildStatsRecord(cases.map(combinationOf), { networkId: net.networkId, country, quarter: '2026-Q1', at: now, threshold: 5 });
    rows.push({ country, quarter: '2026-Q1', jws: await signStatsRecord(record, signerOf(net, country)) });
  }
  const ctx = { networkId: net.networkId, trust: net.trust, now, threshold: 5 };
  const check = (r: (typeof rows)[number]) => {
    const record = verifyStatsRecord(r.jws, r, ctx);
    return { record, reasonCode: '', at: record.at };
  };
  let accepted = 0;
  let cells = 0;
  let withheld = 0;
  let bounded = 0;
  const combineMs = timed(() => {
    const f = combineHeld(rows, '2026-Q1', 5, check);
    accepted = f.records.filter((r) => r.accepted).length;
    cells = f.cells.length;
    withheld = f.cells.filter((c) => c.suppressed).length;
    bounded = f.cells.filter((c) => c.suppressed && c.count > 0).length;
  });
  const verifyOnlyMs = timed(() => rows.forEach(check));
  return {
    states: OAS.length,
    accepted,
    cells,
    withheldCells: withheld,
    lowerBoundCells: bounded,
    recordKiB: round(rows.reduce((a, r) => a + r.jws.length, 0) / OAS.length / 1024),
    verifyCombineMs: round(combineMs),
    verifyOnlyMs: round(verifyOnlyMs),
  };
}

const dir = await mkdtemp(join(tmpdir(), 'enlace-bench-stats-'));
try {
  const loadBefore = loadAverage();
  const node = await oneNode(dir);
  const loadAfter = loadAverage();
  log(`load average (1, 5, 15 min) when the node's part began ${loadBefore}, when it ended ${loadAfter}`);
  const ratio = (ms: number) => round(ms / node.rawScanMs);
  log(`raw SQLite scan of the ${CASES} rows (baseline): ${node.rawScanMs} ms`);
  log(
    `${node.tables} tables (every dimension and pair of dimensions), each read + summed: ${node.allTablesMs} ms in all; one table median ${node.tableMedianMs} ms (${ratio(node.tableMedianMs)}x the scan), slowest ${node.tableMaxMs} ms (${ratio(node.tableMaxMs)}x, ${node.tableMax})`,
  );
  log(
    `one table = read the combinations ${node.readCombinationsMs} ms (${ratio(node.readCombinationsMs)}x) + sum them ${node.sumOneTableMs} ms; all ${node.tables} tables from one read: ${node.allTablesOnePassMs} ms (${ratio(node.allTablesOnePassMs)}x)`,
  );
  log(`process indicators: ${node.processMs} ms (${ratio(node.processMs)}x); the agreed record of a quarter with suppression: ${node.agreedRecordMs} ms`);
  const net = await network();
  log(
    `network of ${net.states} states: verify ${net.accepted} signed records + combine + suppression ${net.verifyCombineMs} ms (verification alone ${net.verifyOnlyMs} ms); ${net.cells} cells, ${net.withheldCells} withheld (${net.lowerBoundCells} of them shown as a lower bound "≥ N"); a record is ${net.recordKiB} KiB`,
  );
  process.stdout.write(JSON.stringify({ date: new Date().toISOString(), loadAverage: { before: loadBefore, after: loadAfter }, node, network: net }, null, 2) + '\n');
} finally {
  await rm(dir, { recursive: true, force: true });
}
