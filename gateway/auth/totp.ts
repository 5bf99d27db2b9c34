import { toString as qrToString } from 'qrcode';
import { Secret, TOTP } from 'otpauth';

const PERIOD = 30;

function totpOf(secret: string, label: string, issuer: string): TOTP {
  return new TOTP({ issuer, label, algorithm: 'SHA1', digits: 6, period: PERIOD, secret: Secret.fromBase32(secret) });
}

/** A new 160-bit TOTP secret in base32 (RFC 4226 §4 recommends 160 bits). */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The otpauth:// URI an authenticator app reads, and the same as an SVG QR code (no script, shown inline). */
export async function totpEnrolment(secret: string, username: string, country: string): Promise<{ uri: string; svg: string }> {
  const uri = totpOf(secret, username, `Enlace ${country}`).toString();
  return { uri, svg: await qrToString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }) };
}

/**
 * The RFC 6238 time step a 6-digit code belongs to (the current one or one either side, for
 * clock drift), or undefined when it is wrong. Callers refuse a step already used (replay).
 *
 * @example const step = totpStep(user.totpSecret, '123456', Date.now());
 */
export function totpStep(secret: string, code: string, nowMs: number): number | undefined {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return undefined;
  const delta = totpOf(secret, 'x', 'x').validate({ token, timestamp: nowMs, window: 1 });
  return delta === null ? undefined : Math.floor(nowMs / 1000 / PERIOD) + delta;
}

/** The current code (tests; a person reads it from their app). */
export function totpCode(secret: string, nowMs: number): string {
  return totpOf(secret, 'x', 'x').generate({ timestamp: nowMs });
}
