import { createHmac } from 'node:crypto';
import { Content, Envelope, EnvelopeHeader, Receipt, receiptOutcomeToJSON } from '../../generated/enlace/v1/envelope.js';
import { b64u, describeNode, getSodium, keySetFromSecrets, signDescriptor, signingKeyFromSeed, type NodeKeySet, type RejectionCode, type SigningKey } from '../../keys/index.js';
import { DEFAULT_MAX_ENVELOPE_BYTES, KIND, MAX_FUTURE_SKEW_MS, seal, sealReceipt, uuidv7, type Sealed, type SealInput } from '../../services/envelope/index.js';
import { jwsTools, strictJwsCases } from './envelope-jws.js';
import {
  compactJws,
  contentOf,
  craft,
  DAY,
  edit,
  ed25519,
  flip,
  fromB64uStrict,
  headerJson,
  MIN,
  NETWORK_ID,
  NOW,
  PLANS,
  randomFor,
  requestBody,
  seed,
  sha256,
  VALID_DAYS,
  type CaseOut,
  type Node,
  type Random,
} from './envelope-kit.js';

/** Builds the whole vector file; the same text on every run. */
export async function buildVectors(): Promise<string> {
  const sodium = await getSodium();
  const anchorKey = await signingKeyFromSeed(seed('anchor'));
  const anchor = { networkId: NETWORK_ID, key: anchorKey };
  const nodes = new Map<string, Node>();
  const descriptors: Record<string, string> = {};
  for (const plan of PLANS) {
    const sets = await Promise.all(
      plan.generations.map((createdAt, i) =>
        keySetFromSecrets({ createdAt, signingSeed: seed(`key ${plan.country} ${i + 1} signing`), encryptionSecret: seed(`key ${plan.country} ${i + 1} encryption`) }),
      ),
    );
    nodes.set(plan.country, { plan, sets });
    const revokedKids = (plan.revokedGenerations ?? []).flatMap((g) => [sets[g - 1]!.signing.kid, sets[g - 1]!.encryption.kid]);
    const descriptor = describeNode(NETWORK_ID, { country: plan.country, sets }, { now: NOW - DAY, validDays: VALID_DAYS, serial: plan.serial ?? 1, status: plan.status, revokedKids });
    descriptors[plan.country] = await signDescriptor(descriptor, anchor);
  }
  const stranger = await signingKeyFromSeed(seed('key stranger signing'));

  const set = (country: string, generation?: number): NodeKeySet => {
    const sets = nodes.get(country)!.sets;
    return sets[(generation ?? sets.length) - 1]!;
  };
  const to = (address: string, s: NodeKeySet) => ({ address, keyId: s.encryption.kid, publicKey: s.encryption.publicKey });
  const signer = (s: NodeKeySet | SigningKey) => ('signing' in s ? { kid: s.signing.kid, privateKey: s.signing.privateKey } : { kid: s.kid, privateKey: s.privateKey });
  const AR = set('AR');
  const UY = set('UY');
  const CL = set('CL');

  const cases: CaseOut[] = [];
  const sealed = new Map<string, Sealed>();
  const contentKeys = new Map<string, Random>();

  /** Seals a valid envelope with `seal` and deterministic randomness. */
  async function sealCase(label: string, input: Omit<SealInput, 'fixedRandom' | 'id' | 'networkId'> & { networkId?: string }): Promise<Sealed> {
    const random = randomFor(label, input.to.length);
    const s = await seal({ networkId: NETWORK_ID, ...input, id: uuidv7(input.now, random.idRandom), fixedRandom: random });
    sealed.set(label, s);
    contentKeys.set(label, random);
    return s;
  }

  function addValid(name: string, description: string, recipient: string, label: string, extra: Record<string, unknown> = {}): void {
    const s = sealed.get(label)!;
    const r = contentKeys.get(label)!;
    const jws = decryptedJws(s.bytes, r.contentKey);
    const body = Content.decode(contentOf(jws)).body;
    cases.push({
      name,
      description,
      valid: true,
      recipient,
      envelope: b64u(s.bytes),
      expected: {
        header: headerJson(s.header),
        body: b64u(body),
        bodyType: s.header.kind === KIND.receipt ? 'enlace.v1.Receipt' : 'enlace.v1.RequestBody',
        ...extra,
        sha256: b64u(sha256(s.bytes)),
        intermediate: { headerBytes: b64u(s.headerBytes), jws, contentKey: b64u(r.contentKey), ephemeralSecrets: r.ephemeral.map(b64u) },
      },
    });
  }

  function decryptedJws(bytes: Uint8Array, contentKey: Uint8Array): string {
    const e = Envelope.decode(bytes);
    return new TextDecoder().decode(sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, e.ciphertext, e.header, e.nonce, contentKey));
  }

  function addInvalid(name: string, description: string, error: RejectionCode, recipient: string, bytes: Uint8Array, maxBytes?: number, section?: string): void {
    cases.push({ name, ...(section === undefined ? {} : { section }), description, valid: false, error, recipient, ...(maxBytes === undefined ? {} : { maxBytes }), envelope: b64u(bytes) });
  }

  // ---- valid ----
  const base = await sealCase('request', { from: 'AR', to: [to('UY', UY)], kind: KIND.request, body: requestBody(1, 'Nationality verification'), signer: signer(AR), now: NOW - 10 * MIN });
  const handmade = await craft({ label: 'request', header: base.header, body: requestBody(1, 'Nationality verification'), signer: signer(AR), sealTo: [UY.encryption.publicKey] });
  if (b64u(handmade.bytes) !== b64u(base.bytes)) throw new Error('the hand-built pipeline differs from seal(); the generator is out of date');
  addValid('request', 'AR (current key) to UY, kind "request", default lifetime of 7 days.', 'UY', 'request');

  await sealCase('authorities', {
    from: 'AR/fiscalia-trata',
    to: [to('UY/cancilleria', UY)],
    kind: KIND.request,
    body: requestBody(2, 'Criminal records request'),
    signer: signer(AR),
    now: NOW - 20 * MIN,
  });
  addValid('request-between-authorities', 'Addresses with authority slugs: from "AR/fiscalia-trata" to "UY/cancilleria".', 'UY', 'authorities');

  await sealCase('two', { from: 'AR', to: [to('UY', UY), to('CL', CL)], kind: KIND.request, body: requestBody(3, 'Mutual legal assistance'), signer: signer(AR), now: NOW - 30 * MIN });
  addValid('two-recipients-opened-by-uy', 'One envelope to UY and CL (two sealed keys); UY opens it with sealed_keys[0].', 'UY', 'two');
  addValid('two-recipients-opened-by-cl', 'The same envelope bytes as two-recipients-opened-by-uy; CL opens it with sealed_keys[1].', 'CL', 'two');

  const receivedAt = NOW - 9 * MIN;
  await sealCaseReceipt('receipt-accepted', {
    envelopeId: base.header.id,
    envelopeSha256: sha256(base.bytes),
    receivedAt,
    outcome: 'accepted',
  });
  addValid('receipt-accepted', 'UY acknowledges the envelope of case "request": kind "receipt", body enlace.v1.Receipt bound to its SHA-256.', 'AR', 'receipt-accepted', {
    receipt: receiptJson('receipt-accepted'),
  });

  await sealCase('previous-signing-key', { from: 'AR', to: [to('UY', UY)], kind: KIND.request, body: requestBody(5, 'Sent before rotation'), signer: signer(set('AR', 1)), now: NOW - 40 * MIN });
  addValid('previous-signing-key-in-overlap', "Signed with AR's generation 1 key, which is still valid during the rotation overlap.", 'UY', 'previous-signing-key');

  await sealCase('previous-encryption-key', {
    from: 'UY',
    to: [to('AR', set('AR', 1))],
    kind: KIND.request,
    body: requestBody(6, 'Sealed to the previous key'),
    signer: signer(UY),
    now: NOW - 50 * MIN,
  });
  addValid('previous-encryption-key-in-overlap', "UY seals to AR's generation 1 X25519 key; AR still holds it and opens the envelope.", 'AR', 'previous-encryption-key');

  await sealCase('empty-body', { from: 'AR', to: [to('UY', UY)], kind: KIND.request, body: new Uint8Array(), signer: signer(AR), now: NOW - 60 * MIN });
  addValid('empty-body', 'Empty body: Content.body is absent from the encoding (proto3 default).', 'UY', 'empty-body');

  await sealCase('skew-limit', { from: 'AR', to: [to('UY', UY)], kind: KIND.request, body: requestBody(8, 'Clock ahead'), signer: signer(AR), now: NOW + MAX_FUTURE_SKEW_MS });
  addValid('created-at-at-skew-limit', 'created_at = now + 5 minutes exactly: still accepted.', 'UY', 'skew-limit');

  await sealCase('expires-soon', { from: 'AR', to: [to('UY', UY)], kind: KIND.request, body: requestBody(9, 'About to expire'), signer: signer(AR), now: NOW - DAY, expiresAt: NOW + 1 });
  addValid('expires-one-ms-after-now', 'expires_at = now + 1 ms: still accepted.', 'UY', 'expires-soon');

  // ---- invalid: clear-text checks ----
  const expired = await sealCase('expired', { from: 'AR', to: [to('UY', UY)], kind: KIND.request, body: requestBody(20, 'Too late'), signer: signer(AR), now: NOW - 8 * DAY, expiresAt: NOW - DAY });
  addInvalid('expired', 'expires_at = now - 1 day.', 'ERR_EXPIRED', 'UY', expired.bytes);

  const expiresNow = await sealCase('expires-now', { from: 'AR', to: [to('UY', UY)], kind: KIND.request, body: requestBody(21, 'Expires now'), signer: signer(AR), now: NOW - DAY, expiresAt: NOW });
  addInvalid('expires-at-now', 'expires_at = now exactly: expired (an envelope is valid while now < expires_at).', 'ERR_EXPIRED', 'UY', expiresNow.bytes);

  await sealCaseReceipt('receipt-rejected', { envelopeId: expired.header.id, envelopeSha256: sha256(expired.bytes), receivedAt, outcome: 'rejected', reasonCode: 'ERR_EXPIRED' });
  addValid('receipt-rejected', 'A rejection receipt: UY answers the envelope of case "expired" with outcome REJECTED and reason ERR_EXPIRED.', 'AR', 'receipt-rejected', {
    receipt: receiptJson('receipt-rejected'),
  });

  const future = await sealCase('future', { from: 'AR', to: [to('UY', UY)], kind: KIND.request, body: requestBody(22, 'Clock too far ahead'), signer: signer(AR), now: NOW + MAX_FUTURE_SKEW_MS + 1 });
  addInvalid('dated-in-the-future', 'created_at = now + 5 minutes + 1 ms.', 'ERR_NOT_YET_VALID', 'UY', future.bytes);

  const otherNet = await sealCase('wrong-network', {
    networkId: 'enlace-other',
    from: 'AR',
    to: [to('UY', UY)],
    kind: KIND.request,
    body: requestBody(23, 'Other network'),
    signer: signer(AR),
    now: NOW - MIN,
  });
  addInvalid('wrong-network', 'network_id "enlace-other", otherwise correctly signed and sealed.', 'ERR_WRONG_NETWORK', 'UY', otherNet.bytes);

  const v2 = await craft({
    label: 'version-2',
    header: { ...base.header, version: 2, id: uuidv7(NOW - MIN, seed('case version-2 id')) },
    body: requestBody(24, 'From the future'),
    signer: signer(AR),
    sealTo: [UY.encryption.publicKey],
  });
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
  const badId = await craft({ label: 'id-v4', header: { ...base.header, id: v4Id }, body: requestBody(25, 'Bad id'), signer: signer(AR), sealTo: [UY.encryption.publicKey] });
  addInvalid('id-not-uuidv7', `header.id = "${v4Id}" (version nibble 4).`, 'ERR_MALFORMED', 'UY', badId.bytes);

  const count = await craft({
    label: 'count',
    header: { ...base.header, id: uuidv7(NOW - MIN, seed('case count id')) },
    body: requestBody(26, 'Two keys, one recipient'),
    signer: signer(AR),
    sealTo: [UY.encryption.publicKey, CL.encryption.publicKey],
  });
  addInvalid('sealed-keys-count-mismatch', 'One entry in header.to but two sealed_keys.', 'ERR_MALFORMED', 'UY', count.bytes);

  const reordered = { ...base.header, id: uuidv7(NOW - MIN, seed('case reordered id')) };
  const reorderedBytes = new Uint8Array([...EnvelopeHeader.encode({ ...reordered, version: 0 }).finish(), 0x08, 0x01]);
  const nonCanonical = await craft({
    label: 'reordered',
    header: reordered,
    headerBytes: reorderedBytes,
    body: requestBody(27, 'Fields out of order'),
    signer: signer(AR),
    sealTo: [UY.encryption.publicKey],
  });
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
  const wrongKid = await sealCase('wrong-kid', {
    from: 'AR',
    to: [{ address: 'UY', keyId: CL.encryption.kid, publicKey: CL.encryption.publicKey }],
    kind: KIND.request,
    body: requestBody(28, 'Wrong key id'),
    signer: signer(AR),
    now: NOW - MIN,
  });
  addInvalid('wrong-recipient-key-id', 'Addressed to "UY" with a key id that is not one of UY\'s X25519 keys.', 'ERR_WRONG_RECIPIENT', 'UY', wrongKid.bytes);

  const unknown = await sealCase('unknown-key', { from: 'AR', to: [to('UY', UY)], kind: KIND.request, body: requestBody(29, 'Unknown key'), signer: signer(stranger), now: NOW - MIN });
  addInvalid('unknown-key-id', 'sender_key_id is a key no descriptor of AR lists (the "stranger" key), correctly signed with it.', 'ERR_UNKNOWN_KEY', 'UY', unknown.bytes);
  const unknownNode = await sealCase('unknown-node', { from: 'MX', to: [to('UY', UY)], kind: KIND.request, body: requestBody(30, 'Unknown node'), signer: signer(stranger), now: NOW - MIN });
  addInvalid('unknown-sender-node', 'From "MX", which has no descriptor.', 'ERR_UNKNOWN_KEY', 'UY', unknownNode.bytes);

  const revoked = await sealCase('revoked', { from: 'CL', to: [to('UY', UY)], kind: KIND.request, body: requestBody(31, 'Revoked key'), signer: signer(set('CL', 1)), now: NOW - MIN });
  addInvalid('revoked-key', "Signed with CL's generation 1 key, which CL's descriptor marks revoked.", 'ERR_KEY_REVOKED', 'UY', revoked.bytes);
  const suspended = await sealCase('suspended', { from: 'PY', to: [to('UY', UY)], kind: KIND.request, body: requestBody(32, 'Suspended node'), signer: signer(set('PY')), now: NOW - MIN });
  addInvalid('suspended-node', 'From PY, whose descriptor status is "suspended".', 'ERR_KEY_REVOKED', 'UY', suspended.bytes);

  const expiredKey = await sealCase('expired-key', { from: 'BR', to: [to('UY', UY)], kind: KIND.request, body: requestBody(33, 'Expired key'), signer: signer(set('BR', 1)), now: NOW - MIN });
  addInvalid('expired-signing-key', "Signed with BR's generation 1 key, whose notAfter is 35 days before now.", 'ERR_KEY_NOT_VALID', 'UY', expiredKey.bytes);
  const backdated = await sealCase('backdated', {
    from: 'BR',
    to: [to('UY', UY)],
    kind: KIND.request,
    body: requestBody(34, 'Backdated'),
    signer: signer(set('BR', 1)),
    now: NOW - 40 * DAY,
    expiresAt: NOW + DAY,
  });
  addInvalid(
    'backdated-with-expired-key',
    "BR's generation 1 key, created_at = now - 40 days (inside the key's window) and expires_at = now + 1 day: the key must also be valid now.",
    'ERR_KEY_NOT_VALID',
    'UY',
    backdated.bytes,
  );
  const early = await sealCase('before-key', {
    from: 'AR',
    to: [to('UY', UY)],
    kind: KIND.request,
    body: requestBody(35, 'Before the key'),
    signer: signer(AR),
    now: NOW - 31 * DAY,
    expiresAt: NOW + DAY,
  });
  addInvalid('created-before-signing-key', "Signed with AR's generation 2 key, created_at = now - 31 days, one day before that key's notBefore.", 'ERR_KEY_NOT_VALID', 'UY', early.bytes);

  // ---- invalid: cryptographic checks ----
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

  const algCase = async (label: string, protectedHeader: Record<string, unknown>, signFn: (input: Buffer) => Uint8Array) =>
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

  const jwsKit = { base, AR, set, signer, UY, addInvalid };
  await strictJwsCases(jwsKit);
  const { jwsCase, arHeader } = jwsTools(jwsKit);

  // ---- invalid: two checks fail; the first in §8's order decides ----
  const order = (name: string, description: string, error: RejectionCode, recipient: string, bytes: Uint8Array, maxBytes?: number) =>
    addInvalid(name, description, error, recipient, bytes, maxBytes, '§8 (order of the checks)');
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
  const otherNetExpired = await sealCase('two-wrong-network-expired', {
    networkId: 'enlace-other',
    from: 'AR',
    to: [to('UY', UY)],
    kind: KIND.request,
    body: requestBody(50, 'Other network, expired'),
    signer: signer(AR),
    now: NOW - 8 * DAY,
    expiresAt: NOW - DAY,
  });
  order('two-checks-wrong-network-and-expired', 'network_id "enlace-other" and expires_at = now - 1 day: step 4 before step 6.', 'ERR_WRONG_NETWORK', 'UY', otherNetExpired.bytes);
  order('two-checks-expired-and-wrong-recipient', 'The envelope of case "expired" (to UY) presented to CL: step 6 before step 8.', 'ERR_EXPIRED', 'CL', expired.bytes);
  const futureUnknown = await sealCase('two-future-unknown-node', {
    from: 'MX',
    to: [to('UY', UY)],
    kind: KIND.request,
    body: requestBody(51, 'Future, unknown node'),
    signer: signer(stranger),
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

  const doc = {
    description: 'Enlace envelope v1 test vectors. Normative spec: docs/protocol.md. Generated by scripts/gen-vectors.ts (npm run vectors); do not edit.',
    warning: 'TEST ONLY. Every private key in this file is public. Never use these keys, this anchor or this network id outside tests.',
    format: {
      bytes: 'byte strings are base64url without padding (RFC 4648 §5)',
      times: 'times are integers, milliseconds since the Unix epoch, UTC',
      header: 'expected.header uses the protobuf JSON field names of enlace.v1.EnvelopeHeader; int64 values are JSON numbers',
      intermediate:
        'for valid cases: the exact header bytes, the decrypted JWS, the content key and the X25519 ephemeral secret of each sealed key, so that a sealer can reproduce `envelope` byte for byte',
      section: 'the spec section a case tests, where given; cases without one test §8',
      case: 'open `envelope` at `now` in network `networkId` as node `recipient`, holding every X25519 key of that node, trusting the descriptors verified under the anchor, with maximum size `maxBytes` if given, else `defaultMaxBytes`. valid=true: the result equals `expected`. valid=false: rejected with exactly `error`.',
    },
    networkId: NETWORK_ID,
    now: NOW,
    defaultMaxBytes: DEFAULT_MAX_ENVELOPE_BYTES,
    maxFutureSkewMs: MAX_FUTURE_SKEW_MS,
    anchor: { testOnly: true, kid: anchorKey.kid, publicJwk: { kty: 'OKP', crv: 'Ed25519', x: anchorKey.jwk.x } },
    nodes: Object.fromEntries(
      [...nodes.values()].map(({ plan, sets }) => [
        plan.country,
        {
          testOnly: true,
          note: plan.note,
          generations: sets.map((s, i) => ({
            generation: i + 1,
            createdAt: s.createdAt,
            signing: { kid: s.signing.kid, privateJwk: { kty: 'OKP', crv: 'Ed25519', x: s.signing.jwk.x, d: b64u(s.signing.seed) } },
            encryption: { kid: s.encryption.kid, privateJwk: { kty: 'OKP', crv: 'X25519', x: s.encryption.jwk.x, d: b64u(s.encryption.secretKey) } },
          })),
        },
      ]),
    ),
    otherKeys: {
      stranger: { testOnly: true, note: 'an Ed25519 key no descriptor lists', signing: { kid: stranger.kid, privateJwk: { kty: 'OKP', crv: 'Ed25519', x: stranger.jwk.x, d: b64u(stranger.seed) } } },
    },
    descriptors,
    cases: [...cases.filter((c) => c.valid), ...cases.filter((c) => !c.valid)],
  };
  return JSON.stringify(doc, null, 2) + '\n';

  async function sealCaseReceipt(label: string, facts: Parameters<typeof sealReceipt>[0]): Promise<void> {
    const random = randomFor(label, 1);
    const s = await sealReceipt(facts, {
      networkId: NETWORK_ID,
      from: 'UY',
      to: [to('AR', AR)],
      signer: signer(UY),
      now: facts.receivedAt,
      id: uuidv7(facts.receivedAt, random.idRandom),
      fixedRandom: random,
    });
    sealed.set(label, s);
    contentKeys.set(label, random);
  }

  function receiptJson(label: string): Record<string, unknown> {
    const s = sealed.get(label)!;
    const r = contentKeys.get(label)!;
    const receipt = Receipt.decode(Content.decode(contentOf(decryptedJws(s.bytes, r.contentKey))).body);
    return {
      envelopeId: receipt.envelopeId,
      envelopeSha256: b64u(receipt.envelopeSha256),
      receivedAt: receipt.receivedAt,
      outcome: receiptOutcomeToJSON(receipt.outcome),
      reasonCode: receipt.reasonCode,
    };
  }
}
