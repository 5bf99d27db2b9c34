/** Reading what a node holds through its gRPC API, all pages at once. */
import type { Direction, RequestStatus } from '../generated/enlace/v1/exchange.js';
import type { Clients } from './_util.js';

/** Every request `c` lists in `direction` (with `status` if given), oldest first, by id and sender reference. */
export async function everyRequest(c: Clients, direction: Direction, status?: RequestStatus): Promise<{ id: string; ref: string }[]> {
  const out: { id: string; ref: string }[] = [];
  let pageToken = '';
  do {
    const page = await c.list({ direction, pageSize: 500, pageToken, oldestFirst: true, ...(status ? { status } : {}) });
    out.push(...page.requests.map((r) => ({ id: r.id, ref: r.senderReference })));
    pageToken = page.nextPageToken;
  } while (pageToken);
  return out;
}
