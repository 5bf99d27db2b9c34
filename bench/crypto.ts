/**
 * Envelope speed beside the raw primitives it is made of, measured in the same run.
 *
 *   npx tsx bench/crypto.ts [--quick] [--no-pin]
 *
 * Prints a markdown table and writes bench/results/crypto.json. "One core" is meant
 * literally: on Linux the script re-runs itself under `taskset -c 0`, so that WebCrypto's
 * thread-pool work (jose verifies through it) shares the core with the main thread
 * instead of borrowing a second one. --no-pin measures without that.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes, sign, verify } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CompactSign, compactVerify } from 'jose';
import { Content, Envelope } from '../generated/enlace/v1/envelope.js';
import { currentKeySet, getSodium } from '../keys/index.js';
import { open, seal, sealTo, type SealInput } from '../services/envelope/index.js';
import { openContextOf, recipientOf, signerOf, testNetwork } from '../services/envelope/testkit.js';

const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const PINNED_FLAG = '--pinned-child';

if (process.platform === 'linux' && !args.has('--no-pin') && !args.has(PINNED_FLAG)) {
  const child = spawnSync('taskset', ['-c', '0', process.execPath, ...process.execArgv, process.argv[1]!, ...process.argv.slice(2), PINNED_FLAG], {
    stdio: 'inherit',
  });
  if (!child.error) process.exit(child.status ?? 1);
  console.error(`taskset is not available (${child.error.message}); measuring without pinning to one core`);
}
const pinned = args.has(PINNED_FLAG);

const BODY_BYTES = 2048;
const TARGET_PER_SECOND = 3000;
const ROUNDS = quick ? 3 : 5;
const ROUND_MS = quick ? 150 : 600;
const WARMUP_MS = quick ? 100 : 400;

interface Row {
  name: string;
  usPerOp: number;
  opsPerSecond: number;
}

/** Runs `op` back to back for ROUNDS rounds of ROUND_MS after a warm-up; reports the median round. */
async function measure(name: string, op: () => unknown): Promise<Row> {
  const runFor = async (ms: number) => {
    let n = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < ms) {
      for (let i = 0; i < 32; i++) {
        const result = op();
        if (result instanceof Promise) await result;
      }
      n += 32;
      elapsed = performance.now() - start;
    }
    return (elapsed * 1000) / n;
  };
  await runFor(WARMUP_MS);
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) rounds.push(await runFor(ROUND_MS));
  const usPerOp = rounds.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
  const row = { name, usPerOp, opsPerSecond: 1e6 / usPerOp };
  process.stderr.write(`  ${name}: ${row.opsPerSecond.toFixed(0)}/s\n`);
  return row;
}

// Setup: a two-node network and one real envelope, so every primitive runs on the sizes seal uses.
const sodium = await getSodium();
const now = Date.now();
const net = await testNetwork(['AR', 'UY'], now);
const body = new Uint8Array(randomBytes(BODY_BYTES));
const input: SealInput = { networkId: net.networkId, from: 'AR', to: [recipientOf(net, 'UY')], kind: 'request', body, signer: signerOf(net, 'AR'), now };
const sealed = await seal(input);
const ctx = openContextOf(net, 'UY', now);
const envelope = Envelope.decode(sealed.bytes);
const uyKey = currentKeySet(net.rings.get('UY')!).encryption;
const contentKey = sodium.crypto_box_seal_open(envelope.sealedKeys[0]!, uyKey.publicKey, uyKey.secretKey);
const jwsBytes = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, envelope.ciphertext, envelope.header, envelope.nonce, contentKey);
const jws = new TextDecoder().decode(jwsBytes);
const content = Content.encode({ header: sealed.headerBytes, body }).finish();
const signingInput = Buffer.from(jws.slice(0, jws.lastIndexOf('.')), 'latin1');
const signer = currentKeySet(net.rings.get('AR')!).signing;
const verifyKey = net.trust.verificationKey('AR', signer.kid, now);
const signature = sign(null, signingInput, signer.privateKey);
const aeadKey = new Uint8Array(randomBytes(32));
const aeadNonce = new Uint8Array(randomBytes(24));
const aeadCiphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(jwsBytes, sealed.headerBytes, null, aeadNonce, aeadKey);
const key32 = new Uint8Array(randomBytes(32));
const boxed = sodium.crypto_box_seal(key32, uyKey.publicKey);
const jwsLabel = `${jwsBytes.byteLength} B JWS of a 2 KiB body`;

/** Counts libsodium's own entropy draws (the wasm build asks globalThis.crypto.getRandomValues); node:crypto does not go through it. */
async function libsodiumRandomCalls(run: () => Promise<unknown>): Promise<number> {
  const webcrypto = globalThis.crypto;
  const original = webcrypto.getRandomValues;
  let calls = 0;
  webcrypto.getRandomValues = function (this: Crypto, array) {
    calls++;
    return original.call(this, array);
  } as typeof original;
  try {
    await run();
  } finally {
    webcrypto.getRandomValues = original;
  }
  return calls;
}

process.stderr.write(`measuring (${quick ? 'quick' : 'full'} run, ${pinned ? 'pinned to CPU 0' : 'not pinned'})\n`);
const sealRow = await measure('seal (1 recipient, 2 KiB body)', () => seal(input));
const openRow = await measure('open (1 recipient, 2 KiB body)', () => open(sealed.bytes, ctx));
const primitives = {
  edSign: await measure(`Ed25519 sign, node:crypto (${signingInput.byteLength} B signing input)`, () => sign(null, signingInput, signer.privateKey)),
  edVerify: await measure(`Ed25519 verify, node:crypto (${signingInput.byteLength} B signing input)`, () => verify(null, signingInput, verifyKey, signature)),
  joseSign: await measure('JWS sign, jose CompactSign (EdDSA)', () => new CompactSign(content).setProtectedHeader({ alg: 'EdDSA', kid: signer.kid }).sign(signer.privateKey)),
  joseVerify: await measure("JWS verify, jose compactVerify (algorithms ['EdDSA'])", () => compactVerify(jws, verifyKey, { algorithms: ['EdDSA'] })),
  aeadEncrypt: await measure(`XChaCha20-Poly1305 encrypt (${jwsLabel})`, () => sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(jwsBytes, sealed.headerBytes, null, aeadNonce, aeadKey)),
  aeadDecrypt: await measure(`XChaCha20-Poly1305 decrypt (${jwsLabel})`, () => sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, aeadCiphertext, sealed.headerBytes, aeadNonce, aeadKey)),
  boxSeal: await measure('crypto_box_seal, libsodium (32 B)', () => sodium.crypto_box_seal(key32, uyKey.publicKey)),
  sealTo: await measure('sealed box as seal builds it (32 B, ephemeral key from node:crypto)', () => sealTo(key32, uyKey.publicKey)),
  boxSealOpen: await measure('crypto_box_seal_open, libsodium (32 B)', () => sodium.crypto_box_seal_open(boxed, uyKey.publicKey, uyKey.secretKey)),
  sodiumRandom: await measure('randombytes_buf, libsodium-wrappers (32 B)', () => sodium.randombytes_buf(32)),
  nodeRandom: await measure('randomBytes, node:crypto (32 B)', () => randomBytes(32)),
};
const hotPathRandomCalls = await libsodiumRandomCalls(async () => {
  for (let i = 0; i < 200; i++) await open((await seal(input)).bytes, ctx);
});

const p = primitives;
const sealParts = p.edSign.usPerOp + p.aeadEncrypt.usPerOp + p.sealTo.usPerOp;
const openParts = p.edVerify.usPerOp + p.aeadDecrypt.usPerOp + p.boxSealOpen.usPerOp;
const openPartsJose = p.joseVerify.usPerOp + p.aeadDecrypt.usPerOp + p.boxSealOpen.usPerOp;
const ratios = {
  sealToPrimitives: sealRow.usPerOp / sealParts,
  openToPrimitives: openRow.usPerOp / openParts,
  openToPrimitivesWithJoseVerify: openRow.usPerOp / openPartsJose,
};

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const table = [
  '| operation | µs/op | ops/s |',
  '|---|---:|---:|',
  ...[sealRow, openRow, ...Object.values(primitives)].map((r) => `| ${r.name} | ${fmt(r.usPerOp, 1)} | ${fmt(r.opsPerSecond)} |`),
].join('\n');
const summary = [
  `| envelope | µs/op | sum of its primitives, µs | ratio |`,
  '|---|---:|---:|---:|',
  `| seal = Ed25519 sign + XChaCha20-Poly1305 encrypt + sealed box | ${fmt(sealRow.usPerOp, 1)} | ${fmt(sealParts, 1)} | ${fmt(ratios.sealToPrimitives, 2)} |`,
  `| open = Ed25519 verify + XChaCha20-Poly1305 decrypt + crypto_box_seal_open | ${fmt(openRow.usPerOp, 1)} | ${fmt(openParts, 1)} | ${fmt(ratios.openToPrimitives, 2)} |`,
  `| open, counting jose compactVerify instead of the raw verify | ${fmt(openRow.usPerOp, 1)} | ${fmt(openPartsJose, 1)} | ${fmt(ratios.openToPrimitivesWithJoseVerify, 2)} |`,
].join('\n');
const meets = sealRow.opsPerSecond >= TARGET_PER_SECOND && openRow.opsPerSecond >= TARGET_PER_SECOND;

console.log(`## Envelope v1 speed (${quick ? 'quick' : 'full'} run)

${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} CPUs in the machine, Node ${process.version}, ${pinned ? 'pinned to one core (taskset -c 0)' : 'not pinned'}; median of ${ROUNDS} rounds of ${ROUND_MS} ms.
Envelope: ${sealed.bytes.byteLength} B for a ${BODY_BYTES} B body.

${table}

${summary}

Target ${fmt(TARGET_PER_SECOND)}/s each: seal ${fmt(sealRow.opsPerSecond)}/s, open ${fmt(openRow.opsPerSecond)}/s, ${meets ? 'met' : 'NOT MET'}.
libsodium randombytes draws during 200 seal+open: ${hotPathRandomCalls}${hotPathRandomCalls === 0 ? ' (none on the hot path)' : ' (should be 0: see DESIGN §7)'}.`);

const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'crypto.json');
await mkdir(dirname(out), { recursive: true });
await writeFile(
  out,
  JSON.stringify(
    {
      date: new Date().toISOString(),
      node: process.version,
      cpu: cpus()[0]?.model,
      cpus: cpus().length,
      pinnedToOneCore: pinned,
      quick,
      rounds: ROUNDS,
      roundMs: ROUND_MS,
      bodyBytes: BODY_BYTES,
      envelopeBytes: sealed.bytes.byteLength,
      jwsBytes: jwsBytes.byteLength,
      envelope: { seal: sealRow, open: openRow },
      primitives,
      ratios,
      targetPerSecond: TARGET_PER_SECOND,
      meetsTarget: meets,
      libsodiumRandomCallsOnHotPath: hotPathRandomCalls,
    },
    null,
    2,
  ) + '\n',
);
console.log(`\nwritten to ${out}`);
