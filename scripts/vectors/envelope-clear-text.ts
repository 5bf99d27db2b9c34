import { EnvelopeHeader } from '../../generated/enlace/v1/envelope.js';
import { KIND, MAX_FUTURE_SKEW_MS, uuidv7, type Sealed } from '../../services/envelope/index.js';
import type { EnvelopeCaseBook } from './envelope-book.js';
import { craft, DAY, MIN, NOW, requestBody, seed, sha256 } from './envelope-kit.js';
import { RECEIVED_AT, type BaseCase } from './envelope-valid.js';

/** Invalid envelopes of the clear-text checks that the order cases reuse. */
export interface ClearTextCases {
  expired: Sealed;
  v2: { bytes: Uint8Array };
  unknown: Sealed;
  revoked: Sealed;
}

/** Invalid cases of the clear-text checks (§8 steps 1 to 9), with the rejection receipt of one of them. */
export async function clearTextCases(book: EnvelopeCaseBook, base: BaseCase): Promise<ClearTextCases> {
  const { expired, v2 } = await lifetimeAndFormCases(book, base);
  const { unknown, revoked } = await recipientAndKeyCases(book);
  return { expired, v2, unknown, revoked };
}

/** Expiry, the clock, the network, the version and the encoding. */
async function lifetimeAndFormCases(book: EnvelopeCaseBook, { base }: BaseCase): Promise<Pick<ClearTextCases, 'expired' | 'v2'>> {
  const { AR, UY, CL, to, signer, addInvalid } = book;
  const arToUy = { from: 'AR', to: [to('UY', UY)], kind: KIND.request, signer: signer(AR) };
  const expired = await book.sealCase('expired', { ...arToUy, body: requestBody(20, 'Too late'), now: NOW - 8 * DAY, expiresAt: NOW - DAY });
  addInvalid('expired', 'expires_at = now - 1 day.', 'ERR_EXPIRED', 'UY', expired.bytes);

  const expiresNow = await book.sealCase('expires-now', { ...arToUy, body: requestBody(21, 'Expires now'), now: NOW - DAY, expiresAt: NOW });
  addInvalid('expires-at-now', 'expires_at = now exactly: expired (an envelope is valid while now < expires_at).', 'ERR_EXPIRED', 'UY', expiresNow.bytes);

  await book.sealReceiptCase('receipt-rejected', { envelopeId: expired.header.id, envelopeSha256: sha256(expired.bytes), receivedAt: RECEIVED_AT, outcome: 'rejected', reasonCode: 'ERR_EXPIRED' });
  book.addValid('receipt-rejected', 'A rejection receipt: UY answers the envelope of case "expired" with outcome REJECTED and reason ERR_EXPIRED.', 'AR', 'receipt-rejected', {
    receipt: book.receiptJson('receipt-rejected'),
  });

  const future = await book.sealCase('future', { ...arToUy, body: requestBody(22, 'Clock too far ahead'), now: NOW + MAX_FUTURE_SKEW_MS + 1 });
  addInvalid('dated-in-the-future', 'created_at = now + 5 minutes + 1 ms.', 'ERR_NOT_YET_VALID', 'UY', future.bytes);

  const otherNet = await book.sealCase('wrong-network', { ...arToUy, networkId: 'enlace-other', body: requestBody(23, 'Other network'), now: NOW - MIN });
  addInvalid('wrong-network', 'network_id "enlace-other", otherwise correctly signed and sealed.', 'ERR_WRONG_NETWORK', 'UY', otherNet.bytes);

  const handmadeTo = (label: string, header: EnvelopeHeader, n: number, subject: string, sealTo = [UY.encryption.publicKey], headerBytes?: Uint8Array) =>
    craft({ label, header, ...(headerBytes === undefined ? {} : { headerBytes }), body: requestBody(n, subject), signer: signer(AR), sealTo });
  const v2 = await handmadeTo('version-2', { ...base.header, version: 2, id: uuidv7(NOW - MIN, seed('case version-2 id')) }, 24, 'From the future');
  addInvalid('unsupported-version', 'header.version = 2, otherwise correctly signed and sealed.', 'ERR_UNSUPPORTED_VERSION', 'UY', v2.bytes);

  addInvalid('truncated', 'The envelope of case "request" cut to its first half.', 'ERR_MALFORMED', 'UY', base.bytes.slice(0, Math.floor(base.bytes.length / 2)));
  addInvalid(
    'trailing-bytes',
    'The envelope of case "request" followed by an empty unknown field 5 (bytes 2a 00): not the canonical encoding.',
    'ERR_MALFORMED',
    'UY',
    new Uint8Array([...base.bytes, 0x2a, 0x00]),
  );

  const v4Id = '0193f1c2-7a4b-4c1d-9e2f-3a4b5c6d7e8f';
  const badId = await handmadeTo('id-v4', { ...base.header, id: v4Id }, 25, 'Bad id');
  addInvalid('id-not-uuidv7', `header.id = "${v4Id}" (version nibble 4).`, 'ERR_MALFORMED', 'UY', badId.bytes);

  const count = await handmadeTo('count', { ...base.header, id: uuidv7(NOW - MIN, seed('case count id')) }, 26, 'Two keys, one recipient', [UY.encryption.publicKey, CL.encryption.publicKey]);
  addInvalid('sealed-keys-count-mismatch', 'One entry in header.to but two sealed_keys.', 'ERR_MALFORMED', 'UY', count.bytes);

  const reordered = { ...base.header, id: uuidv7(NOW - MIN, seed('case reordered id')) };
  const reorderedBytes = new Uint8Array([...EnvelopeHeader.encode({ ...reordered, version: 0 }).finish(), 0x08, 0x01]);
  const nonCanonical = await handmadeTo('reordered', reordered, 27, 'Fields out of order', undefined, reorderedBytes);
  addInvalid('header-not-canonical', 'Header with field 1 (version) encoded last; signed and encrypted over those exact bytes. Not the canonical encoding.', 'ERR_MALFORMED', 'UY', nonCanonical.bytes);

  addInvalid(
    'oversize',
    'The envelope of case "request" checked with a maximum of its length minus one byte (stands for the 8 MiB default).',
    'ERR_TOO_LARGE',
    'UY',
    base.bytes,
    base.bytes.length - 1,
  );
  addInvalid('wrong-recipient', 'The envelope of case "request" (to UY) presented to CL.', 'ERR_WRONG_RECIPIENT', 'CL', base.bytes);
  return { expired, v2 };
}

/** The recipient's key id and the sender's key: unknown, revoked, suspended, out of its validity. */
async function recipientAndKeyCases(book: EnvelopeCaseBook): Promise<Pick<ClearTextCases, 'unknown' | 'revoked'>> {
  const { AR, UY, CL, to, signer, set, addInvalid } = book;
  const { stranger } = book.network;
  const toUy = { to: [to('UY', UY)], kind: KIND.request, now: NOW - MIN };
  const wrongKid = await book.sealCase('wrong-kid', {
    ...toUy,
    from: 'AR',
    to: [{ address: 'UY', keyId: CL.encryption.kid, publicKey: CL.encryption.publicKey }],
    body: requestBody(28, 'Wrong key id'),
    signer: signer(AR),
  });
  addInvalid('wrong-recipient-key-id', 'Addressed to "UY" with a key id that is not one of UY\'s X25519 keys.', 'ERR_WRONG_RECIPIENT', 'UY', wrongKid.bytes);

  const unknown = await book.sealCase('unknown-key', { ...toUy, from: 'AR', body: requestBody(29, 'Unknown key'), signer: signer(stranger) });
  addInvalid('unknown-key-id', 'sender_key_id is a key no descriptor of AR lists (the "stranger" key), correctly signed with it.', 'ERR_UNKNOWN_KEY', 'UY', unknown.bytes);
  const unknownNode = await book.sealCase('unknown-node', { ...toUy, from: 'MX', body: requestBody(30, 'Unknown node'), signer: signer(stranger) });
  addInvalid('unknown-sender-node', 'From "MX", which has no descriptor.', 'ERR_UNKNOWN_KEY', 'UY', unknownNode.bytes);

  const revoked = await book.sealCase('revoked', { ...toUy, from: 'CL', body: requestBody(31, 'Revoked key'), signer: signer(set('CL', 1)) });
  addInvalid('revoked-key', "Signed with CL's generation 1 key, which CL's descriptor marks revoked.", 'ERR_KEY_REVOKED', 'UY', revoked.bytes);
  const suspended = await book.sealCase('suspended', { ...toUy, from: 'PY', body: requestBody(32, 'Suspended node'), signer: signer(set('PY')) });
  addInvalid('suspended-node', 'From PY, whose descriptor status is "suspended".', 'ERR_KEY_REVOKED', 'UY', suspended.bytes);

  const expiredKey = await book.sealCase('expired-key', { ...toUy, from: 'BR', body: requestBody(33, 'Expired key'), signer: signer(set('BR', 1)) });
  addInvalid('expired-signing-key', "Signed with BR's generation 1 key, whose notAfter is 35 days before now.", 'ERR_KEY_NOT_VALID', 'UY', expiredKey.bytes);
  const backdated = await book.sealCase('backdated', { ...toUy, from: 'BR', body: requestBody(34, 'Backdated'), signer: signer(set('BR', 1)), now: NOW - 40 * DAY, expiresAt: NOW + DAY });
  addInvalid(
    'backdated-with-expired-key',
    "BR's generation 1 key, created_at = now - 40 days (inside the key's window) and expires_at = now + 1 day: the key must also be valid now.",
    'ERR_KEY_NOT_VALID',
    'UY',
    backdated.bytes,
  );
  const early = await book.sealCase('before-key', { ...toUy, from: 'AR', body: requestBody(35, 'Before the key'), signer: signer(AR), now: NOW - 31 * DAY, expiresAt: NOW + DAY });
  addInvalid('created-before-signing-key', "Signed with AR's generation 2 key, created_at = now - 31 days, one day before that key's notBefore.", 'ERR_KEY_NOT_VALID', 'UY', early.bytes);
  return { unknown, revoked };
}
