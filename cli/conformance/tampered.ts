import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { Content, EnvelopeHeader } from '../../generated/enlace/v1/envelope.js';
import { KIND } from '../../services/envelope/index.js';
import { rejectedWith, requestBody } from './checks.js';
import type { Check } from './forms-and-erasure.js';
import type { Probe } from './probe.js';

const b64u = (b: Uint8Array | string): string => Buffer.from(b).toString('base64url');

/**
 * A compact JWS over `payload` whose protected header is exactly the text `header`, correctly
 * signed with `key` over the segments it carries; `signature` may rewrite the signature segment.
 */
function compactJws(header: string, payload: Uint8Array, key: KeyObject, signature: (segment: string) => string = (s) => s): Uint8Array {
  const input = `${b64u(header)}.${b64u(payload)}`;
  return Buffer.from(`${input}.${signature(sign(null, Buffer.from(input, 'latin1'), key).toString('base64url'))}`, 'latin1');
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * The same signature bytes in a non-canonical segment (§6): a 64-byte signature is 86 characters
 * whose last one carries 4 unused bits; setting the lowest gives a text a lenient decoder reads as
 * the same bytes.
 */
function withTrailingBit(segment: string): string {
  const last = ALPHABET.indexOf(segment.at(-1)!);
  return segment.slice(0, -1) + ALPHABET[last | 1]!;
}

/**
 * §6, §8 steps 6, 11-13, §12: envelopes a node must refuse although a lenient reader would open
 * some of them, each answered with a rejection receipt over the bytes sent. Every JWS here is
 * signed with the tester's key over the segments it carries, unless the check says otherwise.
 */
export async function tampered(probe: Probe, timeoutMs: number, check: Check): Promise<void> {
  const { kid, privateKey } = probe.signer();
  const header = (text: string) => (content: Uint8Array) => compactJws(text, content, privateKey);
  const refused = async (code: string, subject: string, opts: Parameters<Probe['sealed']>[2]): Promise<[boolean, string]> => {
    const e = await probe.sealed(KIND.request, requestBody(`Conformance: ${subject}`), opts);
    return rejectedWith(probe, timeoutMs, e.bytes, e.id, code);
  };

  await check('§6, §8 step 11a', 'a JWS whose protected header has alg twice ({"alg":"none",…,"alg":"EdDSA"}) is rejected ERR_BAD_SIGNATURE, not read last-wins', () =>
    refused('ERR_BAD_SIGNATURE', 'duplicate alg', { jws: header(`{"alg":"none","kid":"${kid}","alg":"EdDSA"}`) }),
  );
  await check('§6, §8 step 11a', 'a JWS whose signature segment is not canonical base64url (an unused bit set) is rejected ERR_BAD_SIGNATURE', () =>
    refused('ERR_BAD_SIGNATURE', 'signature not canonical', { jws: (content) => compactJws(`{"alg":"EdDSA","kid":"${kid}"}`, content, privateKey, withTrailingBit) }),
  );
  await check('§8 step 11b', 'a JWS with alg "none" is rejected ERR_ALG_NOT_ALLOWED', () => refused('ERR_ALG_NOT_ALLOWED', 'alg none', { jws: header(`{"alg":"none","kid":"${kid}"}`) }));
  await check('§8 step 12, §4.4', "a JWS signed under the tester's kid by a key its descriptor does not list is rejected ERR_BAD_SIGNATURE", () => {
    const stranger = generateKeyPairSync('ed25519').privateKey;
    return refused('ERR_BAD_SIGNATURE', 'signed by another key', { jws: (content) => compactJws(`{"alg":"EdDSA","kid":"${kid}"}`, content, stranger) });
  });
  await check('§8 step 13', 'a signed content whose header differs from the outer one (a forwarded envelope) is rejected ERR_HEADER_MISMATCH', () =>
    refused('ERR_HEADER_MISMATCH', 'forwarded', {
      jws: (_content, outer) => {
        const signed = EnvelopeHeader.decode(outer);
        const other = EnvelopeHeader.encode({ ...signed, to: [{ address: probe.country, keyId: signed.to[0]!.keyId }] }).finish();
        return header(`{"alg":"EdDSA","kid":"${kid}"}`)(Content.encode({ header: other, body: requestBody('Conformance: forwarded') }).finish());
      },
    }),
  );
  await check('§8 step 6, §12', 'a captured envelope replayed after its expires_at is rejected ERR_EXPIRED', () => {
    const now = Date.now();
    return refused('ERR_EXPIRED', 'expired', { createdAt: now - 10 * 60_000, expiresAt: now - 60_000 });
  });
}
