import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Tests that use the real keyring, PostgreSQL or Chromium set these up themselves; the data folder is always
    // a temporary PASSKEY_DESK_HOME.
    setupFiles: ['test/setup/env.ts'],
  },
});
