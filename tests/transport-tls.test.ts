/**
 * TLS on every hop: the broker takes only TLS clients that verify it against the network CA;
 * a node serves gRPC over TLS, requires client certificates when configured, and runs in
 * plaintext only when that is set explicitly, with a warning in its log.
 */
import { credentials } from '@grpc/grpc-js';
import { connect } from '@nats-io/transport-node';
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnlaceError } from '../keys/index.js';
import { envToCfg, NationalNode } from '../services/index.js';
import { ensureDemoPki, type DemoPki } from '../scripts/lib/demo-pki.js';
import { clientsForIssuer, Federation, PASSPHRASE, tempDir, type Clients } from './_util.js';

const UNAVAILABLE = 14;

function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof EnlaceError) return e.code;
    throw e;
  }
  return 'none';
}

describe('TLS configuration of a node', () => {
  const base = { ENLACE_COUNTRY: 'AR', ENLACE_NATS_CA: '/ca.crt', ENLACE_GRPC_TLS_CERT: '/g.crt', ENLACE_GRPC_TLS_KEY: '/g.key' };

  it('takes TLS, or plaintext only when asked for explicitly, and refuses what contradicts itself', () => {
    const cfg = envToCfg(base, '/');
    expect(cfg.nats.tls).toEqual({ caFile: '/ca.crt' });
    expect(cfg.grpc.tls).toEqual({ certFile: '/g.crt', keyFile: '/g.key' });
    expect(envToCfg({ ...base, ENLACE_GRPC_CLIENT_CA: '/clients.crt' }, '/').grpc.tls?.clientCaFile).toBe('/clients.crt');
    expect(configError(() => envToCfg({ ENLACE_COUNTRY: 'AR', ENLACE_GRPC_PLAINTEXT: '1' }, '/'))).toBe('ERR_CONFIG');
    expect(configError(() => envToCfg({ ENLACE_COUNTRY: 'AR', ENLACE_NATS_PLAINTEXT: '1' }, '/'))).toBe('ERR_CONFIG');
    expect(envToCfg({ ENLACE_COUNTRY: 'AR', ENLACE_NATS_PLAINTEXT: '1', ENLACE_GRPC_PLAINTEXT: '1' }, '/').nats.plaintext).toBe(true);
    expect(configError(() => envToCfg({ ...base, ENLACE_NATS_PLAINTEXT: '1' }, '/'))).toBe('ERR_CONFIG');
    expect(configError(() => envToCfg({ ...base, ENLACE_NATS_CERT: '/c.crt' }, '/'))).toBe('ERR_CONFIG');
    expect(configError(() => envToCfg({ ...base, ENLACE_GRPC_PLAINTEXT: '1' }, '/'))).toBe('ERR_CONFIG');
    expect(configError(() => envToCfg({ ...base, ENLACE_GRPC_LOOPBACK_LISTEN: '0.0.0.0:50061' }, '/'))).toBe('ERR_CONFIG');
    expect(envToCfg({ ...base, ENLACE_GRPC_LOOPBACK_LISTEN: '127.0.0.1:50061' }, '/').grpc.loopback).toEqual({ host: '127.0.0.1', port: 50061 });
  });
});

describe('TLS on the wire', () => {
  let fed: Federation;
  let clientPki: DemoPki;
  let dir: { path: string; cleanup: () => Promise<void> };
  const closers: Clients[] = [];

  beforeAll(async () => {
    fed = await Federation.create(['AR', 'UY']);
    dir = await tempDir('enlace-clients-');
    clientPki = await ensureDemoPki(dir.path, ['AR']);
  });

  afterAll(async () => {
    for (const c of closers) c.close();
    await fed?.destroy();
    await dir?.cleanup();
  });

  it('the broker refuses a plaintext client and a client that does not know the network CA', async () => {
    await expect(connect({ servers: fed.nats.url, user: 'AR', pass: fed.password('AR'), reconnect: false, timeout: 3_000 })).rejects.toThrow();
    await expect(connect({ servers: fed.nats.url, user: 'AR', pass: fed.password('AR'), reconnect: false, timeout: 3_000, tls: { caFile: clientPki.caCert } })).rejects.toThrow();
    const nc = await fed.connectAs('AR');
    await nc.close();
  });

  it('a node serves gRPC over TLS only, requires a client certificate of its CA when configured, and warns when plaintext is set', async () => {
    const node = await fed.startNode('AR');
    const ok = await clientsForIssuer(node.issuer, node.grpcAddress);
    closers.push(ok);
    expect((await ok.info()).country).toBe('AR');
    const plain = await clientsForIssuer(node.issuer, node.grpcAddress, ['operator'], Date.now(), credentials.createInsecure());
    closers.push(plain);
    await expect(plain.info()).rejects.toMatchObject({ code: UNAVAILABLE });
    await fed.stopNode('AR');

    // Client certificates required: signed by the case systems' CA (here a second demo CA).
    const cfg = fed.config('AR');
    cfg.grpc.tls = { ...cfg.grpc.tls!, clientCaFile: clientPki.caCert };
    const strict = await NationalNode.create(cfg, { passphrase: PASSPHRASE, natsPassword: fed.password('AR') }, { logger: pino({ level: 'silent' }) });
    await strict.start();
    try {
      const ca = readFileSync(fed.pki.caCert);
      const withCert = await clientsForIssuer(
        strict.issuer,
        strict.grpcAddress,
        ['operator'],
        Date.now(),
        credentials.createSsl(ca, readFileSync(clientPki.clientKey('AR')), readFileSync(clientPki.clientCert('AR'))),
      );
      const without = await clientsForIssuer(strict.issuer, strict.grpcAddress, ['operator'], Date.now(), credentials.createSsl(ca));
      closers.push(withCert, without);
      expect((await withCert.info()).country).toBe('AR');
      await expect(without.info()).rejects.toMatchObject({ code: UNAVAILABLE });
    } finally {
      await strict.destroy();
    }

    // Plaintext, set explicitly: it runs, and says so in its log.
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (l: string) => void lines.push(l) });
    const open = fed.config('AR');
    open.grpc = { host: '127.0.0.1', port: 0, plaintext: true };
    const loose = await NationalNode.create(open, { passphrase: PASSPHRASE, natsPassword: fed.password('AR') }, { logger });
    await loose.start();
    await loose.destroy();
    expect(lines.some((l) => /gRPC without TLS/.test(l))).toBe(true);

    // Neither TLS nor plaintext: refused.
    const none = fed.config('AR');
    none.grpc = { host: '127.0.0.1', port: 0 };
    await expect(NationalNode.create(none, { passphrase: PASSPHRASE }, { logger })).rejects.toMatchObject({ code: 'ERR_CONFIG' });
  });
});
