/**
 * docker-compose.yml and deploy/nats.conf cannot run here (no Docker engine); this checks
 * them by other means: the compose file's structure against the node's configuration, and
 * the NATS configuration with the real nats-server's own config test.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { NODE_ENV_VARIABLES } from '../services/index.js';
import { deployClusterConf, deployNatsConf, DEPLOY_TLS_DIR } from '../scripts/lib/deploy-nats-conf.js';
import { natsBinary, tempDir, testPki } from './_util.js';

const REPO = new URL('..', import.meta.url).pathname;

describe('deployment files', () => {
  it('docker-compose.yml runs one node per country with known settings, secrets from files and its own NATS user', async () => {
    const compose = parse(await readFile(join(REPO, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
      services: Record<string, { environment?: Record<string, string>; secrets?: string[]; build?: string; image?: string; ports?: string[] }>;
      secrets: Record<string, { file: string }>;
    };
    const nodes = Object.entries(compose.services).filter(([name]) => name.startsWith('node-'));
    expect(nodes.map(([n]) => n).sort()).toEqual(['node-ar', 'node-br', 'node-uy']);
    for (const [name, svc] of nodes) {
      const env = svc.environment!;
      const cc = name.slice(5).toUpperCase();
      for (const key of Object.keys(env)) expect(NODE_ENV_VARIABLES as readonly string[]).toContain(key);
      expect(env.ENLACE_COUNTRY).toBe(cc);
      expect(env.ENLACE_NATS_USER).toBe(cc);
      expect(env.ENLACE_KEY_PASSPHRASE).toBeUndefined();
      expect(svc.build).toBe('.');
      for (const secret of svc.secrets!) expect(compose.secrets[secret]).toBeDefined();
      expect(env.ENLACE_KEY_PASSPHRASE_FILE).toBe(`/run/secrets/key-passphrase-${cc}`);
      // TLS on every hop, never plaintext; R3 streams on the 3-server cluster.
      expect(env.ENLACE_NATS_CA).toBeTruthy();
      expect(env.ENLACE_GRPC_TLS_CERT).toBeTruthy();
      expect(env.ENLACE_GRPC_TLS_KEY).toBeTruthy();
      expect(env.ENLACE_NATS_PLAINTEXT).toBeUndefined();
      expect(env.ENLACE_GRPC_PLAINTEXT).toBeUndefined();
      expect(env.ENLACE_STREAM_REPLICAS).toBe('3');
      expect(env.ENLACE_NATS_URL!.split(',')).toHaveLength(3);
      for (const port of svc.ports ?? []) expect(port).toMatch(/^127\.0\.0\.1:/);
    }
    const servers = Object.entries(compose.services).filter(([name]) => name.startsWith('nats-'));
    expect(servers.map(([n]) => n)).toEqual(['nats-1', 'nats-2', 'nats-3']);
    for (const [name, svc] of servers) {
      // 2.12.7 or later (advisories fixed in 2.12.6 and 2.12.7), pinned, never a floating tag.
      const [, minor, patch] = (/^nats:2\.(\d+)\.(\d+)(-alpine)?$/.exec(svc.image ?? '') ?? []).map(Number);
      expect(minor! > 12 || (minor === 12 && patch! >= 7), `${name} image ${svc.image}`).toBe(true);
      // Nothing of NATS on the host's interfaces: the nodes reach it on the compose network.
      expect(svc.ports).toBeUndefined();
      expect(svc.environment!.SERVER_NAME).toBe(name);
    }
    expect(compose.services['network-init']).toBeDefined();
  });

  it('deploy/nats.conf and deploy/cluster.conf are what services/transport/accounts.ts generates (scripts/gen-deploy.ts)', async () => {
    expect(await readFile(join(REPO, 'deploy/nats.conf'), 'utf8')).toBe(deployNatsConf());
    expect(await readFile(join(REPO, 'deploy/cluster.conf'), 'utf8')).toBe(deployClusterConf());
  });

  it('deploy/nats.conf is a valid configuration for the real nats-server', async () => {
    let conf = await readFile(join(REPO, 'deploy/nats.conf'), 'utf8');
    const { stdout, stderr } = await promisify(execFile)(natsBinary(), ['--version']).catch((e: { stdout: string; stderr: string }) => e);
    const [major, minor] = (/v?(\d+)\.(\d+)/.exec(stdout + stderr) ?? ['', '2', '12']).slice(1).map(Number) as [number, number];
    // sync_interval needs nats-server 2.10 or later; Debian's 2.9 would reject only that line.
    if (major === 2 && minor < 10)
      conf = conf
        .split('\n')
        .filter((l) => !l.trim().startsWith('sync_interval'))
        .join('\n');
    const dir = await tempDir();
    try {
      // The certificates the compose file mounts, here the test CA's.
      const pki = await testPki();
      const path = join(dir.path, 'nats.conf');
      await writeFile(path, conf.replaceAll(DEPLOY_TLS_DIR, pki.dir));
      await writeFile(join(dir.path, 'cluster.conf'), deployClusterConf().replaceAll(DEPLOY_TLS_DIR, pki.dir));
      const env = { ...process.env, SERVER_NAME: 'nats-1', NATS_PASSWORD_NETWORK: 'n', NATS_PASSWORD_AR: 'a', NATS_PASSWORD_UY: 'b', NATS_PASSWORD_BR: 'c' };
      const result = await promisify(execFile)(natsBinary(), ['-t', '-c', path], { env });
      expect(result.stdout + result.stderr).toMatch(/is valid/);
    } finally {
      await dir.cleanup();
    }
  });
});
