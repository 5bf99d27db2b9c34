import { createHmac } from 'node:crypto';
import { EnvelopeHeader } from '../../generated/enlace/v1/envelope.js';
import { uuidv7 } from '../../services/envelope/index.js';
import type { EnvelopeCaseBook } from './envelope-book.js';
import { compactJws, craft, ed25519, edit, flip, MIN, NOW, requestBody, seed } from './envelope-kit.js';
import type { BaseCase } from './envelope-valid.js';

/** An envelope from AR to UY around a JWS with the given protected header and signature. */
export type AlgCase = (label: string, protectedHeader: Record<string, unknown>, signFn: (input: Buffer) => Uint8Array) => Promise<Uint8Array>;

export function algCaseMaker(book: EnvelopeCaseBook, { base }: BaseCase): AlgCase {
  const { AR, UY, signer } = book;
  return async (label, protectedHeader, signFn) =>
    (
      await craft({
        label,
        header: { ...base.header, id: uuidv7(NOW - MIN, seed(`case ${label} id`)) },
        body: requestBody(40, label),
        signer: signer(AR),
        sealTo: [UY.encryption.publicKey],
        jws: (c) => compactJws(protectedHeader, c, signFn),
      })
    ).bytes;
}

/** Invalid cases of decryption (§8 step 10) and of the signed header (step 13): bytes changed, a JWS forwarded. */
export async function tamperCases(book: EnvelopeCaseBook, { base, handmade }: BaseCase): Promise<void> {
  const { AR, CL, signer, addInvalid } = book;
  addInvalid(
    'tampered-ciphertext',
    'The envelope of case "request" with one ciphertext byte changed (xor 0x01 at its middle).',
    'ERR_DECRYPT',
    'UY',
    edit(base.bytes, (e) => flip(e.ciphertext, e.ciphertext.length >> 1)),
  );
  addInvalid(
    'tampered-nonce',
    'The envelope of case "request" with nonce[0] xor 0x01.',
    'ERR_DECRYPT',
    'UY',
    edit(base.bytes, (e) => flip(e.nonce, 0)),
  );
  addInvalid(
    'tampered-sealed-key',
    'The envelope of case "request" with the last byte of sealed_keys[0] xor 0x01.',
    'ERR_DECRYPT',
    'UY',
    edit(base.bytes, (e) => flip(e.sealedKeys[0]!, e.sealedKeys[0]!.length - 1)),
  );
  addInvalid(
    'tampered-header-kind',
    'The envelope of case "request" with its outer header\'s kind changed from "request" to "requesu" (one byte): every clear-text check passes, the AEAD fails because the header is its associated data.',
    'ERR_DECRYPT',
    'UY',
    edit(base.bytes, (e) => {
      const at = Buffer.from(e.header).indexOf('request');
      flip(e.header, at + 6);
    }),
  );
  addInvalid(
    'tampered-header-created-at',
    'The envelope of case "request" with the outer header re-encoded with created_at one millisecond earlier.',
    'ERR_DECRYPT',
    'UY',
    edit(base.bytes, (e) => {
      e.header = EnvelopeHeader.encode({ ...base.header, createdAt: base.header.createdAt - 1 }).finish();
    }),
  );

  const forwarded = await craft({
    label: 'forwarded',
    header: { ...base.header, to: [{ address: 'CL', keyId: CL.encryption.kid }] },
    body: new Uint8Array(),
    signer: signer(AR),
    sealTo: [CL.encryption.publicKey],
    jws: () => handmade.jws,
  });
  addInvalid(
    'forwarded-to-third-party',
    'Surreptitious forwarding: UY decrypts the envelope of case "request" and re-encrypts the same JWS (signed by AR) to CL under a new outer header naming CL. Decryption and signature succeed at CL; the signed header names UY.',
    'ERR_HEADER_MISMATCH',
    'CL',
    forwarded.bytes,
  );
}

/** Invalid cases of the JWS (§8 steps 11 and 12): algorithms, key ids, extensions, signatures. */
export async function signatureCases(book: EnvelopeCaseBook, { base }: BaseCase, algCase: AlgCase): Promise<void> {
  const { AR, UY, set, signer, addInvalid } = book;
  addInvalid(
    'alg-none',
    'JWS protected header {"alg":"none","kid":…} with an empty signature.',
    'ERR_ALG_NOT_ALLOWED',
    'UY',
    await algCase('alg-none', { alg: 'none', kid: AR.signing.kid }, () => new Uint8Array()),
  );
  addInvalid(
    'alg-hs256',
    'JWS protected header {"alg":"HS256","kid":…}, HMAC-SHA256 keyed with AR\'s raw Ed25519 public key (key confusion).',
    'ERR_ALG_NOT_ALLOWED',
    'UY',
    await algCase('alg-hs256', { alg: 'HS256', kid: AR.signing.kid }, (input) => new Uint8Array(createHmac('sha256', AR.signing.publicKey).update(input).digest())),
  );
  addInvalid(
    'jws-kid-differs',
    "JWS kid = AR's generation 1 key while sender_key_id names generation 2 (which signed).",
    'ERR_BAD_SIGNATURE',
    'UY',
    await algCase('kid-differs', { alg: 'EdDSA', kid: set('AR', 1).signing.kid }, ed25519(AR.signing.privateKey)),
  );
  addInvalid(
    'jws-crit',
    'JWS protected header {"alg":"EdDSA","kid":…,"b64":true,"crit":["b64"]}, correctly signed: JWS extensions are not allowed.',
    'ERR_BAD_SIGNATURE',
    'UY',
    await algCase('crit', { alg: 'EdDSA', kid: AR.signing.kid, b64: true, crit: ['b64'] }, ed25519(AR.signing.privateKey)),
  );
  addInvalid(
    'signed-by-another-key',
    "kid and sender_key_id name AR's current key, but UY's key made the signature.",
    'ERR_BAD_SIGNATURE',
    'UY',
    await algCase('other-key', { alg: 'EdDSA', kid: AR.signing.kid }, ed25519(UY.signing.privateKey)),
  );
  addInvalid(
    'bad-signature',
    'A correct JWS whose signature has its first byte xor 0x01.',
    'ERR_BAD_SIGNATURE',
    'UY',
    await algCase('bad-signature', { alg: 'EdDSA', kid: AR.signing.kid }, (input) => {
      const sig = ed25519(AR.signing.privateKey)(input);
      flip(sig, 0);
      return sig;
    }),
  );
  const notJws = await craft({
    label: 'not-jws',
    header: { ...base.header, id: uuidv7(NOW - MIN, seed('case not-jws id')) },
    body: new Uint8Array(),
    signer: signer(AR),
    sealTo: [UY.encryption.publicKey],
    jws: () => 'not a JWS',
  });
  addInvalid('plaintext-not-a-jws', 'The decrypted plaintext is "not a JWS".', 'ERR_BAD_SIGNATURE', 'UY', notJws.bytes);
}
