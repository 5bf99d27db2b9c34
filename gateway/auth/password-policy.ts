import { dictionary } from '@zxcvbn-ts/language-common';
import type { FieldProblem } from '../errors.js';
import { PASSWORD_MAX, PASSWORD_MIN } from './passwords.js';

/** ~49,000 passwords most seen in breaches (zxcvbn-ts's list), lower case. */
const COMMON = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));

/** Words of this application a password must not be built on. */
const CONTEXT = ['enlace', 'trata', 'trafficking', 'gateway', 'password', 'contraseña', 'contrasena', 'senha', 'motdepasse'];

function isRepetitive(p: string): boolean {
  // Fewer than 4 different characters ("aaaaaaaaaaaa", "abababababab", "123123123123").
  if (new Set(p).size < 4) return true;
  // A block of up to 4 characters repeated ("abcdabcdabcd").
  return /^(.{1,4})\1+$/u.test(p);
}

function isSequential(p: string): boolean {
  const cps = [...p].map((c) => c.codePointAt(0)!);
  let steps = 0;
  for (let i = 1; i < cps.length; i++) if (Math.abs(cps[i]! - cps[i - 1]!) === 1 || (cps[i - 1] === 0x39 && cps[i] === 0x30)) steps++;
  return steps >= (cps.length - 1) * 0.8;
}

/** Lower case, letters and digits only, with digits and symbols stripped at the ends ("Password2024!" → "password"). */
function core(p: string): string {
  return p
    .toLowerCase()
    .normalize('NFKC')
    .replace(/^[\d\W_]+|[\d\W_]+$/gu, '');
}

/**
 * What is wrong with a new password after NIST SP 800-63B §3.1.1.2: at least 12 characters
 * (the NIST floor is 8 with a second factor and 15 without; 12 is the gateway's, with TOTP
 * required for content roles), at most 200, any characters (spaces and Unicode included), no
 * composition rules; refused when it is a commonly used or breached password, one with only
 * digits and symbols added around one, repetitive or sequential, or built on the user's
 * name or this application's words. The problem's key tells which, in the user's language.
 */
export function passwordProblem(password: string, username: string, field = 'password'): FieldProblem | undefined {
  const chars = [...password].length;
  if (chars < PASSWORD_MIN) return { field, key: 'v.passwordShort', params: { min: PASSWORD_MIN } };
  if (chars > PASSWORD_MAX) return { field, key: 'v.passwordLong', params: { max: PASSWORD_MAX } };
  const lower = password.toLowerCase().normalize('NFKC');
  const c = core(password);
  if (COMMON.has(lower) || COMMON.has(c) || (c.length >= 4 && COMMON.has(c.slice(0, c.length / 2)) && c.slice(0, c.length / 2).repeat(2) === c)) {
    return { field, key: 'v.passwordCommon' };
  }
  if (isRepetitive(lower) || isSequential(lower)) return { field, key: 'v.passwordPattern' };
  const name = username.toLowerCase();
  const squeezed = lower.replace(/[\s\d\W_]+/gu, '');
  if ((name.length >= 3 && lower.includes(name)) || CONTEXT.some((w) => squeezed === w || squeezed === w + w || (squeezed.startsWith(w) && squeezed.length - w.length < 4))) {
    return { field, key: 'v.passwordContext' };
  }
  return undefined;
}
