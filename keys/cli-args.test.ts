import { describe, expect, it } from 'vitest';
import { parseOptions, UsageError } from './cli-args.js';

describe('parseOptions', () => {
  const options = { 'revoke-kid': { type: 'string', multiple: true }, out: { type: 'string' }, help: { type: 'boolean' } } as const;

  it('reads a value that starts with "-", as base64url key ids may', () => {
    expect(parseOptions(['--revoke-kid', '-Abc_123', '--revoke-kid', 'xyz', '--out', 'f.jws'], options)).toEqual({ 'revoke-kid': ['-Abc_123', 'xyz'], out: 'f.jws' });
  });

  it('still reports an option given without its value, and unknown options', () => {
    expect(() => parseOptions(['--out'], options)).toThrow(UsageError);
    expect(() => parseOptions(['--out', '--help'], options)).toThrow(/needs a value/);
    expect(() => parseOptions(['--colour', 'red'], options)).toThrow(/unknown option --colour/);
  });
});
