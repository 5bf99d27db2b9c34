import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CompactSign } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../cli/main.js';
import { Envelope } from '../generated/enlace/v1/envelope.js';
import type { CliIo } from '../keys/cli-io.js';
import { runKeysCommand } from '../keys/cli.js';
import { b64u, currentKeySet, EnvelopeRejectedError, getSodium, hex, loadAnchor, loadNodeKeys, readPinnedAnchor, TrustStore, type NodeKeyring } from '../keys/index.js';
import { open, seal, type OpenContext } from '../services/envelope/index.js';

const PASSPHRASE = 'test-only passphrase, never for real use';
const NETWORK = 'enlace-test';

interface Run {
  code: number;
  out: string;
  err: string;
}

let dir: string;
/** Everything any command printed in this file, to check that no secret ever appears. */
const printed: string[] = [];

function memoryIo(env: Record<string, string | undefined> = { ENLACE_KEY_PASSPHRASE: PASSPHRASE }): CliIo & { out_: string[]; err_: string[] } {
  const out_: string[] = [];
  const err_: string[] = [];
  return { out: (l) => void out_.push(l), err: (l) => void err_.push(l), env, cwd: dir, out_, err_ };
}

async function keys(argv: string[], env?: Record<string, string | undefined>): Promise<Run> {
  const io = memoryIo(env);
  const code = await runKeysCommand(argv, io);
  const run = { code, out: io.out_.join('\n'), err: io.err_.join('\n') };
  printed.push(run.out, run.err);
  return run;
}

async function ok(argv: string[]): Promise<string> {
  const run = await keys(argv);
  expect(run, run.err).toMatchObject({ code: 0, err: '' });
  return run.out;
}

function openContext(ring: NodeKeyring, trust: TrustStore, now: number): OpenContext {
  return {
    networkId: trust.networkId,
    me: {
      country: ring.country,
      encryptionKeys: new Map(ring.sets.map((s) => [s.encryption.kid, { publicKey: s.encryption.publicKey, secretKey: s.encryption.secretKey }])),
    },
    keys: trust,
    now,
  };
}

async function sealFrom(from: NodeKeyring, to: string, trust: TrustStore, now: number, set = currentKeySet(from)) {
  const recipients = trust.encryptionKeys(to, now).map((k) => ({ address: to, keyId: k.kid, publicKey: k.publicKey }));
  const body = new Uint8Array(2048).map((_, i) => i & 0xff);
  return seal({ networkId: trust.networkId, from: from.country, to: recipients, kind: 'request', body, signer: set.signing, now });
}

async function rejectionOf(bytes: Uint8Array, ctx: OpenContext): Promise<string> {
  try {
    await open(bytes, ctx);
    return 'accepted';
  } catch (e) {
    return e instanceof EnvelopeRejectedError ? e.code : `unexpected ${String(e)}`;
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'enlace-cli-keys-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('enlace keys: the round trip', () => {
  let trust: TrustStore;
  let ar: NodeKeyring;
  let uy: NodeKeyring;

  it('creates an anchor and two countries, certifies both, and the library loads them', async () => {
    await ok(['anchor', 'init', '--network', NETWORK, '--dir', 'anchor']);
    await ok(['init', '--country', 'AR', '--dir', 'ar']);
    await ok(['init', '--country', 'UY', '--dir', 'uy']);
    await ok(['certify', '--anchor-dir', 'anchor', '--keys', 'ar/AR.keys.json', '--out', 'registry/AR.jws']);
    await ok(['certify', '--anchor-dir', 'anchor', '--keys', 'uy/UY.keys.json', '--out', 'registry/UY.jws', '--valid-days', '30']);

    trust = new TrustStore(await readPinnedAnchor(join(dir, 'anchor/anchor.pub.json')));
    expect(trust.networkId).toBe(NETWORK);
    for (const country of ['AR', 'UY']) await trust.add(await readFile(join(dir, `registry/${country}.jws`), 'utf8'));
    expect(trust.countries()).toEqual(['AR', 'UY']);
    ar = await loadNodeKeys(join(dir, 'ar/AR.keys.json'), PASSPHRASE);
    uy = await loadNodeKeys(join(dir, 'uy/UY.keys.json'), PASSPHRASE);
    expect(trust.descriptor('AR')!.keys.map((k) => k.kid)).toEqual([currentKeySet(ar).signing.kid, currentKeySet(ar).encryption.kid]);
  });

  it('seals from AR and opens at UY', async () => {
    const now = Date.now();
    const sealed = await sealFrom(ar, 'UY', trust, now);
    const opened = await open(sealed.bytes, openContext(uy, trust, now));
    expect(opened.senderCountry).toBe('AR');
    expect(opened.body).toEqual(new Uint8Array(2048).map((_, i) => i & 0xff));
    expect(await rejectionOf(sealed.bytes, openContext(ar, trust, now))).toBe('ERR_WRONG_RECIPIENT');
  });

  it('rejects the sealed envelope with any single byte changed', async () => {
    const now = Date.now();
    const { bytes } = await sealFrom(ar, 'UY', trust, now);
    const ctx = openContext(uy, trust, now);
    const accepted: number[] = [];
    const codes = new Set<string>();
    for (let i = 0; i < bytes.length; i++) {
      for (const mask of [0x01, 0x80]) {
        const changed = new Uint8Array(bytes);
        changed[i]! ^= mask;
        const code = await rejectionOf(changed, ctx);
        if (code === 'accepted') accepted.push(i);
        codes.add(code);
      }
    }
    expect(accepted).toEqual([]);
    expect([...codes].filter((c) => c.startsWith('unexpected'))).toEqual([]);
    expect(codes).toContain('ERR_DECRYPT');
    expect(await rejectionOf(bytes, ctx)).toBe('accepted');
  });

  it('puts inside the envelope exactly the JWS that jose CompactSign produces', async () => {
    const now = Date.now();
    const sealed = await sealFrom(ar, 'UY', trust, now);
    const envelope = Envelope.decode(sealed.bytes);
    const sodium = await getSodium();
    const mine = currentKeySet(uy).encryption;
    const contentKey = sodium.crypto_box_seal_open(envelope.sealedKeys[0]!, mine.publicKey, mine.secretKey);
    const jws = new TextDecoder().decode(sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, envelope.ciphertext, envelope.header, envelope.nonce, contentKey));
    const signer = currentKeySet(ar).signing;
    const payload = Buffer.from(jws.split('.')[1]!, 'base64url');
    const expected = await new CompactSign(payload).setProtectedHeader({ alg: 'EdDSA', kid: signer.kid }).sign(signer.privateKey);
    expect(jws).toBe(expected);
  });

  it('rotates, overlaps, and revokes the old keys through the CLI', async () => {
    const old = currentKeySet(ar);
    await ok(['rotate', '--keys', 'ar/AR.keys.json']);
    await ok(['certify', '--anchor-dir', 'anchor', '--keys', 'ar/AR.keys.json', '--out', 'registry/AR.jws']);
    await trust.add(await readFile(join(dir, 'registry/AR.jws'), 'utf8'));
    const rotated = await loadNodeKeys(join(dir, 'ar/AR.keys.json'), PASSPHRASE);
    expect(rotated.sets).toHaveLength(2);
    const now = Date.now() + 1;
    const ctx = openContext(uy, trust, now);
    expect(await rejectionOf((await sealFrom(rotated, 'UY', trust, now, old)).bytes, ctx)).toBe('accepted');
    expect(await rejectionOf((await sealFrom(rotated, 'UY', trust, now)).bytes, ctx)).toBe('accepted');

    await ok(['certify', '--anchor-dir', 'anchor', '--keys', 'ar/AR.keys.json', '--out', 'registry/AR.jws', '--revoke-kid', old.signing.kid, '--revoke-kid', old.encryption.kid]);
    await trust.add(await readFile(join(dir, 'registry/AR.jws'), 'utf8'));
    expect(await rejectionOf((await sealFrom(rotated, 'UY', trust, now, old)).bytes, ctx)).toBe('ERR_KEY_REVOKED');
    expect(await rejectionOf((await sealFrom(rotated, 'UY', trust, now)).bytes, ctx)).toBe('accepted');
  });

  it('keeps descriptor serials increasing', async () => {
    const before = trust.descriptor('UY')!.serial;
    const low = await keys(['certify', '--anchor-dir', 'anchor', '--keys', 'uy/UY.keys.json', '--out', 'registry/UY.jws', '--serial', String(before)]);
    expect(low.code).toBe(2);
    expect(low.err).toContain(`must exceed ${before}`);
    await ok(['certify', '--anchor-dir', 'anchor', '--keys', 'uy/UY.keys.json', '--out', 'registry/UY.jws', '--status', 'suspended']);
    await trust.add(await readFile(join(dir, 'registry/UY.jws'), 'utf8'));
    expect(trust.descriptor('UY')).toMatchObject({ status: 'suspended' });
    expect(trust.descriptor('UY')!.serial).toBeGreaterThan(before);
    const elsewhere = await keys(['certify', '--anchor-dir', 'anchor', '--keys', 'uy/UY.keys.json', '--out', 'registry/AR.jws']);
    expect(elsewhere).toMatchObject({ code: 1, err: expect.stringContaining('holds the descriptor of AR') });
  });

  it('show prints public keys and descriptors as JSON, and no command ever prints a secret', async () => {
    const shownKeys = JSON.parse(await ok(['show', '--keys', 'ar/AR.keys.json'])) as { kind: string; country: string; keys: unknown[] };
    expect(shownKeys).toMatchObject({ kind: 'node', country: 'AR' });
    expect(shownKeys.keys).toHaveLength(2);
    const shownAnchorKey = JSON.parse(await ok(['show', '--keys', 'anchor/anchor.key.json'])) as { kind: string };
    expect(shownAnchorKey.kind).toBe('anchor');
    const shownAnchor = JSON.parse(await ok(['show', '--anchor', 'anchor/anchor.pub.json'])) as { kid: string; networkId: string };
    expect(shownAnchor).toMatchObject({ kid: trust.anchor.kid, networkId: NETWORK });
    const verified = JSON.parse(await ok(['show', '--descriptor', 'registry/AR.jws', '--anchor', 'anchor/anchor.pub.json']));
    expect(verified).toMatchObject({ verified: true, descriptor: { country: 'AR', networkId: NETWORK } });
    const unverified = JSON.parse(await ok(['show', '--descriptor', 'registry/AR.jws']));
    expect(unverified).toMatchObject({ verified: false, descriptor: { country: 'AR' } });

    const anchor = await loadAnchor(join(dir, 'anchor/anchor.key.json'), PASSPHRASE);
    const rings = await Promise.all(['ar/AR.keys.json', 'uy/UY.keys.json'].map((p) => loadNodeKeys(join(dir, p), PASSPHRASE)));
    const secrets = [anchor.key.seed, ...rings.flatMap((r) => r.sets.flatMap((s) => [s.signing.seed, s.encryption.secretKey]))];
    expect(secrets).toHaveLength(7);
    const everything = printed.join('\n');
    expect(everything.length).toBeGreaterThan(1000);
    for (const secret of secrets) {
      for (const encoded of [b64u(secret), Buffer.from(secret).toString('base64').replace(/=+$/, ''), hex(secret)]) {
        expect(everything).not.toContain(encoded);
        expect(everything).not.toContain(encoded.slice(0, 16));
      }
    }
    expect(everything).not.toContain(PASSPHRASE);
  });
});

describe('enlace keys: passphrase and usage', () => {
  it('prints --help for every command and exits 0', async () => {
    for (const argv of [['--help'], ['anchor', '--help'], ['anchor', 'init', '--help'], ['init', '--help'], ['certify', '-h'], ['rotate', '--help'], ['show', '--help']]) {
      const run = await keys(argv, {});
      expect(run.code, argv.join(' ')).toBe(0);
      expect(run.out).toContain('usage: enlace keys');
      expect(run.err).toBe('');
    }
    const viaMain = memoryIo({});
    expect(await main(['keys', 'certify', '--help'], viaMain)).toBe(0);
    expect(viaMain.out_.join('\n')).toContain('--revoke-kid');
  });

  it('exits 2 with a sentence when no passphrase is given', async () => {
    for (const env of [{}, { ENLACE_KEY_PASSPHRASE: '' }]) {
      const run = await keys(['init', '--country', 'BR', '--dir', 'br'], env);
      expect(run.code).toBe(2);
      expect(run.err).toContain('no key passphrase: set ENLACE_KEY_PASSPHRASE or pass --passphrase-file');
    }
    const missingFile = await keys(['rotate', '--keys', 'ar/AR.keys.json', '--passphrase-file', 'nowhere.txt']);
    expect(missingFile.code).toBe(2);
    expect(missingFile.err).toContain('cannot read the passphrase file');
  });

  it('exits 1 with the ERR_BAD_PASSPHRASE sentence on a wrong passphrase', async () => {
    const run = await keys(['rotate', '--keys', 'ar/AR.keys.json'], { ENLACE_KEY_PASSPHRASE: 'a wrong passphrase' });
    expect(run.code).toBe(1);
    expect(run.err).toContain('the passphrase does not open');
    expect(run.err).toContain('[ERR_BAD_PASSPHRASE]');
    const anchorRun = await keys(['certify', '--anchor-dir', 'anchor', '--keys', 'uy/UY.keys.json', '--out', 'x.jws'], {
      ENLACE_KEY_PASSPHRASE: 'a wrong passphrase',
    });
    expect(anchorRun).toMatchObject({ code: 1, err: expect.stringContaining('ERR_BAD_PASSPHRASE') });
  });

  it('takes the passphrase file over the environment and strips its trailing newline', async () => {
    await writeFile(join(dir, 'pass.txt'), `${PASSPHRASE}\n`);
    const run = await keys(['init', '--country', 'CL', '--dir', 'cl', '--passphrase-file', 'pass.txt'], { ENLACE_KEY_PASSPHRASE: 'the wrong one' });
    expect(run).toMatchObject({ code: 0, err: '' });
    expect((await loadNodeKeys(join(dir, 'cl/CL.keys.json'), PASSPHRASE)).country).toBe('CL');
  });

  it('refuses to overwrite key material', async () => {
    const run = await keys(['init', '--country', 'AR', '--dir', 'ar']);
    expect(run).toMatchObject({ code: 1, err: expect.stringContaining('refusing to overwrite') });
    const anchorRun = await keys(['anchor', 'init', '--network', NETWORK, '--dir', 'anchor']);
    expect(anchorRun.code).toBe(1);
  });

  it('names unknown options, missing values and bad values, with exit 2', async () => {
    const cases: Array<[string[], string]> = [
      [['init', '--country', 'AR', '--dir', 'x', '--colour'], 'unknown option --colour'],
      [['init', '--country'], 'option --country needs a value'],
      [['init', '--dir', 'x'], '--country is required'],
      [['init', '--country', 'ar', '--dir', 'x'], '--country must be an ISO 3166-1 alpha-2 code'],
      [['anchor', 'init', '--network', 'Bad Net', '--dir', 'x'], 'networkId must be'],
      [['certify', '--anchor-dir', 'anchor', '--keys', 'ar/AR.keys.json', '--out', 'x.jws', '--valid-days', 'ten'], '--valid-days must be a whole number'],
      [['certify', '--anchor-dir', 'anchor', '--keys', 'ar/AR.keys.json', '--out', 'x.jws', '--status', 'paused'], '--status must be one of active, suspended, revoked'],
      [['certify', '--anchor-dir', 'anchor', '--keys', 'ar/AR.keys.json', '--out', 'x.jws', '--revoke-kid', 'nope'], '--revoke-kid nope is not a key of AR'],
      [['show'], 'give one of --keys, --anchor or --descriptor'],
      [['show', '--keys', 'a', 'stray'], 'unexpected argument "stray"'],
      [['frobnicate'], 'unknown command "frobnicate"'],
      [['anchor', 'rotate'], 'unknown command "rotate"'],
    ];
    for (const [argv, message] of cases) {
      const run = await keys(argv);
      expect(run.code, argv.join(' ')).toBe(2);
      expect(run.err, argv.join(' ')).toContain(message);
    }
    expect((await keys([])).code).toBe(2);
  });

  it('runs as a real process: node bin/enlace.js keys --help', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [join(import.meta.dirname, '../bin/enlace.js'), 'keys', '--help'], {
      env: { PATH: process.env['PATH'] ?? '' },
    });
    expect(stdout).toContain('usage: enlace keys <command>');
    expect(stdout).toContain('anchor init');
  });
});
