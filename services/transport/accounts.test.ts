import { describe, expect, it } from 'vitest';
import { brokerConfig, reservedFileBytes, storeSizeBytes } from './accounts.js';

const plan = (n: number, maxFileBytes?: number) => ({
  networkId: 'enlace-test',
  countries: Array.from({ length: n }, (_, i) => `${String.fromCharCode(65 + Math.floor(i / 26))}${String.fromCharCode(65 + (i % 26))}`),
  password: () => '"secret"',
  ...(maxFileBytes ? { limits: { maxFileBytes } } : {}),
});

describe('the broker configuration and its storage', () => {
  it('reads nats-server sizes', () => {
    expect(storeSizeBytes('50G')).toBe(50 * 1024 ** 3);
    expect(storeSizeBytes('512MB')).toBe(512 * 1024 ** 2);
    expect(storeSizeBytes('1073741824')).toBe(1024 ** 3);
    expect(() => storeSizeBytes('lots')).toThrow(/max_file_store must be a size like 50G/);
  });

  it('writes a configuration whose accounts fit in max_file_store', () => {
    expect(reservedFileBytes(plan(3))).toBe(1024 ** 3 + 3 * 8 * 1024 ** 3);
    expect(brokerConfig({ listen: '127.0.0.1:4222', storeDir: '/tmp/js' }, plan(3))).toContain('max_file_store: 50G');
    // 35 states at 1 GiB each (as the directory benchmark runs them) fit in 50G.
    expect(brokerConfig({ listen: '127.0.0.1:4222', storeDir: '/tmp/js' }, plan(35, 1024 ** 3))).toContain('max_file_store: 50G');
  });

  it('refuses, with what to do, accounts that reserve more than the server has: nats-server would not start', () => {
    // 35 states at the default 8 GiB reserve 281 GiB.
    expect(() => brokerConfig({ listen: '127.0.0.1:4222', storeDir: '/tmp/js' }, plan(35))).toThrow(
      /the 35 states' accounts reserve 281 GiB of JetStream file storage, more than the server's max_file_store of 50G: nats-server would not start\. Lower the per-state limit or raise max_file_store/,
    );
    expect(() => brokerConfig({ listen: '127.0.0.1:4222', storeDir: '/tmp/js', maxFileStore: '300G' }, plan(35))).not.toThrow();
  });
});
