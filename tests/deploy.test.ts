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
import { natsBinary, tempDir } from './_util.js';

const REPO = new URL('..', import.meta.url).pathname;

describe('deployment files', () => {
  it('docker-compose.yml runs one node per country with known settings, secrets from files and its own NATS user', async () => {
    const compose = parse(await readFile(join(REPO, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
      services: Record<string, { environment?: Record<string, string>; secrets?: string[]; build?: string; image?: string }>;
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
    }
    expect(compose.services.nats!.image).toMatch(/^nats:2\.1[2-9]/);
  });

  it('deploy/nats.conf is a valid configuration for the real nats-server', async () => {
    let conf = await readFile(join(REPO, 'deploy/nats.conf'), 'utf8');
    const { stdout, stderr } = await promisify(execFile)(natsBinary(), ['--version']).catch((e: { stdout: string; stderr: string }) => e);
    const [major, minor] = (/v?(\d+)\.(\d+)/.exec(stdout + stderr) ?? ['', '2', '12']).slice(1).map(Number) as [number, number];
    // sync_interval needs nats-server 2.10 or later; Debian's 2.9 would reject only that line.
    if (major === 2 && minor < 10) conf = conf.split('\n').filter((l) => !l.trim().startsWith('sync_interval')).join('\n');
    const dir = await tempDir();
    try {
      const path = join(dir.path, 'nats.conf');
      await writeFile(path, conf);
      const env = { ...process.env, NATS_PASSWORD_AR: 'a', NATS_PASSWORD_UY: 'b', NATS_PASSWORD_BR: 'c' };
      const result = await promisify(execFile)(natsBinary(), ['-t', '-c', path], { env });
      expect(result.stdout + result.stderr).toMatch(/is valid/);
    } finally {
      await dir.cleanup();
    }
  });
});
