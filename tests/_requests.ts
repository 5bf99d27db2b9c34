/** Waiting for requests, steps and listings through a node's gRPC API, as a case system calls them. */
import { RequestStatus, type Direction, type TransitionRequest, type TransitionResponse } from '../generated/enlace/v1/exchange.js';
import { CALL_DEADLINE_MS, eventually, type Clients } from './_util.js';

/** A step on request `requestId`: `action`, and of the other fields only what `over` names. */
export function step(requestId: string, action: string, over: Partial<TransitionRequest> = {}): TransitionRequest {
  return { requestId, action, note: '', response: new Uint8Array(), responseType: '', stage: '', stageDate: '', typedResponse: undefined, ...over };
}

/** `c` takes a step (`step`'s empty fields for those `req` does not name). */
export function transition(c: Clients, req: Partial<TransitionRequest> & { requestId: string; action: string }): Promise<TransitionResponse> {
  const full = step(req.requestId, req.action, req);
  return new Promise((res, rej) => c.exchange.transition(full, c.metadata, { deadline: Date.now() + CALL_DEADLINE_MS }, (e, r) => (e ? rej(e) : res(r))));
}

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

/** Waits until `c`'s node shows request `id` DELIVERED: the receiver's receipt came back. */
export function untilDelivered(c: Clients, id: string, timeoutMs = 15_000, what = 'delivery'): Promise<true> {
  return eventually(async () => ((await c.get(id)).request!.status === RequestStatus.REQUEST_STATUS_DELIVERED ? true : undefined), timeoutMs, what);
}

/** Waits until `c`'s node holds request `id`: it arrived there. */
export function untilArrived(c: Clients, id: string, timeoutMs = 15_000, what = 'arrival'): Promise<true> {
  return eventually(async () => ((await c.get(id).catch(() => undefined))?.request ? true : undefined), timeoutMs, what);
}
