import { EnlaceError } from '../../keys/index.js';
import { caseRequestIds, caseTimeline, getCase, listCases, type CaseEventRow, type CaseFilter, type CaseRow, type RequestRow } from '../store/index.js';
import type { ExchangeDeps } from './deps.js';

/** A case as this node holds it (docs/protocol.md §25.2): only the requests it is party to, and their events. */
export interface CaseFile {
  case: CaseRow;
  requests: RequestRow[];
  timeline: CaseEventRow[];
}

/** One page of this node's cases, most recently updated first. */
export function findCases(deps: ExchangeDeps, f: CaseFilter, page: { offset: number; limit: number }): { rows: CaseRow[]; total: number } {
  return listCases(deps.store, f, page);
}

/** A case with its requests and its timeline across them; ERR_NOT_FOUND when this node holds none. */
export function caseFile(deps: ExchangeDeps, id: string): CaseFile {
  const c = getCase(deps.store, id);
  if (!c) throw new EnlaceError('ERR_NOT_FOUND', `no case ${id} at this node`);
  const requests = caseRequestIds(deps.store, id).flatMap((rid) => deps.store.getRequest(rid) ?? []);
  return { case: c, requests, timeline: caseTimeline(deps.store, id) };
}
