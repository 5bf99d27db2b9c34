import { b64u } from '../../keys/index.js';
import { KIND, MAX_FUTURE_SKEW_MS, type Sealed } from '../../services/envelope/index.js';
import type { EnvelopeCaseBook } from './envelope-book.js';
import { craft, DAY, MIN, NOW, requestBody, sha256 } from './envelope-kit.js';

/** When UY received the envelopes its receipt cases answer. */
export const RECEIVED_AT = NOW - 9 * MIN;

/** The base case, "request", that many invalid cases alter, and its JWS built by hand. */
export interface BaseCase {
  base: Sealed;
  handmade: { bytes: Uint8Array; jws: string };
}

/**
 * The first valid case, sealed twice: by `seal` and by the generator's hand-built pipeline,
 * which the invalid cases use; the two must give the same bytes.
 */
export async function baseCase(book: EnvelopeCaseBook): Promise<BaseCase> {
  const { AR, UY, to, signer } = book;
  const base = await book.sealCase('request', { from: 'AR', to: [to('UY', UY)], kind: KIND.request, body: requestBody(1, 'Nationality verification'), signer: signer(AR), now: NOW - 10 * MIN });
  const handmade = await craft({ label: 'request', header: base.header, body: requestBody(1, 'Nationality verification'), signer: signer(AR), sealTo: [UY.encryption.publicKey] });
  if (b64u(handmade.bytes) !== b64u(base.bytes)) throw new Error('the hand-built pipeline differs from seal(); the generator is out of date');
  book.addValid('request', 'AR (current key) to UY, kind "request", default lifetime of 7 days.', 'UY', 'request');
  return { base, handmade };
}

/** Valid cases: addresses, several recipients, a receipt, keys in their rotation overlap, the edges of the clock. */
export async function validCases(book: EnvelopeCaseBook, { base }: BaseCase): Promise<void> {
  const { AR, UY, CL, to, signer, set } = book;
  const arToUy = { from: 'AR', to: [to('UY', UY)], kind: KIND.request, signer: signer(AR) };
  await book.sealCase('authorities', { ...arToUy, from: 'AR/fiscalia-trata', to: [to('UY/cancilleria', UY)], body: requestBody(2, 'Criminal records request'), now: NOW - 20 * MIN });
  book.addValid('request-between-authorities', 'Addresses with authority slugs: from "AR/fiscalia-trata" to "UY/cancilleria".', 'UY', 'authorities');

  await book.sealCase('two', { ...arToUy, to: [to('UY', UY), to('CL', CL)], body: requestBody(3, 'Mutual legal assistance'), now: NOW - 30 * MIN });
  book.addValid('two-recipients-opened-by-uy', 'One envelope to UY and CL (two sealed keys); UY opens it with sealed_keys[0].', 'UY', 'two');
  book.addValid('two-recipients-opened-by-cl', 'The same envelope bytes as two-recipients-opened-by-uy; CL opens it with sealed_keys[1].', 'CL', 'two');

  await book.sealReceiptCase('receipt-accepted', { envelopeId: base.header.id, envelopeSha256: sha256(base.bytes), receivedAt: RECEIVED_AT, outcome: 'accepted' });
  book.addValid('receipt-accepted', 'UY acknowledges the envelope of case "request": kind "receipt", body enlace.v1.Receipt bound to its SHA-256.', 'AR', 'receipt-accepted', {
    receipt: book.receiptJson('receipt-accepted'),
  });

  await book.sealCase('previous-signing-key', { ...arToUy, body: requestBody(5, 'Sent before rotation'), signer: signer(set('AR', 1)), now: NOW - 40 * MIN });
  book.addValid('previous-signing-key-in-overlap', "Signed with AR's generation 1 key, which is still valid during the rotation overlap.", 'UY', 'previous-signing-key');

  await book.sealCase('previous-encryption-key', {
    from: 'UY',
    to: [to('AR', set('AR', 1))],
    kind: KIND.request,
    body: requestBody(6, 'Sealed to the previous key'),
    signer: signer(UY),
    now: NOW - 50 * MIN,
  });
  book.addValid('previous-encryption-key-in-overlap', "UY seals to AR's generation 1 X25519 key; AR still holds it and opens the envelope.", 'AR', 'previous-encryption-key');

  await book.sealCase('empty-body', { ...arToUy, body: new Uint8Array(), now: NOW - 60 * MIN });
  book.addValid('empty-body', 'Empty body: Content.body is absent from the encoding (proto3 default).', 'UY', 'empty-body');

  await book.sealCase('skew-limit', { ...arToUy, body: requestBody(8, 'Clock ahead'), now: NOW + MAX_FUTURE_SKEW_MS });
  book.addValid('created-at-at-skew-limit', 'created_at = now + 5 minutes exactly: still accepted.', 'UY', 'skew-limit');

  await book.sealCase('expires-soon', { ...arToUy, body: requestBody(9, 'About to expire'), now: NOW - DAY, expiresAt: NOW + 1 });
  book.addValid('expires-one-ms-after-now', 'expires_at = now + 1 ms: still accepted.', 'UY', 'expires-soon');
}
