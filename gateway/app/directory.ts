import {
  GetCountryRequest,
  ListThemesRequest,
  ResolveRequest,
  RetireRequest,
  SearchRequest,
  UpsertRequest,
  GetRequest,
  ListNodesRequest,
  type ContactPoint,
  type DirectoryEntry,
  type LocalizedText,
  type SearchResponse,
  type ThemeInfo,
} from '../../generated/enlace/v1/directory.js';
import type { Principal } from '../../services/index.js';
import type { GatewayContext } from '../context.js';
import { GatewayError } from '../errors.js';

export async function search(ctx: GatewayContext, p: Principal, q: Partial<SearchRequest>): Promise<SearchResponse> {
  return ctx.node.call(p, ctx.node.directory, ctx.node.directory.search, SearchRequest.fromPartial(q));
}

export async function getEntry(ctx: GatewayContext, p: Principal, country: string, id: string): Promise<DirectoryEntry> {
  const res = await ctx.node.call(p, ctx.node.directory, ctx.node.directory.get, GetRequest.fromPartial({ country, id }));
  if (!res.entry) throw new GatewayError('ERR_NOT_FOUND', 'error.ERR_NOT_FOUND');
  return res.entry;
}

export async function themes(ctx: GatewayContext, p: Principal, language: string): Promise<ThemeInfo[]> {
  return (await ctx.node.call(p, ctx.node.directory, ctx.node.directory.listThemes, ListThemesRequest.fromPartial({ language }))).themes;
}

/** The competent contact points of `country` for a request type, best first; none is not an error. */
export async function resolve(ctx: GatewayContext, p: Principal, country: string, requestKind: string): Promise<DirectoryEntry[]> {
  try {
    return (await ctx.node.call(p, ctx.node.directory, ctx.node.directory.resolve, ResolveRequest.fromPartial({ country, requestKind }))).candidates;
  } catch (e) {
    if (e instanceof GatewayError && (e.code === 'ERR_REGISTRY_UNRESOLVED' || e.code === 'ERR_NOT_FOUND')) return [];
    throw e;
  }
}

/**
 * The names in `lang` of the authorities among `addresses` (those with a slug), from the
 * directory; an authority the directory no longer has is left out (the page shows its slug).
 */
export async function authorityNames(ctx: GatewayContext, p: Principal, addresses: readonly string[], lang: string): Promise<Map<string, string>> {
  const wanted = [...new Set(addresses.filter((a) => /^[A-Z]{2}\/./.test(a)))];
  const names = new Map<string, string>();
  await Promise.all(
    wanted.map(async (address) => {
      const [country = '', id = ''] = address.split('/');
      const entry = await getEntry(ctx, p, country, id).catch(() => undefined);
      const name = entry?.contact ? pickText(entry.contact.authority, lang) : '';
      if (name) names.set(address, name);
    }),
  );
  return names;
}

/** Official working language of each OAS member state, for when its directory profile names none. */
const OFFICIAL: Record<string, string> = {
  AG: 'en',
  AR: 'es',
  BS: 'en',
  BB: 'en',
  BZ: 'en',
  BO: 'es',
  BR: 'pt',
  CA: 'en',
  CL: 'es',
  CO: 'es',
  CR: 'es',
  CU: 'es',
  DM: 'en',
  DO: 'es',
  EC: 'es',
  SV: 'es',
  GD: 'en',
  GT: 'es',
  GY: 'en',
  HT: 'fr',
  HN: 'es',
  JM: 'en',
  MX: 'es',
  NI: 'es',
  PA: 'es',
  PY: 'es',
  PE: 'es',
  KN: 'en',
  LC: 'en',
  VC: 'en',
  SR: 'en',
  TT: 'en',
  US: 'en',
  UY: 'es',
  VE: 'es',
};

/** A country's official working language, or undefined for a country outside the OAS list. */
export function officialLanguage(country: string): string | undefined {
  return OFFICIAL[country];
}

/** The languages a country accepts requests in (its directory profile), first is preferred. */
export async function countryLanguages(ctx: GatewayContext, p: Principal, country: string): Promise<string[]> {
  const fallback = OFFICIAL[country] ? [OFFICIAL[country]] : [];
  try {
    const res = await ctx.node.call(p, ctx.node.directory, ctx.node.directory.getCountry, GetCountryRequest.fromPartial({ country }));
    return res.profile?.languages.length ? res.profile.languages : fallback;
  } catch (e) {
    if (e instanceof GatewayError && e.code === 'ERR_NOT_FOUND') return fallback;
    throw e;
  }
}

export async function listNodes(ctx: GatewayContext, p: Principal) {
  return (await ctx.node.call(p, ctx.node.directory, ctx.node.directory.listNodes, ListNodesRequest.fromPartial({}))).nodes;
}

export async function upsert(ctx: GatewayContext, p: Principal, contact: ContactPoint, expectedVersion: number): Promise<DirectoryEntry> {
  const res = await ctx.node.call(p, ctx.node.directory, ctx.node.directory.upsert, UpsertRequest.fromPartial({ contact, expectedVersion }));
  return res.entry!;
}

export async function retire(ctx: GatewayContext, p: Principal, country: string, id: string, reason: string): Promise<void> {
  await ctx.node.call(p, ctx.node.directory, ctx.node.directory.retire, RetireRequest.fromPartial({ country, id, reason }));
}

/** A localized text in `lang`, else the first one. */
export function pickText(texts: readonly LocalizedText[], lang: string): string {
  return (texts.find((t) => t.lang === lang) ?? texts[0])?.text ?? '';
}
