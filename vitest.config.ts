import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Builds the console once (only when web/dist is missing or older than its sources).
    globalSetup: ['test/browser/globalSetup.ts'],
  },
});
