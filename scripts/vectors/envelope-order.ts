import { b64u, type RejectionCode } from '../../keys/index.js';
import { KIND, MAX_FUTURE_SKEW_MS } from '../../services/envelope/index.js';
import type { EnvelopeCaseBook } from './envelope-book.js';
import type { ClearTextCases } from './envelope-clear-text.js';
import type { AlgCase } from './envelope-crypto.js';
import { jwsTools } from './envelope-jws.js';
import { craft, DAY, edit, flip, fromB64uStrict, MIN, NOW, requestBody } from './envelope-kit.js';
import type { BaseCase } from './envelope-valid.js';

const ORDER_SECTION = '§8 (order of the checks)';

/** Invalid cases where two checks fail: the first in §8's order decides, through the clear-text steps. */
export async function clearTextOrderCases(book: EnvelopeCaseBook, { base }: BaseCase, { v2, expired, unknown, revoked }: ClearTextCases): Promise<void> {
  const { UY, to, signer } = book;
  const order = orderOf(book);
  const truncated = base.bytes.slice(0, Math.floor(base.bytes.length / 2));
  order(
    'two-checks-too-large-and-truncated',
    'The envelope of case "truncated" checked with a maximum of its length minus one: step 1 before step 2.',
    'ERR_TOO_LARGE',
    'UY',
    truncated,
    truncated.length - 1,
  );
  order(
    'two-checks-unsupported-version-and-trailing-bytes',
    'The envelope of case "unsupported-version" followed by an empty unknown field 5 (not canonical): step 3 before step 5 (a version-1 parser skips the unknown field, §13).',
    'ERR_UNSUPPORTED_VERSION',
    'UY',
    new Uint8Array([...v2.bytes, 0x2a, 0x00]),
  );
  const otherNetExpired = await book.sealCase('two-wrong-network-expired', {
    networkId: 'enlace-other',
    from: 'AR',
    to: [to('UY', UY)],
    kind: KIND.request,
    body: requestBody(50, 'Other network, expired'),
    signer: signer(book.AR),
    now: NOW - 8 * DAY,
    expiresAt: NOW - DAY,
  });
  order('two-checks-wrong-network-and-expired', 'network_id "enlace-other" and expires_at = now - 1 day: step 4 before step 6.', 'ERR_WRONG_NETWORK', 'UY', otherNetExpired.bytes);
  order('two-checks-expired-and-wrong-recipient', 'The envelope of case "expired" (to UY) presented to CL: step 6 before step 8.', 'ERR_EXPIRED', 'CL', expired.bytes);
  const futureUnknown = await book.sealCase('two-future-unknown-node', {
    from: 'MX',
    to: [to('UY', UY)],
    kind: KIND.request,
    body: requestBody(51, 'Future, unknown node'),
    signer: signer(book.network.stranger),
    now: NOW + MAX_FUTURE_SKEW_MS + MIN,
  });
  order('two-checks-not-yet-valid-and-unknown-node', 'From "MX" (no descriptor), created_at = now + 6 minutes: step 7 before step 9.', 'ERR_NOT_YET_VALID', 'UY', futureUnknown.bytes);
  order('two-checks-wrong-recipient-and-unknown-key', 'The envelope of case "unknown-key-id" (to UY) presented to CL: step 8 before step 9.', 'ERR_WRONG_RECIPIENT', 'CL', unknown.bytes);
  order(
    'two-checks-revoked-key-and-tampered-ciphertext',
    'The envelope of case "revoked-key" with one ciphertext byte changed: step 9 (a clear-text check) before step 10.',
    'ERR_KEY_REVOKED',
    'UY',
    edit(revoked.bytes, (e) => flip(e.ciphertext, e.ciphertext.length >> 1)),
  );
}

/** Invalid cases where two checks of the JWS and the signed header fail (§8 steps 11 to 13). */
export async function jwsOrderCases(book: EnvelopeCaseBook, baseCase: BaseCase, algCase: AlgCase): Promise<void> {
  const { AR, CL, set, signer } = book;
  const { base, handmade } = baseCase;
  const order = orderOf(book);
  const { jwsCase, arHeader } = jwsTools({ base, AR, UY: book.UY, set, signer, addInvalid: book.addInvalid });
  order(
    'two-checks-duplicate-member-and-alg-none',
    'Protected header {"alg":"none","kid":…,"alg":"none"}: the duplicate (step 11a) before the algorithm (step 11b).',
    'ERR_BAD_SIGNATURE',
    'UY',
    await jwsCase('two-duplicate-alg-none', (c) => `${arHeader(`{"alg":"none","kid":"${AR.signing.kid}","alg":"none"}`)}.${b64u(c)}.`),
  );
  order(
    'two-checks-alg-none-and-kid-differs',
    'Protected header {"alg":"none","kid":<AR generation 1 kid>} while sender_key_id names generation 2: step 11b before step 11c.',
    'ERR_ALG_NOT_ALLOWED',
    'UY',
    await algCase('two-alg-none-kid', { alg: 'none', kid: set('AR', 1).signing.kid }, () => new Uint8Array()),
  );
  const forwardedBadSig = await craft({
    label: 'two-forwarded-bad-signature',
    header: { ...base.header, to: [{ address: 'CL', keyId: CL.encryption.kid }] },
    body: new Uint8Array(),
    signer: signer(AR),
    sealTo: [CL.encryption.publicKey],
    jws: () => {
      const [h, p, sig] = handmade.jws.split('.');
      const bytes = fromB64uStrict(sig!);
      flip(bytes, 0);
      return `${h}.${p}.${b64u(bytes)}`;
    },
  });
  order(
    'two-checks-bad-signature-and-header-mismatch',
    'The forwarded JWS of case "forwarded-to-third-party" with its signature\'s first byte xor 0x01: step 12 before step 13.',
    'ERR_BAD_SIGNATURE',
    'CL',
    forwardedBadSig.bytes,
  );
}

function orderOf(book: EnvelopeCaseBook) {
  return (name: string, description: string, error: RejectionCode, recipient: string, bytes: Uint8Array, maxBytes?: number) =>
    book.addInvalid(name, description, error, recipient, bytes, maxBytes, ORDER_SECTION);
}
