import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConformanceCommand } from '../cli/conformance.js';
import { clientsFor, Federation, NETWORK, PASSPHRASE, submitRequestOf, type Clients } from './_util.js';

/** A synthetic PDF of `size` bytes: the signature, then filler (no real document). */
function pdf(size: number): Uint8Array {
  const out = new Uint8Array(size).fill(0x20);
  out.set(new TextEncoder().encode('%PDF-1.7\n% synthetic test document\n'));
  return out;
}

describe('enlace conformance: the reference node passes its own kit', () => {
  let fed: Federation;
  let uy: Clients;

  beforeAll(async () => {
    fed = await Federation.create(['AR', 'UY']);
    const node = await fed.startNode('UY');
    await node.waitForTransport();
    uy = await clientsFor(node);
  });

  afterAll(async () => {
    uy?.close();
    await fed?.destroy();
  });

  const run = async (timeout: string, extra: string[] = [], onWaiting?: (line: string) => void) => {
    const passFile = join(fed.dir, 'nats-password-AR');
    await writeFile(passFile, fed.password('AR'), { mode: 0o600 });
    const out: string[] = [];
    const code = await runConformanceCommand(
      [
        '--nats',
        fed.nats.url,
        '--network',
        NETWORK,
        '--target',
        'UY',
        '--keys',
        join(fed.layout.dataDir('AR'), 'keys', 'AR.keys.json'),
        '--trust',
        fed.layout.trustDir,
        '--nats-user',
        'AR',
        '--nats-ca',
        fed.pki.caCert,
        '--timeout',
        timeout,
        ...extra,
      ],
      { out: (l) => out.push(l), err: (l) => (out.push(l), l.startsWith('waiting') && onWaiting?.(l)), env: { ENLACE_KEY_PASSPHRASE: PASSPHRASE, ENLACE_NATS_PASSWORD_FILE: passFile }, cwd: fed.dir },
    );
    return { code, report: out.join('\n') };
  };

  it('drives UY as a tester node AR and reports every check passed, by section', async () => {
    // With --receive the kit waits for a request with a document from UY to the tester's
    // country, then for an erasure of that case: a person at UY sends one, then erases it.
    const actAtUy = (line: string) => {
      const erase = /an erasure of request (\S+)/.exec(line);
      if (erase) void uy.exchange.eraseCase({ requestId: erase[1]!, reason: 'retention period ended' }, uy.metadata, () => undefined);
      else void uy.submit(submitRequestOf({ toCountry: 'AR', senderReference: 'to-the-kit', attachments: [{ fileName: 'acta.pdf', mediaType: 'application/pdf', content: pdf(600_000) }] }));
    };
    const { code, report } = await run('15s', ['--receive'], actAtUy);
    expect(report, report).not.toContain('FAIL');
    expect(code, report).toBe(0);
    for (const section of [
      '§10, §14',
      '§11',
      '§8 step 10',
      '§18.5, §10',
      '§19',
      '§18.1, §18.7',
      '§18.8',
      '§21.4',
      '§21 step 4',
      '§21 step 2',
      '§18.4',
      '§7, §8, §18.1',
      '§19 rule 5',
      '§21 step 1',
      '§21 step 3',
    ])
      expect(report).toContain(section);
    for (const kind of [
      'mla',
      'nationality_verification',
      'criminal_records',
      'conviction_notification',
      'extradition',
      'consular_notification',
      'additional_information',
      'spontaneous_information',
    ]) {
      expect(report).toMatch(new RegExp(`PASS  §18\\.1, §18\\.7 +a typed ${kind} request is accepted`));
    }
    expect(report).toMatch(/PASS {2}§18\.4 +the documents of that request came as parts on its lane before it.*: 1 document\(s\), application\/pdf of 600000 bytes, in 2 part\(s\)/);
    expect(report).toMatch(/32 passed, 0 failed/);
  });

  it('fails, with exit code 1, when the node under test does not answer', async () => {
    uy.close();
    await fed.stopNode('UY');
    const { code, report } = await run('500ms');
    expect(code).toBe(1);
    expect(report).toMatch(/FAIL {2}§10, §14 +a request is answered/);
    expect(report).toMatch(/0 passed, 26 failed/);
  });
});
