import {
  Direction,
  GetRequestRequest,
  ListRequestsRequest,
  requestStatusFromJSON,
  RequestStatus,
  SubmitRequestRequest,
  type GetRequestResponse,
  type ListRequestsResponse,
  type Request,
} from '../../generated/enlace/v1/exchange.js';
import type { Principal } from '../../services/index.js';
import type { GatewayContext } from '../context.js';
import { statusCode } from './codes.js';
import { deadlineOf, DUE_SOON_DAYS, type Deadline } from './lifecycle.js';

/** Rows on one inbox or outbox page. */
export const PAGE_SIZE = 50;

/** Node pages read at most for one page of unread requests (only the gateway knows what was read). */
const UNREAD_SCAN_PAGES = 10;

/** The extradition board shows at most this many cases (one node page). */
const BOARD_SIZE = 500;

export interface BoxFilter {
  status?: string;
  counterpart?: string;
  kind?: string;
  q?: string;
  unread?: boolean;
  /** Only the requests of this case (docs/protocol.md §25.2). */
  caseId?: string;
  due?: 'soon' | 'overdue';
  /** The node's token of the page to show (older than the previous one); absent = the newest. */
  before?: string;
  /** How many newer rows come before this page, for "51–100 of 230". */
  skip?: number;
}

export interface BoxRow {
  request: Request;
  status: string;
  unread: boolean;
  deadline: Deadline;
}

export interface Box {
  /** This page, newest first. */
  rows: BoxRow[];
  /** Over the whole box, from the node's totals. */
  counts: { total: number; new: number; dueSoon: number; overdue: number; failed: number };
  /** Requests matching the filter, all pages together; undefined when "unread" is combined with another filter. */
  matching: number | undefined;
  skip: number;
  /** The token of the next, older page; '' on the last page. */
  older: string;
}

type ListQuery = Partial<ListRequestsRequest>;

/** The node's query for a box filter: everything but "unread", which only the gateway knows. */
function nodeQuery(direction: Direction, f: BoxFilter): ListQuery {
  const q: ListQuery = { direction, counterpart: f.counterpart ?? '', kind: f.kind ?? '', text: f.q ?? '', caseId: f.caseId ?? '' };
  if (f.status) q.status = requestStatusFromJSON(`REQUEST_STATUS_${f.status.toUpperCase()}`);
  if (f.due === 'overdue') q.overdue = true;
  if (f.due === 'soon') q.dueWithinDays = DUE_SOON_DAYS;
  return q;
}

function nodeFiltered(f: BoxFilter): boolean {
  return !!(f.status || f.counterpart || f.kind || f.q || f.due || f.caseId);
}

async function list(ctx: GatewayContext, p: Principal, q: ListQuery): Promise<ListRequestsResponse> {
  return ctx.node.call(p, ctx.node.exchange, ctx.node.exchange.listRequests, ListRequestsRequest.fromPartial(q));
}

/** How many requests match, without reading them: the node's total_count of a one-row page. */
async function count(ctx: GatewayContext, p: Principal, q: ListQuery): Promise<number> {
  return (await list(ctx, p, { ...q, pageSize: 1 })).totalCount;
}

async function boxCounts(ctx: GatewayContext, p: Principal, direction: Direction): Promise<Box['counts']> {
  const [total, dueSoon, overdue, failed] = await Promise.all([
    count(ctx, p, { direction }),
    count(ctx, p, { direction, dueWithinDays: DUE_SOON_DAYS }),
    count(ctx, p, { direction, overdue: true }),
    count(ctx, p, { direction, status: RequestStatus.REQUEST_STATUS_FAILED }),
  ]);
  // Every request someone opened here is an inbound one of this node (see the detail route).
  const unread = direction === Direction.DIRECTION_INBOUND ? Math.max(0, total - ctx.users.readCount()) : 0;
  return { total, new: unread, dueSoon, overdue, failed };
}

/** One page of the box, newest first: a node page, or for "unread" as many node pages as it takes to fill one. */
async function boxPage(ctx: GatewayContext, p: Principal, direction: Direction, f: BoxFilter): Promise<{ requests: Request[]; older: string; matching?: number }> {
  const q = nodeQuery(direction, f);
  if (!f.unread) {
    const res = await list(ctx, p, { ...q, pageSize: PAGE_SIZE, pageToken: f.before ?? '' });
    return { requests: res.requests, older: res.nextPageToken, matching: res.totalCount };
  }
  const requests: Request[] = [];
  let token = f.before ?? '';
  for (let i = 0; i < UNREAD_SCAN_PAGES && requests.length < PAGE_SIZE; i++) {
    const res = await list(ctx, p, { ...q, pageSize: PAGE_SIZE, pageToken: token });
    const read = ctx.users.readAmong(res.requests.map((r) => r.id));
    requests.push(...res.requests.filter((r) => !read.has(r.id)));
    token = res.nextPageToken;
    if (!token) break;
  }
  return { requests, older: token };
}

/** Inbox or outbox: one page of the rows that match, newest first, and counts over the whole box. */
export async function box(ctx: GatewayContext, p: Principal, direction: Direction, f: BoxFilter): Promise<Box> {
  const [page, counts] = await Promise.all([boxPage(ctx, p, direction, f), boxCounts(ctx, p, direction)]);
  const inbound = direction === Direction.DIRECTION_INBOUND;
  const read = inbound ? ctx.users.readAmong(page.requests.map((r) => r.id)) : new Set<string>();
  const now = ctx.now();
  return {
    rows: page.requests.map((r) => ({ request: r, status: statusCode(r.status), unread: inbound && !read.has(r.id), deadline: deadlineOf(r, now) })),
    counts,
    matching: page.matching ?? (nodeFiltered(f) ? undefined : counts.new),
    skip: f.before ? (f.skip ?? 0) : 0,
    older: page.older,
  };
}

/** The newest extradition cases of both directions (at most one node page), and how many there are. */
export async function extraditions(ctx: GatewayContext, p: Principal): Promise<{ requests: Request[]; total: number }> {
  const res = await list(ctx, p, { direction: Direction.DIRECTION_UNSPECIFIED, kind: 'extradition', pageSize: BOARD_SIZE });
  return { requests: res.requests, total: res.totalCount };
}

export async function getRequest(ctx: GatewayContext, p: Principal, id: string): Promise<GetRequestResponse> {
  return ctx.node.call(p, ctx.node.exchange, ctx.node.exchange.getRequest, GetRequestRequest.fromPartial({ id }));
}

export async function submit(ctx: GatewayContext, p: Principal, req: Partial<SubmitRequestRequest>): Promise<Request> {
  const res = await ctx.node.call(p, ctx.node.exchange, ctx.node.exchange.submitRequest, SubmitRequestRequest.fromPartial(req));
  return res.request!;
}
