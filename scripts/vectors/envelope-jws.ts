import { b64u, type NodeKeySet, type RejectionCode, type SigningKey } from '../../keys/index.js';
import { uuidv7, type Sealed } from '../../services/envelope/index.js';
import { craft, ed25519, MIN, NOW, requestBody, seed, utf8, withTrailingBit } from './envelope-kit.js';

/** What the strict-JWS cases take from the envelope vectors being built. */
export interface StrictJwsKit {
  base: Sealed;
  AR: NodeKeySet;
  UY: NodeKeySet;
  set: (country: string, generation?: number) => NodeKeySet;
  signer: (s: NodeKeySet | SigningKey) => { kid: string; privateKey: SigningKey['privateKey'] };
  addInvalid: (name: string, description: string, error: RejectionCode, recipient: string, bytes: Uint8Array, maxBytes?: number, section?: string) => void;
}

/**
 * The envelope cases of strict JWS parsing (docs/protocol.md §6, §8 step 11a), appended in
 * order through `addInvalid`.
 */
/** Envelopes around a hand-made JWS (signed by AR's current key over exactly its segments), for the strict-parsing cases. */
export function jwsTools({ base, AR, UY, signer }: StrictJwsKit) {
  const jwsCase = async (label: string, jws: (content: Uint8Array) => string) =>
    (await craft({ label, header: { ...base.header, id: uuidv7(NOW - MIN, seed(`case ${label} id`)) }, body: requestBody(41, label), signer: signer(AR), sealTo: [UY.encryption.publicKey], jws }))
      .bytes;
  const signSegments = (headerSegment: string, payloadSegment: string): string => {
    const input = `${headerSegment}.${payloadSegment}`;
    return `${input}.${b64u(ed25519(AR.signing.privateKey)(Buffer.from(input, 'ascii')))}`;
  };
  const arHeader = (text: string): string => b64u(utf8(text));
  return { jwsCase, signSegments, arHeader };
}

export async function strictJwsCases(kit: StrictJwsKit): Promise<void> {
  const { AR, set, addInvalid } = kit;
  // Each JWS is signed by AR's current key over exactly the segments it carries, so only the
  // profile's parsing rules reject it: a lenient reader (last-wins JSON, forgiving base64url,
  // replacement of bad UTF-8) would accept it.
  const { jwsCase, signSegments, arHeader } = jwsTools(kit);
  const strict = (name: string, description: string, error: RejectionCode, bytes: Uint8Array, section = '§6, §8 step 11a') => addInvalid(name, description, error, 'UY', bytes, undefined, section);
  strict(
    'jws-duplicate-alg',
    `Protected header {"alg":"none","kid":…,"alg":"EdDSA"}, correctly signed with EdDSA: duplicate member names are rejected (a last-wins reader sees EdDSA and a valid signature, a first-wins reader sees none).`,
    'ERR_BAD_SIGNATURE',
    await jwsCase('jws-duplicate-alg', (c) => signSegments(arHeader(`{"alg":"none","kid":"${AR.signing.kid}","alg":"EdDSA"}`), b64u(c))),
  );
  strict(
    'jws-duplicate-kid-escaped',
    `Protected header {"alg":"EdDSA","kid":<AR generation 1 kid>,"\\u006bid":<sender_key_id>}: the same member name written once plainly and once escaped is a duplicate.`,
    'ERR_BAD_SIGNATURE',
    await jwsCase('jws-duplicate-kid', (c) => signSegments(arHeader(`{"alg":"EdDSA","kid":"${set('AR', 1).signing.kid}","\\u006bid":"${AR.signing.kid}"}`), b64u(c))),
  );
  strict(
    'jws-header-not-utf8',
    'Protected header {"alg":"EdDSA","kid":…,"x":"<byte ff>"}: not UTF-8 (a reader that replaces bad bytes with U+FFFD would accept it, x being ignored).',
    'ERR_BAD_SIGNATURE',
    await jwsCase('jws-header-not-utf8', (c) => signSegments(b64u(new Uint8Array([...utf8(`{"alg":"EdDSA","kid":"${AR.signing.kid}","x":"`), 0xff, ...utf8('"}')])), b64u(c))),
  );
  strict(
    'jws-header-trailing-bits',
    'The protected header segment with one unused trailing bit set (it decodes to the same bytes), signed over that segment: base64url must be canonical.',
    'ERR_BAD_SIGNATURE',
    await jwsCase('jws-header-trailing-bits', (c) => signSegments(withTrailingBit(arHeader(`{"alg":"EdDSA","kid":"${AR.signing.kid}"}`)), b64u(c))),
  );
  strict(
    'jws-signature-trailing-bits',
    'A correct JWS whose signature segment has an unused trailing bit set: the same 64 signature bytes (a lenient decoder verifies them), not the canonical text.',
    'ERR_BAD_SIGNATURE',
    await jwsCase('jws-signature-trailing-bits', (c) => {
      const [h, p, sig] = signSegments(arHeader(`{"alg":"EdDSA","kid":"${AR.signing.kid}"}`), b64u(c)).split('.');
      return `${h}.${p}.${withTrailingBit(sig!)}`;
    }),
  );
  strict(
    'jws-signature-padded',
    'A correct JWS whose signature segment ends with "==" padding.',
    'ERR_BAD_SIGNATURE',
    await jwsCase('jws-signature-padded', (c) => `${signSegments(arHeader(`{"alg":"EdDSA","kid":"${AR.signing.kid}"}`), b64u(c))}==`),
  );
  strict(
    'jws-payload-not-base64url',
    'The payload segment with characters "A" appended until its length is 1 modulo 4 (no byte string has that encoding), signed over that segment: an undecodable payload is ERR_BAD_SIGNATURE in every reading (a lenient decoder drops the last character and reads the intended Content).',
    'ERR_BAD_SIGNATURE',
    await jwsCase('jws-payload-not-base64url', (c) => {
      let p = b64u(c);
      do p += 'A';
      while (p.length % 4 !== 1);
      return signSegments(arHeader(`{"alg":"EdDSA","kid":"${AR.signing.kid}"}`), p);
    }),
  );
  strict(
    'jws-signature-standard-alphabet',
    'A correct JWS whose signature segment is written in the standard base64 alphabet ("+" and "/" for "-" and "_"): the same 64 signature bytes to a decoder that accepts both alphabets; base64url has only one.',
    'ERR_BAD_SIGNATURE',
    await jwsCase('jws-signature-standard-alphabet', (c) => {
      const [h, p, sig] = signSegments(arHeader(`{"alg":"EdDSA","kid":"${AR.signing.kid}"}`), b64u(c)).split('.');
      const standard = sig!.replaceAll('-', '+').replaceAll('_', '/');
      if (standard === sig) throw new Error('jws-signature-standard-alphabet: the signature segment has no "-" or "_" to rewrite');
      return `${h}.${p}.${standard}`;
    }),
  );
  strict(
    'jws-header-trailing-comma',
    'Protected header {"alg":"EdDSA","kid":…,} with a trailing comma, correctly signed: not RFC 8259 JSON (a lenient JSON reader accepts it).',
    'ERR_BAD_SIGNATURE',
    await jwsCase('jws-header-trailing-comma', (c) => signSegments(arHeader(`{"alg":"EdDSA","kid":"${AR.signing.kid}",}`), b64u(c))),
  );
  strict(
    'jws-payload-not-content',
    'A correct JWS whose payload (canonical base64url) is the 3 bytes ff ff ff, which do not parse as Content (an unterminated varint): the payload decodes, its content does not.',
    'ERR_HEADER_MISMATCH',
    await jwsCase('jws-payload-not-content', () => signSegments(arHeader(`{"alg":"EdDSA","kid":"${AR.signing.kid}"}`), b64u(new Uint8Array([0xff, 0xff, 0xff])))),
    '§8 step 13',
  );
}
