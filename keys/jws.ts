import { verify, type KeyObject } from 'node:crypto';
import { parseStrictJson } from './strict-json.js';

const SEGMENT = /^[A-Za-z0-9_-]*$/;

/**
 * Decodes base64url (RFC 4648 §5) only in its canonical form: no padding, no character
 * outside the alphabet, a length that is not 1 modulo 4, and unused trailing bits zero.
 * Checked by re-encoding and comparing, so exactly one text stands for each byte string
 * (docs/protocol.md §6). Undefined otherwise.
 *
 * @example
 * decodeB64uCanonical('AQ'); // Uint8Array [1]
 * decodeB64uCanonical('AR'); // undefined: same byte, but a trailing bit is set
 */
export function decodeB64uCanonical(segment: string): Uint8Array | undefined {
  if (!SEGMENT.test(segment) || segment.length % 4 === 1) return undefined;
  const bytes = Buffer.from(segment, 'base64url');
  return bytes.toString('base64url') === segment ? new Uint8Array(bytes) : undefined;
}

export interface CompactJws {
  protectedHeader: Record<string, unknown>;
  payload: Uint8Array;
  signature: Uint8Array;
}

/**
 * Splits a compact JWS under the profile of docs/protocol.md §6 and §8 step 11a: three
 * segments, each canonical base64url; the first decodes to UTF-8 (invalid sequences are an
 * error, never replaced) holding a JSON object with no duplicate member names. Undefined when
 * any of this fails: one outcome for every way the text is not a JWS of the profile, so two
 * readers cannot disagree on which later check catches it.
 *
 * @example
 * const jws = splitCompactJws(text);
 * if (!jws) reject('ERR_BAD_SIGNATURE');
 */
export function splitCompactJws(text: string): CompactJws | undefined {
  const parts = text.split('.');
  if (parts.length !== 3) return undefined;
  const [headerBytes, payload, signature] = parts.map(decodeB64uCanonical);
  if (!headerBytes || !payload || !signature) return undefined;
  try {
    const value = parseStrictJson(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(headerBytes));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    return { protectedHeader: value as Record<string, unknown>, payload, signature };
  } catch {
    return undefined;
  }
}

/**
 * Reads a compact JWS strictly (splitCompactJws) and verifies its Ed25519 signature over the
 * ASCII signing input, for the anchor-signed descriptors and the node-signed registry records
 * (docs/protocol.md §4.2, §17.4). The header is the one splitCompactJws read, so no second
 * reader (jose is last-wins on duplicate members) can see another `alg` or `kid`. Returns the
 * split JWS with `verified`; undefined when the text is not a JWS of the profile.
 *
 * @example
 * const jws = verifyCompactJws(text, anchor.publicKey);
 * if (!jws || jws.protectedHeader.alg !== 'EdDSA' || !jws.verified) reject();
 */
export function verifyCompactJws(text: string, publicKey: KeyObject): (CompactJws & { verified: boolean }) | undefined {
  const jws = splitCompactJws(text);
  if (!jws) return undefined;
  const signingInput = text.slice(0, text.lastIndexOf('.'));
  let verified: boolean;
  try {
    verified = jws.protectedHeader.alg === 'EdDSA' && jws.signature.byteLength === 64 && verify(null, Buffer.from(signingInput, 'ascii'), publicKey, jws.signature);
  } catch {
    verified = false;
  }
  return { ...jws, verified };
}
