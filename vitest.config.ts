import { defineConfig } from 'vitest/config';

// Node-side tests: protocol, server, end-to-end (browser driven from Node), and the unit
// tests that need neither a browser nor a server: the headless client's (test/client/unit, on
// fake-indexeddb with a stand-in for the socket) and the UI's view models (test/ui/unit).
// Browser-side tests (client, ui) run in @web/test-runner: see web-test-runner.config.mjs.
export default defineConfig({
  test: {
    include: ['test/{protocol,server,e2e,package}/**/*.test.ts', 'test/{client,ui}/unit/**/*.unit.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    // On CI's two shared cores a test may lose a race with the machine; it gets one more try
    // there (never locally, so that a flaky test shows where it is written).
    retry: process.env['CI'] ? 1 : 0,
    hookTimeout: 60_000,
  },
});
