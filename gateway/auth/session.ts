import { randomBytes } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { makePrivateDir } from '../../keys/index.js';
import { USER_ROLES, type UserRole } from '../db/users.js';

/** What a session cookie carries. The user row is checked on every request too (disable, reset). */
export interface Session {
  userId: number;
  username: string;
  displayName: string;
  roles: UserRole[];
  sessionVersion: number;
  /** Seconds since the epoch when the token expires. */
  exp: number;
}

/**
 * The session signing key: 32 random bytes made at first start, kept in the node's data
 * folder (mode 0600), never in git. Losing it only logs everyone out.
 */
export async function loadOrCreateSessionKey(path: string): Promise<Uint8Array> {
  try {
    const text = (await readFile(path, 'utf8')).trim();
    const key = Buffer.from(text, 'base64url');
    if (key.length === 32) return new Uint8Array(key);
  } catch {
    // absent: create below
  }
  makePrivateDir(dirname(path));
  const key = randomBytes(32);
  await writeFile(path, key.toString('base64url') + '\n', { mode: 0o600 });
  await chmod(path, 0o600);
  return new Uint8Array(key);
}

const claims = z.object({
  sub: z.string().regex(/^\d+$/),
  usr: z.string(),
  name: z.string(),
  roles: z.array(z.enum(USER_ROLES)),
  sv: z.number().int(),
  exp: z.number().int(),
});

export class SessionTokens {
  readonly #key: Uint8Array;
  readonly #audience: string;
  readonly ttlSeconds: number;
  constructor(key: Uint8Array, country: string, ttlSeconds: number) {
    this.#key = key;
    this.#audience = `enlace-gateway:${country}`;
    this.ttlSeconds = ttlSeconds;
  }

  async mint(s: Omit<Session, 'exp'>, nowMs: number): Promise<string> {
    const iat = Math.floor(nowMs / 1000);
    return new SignJWT({ usr: s.username, name: s.displayName, roles: s.roles, sv: s.sessionVersion })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(this.#audience)
      .setAudience(this.#audience)
      .setSubject(String(s.userId))
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.ttlSeconds)
      .sign(this.#key);
  }

  /** The session, or undefined for a missing, forged or expired token. */
  async verify(token: string | undefined, nowMs: number): Promise<Session | undefined> {
    if (!token) return undefined;
    try {
      const { payload } = await jwtVerify(token, this.#key, {
        algorithms: ['HS256'],
        issuer: this.#audience,
        audience: this.#audience,
        currentDate: new Date(nowMs),
      });
      const c = claims.parse(payload);
      return { userId: Number(c.sub), username: c.usr, displayName: c.name, roles: c.roles, sessionVersion: c.sv, exp: c.exp };
    } catch {
      return undefined;
    }
  }
}
