// Browser tests (test/client, test/ui) in real Chromium, Firefox and WebKit against a real server.
// Run with `npm run test:browser` (it registers tsx so this file can load the TS plugins);
// IM_BROWSERS=firefox (a comma-separated list) runs some of the engines only.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { freePort, selectedEngines } from './test/support/node/engines.ts';
import { launcher } from './test/support/wtr/launchers.ts';
import { imServerPlugin } from './test/support/wtr/im-server-plugin.ts';
import { loaderPlugin } from './test/support/wtr/loader-plugin.ts';
import { inputPlugin } from './test/support/wtr/input-plugin.ts';

const browsers = selectedEngines().map(launcher);

export default {
  // The unit tests (test/client/unit, test/ui/unit) run in Node, with vitest.
  files: ['test/client/**/*.test.ts', 'test/ui/**/*.test.ts', '!test/client/unit/**', '!test/ui/unit/**'],
  port: await freePort(),
  nodeResolve: { browser: true, exportConditions: ['browser'] },
  // Tests stop and restart their engine's server, so an engine runs its files one at a
  // time. Engines have servers of their own and could run side by side, but on two busy
  // cores every test then takes much longer (server restarts most); so one engine at a
  // time unless IM_CONCURRENT_BROWSERS says otherwise.
  concurrency: 1,
  concurrentBrowsers: Number(process.env.IM_CONCURRENT_BROWSERS) || 1,
  browsers,
  plugins: [
    // The ES module build of Dexie, as in vite.config.ts (its package entry wraps a CommonJS file).
    {
      name: 'dexie-esm',
      resolveImport: ({ source }) => (source === 'dexie' ? '/node_modules/dexie/dist/dexie.mjs' : undefined),
    },
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }),
    // Each engine's server starts before the first test: see the plugin.
    imServerPlugin({ browsers }),
    loaderPlugin(),
    inputPlugin(),
  ],
  // On CI's two shared cores a test may lose a race with the machine; it gets one more try
  // there (never locally, so that a flaky test shows where it is written).
  testFramework: { config: { timeout: 30_000, retries: process.env.CI ? 1 : 0 } },
  testsFinishTimeout: 10 * 60_000,
};
