import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestStatus, type Request, type WatchRequestsResponse } from '../generated/enlace/v1/exchange.js';
import type { AuditEntry } from '../generated/enlace/v1/node.js';
import type { RequestPayload, ResponsePayload } from '../generated/enlace/v1/requests.js';
import { ROLES, type Role } from '../services/auth/index.js';
import { CONTENT_ROLES } from '../services/grpc/convert.js';
import { PERMISSIONS } from '../services/grpc/guard.js';
import { REDACTED, REQUEST_TYPE_CODES, requestClasses, requestFields, responseClasses, responseFields, type ClassifiedField, type RequestType } from '../services/requests/index.js';
import { completeRequest, completeResponse } from '../services/requests/testkit.js';
import { current } from './_fixtures.js';
import { transition } from './_requests.js';
import { withFederation } from './_setup.js';
import { clientsFor, eventually, GRPC, rejectionOf, submitRequestOf, type Clients } from './_util.js';

/**
 * Issue 11: every role against GetRequest, ListRequests and WatchRequests, for every request
 * type, at the requested state (UY). Content roles read every field as sent; the others read
 * the metadata fields as sent and no identity or sensitive field, checked field by field
 * through the one table; every read is one audit entry with the field classes it returned.
 */

const READERS = ROLES.filter((r) => (PERMISSIONS.readRequests as readonly Role[]).includes(r));
const content = (role: Role) => CONTENT_ROLES.includes(role);
const strings = (v: unknown): string[] =>
  typeof v === 'string' ? [v] : Array.isArray(v) ? v.flatMap(strings) : v && typeof v === 'object' && !(v instanceof Uint8Array) ? Object.values(v).flatMap(strings) : [];

/** The texts of a form's identity and sensitive fields that no metadata field also holds. */
function protectedTexts(fields: ClassifiedField[]): string[] {
  const metadata = fields.filter((f) => f.cls === 'metadata').flatMap((f) => strings(f.value));
  return fields
    .filter((f) => f.cls !== 'metadata')
    .flatMap((f) => strings(f.value))
    .filter((s) => s.length > 3 && !metadata.some((m) => m.includes(s)));
}

/** Bytes compared as numbers, whether they came back as a Buffer or a Uint8Array. */
const plain = (v: unknown): unknown =>
  v instanceof Uint8Array ? [...v] : Array.isArray(v) ? v.map(plain) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)])) : v;

function expectSame(sent: ClassifiedField[], got: ClassifiedField[], what: string): void {
  expect(
    got.map((f) => [f.path, plain(f.value)]),
    what,
  ).toEqual(sent.map((f) => [f.path, plain(f.value)]));
}

function expectMetadataOnly(sent: ClassifiedField[], got: ClassifiedField[], what: string): void {
  const after = new Map(got.map((f) => [f.path, f.value]));
  for (const f of sent) {
    const v = after.get(f.path);
    if (f.cls === 'metadata') expect(v, `${what}: ${f.path} (metadata) as sent`).toEqual(f.value);
    else expect([undefined, REDACTED, JSON.stringify([REDACTED])], `${what}: ${f.path} (${f.cls}) withheld`).toContain(Array.isArray(v) ? JSON.stringify(v) : v);
  }
}

/** Every event WatchRequests replays from the start of the journal, until each of `ids` has shown up. */
async function watched(c: Clients, ids: string[]): Promise<WatchRequestsResponse[]> {
  const stream = c.exchange.watchRequests({ direction: 0, resumeAfter: '0' }, c.metadata);
  const events: WatchRequestsResponse[] = [];
  stream.on('data', (e: WatchRequestsResponse) => events.push(e));
  stream.on('error', () => undefined);
  try {
    await eventually(() => (ids.every((id) => events.some((e) => e.request?.id === id)) ? true : undefined), 10_000, 'watch events of every request');
    return events;
  } finally {
    stream.cancel();
  }
}

describe('one data policy for every person, every role, every read', () => {
  const { nodes, api } = withFederation(['AR', 'UY'], { transport: true, api: { ar: ['AR', 'prosecutor'] } });
  let auditor: Clients;
  const clients = new Map<Role, Clients>();
  const sent = new Map<RequestType, { id: string; request: RequestPayload; response: ResponsePayload }>();

  beforeAll(async () => {
    for (const role of ROLES) clients.set(role, await clientsFor(nodes.UY, [role]));
    auditor = clients.get('auditor')!;
    const focal = clients.get('focal_point')!;
    for (const kind of REQUEST_TYPE_CODES) {
      const request = current(completeRequest(kind));
      const response = current(completeResponse(kind));
      const r = await api.ar.submit(
        submitRequestOf({ kind, subject: `Policy check ${REQUEST_TYPE_CODES.indexOf(kind) + 1}`, payload: new Uint8Array(), payloadType: '', typed: request, senderReference: `policy-${kind}` }),
      );
      const id = r.request!.id;
      await eventually(async () => (await focal.get(id).catch(() => undefined))?.request, 15_000, `${kind} at UY`);
      await transition(focal, { requestId: id, action: 'complete', typedResponse: response });
      await eventually(async () => ((await focal.get(id)).request!.status === RequestStatus.REQUEST_STATUS_COMPLETED ? true : undefined), 15_000, `${kind} completed`);
      sent.set(kind, { id, request, response });
    }
  }, 120_000);

  afterAll(() => {
    for (const c of clients.values()) c.close();
  });

  const audited = async (id: string): Promise<AuditEntry[]> =>
    new Promise((res, rej) => auditor.node.listAudit({ requestId: id, pageSize: 500, beforeSeq: 0 }, auditor.metadata, (e, r) => (e ? rej(e) : res(r.entries))));

  it('refuses the requests to roles that may not read them', async () => {
    for (const role of ROLES.filter((r) => !READERS.includes(r))) {
      expect((await rejectionOf(clients.get(role)!.list({}))).code, role).toBe(GRPC.PERMISSION_DENIED);
    }
  });

  it.each(READERS.map((r) => [r]))('%s: GetRequest, field by field, with one audit entry per read naming the classes returned', async (role) => {
    const c = clients.get(role)!;
    for (const [kind, s] of sent) {
      const before = (await audited(s.id)).length;
      const got = await c.get(s.id);
      const typed = got.request!.typed!;
      const answer = got.steps.find((t) => t.action === 'complete')!.response!;
      const json = JSON.stringify(got);
      if (content(role)) {
        expectSame(requestFields(s.request), requestFields(typed), `${role} ${kind} request`);
        expectSame(responseFields(s.response), responseFields(answer), `${role} ${kind} response`);
        expect(got.request!.payloadRedacted).toBe(false);
      } else {
        expectMetadataOnly(requestFields(s.request), requestFields(typed), `${role} ${kind} request`);
        expectMetadataOnly(responseFields(s.response), responseFields(answer), `${role} ${kind} response`);
        for (const text of protectedTexts([...requestFields(s.request), ...responseFields(s.response)])) {
          expect(json, `${role} ${kind}: "${text}" reached a role without content access`).not.toContain(text);
        }
        expect(got.request!.payloadRedacted).toBe(true);
      }
      const all = await audited(s.id);
      const entries = all.slice(0, all.length - before);
      expect(
        entries.map((e) => [e.action, e.roles]),
        `${role} ${kind}: one entry for one read`,
      ).toEqual([['read_content', role]]);
      // The subject is free text (sensitive) too.
      const expected = content(role) ? [...new Set(['metadata', 'sensitive', ...requestClasses(s.request), ...responseClasses(s.response)])] : ['metadata'];
      expect(entries[0]!.fields.split(',').sort(), `${role} ${kind} classes`).toEqual(expected.sort());
      expect(entries[0]!.actor).toBe('test');
      expect(Number(entries[0]!.at)).toBeGreaterThan(0);
    }
  });

  it.each(READERS.map((r) => [r]))('%s: ListRequests and WatchRequests carry no form, no identity and no free text of it, each row audited', async (role) => {
    const c = clients.get(role)!;
    const ids = [...sent.values()].map((s) => s.id);
    const listed = (await c.list({ pageSize: 50 })).requests.filter((r) => ids.includes(r.id));
    expect(listed).toHaveLength(ids.length);
    const events = (await watched(c, ids)).filter((e) => ids.includes(e.request!.id));
    const rows: [string, Request][] = [...listed.map((r): [string, Request] => ['list', r]), ...events.map((e): [string, Request] => ['watch', e.request!])];
    for (const [how, r] of rows) {
      expect(r.typed, `${role} ${how}`).toBeUndefined();
      expect(r.payload).toHaveLength(0);
    }
    const json = JSON.stringify([listed, events]);
    for (const [kind, s] of sent) {
      for (const text of protectedTexts([...requestFields(s.request), ...responseFields(s.response)])) {
        expect(json, `${role} ${kind} list/watch: "${text}"`).not.toContain(text);
      }
      const entries = (await audited(s.id)).filter((e) => e.roles === role);
      const classes = content(role) ? 'sensitive,metadata' : 'metadata';
      expect(
        entries.filter((e) => e.action === 'list_requests').map((e) => e.fields),
        `${role} ${kind} list`,
      ).toEqual([classes]);
      const watchedHere = events.filter((e) => e.request!.id === s.id).length;
      expect(
        entries.filter((e) => e.action === 'watch_requests').map((e) => e.fields),
        `${role} ${kind} watch`,
      ).toEqual(Array(watchedHere).fill(classes));
    }
  });

  it('keeps the audit chain intact through all these reads', async () => {
    const res = await new Promise<{ chainIntact: boolean; total: number }>((ok, ko) =>
      auditor.node.listAudit({ requestId: '', pageSize: 1, beforeSeq: 0 }, auditor.metadata, (e, r) => (e ? ko(e) : ok(r))),
    );
    expect(res.chainIntact).toBe(true);
    expect(res.total).toBeGreaterThan(READERS.length * REQUEST_TYPE_CODES.length);
  });
});
