/**
 * `npm pack` of the server package (prepack): bundles the server (with the protocol it shares
 * with the widget) into `dist/`, next to the widget's built files and the demo pages it serves,
 * so that the package runs without the repository. The dependencies stay imports.
 */
import { cp, rm } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const out = here('./dist/');

await rm(out, { recursive: true, force: true });
await build({
  configFile: false,
  logLevel: 'warn',
  build: {
    ssr: true,
    target: 'node20',
    outDir: out,
    emptyOutDir: false,
    minify: false,
    rolldownOptions: {
      // The storage worker is a script of its own, loaded by its file name from main.js.
      input: { main: here('./main.ts'), 'storage-worker-entry': here('./storage/sqlite/worker/storage-worker.ts') },
      external: (id) => builtinModules.includes(id) || id.startsWith('node:') || /^[@a-z]/.test(id),
      output: { format: 'es', entryFileNames: (chunk) => (chunk.name === 'main' ? '[name].js' : '[name].mjs') },
    },
  },
});
await cp(here('../../dist/'), `${out}widget/`, { recursive: true, filter: (path) => !path.endsWith('.map') && !path.includes('/types') });
await cp(here('../../demo/'), `${out}demo/`, { recursive: true });
