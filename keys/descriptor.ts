import { CompactSign } from 'jose';
import { z } from 'zod';
import type { Anchor, PinnedAnchor } from './anchor.js';
import { EnlaceError } from './errors.js';
import { thumbprint } from './jwk.js';
import { verifyCompactJws } from './jws.js';
import { parseStrictJson } from './strict-json.js';
import type { NodeKeyring } from './node-keys.js';

export const DESCRIPTOR_TYP = 'enlace-node-descriptor+json';

const okpJwk = z.object({ kty: z.literal('OKP'), crv: z.enum(['Ed25519', 'X25519']), x: z.string().length(43), kid: z.string().optional() });

const descriptorKeySchema = z.object({
  kid: z.string(),
  use: z.enum(['sig', 'enc']),
  jwk: okpJwk,
  notBefore: z.number().int(),
  notAfter: z.number().int(),
  status: z.enum(['active', 'revoked']),
});

export const descriptorSchema = z.object({
  v: z.literal(1),
  networkId: z.string(),
  country: z.string().regex(/^[A-Z]{2}$/),
  serial: z.number().int().nonnegative(),
  issuedAt: z.number().int(),
  validFrom: z.number().int(),
  validUntil: z.number().int(),
  status: z.enum(['active', 'suspended', 'revoked']),
  keys: z.array(descriptorKeySchema).min(2),
});

/** A node descriptor: the anchor's statement of a node's keys, validity and status. */
export type NodeDescriptor = z.infer<typeof descriptorSchema>;
export type DescriptorKey = z.infer<typeof descriptorKeySchema>;
export type NodeStatus = NodeDescriptor['status'];

const DAY = 86_400_000;

/** Describes every key generation of a keyring; each generation is valid from its creation for `validDays`. */
export function describeNode(networkId: string, ring: NodeKeyring, opts: { now: number; validDays: number; serial: number; status?: NodeStatus; revokedKids?: string[] }): NodeDescriptor {
  const revoked = new Set(opts.revokedKids ?? []);
  const keys: DescriptorKey[] = ring.sets.flatMap((set) => {
    const notBefore = set.createdAt;
    const notAfter = set.createdAt + opts.validDays * DAY;
    return [
      { kid: set.signing.kid, use: 'sig' as const, jwk: set.signing.jwk, notBefore, notAfter, status: revoked.has(set.signing.kid) ? ('revoked' as const) : ('active' as const) },
      { kid: set.encryption.kid, use: 'enc' as const, jwk: set.encryption.jwk, notBefore, notAfter, status: revoked.has(set.encryption.kid) ? ('revoked' as const) : ('active' as const) },
    ];
  });
  return {
    v: 1,
    networkId,
    country: ring.country,
    serial: opts.serial,
    issuedAt: opts.now,
    validFrom: Math.min(...keys.map((k) => k.notBefore)),
    validUntil: Math.max(...keys.map((k) => k.notAfter)),
    status: opts.status ?? 'active',
    keys,
  };
}

/**
 * Signs a descriptor with the anchor: a JWS compact serialization, `alg: EdDSA`,
 * `kid` = anchor key id, `typ` = enlace-node-descriptor+json, payload = descriptor JSON.
 *
 * @example const jws = await signDescriptor(describeNode(net, ring, { now, validDays: 365, serial: 1 }), anchor);
 */
export async function signDescriptor(descriptor: NodeDescriptor, anchor: Anchor): Promise<string> {
  if (descriptor.networkId !== anchor.networkId) throw new EnlaceError('ERR_DESCRIPTOR_INVALID', 'descriptor network differs from the anchor network');
  return new CompactSign(new TextEncoder().encode(JSON.stringify(descriptor))).setProtectedHeader({ alg: 'EdDSA', kid: anchor.key.kid, typ: DESCRIPTOR_TYP }).sign(anchor.key.privateKey);
}

/**
 * Verifies a descriptor JWS against the pinned anchor; any failure is ERR_DESCRIPTOR_INVALID.
 * The JWS is read strictly (docs/protocol.md §4.2, the profile of §6): duplicate members in the
 * header or the payload and non-canonical base64url are refused, so
 * `{"alg":"none",…,"alg":"EdDSA"}` cannot read as EdDSA here and as none elsewhere.
 */
export async function verifyDescriptor(jws: string, anchor: PinnedAnchor): Promise<NodeDescriptor> {
  const fail = (why: string, cause?: unknown) => new EnlaceError('ERR_DESCRIPTOR_INVALID', `node descriptor rejected: ${why}`, { cause });
  const read = verifyCompactJws(jws, anchor.publicKey);
  if (!read) throw fail('not a JWS of the profile (canonical base64url, a header without duplicate members)');
  const header = read.protectedHeader;
  if (header.typ !== DESCRIPTOR_TYP || header.kid !== anchor.kid) throw fail('not signed by the pinned anchor');
  if (header.alg !== 'EdDSA' || 'crit' in header) throw fail('algorithm not allowed');
  if (!read.verified) throw fail('signature does not verify');
  let parsed: NodeDescriptor;
  try {
    parsed = descriptorSchema.parse(parseStrictJson(new TextDecoder('utf-8', { fatal: true }).decode(read.payload)));
  } catch (e) {
    throw fail('content does not match the descriptor schema', e);
  }
  if (parsed.networkId !== anchor.networkId) throw fail('descriptor belongs to another network');
  for (const key of parsed.keys) {
    const expectedCrv = key.use === 'sig' ? 'Ed25519' : 'X25519';
    if (key.jwk.crv !== expectedCrv || thumbprint(key.jwk) !== key.kid) throw fail(`key ${key.kid} is inconsistent`);
  }
  return parsed;
}
