import { defineConfig } from 'vitest/config';

// Node-side tests: protocol, server, end-to-end (browser driven from Node).
// Browser-side tests (client, ui) run in @web/test-runner: see web-test-runner.config.mjs.
export default defineConfig({
  test: {
    include: ['test/{protocol,server,e2e}/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
