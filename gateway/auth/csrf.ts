import { randomBytes, timingSafeEqual } from 'node:crypto';
import { GatewayError } from '../errors.js';

export function newCsrfToken(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * Two checks on every request that changes something: the Origin (or, without it, the
 * Referer) must be this gateway's own origin, and the token sent in the form field `_csrf`
 * or the `x-csrf-token` header must equal the CSRF cookie (double submit).
 */
export function checkCsrf(opts: { method: string; origin?: string; referer?: string; ownOrigins: string[]; cookie?: string; sent?: string }): void {
  if (opts.method === 'GET' || opts.method === 'HEAD' || opts.method === 'OPTIONS') return;
  const source = opts.origin ?? (opts.referer ? safeOrigin(opts.referer) : undefined);
  if (!source || !opts.ownOrigins.includes(source)) throw new GatewayError('ERR_CSRF', 'error.ERR_CSRF');
  const a = Buffer.from(opts.cookie ?? '');
  const b = Buffer.from(opts.sent ?? '');
  if (a.length < 16 || a.length !== b.length || !timingSafeEqual(a, b)) throw new GatewayError('ERR_CSRF', 'error.ERR_CSRF');
}

function safeOrigin(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
