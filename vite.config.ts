import { copyFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build, defineConfig, type Plugin } from 'vite';
import { prototypeGuard } from './src/build/prototype-guard.js';
import { templateCss } from './src/build/template-css.js';
import { catalogueFiles, icuCatalogues } from './src/build/icu-catalogues.js';

// Builds the widget twice: an ES module for bundlers and `<script type="module">`,
// and then an IIFE for a plain `<script>` tag, whose languages ship as `locales/<lang>.json`.
// Type declarations come from `tsc -p tsconfig.build.json`.
// Then the push service worker, as one classic script with a stable name that hosts serve,
// and the support loader: the small script a site adds with one tag.
// Every script is rewritten to survive pages that patched built-in prototypes (prototypeGuard),
// the CSS in the elements' css`…` templates is minified (templateCss), and the string
// catalogues come parsed, leaving the ICU parser out of the first load (icuCatalogues).
const widgetEntry = fileURLToPath(new URL('./src/ui/index.ts', import.meta.url));

export const resolve = {
  alias: [
    // Dexie's package entry shares one instance through a global symbol and throws if a
    // host page loads another version; the widget takes its own copy instead.
    {
      find: /^dexie$/,
      replacement: fileURLToPath(new URL('./node_modules/dexie/dist/dexie.mjs', import.meta.url)),
    },
  ],
};

export default defineConfig({
  plugins: [...widgetPlugins(), oneScript(), serviceWorker(), loader(), emojiData()],
  resolve,
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    lib: {
      entry: widgetEntry,
      name: 'ImChat',
      formats: ['es'],
      fileName: () => 'im-chat.js',
    },
  },
});

/** What shapes the widget's own bundles (the benchmark builds them with these too). */
export function widgetPlugins(): Plugin[] {
  return [templateCss(), ...icuCatalogues(), catalogueFiles(), prototypeGuard(), firstScreenChunk()];
}

/**
 * `dist/im-chat.iife.js`, built on its own after the ES module: an IIFE cannot load code on
 * demand, so its languages other than English are files, `dist/locales/<lang>.json`,
 * fetched when used (catalogueFiles), rather than all inlined.
 */
function oneScript(): Plugin {
  return {
    name: 'im-chat-one-script',
    apply: 'build',
    async closeBundle() {
      await build({
        configFile: false,
        logLevel: 'warn',
        plugins: widgetPlugins(),
        resolve,
        build: {
          target: 'es2022',
          outDir: 'dist',
          emptyOutDir: false,
          sourcemap: true,
          lib: { entry: widgetEntry, name: 'ImChat', formats: ['iife'], fileName: () => 'im-chat.iife.js' },
        },
      });
    },
  };
}

/**
 * The ES build: what the first screen needs (the entry's static imports) in one chunk, as
 * every chunk carries prototypeGuard's prelude and each is a request; the parts shown later
 * load in chunks of their own. (The IIFE build is one file anyway.)
 */
function firstScreenChunk(): Plugin {
  return {
    name: 'im-chat-first-screen-chunk',
    apply: 'build',
    outputOptions(options) {
      if (options.format !== 'es') return null;
      return { ...options, codeSplitting: { groups: [{ name: 'im-chat-core', tags: ['$initial'] }] } };
    },
  };
}

/** Builds `src/sw/im-chat-sw.ts` to `dist/im-chat-sw.js` once the widget is built. */
function serviceWorker(): Plugin {
  return classicScript('im-chat-service-worker', './src/sw/im-chat-sw.ts', 'ImChatServiceWorker', 'im-chat-sw.js');
}

/** Builds `src/loader/im-chat-loader.ts` to `dist/im-chat-loader.js`, minified. */
function loader(): Plugin {
  return classicScript('im-chat-loader', './src/loader/im-chat-loader.ts', 'ImChatLoader', 'im-chat-loader.js');
}

/** One classic (IIFE) script of its own, built after the widget. */
function classicScript(pluginName: string, entry: string, globalName: string, fileName: string): Plugin {
  return {
    name: pluginName,
    apply: 'build',
    async closeBundle() {
      await build({
        configFile: false,
        logLevel: 'warn',
        plugins: [prototypeGuard()],
        build: {
          target: 'es2022',
          outDir: 'dist',
          emptyOutDir: false,
          sourcemap: true,
          lib: {
            entry: fileURLToPath(new URL(entry, import.meta.url)),
            formats: ['iife'],
            name: globalName,
            fileName: () => fileName,
          },
        },
      });
    },
  };
}

/**
 * Copies the Unicode emoji data (names and search words, en and zh) next to the widget as
 * `dist/emoji/<locale>.json`: the picker loads it from there, never from a CDN.
 */
function emojiData(): Plugin {
  return {
    name: 'im-chat-emoji-data',
    apply: 'build',
    async closeBundle() {
      const target = fileURLToPath(new URL('./dist/emoji/', import.meta.url));
      await mkdir(target, { recursive: true });
      for (const locale of ['en', 'zh']) {
        const source = new URL(`./node_modules/emoji-picker-element-data/${locale}/emojibase/data.json`, import.meta.url);
        await copyFile(fileURLToPath(source), `${target}${locale}.json`);
      }
    },
  };
}
