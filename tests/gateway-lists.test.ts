/**
 * The gateway's inbox and outbox list from the node's pages and totals: newest first, a pager
 * that walks every request once, counts that are the node's totals, and closed requests never
 * counted as due. Real nodes, a real nats-server, real gateways over HTTP.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Direction } from '../generated/enlace/v1/exchange.js';
import { PAGE_SIZE } from '../gateway/app/requests.js';
import { signedIn, type HttpSession } from './_browser.js';
import { withFederation } from './_setup.js';
import { eventually, submitRequestOf } from './_util.js';

const COUNT = PAGE_SIZE + 7;

const { api, gw } = withFederation(['AR', 'UY'], { transport: true, gateways: ['UY'], api: { ar: ['AR', 'focal_point'], uy: ['UY', 'focal_point'] } });
/** Ids in the order AR sent them. */
const sent: string[] = [];

/** The ids of the table rows, the total card and the pager links of an inbox page. */
async function inboxPage(s: HttpSession, path: string) {
  const res = await s.get(path);
  expect(res.status).toBe(200);
  const text = await res.text();
  const table = text.slice(text.indexOf('<tbody>'), text.indexOf('</tbody>'));
  const ids = [...table.matchAll(/<tr[^>]* data-id="([0-9a-f-]{36})"/g)].map((m) => m[1]!);
  const total = Number(/data-count="total"><span class="n">(\d+)</.exec(text)?.[1]);
  const older = /<a rel="next" href="([^"]+)" data-page="older">/.exec(text)?.[1]?.replaceAll('&amp;', '&');
  const range = /<span data-range>([^<]*)</.exec(text)?.[1];
  return { ids, total, older, range, text };
}

beforeAll(async () => {
  for (let i = 0; i < COUNT; i++) sent.push((await api.ar.submit(submitRequestOf({ subject: `Paged request ${i}`, senderReference: `pg-${i}` }))).request!.id);
  await eventually(async () => ((await api.uy.list({ direction: Direction.DIRECTION_INBOUND, pageSize: 1 })).totalCount === COUNT ? true : undefined), 60_000, 'every request at UY');
});

describe('inbox pages', () => {
  it('shows the newest first with the node total, and pages to the oldest without a gap or a repeat', async () => {
    const s = await signedIn(gw.UY, 'UY', 'focal_point');
    const newestFirst = [...sent].reverse();
    const first = await inboxPage(s, '/inbox');
    expect(first.total).toBe(COUNT);
    expect(first.ids).toEqual(newestFirst.slice(0, PAGE_SIZE));
    expect(first.range).toBe(`1–${PAGE_SIZE} of ${COUNT}`);
    expect(first.older).toBeDefined();
    expect(first.text).not.toContain('data-page="newest"');

    const second = await inboxPage(s, first.older!);
    expect(second.ids).toEqual(newestFirst.slice(PAGE_SIZE));
    expect(second.range).toBe(`${PAGE_SIZE + 1}–${COUNT} of ${COUNT}`);
    expect(second.older).toBeUndefined();
    expect(second.text).toContain('data-page="newest"');
  });

  it('keeps the filter across pages and counts what matches it', async () => {
    const s = await signedIn(gw.UY, 'UY', 'focal_point');
    const matching = sent.filter((_, i) => String(i).includes('1')).reverse();
    const first = await inboxPage(s, '/inbox?q=request+1');
    expect(first.total).toBe(COUNT);
    expect(first.range).toBe(`1–${matching.length} of ${matching.length}`);
    expect(first.ids).toEqual(matching);
    expect(first.older).toBeUndefined();
  });

  it('answers the JSON API with one page, the total and the token of the older page', async () => {
    const s = await signedIn(gw.UY, 'UY', 'focal_point');
    const page = (await (await s.get('/api/v1/requests?box=inbox')).json()) as { total: number; older: string; requests: { id: string }[]; counts: { total: number; new: number } };
    expect(page.total).toBe(COUNT);
    expect(page.counts.total).toBe(COUNT);
    expect(page.requests.map((r) => r.id)).toEqual([...sent].reverse().slice(0, PAGE_SIZE));
    expect(page.older).not.toBe('');
    const rest = (await (await s.get(`/api/v1/requests?box=inbox&before=${page.older}`)).json()) as { older: string; requests: { id: string }[] };
    expect(rest.requests.map((r) => r.id)).toEqual([...sent].reverse().slice(PAGE_SIZE));
    expect(rest.older).toBe('');
  });

  it('counts unread requests from the node total and what was opened here', async () => {
    const s = await signedIn(gw.UY, 'UY', 'focal_point');
    const before = (await (await s.get('/api/v1/requests?box=inbox')).json()) as { counts: { new: number } };
    expect((await s.get(`/requests/${sent[0]}`)).status).toBe(200);
    const after = (await (await s.get('/api/v1/requests?box=inbox&unread=1')).json()) as { counts: { new: number }; total: number; requests: { id: string }[] };
    expect(after.counts.new).toBe(before.counts.new - 1);
    expect(after.total).toBe(after.counts.new);
    expect(after.requests.map((r) => r.id)).not.toContain(sent[0]);
  });
});
