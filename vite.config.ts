import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Builds the widget twice: an ES module for bundlers and `<script type="module">`,
// and an IIFE for a plain `<script>` tag. Type declarations come from `tsc -p tsconfig.build.json`.
export default defineConfig({
  resolve: {
    alias: [
      // Dexie's package entry shares one instance through a global symbol and throws if a
      // host page loads another version; the widget takes its own copy instead.
      {
        find: /^dexie$/,
        replacement: fileURLToPath(new URL('./node_modules/dexie/dist/dexie.mjs', import.meta.url)),
      },
    ],
  },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    lib: {
      entry: fileURLToPath(new URL('./src/ui/index.ts', import.meta.url)),
      name: 'ImChat',
      formats: ['es', 'iife'],
      fileName: (format) => (format === 'es' ? 'im-chat.js' : 'im-chat.iife.js'),
    },
  },
});
