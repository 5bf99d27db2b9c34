import { randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { access } from 'node:fs/promises';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { b64u, decryptKeyFile, ed25519PublicKeyObject, EnlaceError, encryptKeyFile, fromB64u, readKeyFile, signingKeyFromSeed, writeKeyFile, type SigningKey } from '../../keys/index.js';

export const ROLES = ['operator', 'focal_point', 'prosecutor', 'directory_admin', 'auditor', 'integrator'] as const;
export type Role = (typeof ROLES)[number];
/** Roles that read a request's content (need-to-know); every other role sees metadata only. */
const CONTENT = ['focal_point', 'prosecutor', 'integrator'] as const satisfies readonly Role[];
export type ContentRole = (typeof CONTENT)[number];
export const CONTENT_ROLES: readonly Role[] = CONTENT;
/** Roles that take lifecycle steps: the content roles. */
export const ACTING_ROLES = CONTENT_ROLES;

export interface Principal {
  subject: string;
  roles: Role[];
}

/**
 * The node's API token issuer: an Ed25519 key of its own (not the node's envelope key),
 * kept encrypted in the data folder and created on first start.
 */
export interface TokenIssuer {
  country: string;
  key: SigningKey;
  publicKey: KeyObject;
}

function issuerOf(country: string, key: SigningKey): TokenIssuer {
  return { country, key, publicKey: ed25519PublicKeyObject(key.publicKey) };
}

export async function loadOrCreateIssuer(path: string, country: string, passphrase: string): Promise<TokenIssuer> {
  const exists = await access(path).then(
    () => true,
    () => false,
  );
  if (!exists) {
    const key = await signingKeyFromSeed(new Uint8Array(randomBytes(32)));
    await writeKeyFile(path, await encryptKeyFile('api-issuer', { seed: b64u(key.seed) }, { country, jwk: key.jwk }, passphrase));
    return issuerOf(country, key);
  }
  const file = await readKeyFile(path);
  if (file.kind !== 'api-issuer') throw new EnlaceError('ERR_KEYSTORE_FORMAT', `${path} is not an API token issuer key`);
  const secrets = z.object({ seed: z.string() }).safeParse(await decryptKeyFile(file, passphrase, path));
  if (!secrets.success) throw new EnlaceError('ERR_KEYSTORE_FORMAT', `${path} has unreadable key material`);
  return issuerOf(country, await signingKeyFromSeed(fromB64u(secrets.data.seed)));
}

const audience = (country: string) => `enlace-node:${country}`;

/**
 * Mints a bearer token (JWT, EdDSA) for this node's gRPC API.
 *
 * @example const jwt = await mintToken(issuer, { subject: 'ops', roles: ['operator'] }, 3600, Date.now());
 */
export async function mintToken(issuer: TokenIssuer, principal: Principal, ttlSeconds: number, nowMs: number): Promise<string> {
  const iat = Math.floor(nowMs / 1000);
  return new SignJWT({ roles: principal.roles })
    .setProtectedHeader({ alg: 'EdDSA', kid: issuer.key.kid, typ: 'JWT' })
    .setIssuer(audience(issuer.country))
    .setAudience(audience(issuer.country))
    .setSubject(principal.subject)
    .setJti(randomUUID())
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds)
    .sign(issuer.key.privateKey);
}

const claimsSchema = z.object({ sub: z.string().min(1), roles: z.array(z.enum(ROLES)).min(1) });

/** A token that verified, until it expires. */
interface Verified {
  principal: Principal;
  expMs: number;
  nbfMs: number;
}
const verified = new WeakMap<TokenIssuer, Map<string, Verified>>();

/**
 * Verifies a bearer token; any failure is ERR_UNAUTHENTICATED with a reason that reveals
 * nothing about keys. A token that verified is remembered until it expires, so a client's
 * calls cost one signature check, not one each.
 */
export async function verifyToken(issuer: TokenIssuer, token: string, nowMs: number): Promise<Principal> {
  let cache = verified.get(issuer);
  if (!cache) verified.set(issuer, (cache = new Map<string, Verified>()));
  const hit = cache.get(token);
  if (hit && nowMs >= hit.nbfMs) {
    if (nowMs < hit.expMs) return hit.principal;
    cache.delete(token);
    throw new EnlaceError('ERR_UNAUTHENTICATED', 'the token has expired');
  }
  const principal = await verifyUncached(issuer, token, nowMs);
  if (cache.size >= 10_000) cache.clear();
  const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { exp: number; iat?: number };
  cache.set(token, { principal, expMs: claims.exp * 1000, nbfMs: (claims.iat ?? 0) * 1000 - 60_000 });
  return principal;
}

async function verifyUncached(issuer: TokenIssuer, token: string, nowMs: number): Promise<Principal> {
  try {
    const { payload } = await jwtVerify(token, issuer.publicKey, {
      algorithms: ['EdDSA'],
      issuer: audience(issuer.country),
      audience: audience(issuer.country),
      currentDate: new Date(nowMs),
    });
    const claims = claimsSchema.parse(payload);
    return { subject: claims.sub, roles: claims.roles };
  } catch (e) {
    const expired = e instanceof joseErrors.JWTExpired;
    throw new EnlaceError('ERR_UNAUTHENTICATED', expired ? 'the token has expired' : 'the token is not valid for this node', { cause: e });
  }
}
