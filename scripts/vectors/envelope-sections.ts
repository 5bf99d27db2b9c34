import type { CaseOut } from './envelope-kit.js';

/**
 * The spec section of each envelope case of the first edition, which was built before cases
 * named one (the later ones pass theirs to addInvalid). Every case of envelope-v1.json names
 * the section it tests; a case missing from here and without its own fails the generator.
 */
const FIRST_EDITION: Record<string, string> = {
  request: '§7, §8',
  'request-between-authorities': '§2, §7, §8',
  'two-recipients-opened-by-uy': '§7 (several recipients), §8 step 8',
  'two-recipients-opened-by-cl': '§7 (several recipients), §8 step 8',
  'receipt-accepted': '§10',
  'previous-signing-key-in-overlap': '§4.4, §4.6, §8 step 9',
  'previous-encryption-key-in-overlap': '§4.5, §4.6, §8 step 8',
  'empty-body': '§5, §8',
  'created-at-at-skew-limit': '§8 step 7, §12',
  'expires-one-ms-after-now': '§8 step 6, §12',
  'receipt-rejected': '§10',
  expired: '§8 step 6, §12',
  'expires-at-now': '§8 step 6, §12',
  'dated-in-the-future': '§8 step 7, §12',
  'wrong-network': '§8 step 4',
  'unsupported-version': '§8 step 3, §13',
  truncated: '§8 step 2',
  'trailing-bytes': '§8 step 2',
  'id-not-uuidv7': '§8 step 5',
  'sealed-keys-count-mismatch': '§8 step 5',
  'header-not-canonical': '§5, §8 step 5',
  oversize: '§8 step 1',
  'wrong-recipient': '§8 step 8',
  'wrong-recipient-key-id': '§8 step 8',
  'unknown-key-id': '§4.4, §8 step 9',
  'unknown-sender-node': '§4.4, §8 step 9',
  'revoked-key': '§4.4, §4.7, §8 step 9',
  'suspended-node': '§4.4, §4.7, §8 step 9',
  'expired-signing-key': '§4.4, §8 step 9',
  'backdated-with-expired-key': '§4.4, §8 step 9',
  'created-before-signing-key': '§4.4, §8 step 9',
  'tampered-ciphertext': '§7, §8 step 10',
  'tampered-nonce': '§7, §8 step 10',
  'tampered-sealed-key': '§7, §8 step 10',
  'tampered-header-kind': '§7 (the header as associated data), §8 step 10',
  'tampered-header-created-at': '§7 (the header as associated data), §8 step 10',
  'forwarded-to-third-party': '§8 step 13',
  'alg-none': '§6, §8 step 11b',
  'alg-hs256': '§6, §8 step 11b',
  'jws-kid-differs': '§6, §8 step 11c',
  'jws-crit': '§6, §8 step 11d',
  'signed-by-another-key': '§8 step 12',
  'bad-signature': '§8 step 12',
  'plaintext-not-a-jws': '§6, §8 step 11a',
};

/** The cases with their section right after their name. */
export function withSections(cases: CaseOut[]): CaseOut[] {
  return cases.map((c) => {
    const section = c.section ?? FIRST_EDITION[c.name];
    if (section === undefined) throw new Error(`envelope case ${c.name} names no spec section`);
    const { name, ...rest } = c;
    return { name, section, ...rest };
  });
}
