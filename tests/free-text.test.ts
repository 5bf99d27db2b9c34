/**
 * Free text is case content (issue 11 item 2): subjects and step notes encrypted at rest
 * under the case key, withheld from roles without content access (a neutral line instead,
 * over gRPC and in the gateway), searched only for content roles, erased with the case; a
 * subject or note naming a person of its own request is refused.
 */
import { readFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { RequestStatus, type EraseCaseRequest, type EraseCaseResponse } from '../generated/enlace/v1/exchange.js';
import { principalOf } from '../gateway/context.js';
import { submit } from '../gateway/app/requests.js';
import { errorText } from '../gateway/web.js';
import type { NationalNode } from '../services/index.js';
import { completeRequest } from '../services/requests/testkit.js';
import { demoUsers, HttpSession } from './_browser.js';
import { step, transition, untilArrived } from './_requests.js';
import { withFederation } from './_setup.js';
import { eventually, GRPC, rejectionOf, submitRequestOf, type Clients } from './_util.js';

const SURNAME = 'Zubiría';
const PROBE = 'Zubir';
const SUBJECT = `Whereabouts of ${SURNAME}, last seen in Rivera`;
const NOTE = `Send the birth certificate of ${SURNAME} and her mother`;

const erase = (c: Clients, req: EraseCaseRequest) => new Promise<EraseCaseResponse>((res, rej) => c.exchange.eraseCase(req, c.metadata, (e, r) => (e ? rej(e) : res(r))));

/** Where the probe appears in clear in a node's database: every text and blob cell of the tables with free text, and the files. */
async function clearCopies(node: NationalNode): Promise<string[]> {
  const file = node.deps.store.db.name;
  const db = new Database(file, { readonly: true });
  const found: string[] = [];
  try {
    for (const table of ['requests', 'transitions', 'timeline', 'held_steps', 'audit_log']) {
      for (const row of db.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[]) {
        for (const [column, v] of Object.entries(row)) {
          const text = v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : String(v);
          if (text.includes(PROBE)) found.push(`${table}.${column}`);
        }
      }
    }
  } finally {
    db.close();
  }
  for (const f of [file, `${file}-wal`]) {
    const bytes = await readFile(f).catch(() => Buffer.alloc(0));
    if (bytes.includes(Buffer.from(PROBE))) found.push(f);
  }
  return found;
}

describe('free text is case content', () => {
  const { nodes, api, gw } = withFederation(['AR', 'UY'], {
    transport: true,
    api: { arFocal: ['AR', 'focal_point'], uyFocal: ['UY', 'focal_point'], uyAuditor: ['UY', 'auditor'] },
    gateways: ['UY'],
    timeoutMs: 90_000,
  });
  let id: string;

  beforeAll(async () => {
    const sent = await api.arFocal.submit(submitRequestOf({ subject: SUBJECT, senderReference: 'FT-2026-7' }));
    id = sent.request!.id;
    await untilArrived(api.uyFocal, id, 20_000, 'arrival at UY');
    await transition(api.uyFocal, step(id, 'request_information', { note: NOTE }));
    await eventually(async () => ((await api.arFocal.get(id)).request!.status === RequestStatus.REQUEST_STATUS_INFORMATION_REQUESTED ? true : undefined), 20_000, 'the step at AR');
  }, 90_000);

  it('keeps the subject and the note encrypted at rest at both nodes, the timeline without them', async () => {
    expect(await clearCopies(nodes.AR)).toEqual([]);
    expect(await clearCopies(nodes.UY)).toEqual([]);
    for (const c of [api.arFocal, api.uyFocal]) {
      const got = await c.get(id);
      expect(got.timeline.filter((e) => e.detail.includes(PROBE))).toEqual([]);
      expect(got.timeline.some((e) => e.detail === 'UY: request information')).toBe(true);
    }
  });

  it('shows them to a focal point and withholds them from an auditor over gRPC, in lists and in the request', async () => {
    const focal = await api.uyFocal.get(id);
    expect(focal.request!.subject).toBe(SUBJECT);
    expect(focal.steps.map((s) => s.note)).toContain(NOTE);
    const audited = await api.uyAuditor.get(id);
    expect(audited.request!.subject).toBe('');
    expect(audited.request!.senderReference).toBe('FT-2026-7');
    expect(audited.steps.map((s) => s.note)).toEqual(audited.steps.map(() => ''));
    expect(JSON.stringify(audited)).not.toContain(PROBE);
    const listed = await api.uyAuditor.list({});
    expect(listed.requests.find((r) => r.id === id)!.subject).toBe('');
  });

  it('searches subjects by surname (case and accents aside) for a focal point, metadata only for an auditor', async () => {
    for (const text of ['zubiria', SURNAME, 'ZUBIRÍA rivera']) {
      const found = await api.uyFocal.list({ text });
      expect(
        found.requests.map((r) => r.id),
        text,
      ).toEqual([id]);
      expect(found.totalCount).toBe(1);
    }
    expect((await api.uyAuditor.list({ text: 'zubiria' })).totalCount).toBe(0);
    expect((await api.uyAuditor.list({ text: SURNAME })).requests).toEqual([]);
    expect((await api.uyAuditor.list({ text: 'ft-2026-7' })).requests.map((r) => r.id)).toEqual([id]);
  });

  it('shows an auditor of the gateway a neutral line in their language, on the list, the page and the JSON API', async () => {
    const u = demoUsers('UY').find((x) => x.roles.includes('auditor'))!;
    const s = new HttpSession(gw.UY.url);
    expect((await s.login(u.username, u.password)).status).toBe(303);
    await s.get('/lang/es?next=/');
    const inbox = await (await s.get('/inbox')).text();
    expect(inbox).not.toContain(PROBE);
    expect(inbox).toContain('ref. FT-2026-7');
    const page = await (await s.get(`/requests/${id}`)).text();
    expect(page).not.toContain(PROBE);
    expect(page).toContain('ref. FT-2026-7');
    expect(page).toContain('Verificación de nacionalidad');
    const api = (await (await s.get(`/api/v1/requests/${id}`)).json()) as { request: { subject: string; subjectWithheld: boolean } };
    expect(api.request.subjectWithheld).toBe(true);
    expect(api.request.subject).toMatch(/^Verificación de nacionalidad .* · de Argentina · ref\. FT-2026-7 · /);
    const focal = demoUsers('UY').find((x) => x.roles.includes('focal_point'))!;
    const f = new HttpSession(gw.UY.url);
    expect((await f.login(focal.username, focal.password)).status).toBe(303);
    expect(await (await f.get(`/requests/${id}`)).text()).toContain(SURNAME);
  });

  it('refuses a subject or a note that names a person of the request, over gRPC and in the gateway in Spanish', async () => {
    const typed = completeRequest('extradition');
    for (const subject of ['Extradition of Carlos Rodríguez', 'Extradición de RODRIGUEZ', 'Passport AAB 123456']) {
      const r = await rejectionOf(api.arFocal.submit(submitRequestOf({ kind: 'extradition', subject, typed, payload: new Uint8Array(), payloadType: '' })));
      expect([r.code, r.enlaceCode], subject).toEqual([GRPC.INVALID_ARGUMENT, 'ERR_INVALID_ARGUMENT']);
      expect(r.details).toMatch(/^subject .*visible in lists/);
    }
    const ok = await api.arFocal.submit(submitRequestOf({ kind: 'extradition', subject: 'Extradition of a trafficking suspect', typed, payload: new Uint8Array(), payloadType: '' }));
    const extradition = ok.request!.id;
    const note = await rejectionOf(transition(api.arFocal, step(extradition, 'withdraw', { note: 'Carlos Rodríguez was found dead' })));
    expect(note.code).toBe(GRPC.INVALID_ARGUMENT);
    expect(note.details).toMatch(/^note /);

    const focal = gw.UY.ctx.users.byUsername(demoUsers('UY').find((x) => x.roles.includes('focal_point'))!.username)!;
    const refused = await submit(gw.UY.ctx, principalOf(focal), { toCountry: 'AR', kind: 'extradition', subject: 'Extradición de Carlos Rodríguez', typed }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    expect(errorText('es', refused)).toMatch(/^Los asuntos se ven en las listas .*no deben nombrar a la persona/);
    expect(errorText('en', refused)).toMatch(/^Subjects are visible in lists/);
  });

  it('erases the subject and the notes with the case: unreadable by anyone, nowhere in the database', async () => {
    await erase(api.uyFocal, { requestId: id, reason: 'victim asked for erasure' });
    const got = await api.uyFocal.get(id);
    expect(got.request!.erased).toBe(true);
    expect(got.request!.subject).toBe('');
    expect(got.steps.map((s) => s.note)).toEqual(got.steps.map(() => ''));
    expect(JSON.stringify(got)).not.toContain(PROBE);
    expect(await clearCopies(nodes.UY)).toEqual([]);
  });
});
