import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConformanceCommand } from '../cli/conformance.js';
import { Federation, NETWORK, PASSPHRASE } from './_util.js';

describe('enlace conformance: the reference node passes its own kit', () => {
  let fed: Federation;

  beforeAll(async () => {
    fed = await Federation.create(['AR', 'UY']);
    await (await fed.startNode('UY')).waitForTransport();
  });

  afterAll(async () => {
    await fed?.destroy();
  });

  const run = async (timeout: string) => {
    const passFile = join(fed.dir, 'nats-password-AR');
    await writeFile(passFile, fed.password('AR'), { mode: 0o600 });
    const out: string[] = [];
    const code = await runConformanceCommand(
      ['--nats', fed.nats.url, '--network', NETWORK, '--target', 'UY', '--keys', join(fed.layout.dataDir('AR'), 'keys', 'AR.keys.json'), '--trust', fed.layout.trustDir, '--nats-user', 'AR', '--nats-ca', fed.pki.caCert, '--timeout', timeout],
      { out: (l) => out.push(l), err: (l) => out.push(l), env: { ENLACE_KEY_PASSPHRASE: PASSPHRASE, ENLACE_NATS_PASSWORD_FILE: passFile }, cwd: fed.dir },
    );
    return { code, report: out.join('\n') };
  };

  it('drives UY as a tester node AR and reports every check passed, by section', async () => {
    const { code, report } = await run('15s');
    expect(report, report).not.toContain('FAIL');
    expect(code, report).toBe(0);
    for (const section of ['§10, §14', '§11', '§8 step 10', '§18.5, §10', '§19']) expect(report).toContain(section);
    expect(report).toMatch(/8 passed, 0 failed/);
  });

  it('fails, with exit code 1, when the node under test does not answer', async () => {
    await fed.stopNode('UY');
    const { code, report } = await run('500ms');
    expect(code).toBe(1);
    expect(report).toMatch(/FAIL {2}§10, §14 +a request is answered/);
    expect(report).toMatch(/0 passed, 8 failed/);
  });
});
