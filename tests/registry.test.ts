import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDirectoryCommand } from '../cli/directory.js';
import { mintToken } from '../services/auth/index.js';
import { loadDemoDirectory, type NationalNode } from '../services/index.js';
import { contactOf, directoryFor, type Directory } from './_registry.js';
import { clientsFor, eventually, Federation, GRPC, rejectionOf, submitRequestOf, type Clients } from './_util.js';

describe('registry of contact points across AR, UY and BR', () => {
  let fed: Federation;
  const nodes: Record<string, NationalNode> = {};
  const admin: Record<string, Directory> = {};
  let reader: Directory;
  let focal: Directory;
  let exchange: Clients;

  beforeAll(async () => {
    fed = await Federation.create(['AR', 'UY', 'BR']);
    for (const c of ['AR', 'UY', 'BR']) nodes[c] = await fed.startNode(c);
    await Promise.all(Object.values(nodes).map((n) => n.registry.ready()));
    for (const c of ['AR', 'UY', 'BR']) admin[c] = await directoryFor(nodes[c]!);
    reader = await directoryFor(nodes.AR!, ['focal_point'], 'focal');
    focal = reader;
    exchange = await clientsFor(nodes.AR!, ['focal_point']);
    await loadDemoDirectory(nodes.UY!.registry);
  });

  afterAll(async () => {
    for (const d of Object.values(admin)) d.close();
    reader?.close();
    exchange?.close();
    await fed?.destroy();
  });

  it('a change made at AR is visible at UY and BR within 2 seconds', async () => {
    const res = await admin.AR!.upsert(contactOf('AR', 'fiscalia-trata', { timeZone: 'America/Argentina/Buenos_Aires' }));
    expect(res.entry!.version).toBe(1);
    expect(res.entry!.address).toBe('AR/fiscalia-trata');
    for (const c of ['UY', 'BR']) {
      const got = await eventually(
        () =>
          admin[c]!.get('AR', 'fiscalia-trata').then(
            (r) => r.entry,
            () => undefined,
          ),
        2_000,
        `AR's entry at ${c}`,
      );
      expect(got.contact!.email).toBe('fiscalia-trata@fiscalia-ar.example');
      expect(got.updatedBy).toBe('test-admin');
    }
    await admin.AR!.upsert(contactOf('AR', 'fiscalia-trata', { timeZone: 'America/Argentina/Buenos_Aires', person: 'Ana Cambiada' }));
    for (const c of ['UY', 'BR']) {
      await eventually(() => admin[c]!.get('AR', 'fiscalia-trata').then((r) => (r.entry!.contact!.person === 'Ana Cambiada' ? r : undefined)), 2_000, `the change at ${c}`);
    }
    const history = await admin.BR!.history({ country: 'AR', id: 'fiscalia-trata' });
    expect(history.records.map((r) => r.changes[0]!.version)).toEqual([2, 1]);
    expect(history.records[0]!.prevHash).toBe(history.records[1]!.hash);
  });

  it("only a directory admin of the node's own country may write", async () => {
    const byFocal = await rejectionOf(focal.upsert(contactOf('AR', 'no-permission')));
    expect(byFocal.code).toBe(GRPC.PERMISSION_DENIED);
    const otherCountry = await rejectionOf(admin.AR!.upsert(contactOf('UY', 'not-ours')));
    expect(otherCountry.code).toBe(GRPC.PERMISSION_DENIED);
    const retireOther = await rejectionOf(admin.AR!.retire({ country: 'UY', id: 'dnic' }));
    expect(retireOther.code).toBe(GRPC.PERMISSION_DENIED);
  });

  it('rejects invalid fields with INVALID_ARGUMENT naming the field', async () => {
    const cases: [Partial<Parameters<typeof contactOf>[2]>, string][] = [
      [{ email: 'fiscalia at example' }, 'contact.email'],
      [{ phone: '011 4555-1234' }, 'contact.phone'],
      [{ languages: ['es', 'spanish'] }, 'contact.languages[1]'],
      [{ themes: ['trafficking'] }, 'contact.themes[0]'],
      [{ timeZone: 'America/Nowhere' }, 'contact.time_zone'],
      [{ validUntil: '2025-13-01' }, 'contact.valid_until'],
    ];
    for (const [over, field] of cases) {
      const r = await rejectionOf(admin.AR!.upsert(contactOf('AR', 'invalid-one', over)));
      expect(r.code, field).toBe(GRPC.INVALID_ARGUMENT);
      expect(r.details.startsWith(`${field} `), r.details).toBe(true);
    }
    await expect(admin.AR!.get('AR', 'invalid-one')).rejects.toMatchObject({ code: GRPC.NOT_FOUND });
  });

  it('imports a CSV all or nothing: one bad line changes nothing and is reported', async () => {
    const before = nodes.AR!.registry.headSeq('AR');
    const header = 'id,authority_es,themes,languages,email,phone,time_zone,office_hours';
    const good = (id: string) => `${id},Ministerio de Prueba,migration,es|en,${id}@prueba-ar.example,+54 11 5555 7777,America/Argentina/Buenos_Aires,mon-fri 09:00-17:00`;
    const csv = [header, good('csv-uno'), good('csv-dos'), 'csv-tres,Ministerio de Prueba,migration,es,csv-tres@prueba-ar.example,+54 11 5555 7777,America/Atlantis,', good('csv-cuatro')].join('\n');
    const report = await admin.AR!.import({ format: 'csv', content: new TextEncoder().encode(csv) });
    expect(report.applied).toBe(false);
    expect(report.problems).toEqual([{ line: 4, field: 'time_zone', message: expect.stringContaining('IANA'), rule: 'time_zone', params: {} }]);
    expect(nodes.AR!.registry.headSeq('AR')).toBe(before);
    await expect(admin.AR!.get('AR', 'csv-uno')).rejects.toMatchObject({ code: GRPC.NOT_FOUND });

    const fixed = csv.replace('America/Atlantis', 'America/Argentina/Cordoba');
    const ok = await admin.AR!.import({ format: 'csv', content: new TextEncoder().encode(fixed) });
    expect(ok).toMatchObject({ applied: true, problems: [], created: 4 });
    expect(nodes.AR!.registry.headSeq('AR')).toBe(before + 1);
    const exported = new TextDecoder().decode((await admin.AR!.export({ format: 'csv' })).content);
    expect(exported).toContain('csv-tres@prueba-ar.example');
    const again = await admin.AR!.import({ format: 'csv', content: new TextEncoder().encode(exported) });
    expect(again).toMatchObject({ applied: false, problems: [], unchanged: 5 });
    await admin.AR!.upsert(
      contactOf('AR', 'orden', {
        timeZone: 'America/Argentina/Salta',
        authority: [
          { lang: 'pt', text: 'Ministério' },
          { lang: 'es', text: 'Ministerio' },
        ],
      }),
    );
    for (const format of ['csv', 'json']) {
      const content = (await admin.AR!.export({ format })).content;
      expect(await admin.AR!.import({ format, content }), format).toMatchObject({ applied: false, problems: [], unchanged: 6 });
    }
  });

  it('resolves the competent point: explicit request type first, then theme; follows retirements', async () => {
    await eventually(() => (nodes.AR!.registry.headSeq('UY') > 0 ? true : undefined), 5_000, 'UY demo directory at AR');
    const r = await reader.resolve('UY', 'nationality_verification');
    expect(r.address).toBe('UY/dnic');
    expect(r.candidates.map((c) => c.contact!.id)).toEqual(['dnic', 'migracion']);
    expect((await reader.resolve('UY', 'extradition')).address).toBe('UY/autoridad-central');
    expect((await reader.resolve('UY', 'consular_notification')).address).toBe('UY/consular');
    expect((await reader.resolve('UY', '', 'child_protection')).address).toBe('UY/inau');

    const search = await reader.search({ text: 'identificacion civil', country: 'UY' });
    expect(search.hits[0]!.entry!.address).toBe('UY/dnic');
    const french = await reader.search({ language: 'fr', theme: 'consular_assistance' });
    expect(french.hits.map((h) => h.entry!.address)).toContain('UY/consular');

    await admin.UY!.retire({ country: 'UY', id: 'dnic', reason: 'moved' });
    const after = await eventually(() => reader.resolve('UY', 'nationality_verification').then((x) => (x.address === 'UY/migracion' ? x : undefined)), 2_000, 'resolution after retirement');
    expect(after.candidates).toHaveLength(1);
    const none = await rejectionOf(reader.resolve('BR', 'nationality_verification'));
    expect(none).toMatchObject({ code: GRPC.NOT_FOUND, enlaceCode: 'ERR_REGISTRY_UNRESOLVED' });
    await admin.UY!.upsert({ ...(await admin.UY!.get('UY', 'dnic')).entry!.contact! });
    await eventually(() => reader.resolve('UY', 'nationality_verification').then((x) => (x.address === 'UY/dnic' ? x : undefined)), 2_000, 'dnic back');
  });

  it('SubmitRequest without an authority goes to the resolved contact point', async () => {
    const res = await exchange.submit(submitRequestOf({ toCountry: 'UY', kind: 'nationality_verification' }));
    expect(res.request!.to).toBe('UY/dnic');
  });

  it("publishes each country's practical information and the theme labels in four languages", async () => {
    const uy = await reader.getCountry('UY');
    expect(uy.profile!.calendar!.timeZone).toBe('America/Montevideo');
    expect(uy.profile!.calendar!.holidays.map((h) => h.date)).toContain('2026-08-25');
    expect(uy.profile!.serviceLevels.find((l) => l.requestKind === 'nationality_verification')!.workingDays).toBe(10);
    const bad = await rejectionOf(admin.UY!.upsertCountry({ ...uy.profile!, calendar: { ...uy.profile!.calendar!, timeZone: 'Montevideo' } }));
    expect(bad.code).toBe(GRPC.INVALID_ARGUMENT);
    expect(bad.details).toMatch(/^profile\.calendar\.time_zone /);
    const changed = await admin.UY!.upsertCountry({ ...uy.profile!, notes: 'Actualizado' });
    expect(changed.version).toBe(uy.version + 1);
    await eventually(() => reader.getCountry('UY').then((r) => (r.profile!.notes === 'Actualizado' ? r : undefined)), 2_000, 'the new profile at AR');
    expect((await rejectionOf(admin.AR!.upsertCountry({ ...uy.profile! }))).code).toBe(GRPC.PERMISSION_DENIED);
    const fr = await reader.listThemes('fr');
    expect(fr.themes).toHaveLength(14);
    expect(fr.themes.find((t) => t.code === 'victim_identification')!.label).toBe('Identification des victimes (nationalité et résidence)');
    expect(fr.themes.find((t) => t.code === 'victim_identification')!.labels.map((l) => l.lang)).toEqual(['es', 'en', 'fr', 'pt']);
  });

  it('lists every node with its descriptor and directory log head', async () => {
    const { nodes: list } = await reader.listNodes();
    expect(list.map((n) => n.country)).toEqual(['AR', 'BR', 'UY']);
    for (const n of list) expect(n.status).toBe('active');
    expect(list.find((n) => n.country === 'UY')!.contactPoints).toBe(12);
    expect(list.find((n) => n.country === 'AR')!.thisNode).toBe(true);
  });

  it('answers `enlace directory` over TLS with --grpc, --token and --ca, and refuses an untrusted or plaintext connection', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'enlace-cli-dir-'));
    const token = await mintToken(nodes.AR!.issuer, { subject: 'cli-admin', roles: ['directory_admin'] }, 300, Date.now());
    const run = async (...argv: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const io = { out: (l: string) => void out.push(l), err: (l: string) => void err.push(l), env: { ENLACE_TOKEN: token }, cwd: dir };
      const code = await runDirectoryCommand([...argv, '--grpc', nodes.AR!.grpcAddress], io).catch((e: Error) => `${e.name}: ${e.message}`);
      return { code, out: out.join('\n'), err: err.join('\n') };
    };
    const withCa = ['--ca', fed.pki.caCert];
    const nodesRun = await run('nodes', ...withCa);
    expect(nodesRun.code).toBe(0);
    expect(nodesRun.out).toMatch(/^AR\* active/m);
    expect(nodesRun.out).toMatch(/^UY {2}active/m);
    const header = 'id,authority_es,themes,languages,email,phone,time_zone,office_hours';
    const row = (id: string, tz: string) => `${id},Ministerio de Prueba,migration,es,${id}@prueba-ar.example,+54 11 5555 7777,${tz},`;
    await writeFile(join(dir, 'bad.csv'), [header, row('cli-uno', 'America/Atlantis'), row('cli-dos', 'Mars/Base')].join('\n'));
    const bad = await run('import', '--file', 'bad.csv', ...withCa);
    expect(bad.code).toBe(1);
    expect(bad.err.split('\n')).toEqual([expect.stringMatching(/bad\.csv:2: time_zone: /), expect.stringMatching(/bad\.csv:3: time_zone: /), 'nothing imported: 2 problem(s)']);
    await writeFile(join(dir, 'good.csv'), [header, row('cli-uno', 'America/Argentina/Cordoba')].join('\n'));
    expect(await run('import', '--file', 'good.csv', '--dry-run', ...withCa)).toMatchObject({ code: 0, out: expect.stringMatching(/^would import: 1 new/) });
    expect((await run('search', '--country', 'UY', ...withCa)).out).toMatch(/^12 contact point\(s\)$/m);
    // No CA: the demo certificate is not one the system trusts. Plaintext: the node speaks TLS only.
    expect((await run('nodes')).code).toMatch(/does not answer/);
    expect((await run('nodes', '--plaintext')).code).toMatch(/does not answer/);
    expect((await run('nodes', '--plaintext', ...withCa)).code).toMatch(/exclude each other/);
    await rm(dir, { recursive: true, force: true });
  });
});
