/**
 * ListRequests for integrators, over real gRPC against real nodes and a real nats-server:
 * newest first by default, oldest_first, keyset paging in both orders, total_count,
 * updated_since, and "due" that never counts a closed request.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Direction, RequestStatus, type ListRequestsRequest, type Request } from '../generated/enlace/v1/exchange.js';
import { step, transition } from './_requests.js';
import { withFederation } from './_setup.js';
import { clientsForIssuer, eventually, GRPC, rejectionOf, submitRequestOf, TestClock, type Clients } from './_util.js';

const COUNT = 7;

/** Every page of a listing, in the order the node hands them out, with each page's total. */
async function allPages(c: Clients, q: Partial<ListRequestsRequest>): Promise<{ ids: string[]; pages: number; totals: number[] }> {
  const ids: string[] = [];
  const totals: number[] = [];
  let pageToken = q.pageToken ?? '';
  let pages = 0;
  do {
    const page = await c.list({ ...q, pageToken });
    expect(page.requests.length).toBeLessThanOrEqual(q.pageSize ?? 50);
    ids.push(...page.requests.map((r) => r.id));
    totals.push(page.totalCount);
    pageToken = page.nextPageToken;
    pages++;
  } while (pageToken);
  return { ids, pages, totals };
}

describe('ListRequests', () => {
  const arClock = new TestClock();
  const { nodes, api } = withFederation(['AR', 'UY'], { start: { AR: { clock: arClock } }, transport: true, api: { ar: ['AR', 'focal_point'], uy: ['UY', 'focal_point'] } });
  /** The ids of the probe requests, in the order they were sent. */
  const sent: string[] = [];

  const probes = { direction: Direction.DIRECTION_OUTBOUND, text: 'listprobe' } as const;

  beforeAll(async () => {
    for (let i = 0; i < COUNT; i++) {
      const r = await api.ar.submit(submitRequestOf({ subject: `Listprobe number ${i}`, senderReference: `list-${i}`, urgency: 'urgent' }));
      sent.push(r.request!.id);
    }
    await eventually(
      async () => {
        const page = await api.ar.list({ ...probes, status: RequestStatus.REQUEST_STATUS_DELIVERED, pageSize: 1 });
        return page.totalCount === COUNT ? true : undefined;
      },
      30_000,
      'every probe delivered to UY',
    );
  });

  it('lists newest first by default and oldest first when asked, with the total', async () => {
    const newest = await api.ar.list(probes);
    expect(newest.requests.map((r) => r.id)).toEqual([...sent].reverse());
    expect(newest.totalCount).toBe(COUNT);
    expect(newest.nextPageToken).toBe('');
    const oldest = await api.ar.list({ ...probes, oldestFirst: true });
    expect(oldest.requests.map((r) => r.id)).toEqual(sent);
    expect(oldest.totalCount).toBe(COUNT);
  });

  it('pages in both orders without a gap or a repeat, each page giving the total of all pages', async () => {
    const down = await allPages(api.ar, { ...probes, pageSize: 3 });
    expect(down.ids).toEqual([...sent].reverse());
    expect(down.pages).toBe(3);
    expect(down.totals).toEqual([COUNT, COUNT, COUNT]);
    const up = await allPages(api.ar, { ...probes, pageSize: 3, oldestFirst: true });
    expect(up.ids).toEqual(sent);
    expect(up.totals).toEqual([COUNT, COUNT, COUNT]);
    const exact = await allPages(api.ar, { ...probes, pageSize: COUNT });
    expect(exact.pages).toBe(1);
  });

  it('keeps paging newest first while new requests arrive: they do not shift the pages already read', async () => {
    const first = await api.ar.list({ ...probes, pageSize: 3 });
    const late = await api.ar.submit(submitRequestOf({ subject: 'Listprobe that arrives late', senderReference: 'list-late' }));
    try {
      const rest = await allPages(api.ar, { ...probes, pageSize: 3, pageToken: first.nextPageToken });
      expect([...first.requests.map((r) => r.id), ...rest.ids]).toEqual([...sent].reverse());
      expect(rest.totals.at(-1)).toBe(COUNT + 1);
      expect((await api.ar.list(probes)).requests[0]!.id).toBe(late.request!.id);
    } finally {
      // The later tests count the probes; this one is no longer one of them.
      await transition(api.ar, step(late.request!.id, 'withdraw')).catch(() => undefined);
      await eventually(async () => ((await api.ar.get(late.request!.id)).request!.status === RequestStatus.REQUEST_STATUS_WITHDRAWN ? true : undefined), 15_000, 'late probe withdrawn');
    }
  });

  it('counts the total under every filter, apart from the page', async () => {
    expect((await api.ar.list({ ...probes, pageSize: 1 })).totalCount).toBe(COUNT + 1);
    expect((await api.ar.list({ ...probes, text: 'listprobe number', pageSize: 2 })).totalCount).toBe(COUNT);
    expect((await api.ar.list({ ...probes, status: RequestStatus.REQUEST_STATUS_WITHDRAWN })).totalCount).toBe(1);
    expect((await api.ar.list({ direction: Direction.DIRECTION_INBOUND })).totalCount).toBe(0);
    expect((await api.uy.list({ direction: Direction.DIRECTION_INBOUND, text: 'number', pageSize: 1 })).totalCount).toBe(COUNT);
  });

  it('filters by updated_since: only the requests updated at or after the instant', async () => {
    const all = (await api.ar.list({ ...probes, text: 'listprobe number' })).requests;
    const cut = Number([...all].sort((a, b) => Number(a.updatedAt) - Number(b.updatedAt))[3]!.updatedAt);
    const since = await api.ar.list({ ...probes, text: 'listprobe number', updatedSince: cut });
    const expected = all.filter((r) => Number(r.updatedAt) >= cut).map((r) => r.id);
    expect(since.requests.map((r) => r.id)).toEqual(expected);
    expect(since.totalCount).toBe(expected.length);

    const after = Math.max(...all.map((r) => Number(r.updatedAt))) + 1;
    expect((await api.ar.list({ ...probes, text: 'listprobe number', updatedSince: after })).totalCount).toBe(0);
    await transition(api.uy, step(sent[2]!, 'acknowledge'));
    const changed = await eventually(
      async () => {
        const page = await api.ar.list({ ...probes, text: 'listprobe number', updatedSince: after });
        return page.totalCount > 0 ? page : undefined;
      },
      15_000,
      'the acknowledgement at AR',
    );
    expect(changed.requests.map((r) => r.id)).toEqual([sent[2]]);
    expect(changed.totalCount).toBe(1);

    const negative = await rejectionOf(api.ar.list({ updatedSince: -1 }));
    expect(negative.code).toBe(GRPC.INVALID_ARGUMENT);
    expect(negative.details).toMatch(/^updated_since /);
  });

  it('never counts a closed request as due, soon or overdue', async () => {
    const due = (page: { requests: Request[] }) => page.requests.map((r) => r.id);
    const [open, closed] = [sent[0]!, sent[1]!];
    const before = await eventually(
      async () => {
        const page = await api.ar.list({ ...probes, dueWithinDays: 30 });
        return due(page).includes(open) && due(page).includes(closed) ? page : undefined;
      },
      15_000,
      'due dates at AR',
    );
    await transition(api.uy, step(closed, 'complete'));
    await eventually(async () => ((await api.ar.get(closed)).request!.status === RequestStatus.REQUEST_STATUS_COMPLETED ? true : undefined), 15_000, 'completed at AR');
    const soon = await api.ar.list({ ...probes, dueWithinDays: 30 });
    expect(due(soon)).toContain(open);
    expect(due(soon)).not.toContain(closed);
    expect(soon.totalCount).toBe(before.totalCount - 1);

    arClock.advance(60 * 86_400_000);
    const later = await clientsForIssuer(nodes.AR.issuer, nodes.AR.grpcAddress, ['focal_point'], arClock.now());
    try {
      const overdue = await later.list({ ...probes, overdue: true });
      expect(due(overdue)).toContain(open);
      expect(due(overdue)).not.toContain(closed);
      expect(overdue.totalCount).toBe(overdue.requests.length);
      const closedRow = (await later.get(closed)).request!;
      expect(closedRow.dueAt).toBeGreaterThan(0);
      expect(closedRow.overdue).toBe(false);
    } finally {
      later.close();
      arClock.offsetMs = 0;
    }
  });
});
