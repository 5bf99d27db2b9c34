import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../cli/main.js';
import type { CliIo } from '../keys/cli-io.js';
import { currentKeySet, describeNode, loadAnchor, loadNodeKeys, signDescriptor, type NodeKeyring } from '../keys/index.js';
import { nodePaths, type NationalNode } from '../services/index.js';
import { GENESIS_PREV, signRecord, type RecordPayload } from '../services/registry/index.js';
import { NETWORK_USER, registryBucket, registryLogKey, registryNodeKey } from '../services/transport/index.js';
import { contactOf, directoryFor, type Directory } from './_registry.js';
import { eventually, Federation, GRPC, NETWORK, PASSPHRASE, rejectionOf } from './_util.js';

const COUNTRIES = ['AR', 'UY', 'BR'];

async function cli(argv: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const io: CliIo = { out: (l) => void out.push(l), err: (l) => void out.push(l), env: {}, cwd: process.cwd() };
  const code = await main(argv, io);
  return { code, out: out.join('\n') };
}

describe('registry trust: what is rejected at every node and never shown', () => {
  let fed: Federation;
  const nodes: Record<string, NationalNode> = {};
  const dir: Record<string, Directory> = {};
  let nc: NatsConnection;
  let kv: KV;
  const rings: Record<string, NodeKeyring> = {};

  /** A record of `country`'s log at `seq`, signed by `signer`'s node key. */
  async function record(signer: string, country: string, seq: number, prev: string, changes: RecordPayload['changes']): Promise<string> {
    const key = currentKeySet(rings[signer]!).signing;
    return signRecord({ v: 1, networkId: NETWORK, country, seq, prev, at: Date.now(), by: 'intruder', changes }, { kid: key.kid, privateKey: key.privateKey });
  }

  async function headOf(country: string): Promise<{ seq: number; hash: string }> {
    const seq = nodes[country]!.registry.headSeq(country);
    if (seq === 0) return { seq, hash: GENESIS_PREV };
    return { seq, hash: (await dir[country]!.history({ country, pageSize: 1 })).records[0]!.hash };
  }

  async function rejectedEverywhere(key: string, code: string): Promise<void> {
    for (const c of COUNTRIES) {
      await eventually(async () => ((await dir[c]!.listRejected()).records.some((r) => r.key === key && r.code === code) ? true : undefined), 5_000, `${key} rejected with ${code} at ${c}`);
    }
  }

  const brEntry = (over: Parameters<typeof contactOf>[2] = {}) => contactOf('BR', 'pf-trafico', { timeZone: 'America/Sao_Paulo', languages: ['pt', 'es'], ...over });

  beforeAll(async () => {
    fed = await Federation.create(COUNTRIES);
    for (const c of COUNTRIES) nodes[c] = await fed.startNode(c);
    await Promise.all(Object.values(nodes).map((n) => n.registry.ready()));
    for (const c of COUNTRIES) {
      dir[c] = await directoryFor(nodes[c]!);
      rings[c] = await loadNodeKeys(nodePaths(fed.config(c)).nodeKeys, PASSPHRASE);
    }
    // The network account holds the bucket: writing as it is the broker's operator tampering.
    nc = await fed.connectAs(NETWORK_USER);
    kv = await new Kvm(nc).open(registryBucket(NETWORK));
    await dir.BR!.upsert(brEntry());
    for (const c of ['AR', 'UY'])
      await eventually(
        () =>
          dir[c]!.get('BR', 'pf-trafico').then(
            (r) => r.entry,
            () => undefined,
          ),
        2_000,
        `BR entry at ${c}`,
      );
  });

  afterAll(async () => {
    for (const d of Object.values(dir)) d.close();
    await nc?.close();
    await fed?.destroy();
  });

  it('an entry for BR signed by AR is rejected everywhere; BR keeps writing after it', async () => {
    const head = await headOf('BR');
    const forged = await record('AR', 'BR', head.seq + 1, head.hash, [
      { op: 'upsert', type: 'contact', id: 'desvio', version: 1, entry: { ...nodes.BR!.registry.contact('BR', 'pf-trafico')!.data, id: 'desvio', email: 'inbox@attacker.example' } },
    ]);
    const key = registryLogKey('BR', head.seq + 1);
    await kv.create(key, forged);
    await rejectedEverywhere(key, 'ERR_REGISTRY_WRONG_COUNTRY');
    for (const c of COUNTRIES) {
      await expect(dir[c]!.get('BR', 'desvio')).rejects.toMatchObject({ code: GRPC.NOT_FOUND });
      expect((await dir[c]!.search({ text: 'attacker' })).total).toBe(0);
    }
    await dir.BR!.upsert(brEntry({ person: 'Segunda Versão' }));
    for (const c of ['AR', 'UY']) {
      await eventually(() => dir[c]!.get('BR', 'pf-trafico').then((r) => (r.entry!.contact!.person === 'Segunda Versão' ? r : undefined)), 2_000, `BR's change at ${c}`);
    }
    expect(nodes.AR!.registry.headSeq('BR')).toBe(head.seq + 1);
  });

  it('a tampered record and an older version are rejected everywhere and change nothing', async () => {
    const head = await headOf('BR');
    const genuine = (await kv.get(registryLogKey('BR', head.seq)))!.string();
    const [h, p, s] = genuine.split('.');
    const altered = Buffer.from(Buffer.from(p!, 'base64url').toString().replace('pf-trafico@fiscalia-br.example', 'pf-trafico@attacker.example')).toString('base64url');
    await kv.put(registryLogKey('BR', head.seq), `${h}.${altered}.${s}`);
    await rejectedEverywhere(registryLogKey('BR', head.seq), 'ERR_REGISTRY_SIGNATURE');

    const current = (await dir.AR!.get('BR', 'pf-trafico')).entry!;
    const stale = await record('BR', 'BR', head.seq + 1, head.hash, [
      { op: 'upsert', type: 'contact', id: 'pf-trafico', version: current.version - 1, entry: { ...nodes.BR!.registry.contact('BR', 'pf-trafico')!.data, person: 'Versão Antiga' } },
    ]);
    await kv.create(registryLogKey('BR', head.seq + 1), stale);
    await rejectedEverywhere(registryLogKey('BR', head.seq + 1), 'ERR_REGISTRY_STALE');
    for (const c of COUNTRIES) {
      const e = (await dir[c]!.get('BR', 'pf-trafico')).entry!;
      expect(e.contact!.email).toBe('pf-trafico@fiscalia-br.example');
      expect(e.version).toBe(current.version);
    }
  });

  it('enlace registry verify passes on an intact node and names one altered record', async () => {
    await eventually(() => (nodes.UY!.registry.headSeq('BR') === nodes.BR!.registry.headSeq('BR') ? true : undefined), 5_000, 'UY up to date');
    const data = fed.layout.dataDir('UY');
    const args = ['registry', 'verify', '--data', data, '--trust', fed.layout.trustDir];
    const intact = await cli(args);
    expect(intact.out).toContain('registry verified');
    expect(intact.code).toBe(0);
    await fed.stopNode('UY');
    delete nodes.UY;

    const db = new Database(join(data, 'node.db'));
    try {
      const row = db.prepare("SELECT jws FROM registry_log WHERE country = 'BR' AND seq = 1").get() as { jws: string };
      const [h, p, s] = row.jws.split('.');
      const altered = Buffer.from(Buffer.from(p!, 'base64url').toString().replace('Ana Prueba', 'Otra Persona')).toString('base64url');
      db.prepare("UPDATE registry_log SET jws = ? WHERE country = 'BR' AND seq = 1").run(`${h}.${altered}.${s}`);
      const tampered = await cli(args);
      expect(tampered.code).toBe(1);
      expect(tampered.out).toMatch(/FAIL\s+BR record 1\s+ERR_REGISTRY_SIGNATURE/);
      expect(tampered.out).toContain('registry NOT verified');

      db.prepare("UPDATE registry_log SET jws = ? WHERE country = 'BR' AND seq = 1").run(row.jws);
      expect((await cli(args)).code).toBe(0);
      db.prepare("UPDATE registry_entries SET data = replace(data, 'fiscalia-br.example', 'attacker.example') WHERE country = 'BR'").run();
      const cache = await cli(args);
      expect(cache.code).toBe(1);
      expect(cache.out).toContain('cached contact pf-trafico differs from what the log says');
    } finally {
      db.close();
    }
  });

  it('a revoked node: its entries are no longer shown and its new records are rejected', async () => {
    const anchor = await loadAnchor(fed.layout.anchorKey, PASSPHRASE);
    const serial = nodes.AR!.deps.trust.descriptor('BR')!.serial + 1;
    const revoked = await signDescriptor(describeNode(NETWORK, rings.BR!, { now: Date.now(), validDays: 365, serial, status: 'revoked' }), anchor);
    await kv.put(registryNodeKey('BR'), revoked);
    await eventually(() => (nodes.AR!.deps.trust.descriptor('BR')?.status === 'revoked' ? true : undefined), 5_000, 'revocation at AR');
    expect((await dir.AR!.search({ country: 'BR' })).total).toBe(0);
    expect((await dir.AR!.get('BR', 'pf-trafico')).entry!.active).toBe(false);
    const head = await headOf('BR');
    const after = await record('BR', 'BR', head.seq + 1, head.hash, [{ op: 'retire', type: 'contact', id: 'pf-trafico', version: 99, reason: 'x' }]);
    await kv.put(registryLogKey('BR', head.seq + 1), after);
    await eventually(async () => ((await dir.AR!.listRejected()).records.some((r) => r.code === 'ERR_REGISTRY_REVOKED') ? true : undefined), 5_000, 'revoked signer rejected at AR');
    const stale = await rejectionOf(dir.AR!.resolve('BR', 'spontaneous_information'));
    expect(stale.code).toBe(GRPC.NOT_FOUND);
  });
});
