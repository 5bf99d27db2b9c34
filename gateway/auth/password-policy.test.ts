import { describe, expect, it } from 'vitest';
import { generatePassword } from './passwords.js';
import { passwordProblem } from './password-policy.js';

describe('password rules (NIST SP 800-63B)', () => {
  it.each([
    ['short', 'v.passwordShort'],
    ['aaaaaaaaaaaa', 'v.passwordPattern'],
    ['abababababab', 'v.passwordPattern'],
    ['abcdefghijkl', 'v.passwordPattern'],
    ['123456789012', 'v.passwordCommon'],
    ['987654321098', 'v.passwordPattern'],
    ['qwerty123456', 'v.passwordCommon'],
    ['1q2w3e4r5t6y', 'v.passwordCommon'],
    ['Password2024!!', 'v.passwordCommon'],
    ['iloveyou1234', 'v.passwordCommon'],
    ['sunshinesunshine', 'v.passwordCommon'],
    ['maria.lopez-2026', 'v.passwordContext'],
    ['Enlace2026!!!', 'v.passwordContext'],
  ])('refuses %s', (pw, key) => {
    expect(passwordProblem(pw, 'maria.lopez')?.key).toBe(key);
  });

  it.each(['correct horse battery staple', 'un café con leche, por favor', 'Tr3s tristes tigres', generatePassword(), 'ñandú del río 9'])('accepts %s (no composition rules)', (pw) => {
    expect(passwordProblem(pw, 'maria.lopez')).toBeUndefined();
  });
});
