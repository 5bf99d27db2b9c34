/**
 * The statistics page in Chromium (issue 18 items 4 and 5): an auditor sees the counts of a
 * known generated population, every chart has a table with the same numbers, the network
 * figures show withheld cells as a sign and nothing from which they could be worked out, the
 * CSV and XLSX downloads hold the page's table, a focal point is refused, no axe violation,
 * and the page speaks each working language.
 */
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { LANGS } from '../gateway/index.js';
import { parseCsv } from '../services/index.js';
import { label as codeLabel } from '../services/requests/codes.js';
import { loadDemoDirectory } from '../services/index.js';
import { generatePopulation, insertPopulation, type GeneratedCase } from '../scripts/lib/stats-population.js';
import { chromiumAvailable, demoUsers, expectNoAxeViolations, screenshot, signedInPage } from './_browser.js';
import { languageProblems } from './_scan.js';
import { withFederation } from './_setup.js';
import { eventually } from './_util.js';

const Q = '2026-Q1';
const FROM = Date.UTC(2026, 0, 1);
let arCases: GeneratedCase[];
let uyCases: GeneratedCase[];
const PAGE = `/statistics?from=2026-01&to=2026-06&quarter=${Q}`;

const net = withFederation(['AR', 'UY'], { beforeGateways: withPopulation, gateways: ['AR'], browser: true, timeoutMs: 120_000 });
const { nodes, gw } = net;

/** Generated cases at both nodes, npm start's demo directory, and the quarter's statistics records published, before AR's gateway starts. */
async function withPopulation(): Promise<void> {
  arCases = generatePopulation(300, 11, { from: FROM, months: 6, counterparts: ['UY', 'BR', 'CL'] });
  uyCases = generatePopulation(120, 12, { from: FROM, months: 3, counterparts: ['AR', 'BR'] });
  insertPopulation(nodes.AR.deps.store, 'AR', arCases);
  insertPopulation(nodes.UY.deps.store, 'UY', uyCases);
  await Promise.all([nodes.AR.registry.ready(), nodes.UY.registry.ready()]);
  // The structure indicators count the directory: npm start's demo directory.
  await loadDemoDirectory(nodes.AR.registry);
  await loadDemoDirectory(nodes.UY.registry);
  await eventually(() => (['AR', 'UY'].every((c) => nodes.AR.registry.headSeq(c) > 0) ? true : undefined), 20_000, 'both directories at AR');
  await Promise.all([nodes.AR.stats.publish(Q), nodes.UY.stats.publish(Q)]);
  await eventually(() => (nodes.AR.stats.figures(Q).records.filter((r) => r.accepted).length === 2 ? true : undefined), 20_000, 'both records of the quarter at AR');
}

const signIn = (role: string, locale = 'en-US'): Promise<Page> => signedInPage(net.browser, gw.AR, 'AR', role, { locale });

/** A table of the page as text: the header row, then each row's label and shown values. */
async function tableOf(page: Page, id: string): Promise<string[][]> {
  return page
    .locator(`table[data-table="${id}"]`)
    .evaluate((t) => [...t.querySelectorAll('tr')].map((tr) => [...tr.children].map((c) => (c.querySelector('[aria-hidden="true"]')?.textContent ?? c.textContent ?? '').trim())));
}

/** Label → count of one table of one dimension. */
async function countsOf(page: Page, id: string): Promise<Record<string, number>> {
  return page
    .locator(`table[data-table="${id}"] tbody tr`)
    .evaluateAll((trs) => Object.fromEntries(trs.map((tr) => [(tr.querySelector('th')!.textContent ?? '').trim(), Number(tr.querySelector('td')!.getAttribute('data-value'))])));
}

function tally(cases: readonly GeneratedCase[], key: (c: GeneratedCase) => string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of cases) for (const k of key(c)) out[k] = (out[k] ?? 0) + 1;
  return out;
}

describe.skipIf(!chromiumAvailable())('the statistics page, in Chromium', () => {
  it('shows the counts of the generated population, a table under every chart, and passes axe', async () => {
    const page = await signIn('auditor');
    expect(await page.locator('nav.main-nav a[href="/statistics"]').count()).toBe(1);
    const res = await page.goto(gw.AR.url + PAGE);
    expect(res?.status()).toBe(200);
    // The page asks for January to June; the draw can put a request on the first days of July.
    const cases = arCases.filter((c) => c.createdAt < Date.UTC(2026, 6, 1));
    expect(cases.length).toBeGreaterThan(250);
    const sexLabel = (c: GeneratedCase) => [codeLabel('sex', c.sex || 'unknown', 'en')];
    expect(await countsOf(page, 'by_sex')).toEqual(tally(cases, sexLabel));
    expect(await countsOf(page, 'by_age')).toEqual(tally(cases, (c) => [codeLabel('age_groups', c.ageGroup, 'en')]));
    expect(await countsOf(page, 'by_form')).toEqual(tally(cases, (c) => (c.forms.length ? c.forms.map((f) => codeLabel('exploitation_forms', f, 'en')) : ['No form of exploitation given'])));
    // Over time: each month's sent and received add up to the population.
    const months = await tableOf(page, 'over_time');
    expect(months[0]).toEqual(['Month', 'Sent', 'Received', 'Total']);
    expect(months.slice(1).reduce((a, r) => a + Number(r[3]!.replace(/\D/g, '')), 0)).toBe(cases.length);
    expect(months.slice(1).reduce((a, r) => a + Number(r[1]!.replace(/\D/g, '')), 0)).toBe(cases.filter((c) => c.direction === 'outbound').length);
    // The free cross-table: its grand total counts each request once per form.
    const cross = await tableOf(page, 'cross');
    expect(cross.at(-1)!.at(-1)).toBe(String(cases.reduce((a, c) => a + Math.max(1, c.forms.length), 0)));
    // Process indicators: the requests of each direction.
    const proc = await tableOf(page, 'process');
    expect(proc.find((r) => r[0] === 'Sent')![1]).toBe(String(cases.filter((c) => c.direction === 'outbound').length));
    // Every chart sits on a table with a caption and scoped headers.
    const charts = await page.locator('.stat-block:has(svg.chart)').count();
    expect(charts).toBeGreaterThanOrEqual(6);
    expect(await page.locator('.stat-block:has(svg.chart):has(table caption):has(th[scope="col"]):has(th[scope="row"])').count()).toBe(charts);
    expect(await page.locator('svg.chart rect').count()).toBeGreaterThan(20);
    expect(await countsOf(page, 'structure')).toHaveProperty('Uruguay');
    expect(await page.locator('[data-demo]').count()).toBe(0);
    await expectNoAxeViolations(page, 'the statistics page');
    await screenshot(page, 'statistics');
  });

  it('shows the network figures of both states with withheld cells as a lower bound or a sign, none recoverable from its line', async () => {
    const page = await signIn('auditor');
    await page.goto(gw.AR.url + PAGE);
    expect(await page.locator('[data-legend]').textContent()).toContain('1 to 5 − 1');
    expect(await page.locator('[data-legend-bound]').textContent()).toContain('≥ N = at least N');
    const grand = await tableOf(page, 'network_kind_x_direction');
    const inQ1 = (c: GeneratedCase) => c.createdAt < Date.UTC(2026, 3, 1);
    expect(grand.at(-1)!.at(-1)).toBe(String(arCases.filter(inQ1).length + uyCases.filter(inQ1).length));
    let withheld = 0;
    let bounds = 0;
    for (const id of ['kind_x_counterpart', 'form_x_sex', 'form_x_age_group', 'sex_x_age_group', 'kind_x_form', 'kind_x_outcome']) {
      const t = page.locator(`table[data-table="network_${id}"]`);
      const cells = await t
        .locator('tbody tr')
        .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.hasAttribute('data-suppressed') ? null : Number(td.getAttribute('data-value'))))));
      for (const td of await t.locator('td[data-suppressed]').all()) {
        expect(await td.getAttribute('data-value')).toBeNull();
        // Either the sign alone, or "≥ N" with N the lower bound (and the words for a screen reader).
        const shown = await td.locator('[aria-hidden="true"]').innerText();
        const bound = await td.getAttribute('data-lower-bound');
        if (bound === null) expect(shown).toBe('◆');
        else {
          expect(shown.replace(/\s/g, '')).toBe(`≥${Number(bound).toLocaleString('en-US')}`);
          expect(await td.locator('.sr-only').innerText()).toBe(`at least ${Number(bound).toLocaleString('en-US')}; a state withheld its count`);
          bounds++;
        }
      }
      // A line (row or column, totals included) never withholds exactly one value: it could be worked out by subtraction.
      const lines = [...cells, ...(cells[0] ?? []).map((_, j) => cells.map((r) => r[j]))];
      for (const line of lines) expect(line.filter((x) => x === null).length === 1, `${id}: ${JSON.stringify(line)}`).toBe(false);
      // No shown count is small.
      for (const x of cells.flat()) if (x !== null) expect(x === 0 || x >= 5).toBe(true);
      withheld += cells.flat().filter((x) => x === null).length;
    }
    expect(withheld).toBeGreaterThan(0);
    expect(bounds).toBeGreaterThan(0);
    // Against the truth: a shown count is the two states' sum, a lower bound at most that sum.
    const sent = [...arCases, ...uyCases].filter((c) => inQ1(c) && c.direction === 'outbound');
    const sexOf = (c: GeneratedCase) => codeLabel('sex', c.sex || 'unknown', 'en');
    const ageOf = (c: GeneratedCase) => codeLabel('age_groups', c.ageGroup, 'en');
    const truth = (row: string, col: string) => sent.filter((c) => (row === 'Total' || sexOf(c) === row) && (col === 'Total' || ageOf(c) === col)).length;
    const t = page.locator('table[data-table="network_sex_x_age_group"]');
    const heads = (await t.locator('thead th').allInnerTexts()).slice(1);
    let compared = 0;
    for (const tr of await t.locator('tbody tr').all()) {
      const row = (await tr.locator('th').innerText()).trim();
      const tds = await tr.locator('td').all();
      for (const [j, td] of tds.entries()) {
        const expected = truth(row, heads[j]!.trim());
        const value = await td.getAttribute('data-value');
        const bound = await td.getAttribute('data-lower-bound');
        if (value !== null) expect(Number(value), `${row} × ${heads[j]}`).toBe(expected);
        else if (bound !== null) expect(Number(bound), `${row} × ${heads[j]}`).toBeLessThanOrEqual(expected);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(10);
  });

  it('downloads every kind of table as CSV and XLSX holding exactly the page’s table, each download audited at the node', async () => {
    const page = await signIn('auditor');
    await page.goto(gw.AR.url + PAGE);
    const since = nodes.AR.deps.store.audit.list({ limit: 1 })[0]!.seq;
    for (const id of ['by_sex', 'process', 'network_form_x_sex']) {
      const shown = await tableOf(page, id);
      const bare = (x: string) => (x === '–' ? '' : x.replace(/[^\d◆≥]/g, ''));
      const numbers = (rows: string[][]) => rows.map((r, i) => (i === 0 ? r : [r[0]!, ...r.slice(1).map(bare)]));
      const csvHref = await page.locator(`[data-block="${id}"] a[data-export="csv"]`).getAttribute('href');
      const csv = await page.request.get(gw.AR.url + csvHref!);
      expect(csv.status()).toBe(200);
      const text = (await csv.text()).replace(/^\uFEFF/, '');
      // The network table holds lower bounds, written as on the page.
      if (id.startsWith('network_')) expect(shown.flat().some((x) => x.startsWith('≥')) && text.includes('≥ ')).toBe(true);
      expect(numbers(parseCsv(text, ',').map((r) => r.cells))).toEqual(numbers(shown));
      const xlsxHref = await page.locator(`[data-block="${id}"] a[data-export="xlsx"]`).getAttribute('href');
      const xlsx = await page.request.get(gw.AR.url + xlsxHref!);
      expect(xlsx.headers()['content-type']).toContain('spreadsheetml');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load((await xlsx.body()) as unknown as ExcelJS.Buffer);
      const rows: string[][] = [];
      wb.worksheets[0]!.eachRow((row) => rows.push((row.values as (string | number | null | undefined)[]).slice(1).map((x) => (x === null || x === undefined ? '' : String(x)))));
      expect(numbers(rows)).toEqual(numbers(shown));
    }
    // Each file is one export_stats entry naming it, by the person who took it; a download asks for nothing else.
    const auditor = demoUsers('AR').find((x) => x.roles.includes('auditor'))!;
    const entries = nodes.AR.deps.store.audit
      .list({ limit: 100 })
      .filter((e) => e.seq > since)
      .reverse();
    expect(entries.map((e) => [e.actor, e.action, new URLSearchParams(e.detail).get('table'), new URLSearchParams(e.detail).get('file')])).toEqual(
      ['by_sex', 'process', 'network_form_x_sex'].flatMap((id) => {
        const table = id === 'by_sex' ? 'counts' : id === 'process' ? 'process' : 'network';
        return ['csv', 'xlsx'].map((f) => [`gateway:${auditor.username}`, 'export_stats', table, `${id}.${f}`]);
      }),
    );
  });

  it('shows on the audit page who viewed and who downloaded which table, in words', async () => {
    const page = await signIn('auditor');
    const seen = nodes.AR.deps.store.audit.list({ limit: 1 })[0]!.seq;
    await page.goto(gw.AR.url + PAGE);
    // One page: the eight calls it is drawn from, each a read of statistics.
    const reads = nodes.AR.deps.store.audit.list({ limit: 100 }).filter((e) => e.seq > seen);
    expect(reads.map((e) => e.action)).toEqual(new Array(8).fill('read_stats'));
    expect(reads.map((e) => new URLSearchParams(e.detail).get('table')).sort()).toEqual(['counts', 'counts', 'counts', 'counts', 'counts', 'network', 'process', 'structure']);
    await page.request.get(`${gw.AR.url}/statistics/export/by_sex.csv?from=2026-02&direction=inbound`);
    await page.goto(`${gw.AR.url}/audit?action=export_stats`);
    const first = page.locator('table[data-audit="node"] tbody tr').first();
    expect(await first.locator('[data-action]').getAttribute('data-action')).toBe('export_stats');
    expect((await first.locator('[data-stats-detail]').innerText()).replace(/\s+/g, ' ')).toBe('counts by Sex · from Feb 2026 · Received · CSV file of the table by_sex');
    await page.goto(`${gw.AR.url}/audit?action=read_stats`);
    const details = await page.locator('table[data-audit="node"] [data-stats-detail]').allInnerTexts();
    expect(details).toContain('network figures of Q1 2026');
    expect(details).toContain('counts by Form of exploitation × Sex · from Jan 2026 · until Jun 2026');
    await expectNoAxeViolations(page, 'the audit page with statistics entries');
  });

  it('refuses a focal point: no link in the navigation, 403 for the page and a download', async () => {
    const page = await signIn('focal_point');
    expect(await page.locator('nav.main-nav a[href="/statistics"]').count()).toBe(0);
    expect((await page.goto(gw.AR.url + PAGE))?.status()).toBe(403);
    expect((await page.request.get(`${gw.AR.url}/statistics/export/by_sex.csv`)).status()).toBe(403);
  });

  it('speaks every working language, without raw codes or ids', async () => {
    const page = await signIn('auditor');
    const problems: string[] = [];
    for (const lang of LANGS) {
      await page.goto(`${gw.AR.url}/lang/${lang}?next=${encodeURIComponent(PAGE)}`);
      expect(await page.getAttribute('html', 'lang')).toBe(lang);
      // The test's own account is called "Auditor AR" (tests/_browser.ts).
      problems.push(...(await languageProblems(page, lang, ['Auditor AR'])).map((p) => `${lang}: ${p}`));
    }
    expect(problems).toEqual([]);
    await page.goto(`${gw.AR.url}/lang/fr?next=${encodeURIComponent(PAGE)}`);
    expect(await page.locator('table[data-table="by_sex"] tbody th').allTextContents()).toContain('Féminin');
    const csv = await page.request.get(`${gw.AR.url}/statistics/export/by_sex.csv`);
    expect((await csv.text()).split('\r\n')[0]).toBe('\uFEFFSexe;Demandes');
  });
});
