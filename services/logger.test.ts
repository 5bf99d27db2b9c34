import { describe, expect, it } from 'vitest';
import { serializeError } from './logger.js';

describe('the log of an error', () => {
  it('shows the code and message of an error and of a plain object that carries them', () => {
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    expect(serializeError(full)).toEqual({ code: 'SQLITE_FULL', message: 'database or disk is full' });
    expect(serializeError({ code: 'SQLITE_FULL', message: 'database or disk is full' })).toEqual({ code: 'SQLITE_FULL', message: 'database or disk is full' });
    expect(serializeError({ reason: 'gone' })).toEqual({ message: '{"reason":"gone"}' });
    expect(serializeError('timeout')).toEqual({ message: 'timeout' });
  });
});
