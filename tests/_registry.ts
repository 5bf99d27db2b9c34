import { Metadata } from '@grpc/grpc-js';
import {
  type ContactPoint,
  DirectoryServiceClient,
  ExportRequest,
  GetCountryRequest,
  GetRequest,
  HistoryRequest,
  ImportRequest,
  ListNodesRequest,
  ListRejectedRequest,
  ListThemesRequest,
  ResolveRequest,
  RetireRequest,
  SearchRequest,
  UpsertCountryRequest,
  UpsertRequest,
  type CountryProfile,
  type ExportResponse,
  type GetCountryResponse,
  type GetResponse,
  type HistoryResponse,
  type ImportResponse,
  type ListNodesResponse,
  type ListRejectedResponse,
  type ListThemesResponse,
  type ResolveResponse,
  type RetireResponse,
  type SearchResponse,
  type UpsertCountryResponse,
  type UpsertResponse,
} from '../generated/enlace/v1/directory.js';
import { mintToken, type NationalNode, type Role } from '../services/index.js';
import { grpcCredentials } from './_util.js';

/** DirectoryService helpers for the registry tests (requests take partial messages). */
export interface Directory {
  search(req: Partial<SearchRequest>): Promise<SearchResponse>;
  get(country: string, id: string): Promise<GetResponse>;
  upsert(contact: Partial<ContactPoint>, expectedVersion?: number): Promise<UpsertResponse>;
  retire(req: Partial<RetireRequest>): Promise<RetireResponse>;
  history(req: Partial<HistoryRequest>): Promise<HistoryResponse>;
  listNodes(): Promise<ListNodesResponse>;
  resolve(country: string, requestKind: string, theme?: string): Promise<ResolveResponse>;
  listRejected(): Promise<ListRejectedResponse>;
  import(req: Partial<ImportRequest>): Promise<ImportResponse>;
  export(req: Partial<ExportRequest>): Promise<ExportResponse>;
  getCountry(country: string): Promise<GetCountryResponse>;
  upsertCountry(profile: CountryProfile): Promise<UpsertCountryResponse>;
  listThemes(language: string): Promise<ListThemesResponse>;
  close(): void;
}

type Unary<Req, Res> = (req: Req, md: Metadata, cb: (e: Error | null, r: Res) => void) => unknown;

export async function directoryFor(node: NationalNode, roles: Role[] = ['directory_admin'], subject = 'test-admin'): Promise<Directory> {
  const md = new Metadata();
  md.set('authorization', `Bearer ${await mintToken(node.issuer, { subject, roles }, 600, Date.now())}`);
  const client = new DirectoryServiceClient(node.grpcAddress, await grpcCredentials());
  const call = <Req, Res>(fn: Unary<Req, Res>, req: Req) => new Promise<Res>((resolve, reject) => fn.call(client, req, md, (e, r) => (e ? reject(e) : resolve(r))));
  return {
    search: (r) => call(client.search, SearchRequest.fromPartial(r)),
    get: (country, id) => call(client.get, GetRequest.fromPartial({ country, id })),
    upsert: (contact, expectedVersion = 0) => call(client.upsert, UpsertRequest.fromPartial({ contact, expectedVersion })),
    retire: (r) => call(client.retire, RetireRequest.fromPartial(r)),
    history: (r) => call(client.history, HistoryRequest.fromPartial(r)),
    listNodes: () => call(client.listNodes, ListNodesRequest.fromPartial({})),
    resolve: (country, requestKind, theme = '') => call(client.resolve, ResolveRequest.fromPartial({ country, requestKind, theme })),
    listRejected: () => call(client.listRejected, ListRejectedRequest.fromPartial({})),
    import: (r) => call(client.import, ImportRequest.fromPartial(r)),
    export: (r) => call(client.export, ExportRequest.fromPartial(r)),
    getCountry: (country) => call(client.getCountry, GetCountryRequest.fromPartial({ country })),
    upsertCountry: (profile) => call(client.upsertCountry, UpsertCountryRequest.fromPartial({ profile })),
    listThemes: (language) => call(client.listThemes, ListThemesRequest.fromPartial({ language })),
    close: () => client.close(),
  };
}

/** A valid contact point of `country` (override what the test is about). */
export function contactOf(country: string, id: string, over: Partial<ContactPoint> = {}): Partial<ContactPoint> {
  return {
    id,
    country,
    authority: [
      { lang: 'es', text: 'Fiscalía Especializada en Trata de Personas' },
      { lang: 'en', text: 'Specialized Prosecutor for Trafficking in Persons' },
    ],
    themes: ['prosecution', 'victim_identification'],
    requestKinds: [],
    languages: ['es', 'en'],
    roleTitle: 'Fiscal de enlace',
    person: 'Ana Prueba',
    email: `${id}@fiscalia-${country.toLowerCase()}.example`,
    phone: '+598 2 555 9999',
    timeZone: 'America/Montevideo',
    officeHours: [{ days: [1, 2, 3, 4, 5], open: '09:00', close: '17:00' }],
    validFrom: '2025-01-01',
    lastVerified: '2025-12-01',
    ...over,
  };
}
