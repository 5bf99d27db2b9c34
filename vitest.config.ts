import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['keys/**/*.test.ts', 'services/**/*.test.ts', 'gateway/**/*.test.ts', 'tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Three files at a time on two cores: most of a test's time is spent waiting on brokers, re-send
    // intervals and browsers, not computing (the summed test time is about 1.8 times the wall time with two).
    maxWorkers: 3,
    // Key files of the tests' fresh networks with argon2id at 1 pass and 1 MiB (keys/keystore.ts
    // newKeyFileKdf): about 13 derivations per federation at the production 64 MiB took seconds.
    env: { ENLACE_KEY_KDF: `1,${1024 * 1024}` },
  },
});
