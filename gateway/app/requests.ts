import {
  Direction,
  GetRequestRequest,
  ListRequestsRequest,
  RequestStatus,
  SubmitRequestRequest,
  type GetRequestResponse,
  type Request,
} from '../../generated/enlace/v1/exchange.js';
import type { Principal } from '../../services/index.js';
import type { GatewayContext } from '../context.js';
import { statusCode } from './codes.js';
import { deadlineOf, type Deadline } from './lifecycle.js';

/** At most this many requests are read for one list (the node pages by 500). */
const LIST_CAP = 2000;

export interface BoxFilter {
  status?: string;
  counterpart?: string;
  kind?: string;
  q?: string;
  unread?: boolean;
  due?: 'soon' | 'overdue';
}

export interface BoxRow {
  request: Request;
  status: string;
  unread: boolean;
  deadline: Deadline;
}

export interface Box {
  rows: BoxRow[];
  counts: { total: number; new: number; dueSoon: number; overdue: number; failed: number };
  truncated: boolean;
}

/** Every request of one direction, newest first, read page by page from the node. */
export async function readAll(ctx: GatewayContext, p: Principal, q: { direction: Direction; counterpart?: string; kind?: string }): Promise<{ requests: Request[]; truncated: boolean }> {
  const out: Request[] = [];
  let pageToken = '';
  for (;;) {
    const res = await ctx.node.call(p, ctx.node.exchange, ctx.node.exchange.listRequests, ListRequestsRequest.fromPartial({ direction: q.direction, counterpart: q.counterpart ?? '', kind: q.kind ?? '', pageSize: 500, pageToken }));
    out.push(...res.requests);
    if (!res.nextPageToken || out.length >= LIST_CAP) return { requests: out.reverse(), truncated: !!res.nextPageToken };
    pageToken = res.nextPageToken;
  }
}

function matches(r: Request, f: BoxFilter): boolean {
  if (f.status && statusCode(r.status) !== f.status) return false;
  if (f.kind && r.kind !== f.kind) return false;
  if (f.q) {
    const text = `${r.subject} ${r.senderReference} ${r.from} ${r.to} ${r.id}`.toLowerCase();
    if (!f.q.toLowerCase().split(/\s+/).filter(Boolean).every((w) => text.includes(w))) return false;
  }
  return true;
}

/** Inbox or outbox: the rows that match, and counts over the whole box. */
export async function box(ctx: GatewayContext, p: Principal, direction: Direction, f: BoxFilter): Promise<Box> {
  const { requests, truncated } = await readAll(ctx, p, { direction, counterpart: f.counterpart ?? '' });
  const read = direction === Direction.DIRECTION_INBOUND ? ctx.users.readAmong(requests.map((r) => r.id)) : new Set<string>();
  const now = ctx.now();
  const rows: BoxRow[] = requests.map((r) => ({ request: r, status: statusCode(r.status), unread: direction === Direction.DIRECTION_INBOUND && !read.has(r.id), deadline: deadlineOf(r, now) }));
  return {
    rows: rows.filter((row) => matches(row.request, f) && (!f.unread || row.unread) && (!f.due || row.deadline === f.due)),
    counts: {
      total: rows.length,
      new: rows.filter((r) => r.unread).length,
      dueSoon: rows.filter((r) => r.deadline === 'soon').length,
      overdue: rows.filter((r) => r.deadline === 'overdue').length,
      failed: requests.filter((r) => r.status === RequestStatus.REQUEST_STATUS_FAILED).length,
    },
    truncated,
  };
}

export async function getRequest(ctx: GatewayContext, p: Principal, id: string): Promise<GetRequestResponse> {
  return ctx.node.call(p, ctx.node.exchange, ctx.node.exchange.getRequest, GetRequestRequest.fromPartial({ id }));
}

export async function submit(ctx: GatewayContext, p: Principal, req: Partial<SubmitRequestRequest>): Promise<Request> {
  const res = await ctx.node.call(p, ctx.node.exchange, ctx.node.exchange.submitRequest, SubmitRequestRequest.fromPartial(req));
  return res.request!;
}
