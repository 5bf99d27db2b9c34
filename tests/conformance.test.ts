import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConformanceCommand } from '../cli/conformance.js';
import { NationalNode } from '../services/index.js';
import { answerFormOf } from '../cli/conformance/forms-and-erasure.js';
import type { RequestType } from '../services/requests/index.js';
import { transition } from './_timeline.js';
import { clientsFor, Federation, NETWORK, PASSPHRASE, quietLogger, submitRequestOf, type Clients } from './_util.js';

/** A synthetic PDF of `size` bytes: the signature, then filler (no real document). */
function pdf(size: number): Uint8Array {
  const out = new Uint8Array(size).fill(0x20);
  out.set(new TextEncoder().encode('%PDF-1.7\n% synthetic test document\n'));
  return out;
}

describe('enlace conformance: the reference node passes its own kit', () => {
  let fed: Federation;
  let uy: Clients;
  /** A focal point at UY, who answers the kit's typed requests (--answer). */
  let uyFocal: Clients;

  beforeAll(async () => {
    fed = await Federation.create(['AR', 'UY']);
    // UY runs with a trust folder that knows nothing of AR, the tester, which joins the running
    // network during the run (--join, protocol §14.2): UY learns it from the registry.
    const folder = join(fed.dir, 'uy-trust');
    await mkdir(join(folder, 'descriptors'), { recursive: true });
    await copyFile(join(fed.layout.trustDir, 'anchor.pub.json'), join(folder, 'anchor.pub.json'));
    await copyFile(join(fed.layout.trustDir, 'descriptors', 'UY.jws'), join(folder, 'descriptors', 'UY.jws'));
    const cfg = fed.config('UY');
    const node = await NationalNode.create({ ...cfg, node: { ...cfg.node, trustDir: folder } }, { passphrase: PASSPHRASE, natsPassword: fed.password('UY') }, { logger: quietLogger });
    fed.nodes.set('UY', node);
    await node.start();
    await Promise.all([node.registry.ready(), node.waitForTransport()]);
    expect(node.deps.trust.countries()).toEqual(['UY']);
    uy = await clientsFor(node);
    uyFocal = await clientsFor(node, ['focal_point']);
  });

  afterAll(async () => {
    uy?.close();
    uyFocal?.close();
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
    // country, then for an erasure of that case: a person at UY sends one, then erases it; then
    // for a withdrawal of consent on the kit's spontaneous information: a person at UY records it.
    // With --answer it sends one more typed request of each type and waits for UY's typed answers.
    const answered: Promise<unknown>[] = [];
    const actAtUy = (line: string) => {
      const erase = /an erasure of request (\S+)/.exec(line);
      const answer = /an answer to request (\S+) \((\S+)\)/.exec(line);
      const consent = /a withdrawal of consent on request (\S+)/.exec(line);
      if (consent) void uyFocal.exchange.withdrawConsent({ requestId: consent[1]!, legalGround: '' }, uyFocal.metadata, () => undefined);
      else if (answer) {
        const requestId = answer[1]!;
        const kind = answer[2] as RequestType;
        answered.push(transition(uyFocal, { requestId, action: 'acknowledge' }).then(() => transition(uyFocal, { requestId, action: 'complete', typedResponse: answerFormOf(kind) })));
      } else if (erase) void uy.exchange.eraseCase({ requestId: erase[1]!, reason: 'retention period ended' }, uy.metadata, () => undefined);
      else void uy.submit(submitRequestOf({ toCountry: 'AR', senderReference: 'to-the-kit', attachments: [{ fileName: 'acta.pdf', mediaType: 'application/pdf', content: pdf(600_000) }] }));
    };
    const { code, report } = await run('15s', ['--join', '--receive', '--answer'], actAtUy);
    await Promise.all(answered);
    expect(report, report).not.toContain('FAIL');
    expect(code, report).toBe(0);
    for (const section of [
      '§14.2, §8 step 9',
      '§14.2 step 4',
      '§14.2 step 5',
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
      expect(report).toMatch(new RegExp(`PASS  §18\\.2, §18\\.7, §19 +the node under test answers a typed ${kind} request with the answer form of its type`));
    }
    expect(report).toMatch(/PASS {2}§18\.4 +the documents of that request came as parts on its lane before it.*: 1 document\(s\), application\/pdf of 600000 bytes, in 2 part\(s\)/);
    expect(report).toMatch(/PASS {2}§14\.2, §8 step 9 +before the tester's descriptor is in the registry, nothing from the tester is accepted: no receipt/);
    expect(report).toMatch(/PASS {2}§14\.2 step 4 +the tester's descriptor is published at node\.<CC> of the registry \(compare-and-set\): node\.AR written/);
    expect(report).toMatch(/PASS {2}§18\.2, §18\.5, §19 +the requested side's positioned steps are accepted in order.*another type's answer: rejected ERR_CONTENT_INVALID/);
    // Tampered and replayed envelopes a lenient reader would open, each refused with its code (§6, §8).
    expect(report).toMatch(/PASS {2}§6, §8 step 11a +a JWS whose protected header has alg twice .*: rejected ERR_BAD_SIGNATURE/);
    expect(report).toMatch(/PASS {2}§6, §8 step 11a +a JWS whose signature segment is not canonical base64url .*: rejected ERR_BAD_SIGNATURE/);
    expect(report).toMatch(/PASS {2}§8 step 11b +a JWS with alg "none" is rejected ERR_ALG_NOT_ALLOWED: rejected ERR_ALG_NOT_ALLOWED/);
    expect(report).toMatch(/PASS {2}§8 step 12, §4.4 +a JWS signed under the tester's kid by a key .*: rejected ERR_BAD_SIGNATURE/);
    expect(report).toMatch(/PASS {2}§8 step 13 +a signed content whose header differs .*: rejected ERR_HEADER_MISMATCH/);
    expect(report).toMatch(/PASS {2}§8 step 6, §12 +a captured envelope replayed after its expires_at .*: rejected ERR_EXPIRED/);
    expect(report).toMatch(
      /PASS {2}§18\.5 +a request whose to_authority is not the authority of its envelope's address is rejected ERR_CONTENT_INVALID: rejected ERR_CONTENT_INVALID \(to_authority must be/,
    );
    // Then per numbered section, in document order, and the totals.
    expect(report).toMatch(
      /PASS {2}§24\.2 rules 1 and 3 an envelope ahead of its lane position is held without a receipt, then applied after the missing one: position 2 held while 1 was missing; then 1 accepted, 2 accepted, in that order/,
    );
    expect(report).toMatch(/^by section of docs\/protocol\.md:\n {2}§4\.4 +1 passed, 0 failed\n {2}§6 +2 passed, 0 failed\n {2}§7 +1 passed, 0 failed\n {2}§8 +10 passed, 0 failed\n/m);
    expect(report).toMatch(/^ {2}§24\.2 +1 passed, 0 failed$/m);
    expect(report).toMatch(/^ {2}§18\.4 +\d+ passed, 0 failed$/m);
    expect(report).toMatch(
      /PASS {2}§21\.4 +a withdrawal of consent recorded at the node under test comes as an erasure with scope victim_identity.*: scope "victim_identity", reason "the victim withdrew her consent"/,
    );
    expect(report).toMatch(/PASS {2}§21\.4 step 3 the tester's answer erased with scope victim_identity is acknowledged accepted: accepted/);
    expect(report).toMatch(/^53 passed, 0 failed$/m);
  });

  it('fails, with exit code 1, when the node under test does not answer', async () => {
    uy.close();
    uyFocal.close();
    await fed.stopNode('UY');
    const { code, report } = await run('500ms', ['--join']);
    expect(code).toBe(1);
    expect(report).toMatch(/FAIL {2}§14\.2 step 5 +the running node under test learns it/);
    expect(report).toMatch(/FAIL {2}§10, §14 +a request is answered/);
    // Nothing accepted before joining and the descriptor's publication need no answer; the 35 others do.
    expect(report).toMatch(/^ {2}§14\.2 +2 passed, 1 failed {2}FAILING$/m);
    expect(report).toMatch(/^2 passed, 35 failed$/m);
  });
});
