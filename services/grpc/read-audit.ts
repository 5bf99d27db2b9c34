import type { Principal } from '../auth/index.js';
import { FIELD_CLASS_NAMES, requestClasses, responseClasses, TYPED_REQUEST, TYPED_RESPONSE, type FieldClass } from '../requests/index.js';
import { RequestPayload, ResponsePayload } from '../../generated/enlace/v1/requests.js';
import type { ExchangeDeps } from '../exchange/index.js';
import type { RequestRow, TransitionRow } from '../store/index.js';
import { shownClasses, type Viewer } from './convert.js';

/**
 * The field classes a read of a request returns to a viewer: metadata always (type, status,
 * dates), sensitive for a subject or step note it is shown (free text), and the classes of
 * the request's and its steps' non-empty typed fields that it is shown. Opaque content
 * cannot be classified and counts as every class.
 */
export function classesReturned(request: RequestRow, steps: readonly TransitionRow[], viewer: Viewer): FieldClass[] {
  const shown = shownClasses(viewer);
  const found = new Set<FieldClass>(['metadata']);
  const add = (cs: readonly FieldClass[]) => cs.forEach((c) => shown.includes(c) && found.add(c));
  if (request.subject !== '' || steps.some((t) => t.note !== '')) add(['sensitive']);
  if (!request.erased && request.payload.byteLength > 0) {
    add(request.payloadType === TYPED_REQUEST ? requestClasses(RequestPayload.decode(request.payload)) : FIELD_CLASS_NAMES);
  }
  for (const t of steps) {
    if (t.response && t.response.byteLength > 0 && t.responseType === TYPED_RESPONSE) add(responseClasses(ResponsePayload.decode(t.response)));
  }
  return FIELD_CLASS_NAMES.filter((c) => found.has(c));
}

export type ReadAction = 'read_content' | 'read_attachment' | 'list_requests' | 'watch_requests' | 'search_content' | 'read_stats' | 'export_stats';

/** The field classes a list or watch row returns: metadata, and the subject (free text) for roles that are shown it. */
export function listedClasses(request: RequestRow, viewer: Viewer): FieldClass[] {
  return shownClasses(viewer).includes('sensitive') && request.subject !== '' ? ['sensitive', 'metadata'] : ['metadata'];
}

/** One audit entry for one read, by any role: who, with which roles, which request, which field classes, when. */
export function auditRead(deps: ExchangeDeps, read: { principal: Principal; at: number; action: ReadAction; requestId: string; fields: readonly FieldClass[]; detail?: string }): void {
  deps.store.audit.append(entryOf(read));
}

/** One entry per request a list page or a watch event showed, written together. */
export function auditListed(deps: ExchangeDeps, read: { principal: Principal; at: number; action: ReadAction; viewer: Viewer }, requests: readonly RequestRow[]): void {
  deps.store.audit.appendMany(requests.map((r) => entryOf({ ...read, requestId: r.id, fields: listedClasses(r, read.viewer) })));
}

/**
 * One entry per request a content search found and showed: the node decrypted its subject and
 * typed form to match the words, so the entry names every class of field it holds that the
 * searcher may be shown (the words themselves are not logged: they may be a person's name).
 */
export function auditSearched(deps: ExchangeDeps, read: { principal: Principal; at: number; viewer: Viewer }, requests: readonly RequestRow[]): void {
  deps.store.audit.appendMany(requests.map((r) => entryOf({ ...read, action: 'search_content', requestId: r.id, fields: classesReturned(r, [], read.viewer) })));
}

/** The StatsService calls, as their audit entries name them. */
export type StatsTable = 'counts' | 'process' | 'structure' | 'network';

/**
 * One entry for a statistics call that returned figures: who, with which roles, which table
 * with which parameters, and the file when they were exported. The detail is a query string
 * (`table=counts&rows=form&columns=sex&from=2026-01&file=by_form.csv`), empty parameters left
 * out; no request is named and no field class is returned, since a count shows no case.
 */
export function auditStats(deps: ExchangeDeps, read: { principal: Principal; at: number; table: StatsTable; params: Record<string, string>; exportFile: string }): void {
  const detail = new URLSearchParams({ table: read.table });
  for (const [k, v] of Object.entries(read.params)) if (v) detail.set(k, v);
  if (read.exportFile) detail.set('file', read.exportFile);
  deps.store.audit.append(entryOf({ principal: read.principal, at: read.at, action: read.exportFile ? 'export_stats' : 'read_stats', requestId: '', fields: [], detail: detail.toString() }));
}

function entryOf(read: { principal: Principal; at: number; action: ReadAction; requestId: string; fields: readonly FieldClass[]; detail?: string }) {
  return {
    at: read.at,
    actor: read.principal.subject,
    roles: read.principal.roles,
    action: read.action,
    requestId: read.requestId,
    fields: read.fields,
    ...(read.detail ? { detail: read.detail } : {}),
  };
}
