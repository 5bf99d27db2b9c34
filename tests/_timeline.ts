import { RequestStatus, type GetRequestResponse, type TransitionRequest, type TransitionResponse } from '../generated/enlace/v1/exchange.js';
import { CALL_DEADLINE_MS, type Clients } from './_util.js';
import { seeded } from '../scripts/lib/seeded.js';

/** A seeded generator, so that a failing run can be replayed from its seed. */
export const random = seeded;

/** Steps the requested state takes on a nationality verification, with their notes. */
export const REQUESTED_MOVES: [string, string][] = [
  ['acknowledge', ''],
  ['start', ''],
  ['request_information', 'Please send the date of birth'],
  ['complete', ''],
  ['refuse', 'Outside our competence'],
  ['partially_execute', 'Only the civil registry answered'],
];

/** Steps the requesting state takes (proposals the requested state orders or declines). */
export const REQUESTING_MOVES: [string, string][] = [
  ['withdraw', ''],
  ['provide_information', 'Born 2004-03-02'],
];

export function transition(c: Clients, req: Partial<TransitionRequest> & { requestId: string; action: string }): Promise<TransitionResponse> {
  const full: TransitionRequest = { note: '', response: new Uint8Array(), responseType: '', stage: '', stageDate: '', typedResponse: undefined, ...req };
  return new Promise((res, rej) => c.exchange.transition(full, c.metadata, { deadline: Date.now() + CALL_DEADLINE_MS }, (e, r) => (e ? rej(e) : res(r))));
}

/** What both nodes must agree on: the status (sent/delivered/received all mean "arrived"), the ordered steps, the declined proposals. */
export function shared(r: GetRequestResponse) {
  const status = r.request!.status;
  const arrived = [RequestStatus.REQUEST_STATUS_SUBMITTED, RequestStatus.REQUEST_STATUS_DELIVERED, RequestStatus.REQUEST_STATUS_RECEIVED].includes(status);
  return {
    status: arrived ? 'arrived' : status,
    ordered: r.steps.filter((s) => s.state === 'ordered').map((s) => `${s.seq} ${s.by} ${s.action} -> ${s.status}${s.stage ? `/${s.stage}` : ''}`),
    declined: r.steps.filter((s) => s.state === 'declined').map((s) => `${s.by} ${s.action} @${s.at}`),
  };
}

/** Every proposal answered: ordered or declined. */
export const settled = (r: GetRequestResponse) => r.steps.every((s) => s.state !== 'proposed');
