import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['keys/**/*.test.ts', 'services/**/*.test.ts', 'gateway/**/*.test.ts', 'tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
