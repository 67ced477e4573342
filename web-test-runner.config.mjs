// Browser tests (test/client, test/ui) in real headless Chromium against a real server.
// Run with `npm run test:browser` (it registers tsx so this file can load the TS plugin).
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { chromiumArgs, chromiumPath } from './test/support/node/chromium.ts';
import { imServerPlugin } from './test/support/wtr/im-server-plugin.ts';
import { loaderPlugin } from './test/support/wtr/loader-plugin.ts';

export default {
  files: ['test/client/**/*.test.ts', 'test/ui/**/*.test.ts'],
  nodeResolve: { browser: true, exportConditions: ['browser'] },
  // Tests stop and restart the one shared server, so files run one at a time.
  concurrency: 1,
  browsers: [
    chromeLauncher({
      // headless: false, because the flags ask for the new headless mode themselves.
      launchOptions: { executablePath: chromiumPath, headless: false, args: chromiumArgs },
    }),
  ],
  plugins: [
    // The ES module build of Dexie, as in vite.config.ts (its package entry wraps a CommonJS file).
    {
      name: 'dexie-esm',
      resolveImport: ({ source }) => (source === 'dexie' ? '/node_modules/dexie/dist/dexie.mjs' : undefined),
    },
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }),
    imServerPlugin(),
    loaderPlugin(),
  ],
  testFramework: { config: { timeout: 30_000 } },
  testsFinishTimeout: 10 * 60_000,
};
