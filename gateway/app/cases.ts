import { GetCaseRequest, ListCasesRequest, type Case, type ListCasesResponse } from '../../generated/enlace/v1/cases.js';
import { ListRequestsRequest, SubmitRequestRequest, type GetCaseResponse, type Request } from '../../generated/enlace/v1/exchange.js';
import type { Principal } from '../../services/index.js';
import { HANDLING, LINKS, MAX_LISTED_IDS, SEVERAL_RECIPIENT_KINDS } from '../../services/requests/links.js';
import type { GatewayContext } from '../context.js';
import type { FieldProblem } from '../errors.js';

/** Cases on one page of the cases list. */
export const CASES_PAGE_SIZE = 50;

export interface CaseFilter {
  q?: string;
  owner?: string;
  before?: string;
}

/** The node's cases (docs/protocol.md §25.2), most recently updated first; titles only for content roles (the node leaves them empty otherwise). */
export async function listCases(ctx: GatewayContext, p: Principal, f: CaseFilter, pageSize = CASES_PAGE_SIZE): Promise<ListCasesResponse> {
  const req = ListCasesRequest.fromPartial({ text: f.q ?? '', owner: f.owner ?? '', pageSize, pageToken: f.before ?? '' });
  return ctx.node.call(p, ctx.node.exchange, ctx.node.exchange.listCases, req);
}

/**
 * The cases a list's filter offers: those of the requests it shows and the one it is filtered by,
 * from one ListCases by ids (at most 50, as many as a page has rows); no call when none has a case.
 */
export async function casesOfRows(ctx: GatewayContext, p: Principal, requests: readonly Request[], selected = ''): Promise<Case[]> {
  const ids = [...new Set([selected, ...requests.map((r) => r.links?.caseId ?? '')].filter(Boolean))].slice(0, MAX_LISTED_IDS);
  if (ids.length === 0) return [];
  const res = await ctx.node.call(p, ctx.node.exchange, ctx.node.exchange.listCases, ListCasesRequest.fromPartial({ ids, pageSize: ids.length }));
  return res.cases;
}

/** A case, the requests this node is party to in it, and the timeline across them. */
export async function getCase(ctx: GatewayContext, p: Principal, id: string): Promise<GetCaseResponse> {
  return ctx.node.call(p, ctx.node.exchange, ctx.node.exchange.getCase, GetCaseRequest.fromPartial({ id }));
}

/** The handling codes (use restrictions, §25.3) a form offers, from the node's one table. */
export const HANDLING_CHOICES: readonly string[] = HANDLING;

/** The request types that may go to several states at once (§25.4). */
export const SEVERAL_KINDS: readonly string[] = SEVERAL_RECIPIENT_KINDS;

/** The follow-up types a request of `kind` may have (§25.1), from the node's link table. */
export function followUpKinds(kind: string): readonly string[] {
  return (LINKS as Record<string, readonly string[] | undefined>)[kind] ?? [];
}

/** The handling codes a form posted (checkbox values), each known and once; unknown values are dropped. */
export function handlingOf(body: Record<string, unknown>): string[] {
  const raw = body.handling;
  const list = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' && raw ? [raw] : [];
  return HANDLING_CHOICES.filter((c) => list.includes(c));
}

/** The further recipients a form posted (`alsoTo` checkboxes): distinct destinations of this node, other than the first one. */
export function alsoToOf(body: Record<string, unknown>, destinations: readonly string[], first: string): string[] {
  const raw = body.alsoTo;
  const list = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' && raw ? [raw] : [];
  return destinations.filter((c) => c !== first && list.includes(c));
}

const str = (body: Record<string, unknown>, k: string) => (typeof body[k] === 'string' ? body[k].trim() : '');
const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export interface ComposeLinks {
  links: { parentRequestId: string; caseReference: string; caseTitle: string; handling: string[]; derivedFromRequestId: string; restrictionOverride: string };
  alsoToCountries: string[];
  problems: FieldProblem[];
}

/** The case, link, restriction and recipient fields of the compose form (§25), checked as the node will; messages are dictionary keys. */
export function composeLinksOf(body: Record<string, unknown>, destinations: readonly string[]): ComposeLinks {
  const problems: FieldProblem[] = [];
  const caseReference = str(body, 'caseReference');
  const caseTitle = str(body, 'caseTitle');
  const override = str(body, 'override');
  const parent = str(body, 'parent');
  const derived = str(body, 'derived');
  if ([...caseReference].length > 100 || /[\x00-\x1f\x7f]/.test(caseReference)) problems.push({ field: 'caseReference', key: 'compose.caseReferenceInvalid' });
  if ([...caseTitle].length > 200) problems.push({ field: 'caseTitle', key: 'compose.caseTitleInvalid' });
  if (override && (override.length < 3 || override.length > 500)) problems.push({ field: 'override', key: 'compose.overrideLength' });
  const kind = typeof body.kind === 'string' ? body.kind : '';
  const alsoToCountries = SEVERAL_KINDS.includes(kind) ? alsoToOf(body, destinations, str(body, 'toCountry')) : [];
  return {
    links: {
      parentRequestId: REQUEST_ID.test(parent) ? parent : '',
      caseReference,
      caseTitle,
      handling: handlingOf(body),
      derivedFromRequestId: REQUEST_ID.test(derived) ? derived : '',
      restrictionOverride: derived ? override : '',
    },
    alsoToCountries,
    problems,
  };
}

/** Submits a request (and, for several recipients, one per further state, §25.4); returns all of them, the first recipient's first. */
export async function submitAll(ctx: GatewayContext, p: Principal, req: Partial<SubmitRequestRequest>): Promise<Request[]> {
  const res = await ctx.node.call(p, ctx.node.exchange, ctx.node.exchange.submitRequest, SubmitRequestRequest.fromPartial(req));
  return [res.request!, ...res.also];
}

/** Compose values from a link on a detail page (`?parent=…&caseRef=…` or `?derived=…`). */
export function linkValuesOf(q: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof q.parent === 'string' && REQUEST_ID.test(q.parent)) out.parent = q.parent;
  if (typeof q.derived === 'string' && REQUEST_ID.test(q.derived)) out.derived = q.derived;
  if (typeof q.caseRef === 'string' && q.caseRef.length <= 100 && !/[\x00-\x1f\x7f]/.test(q.caseRef)) out.caseReference = q.caseRef;
  return out;
}

/**
 * Requests named by id, in the order given, from one ListRequests by ids: metadata, audited as a
 * list (not as a content read of each); at most the node's 50; one this node does not hold is left out.
 */
export async function requestsByIds(ctx: GatewayContext, p: Principal, wanted: readonly string[]): Promise<Request[]> {
  const ids = [...new Set(wanted.filter(Boolean))].slice(0, MAX_LISTED_IDS);
  if (ids.length === 0) return [];
  const res = await ctx.node.call(p, ctx.node.exchange, ctx.node.exchange.listRequests, ListRequestsRequest.fromPartial({ ids, pageSize: ids.length }));
  const byId = new Map(res.requests.map((x) => [x.id, x]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** The requests a request's page names (its parent and follow-ups), by id, as `requestsByIds` lists them. */
export async function relatedRequests(ctx: GatewayContext, p: Principal, r: Request): Promise<Map<string, Request>> {
  const listed = await requestsByIds(ctx, p, [r.links?.parentRequestId ?? '', ...(r.links?.childRequestIds ?? [])]);
  return new Map(listed.map((x) => [x.id, x]));
}
