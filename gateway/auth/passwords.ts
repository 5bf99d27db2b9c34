import { randomBytes, randomInt } from 'node:crypto';
import { getSodium } from '../../keys/index.js';

export type PasswordStrength = 'interactive' | 'moderate' | 'min';

/**
 * argon2id (libsodium crypto_pwhash_str). The stored string carries its own parameters, so
 * verification works whatever strength a hash was made with; `min` is for tests only.
 *
 * @example const stored = await hashPassword('correct horse battery', 'interactive');
 */
export async function hashPassword(password: string, strength: PasswordStrength): Promise<string> {
  const s = await getSodium();
  const [ops, mem] =
    strength === 'interactive'
      ? [s.crypto_pwhash_OPSLIMIT_INTERACTIVE, s.crypto_pwhash_MEMLIMIT_INTERACTIVE]
      : strength === 'moderate'
        ? [s.crypto_pwhash_OPSLIMIT_MODERATE, s.crypto_pwhash_MEMLIMIT_MODERATE]
        : [s.crypto_pwhash_OPSLIMIT_MIN, s.crypto_pwhash_MEMLIMIT_MIN];
  return s.crypto_pwhash_str(password, ops, mem);
}

let dummy: Promise<string> | undefined;

/** Constant work whether or not the user exists: an unknown user is checked against a dummy hash. */
export async function verifyPassword(stored: string | undefined, password: string): Promise<boolean> {
  const s = await getSodium();
  dummy ??= hashPassword(randomBytes(16).toString('hex'), 'interactive');
  const hash = stored ?? (await dummy);
  try {
    return s.crypto_pwhash_str_verify(hash, password) && stored !== undefined;
  } catch {
    return false;
  }
}

const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A password a person can type: 4 groups of 4 characters from an unambiguous alphabet (~79 bits). */
export function generatePassword(): string {
  const chars = Array.from({ length: 16 }, () => ALPHABET[randomInt(ALPHABET.length)]!);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 200;
