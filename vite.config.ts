import { copyFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build, defineConfig, type BuildEnvironmentOptions, type Plugin } from 'vite';
import { catalogueFiles, icuCatalogues } from './src/build/icu-catalogues.js';
import { prototypeGuard } from './src/build/prototype-guard.js';
import { templateCss } from './src/build/template-css.js';

// Builds the package's entry points into dist/ (the `exports` of package.json):
// - `im-chat.js`: the elements, registered as it loads, for bundlers and `<script type="module">`
//   in a browser; `node/im-chat.js`: the same entry where there is no DOM (the client only);
// - `client/index.js`: the headless client (no Lit, no elements);
// - `im-chat.iife.js`: the elements for a plain `<script>` tag, its languages other than English
//   shipped as `locales/<lang>.json` and fetched when used (an IIFE cannot load code on demand);
// - `protocol/index.js`: the protocol's runtime part on its own, plus `protocol/protocol.schema.json`;
// - `im-chat-sw.js`: the push service worker, one classic script with a stable name that hosts serve;
// - `im-chat-loader.js`: the support loader, the small script a site adds with one tag.
// The three ES entries are one build, so that they share one copy of the client: in a browser,
// `im-chat` and `im-chat/client` give the same `ChatClient` class.
// Type declarations come from `tsc -p tsconfig.build.json`. Source maps only with
// IM_SOURCEMAP=1: the published package carries none.
// Every script is rewritten to survive pages that patched built-in prototypes (prototypeGuard),
// the CSS in the elements' css`…` templates is minified (templateCss), the string
// catalogues come parsed, leaving the ICU parser out of the first load (icuCatalogues), and
// the ES modules are minified whole, as the classic scripts are (compactModules).
// The classic scripts do nothing where their globals are missing (a server importing them).
const sourcemap = process.env['IM_SOURCEMAP'] === '1';

const resolve = {
  alias: [
    // Dexie's package entry shares one instance through a global symbol and throws if a
    // host page loads another version; the widget takes its own copy instead.
    {
      find: /^dexie$/,
      replacement: fileURLToPath(new URL('./node_modules/dexie/dist/dexie.mjs', import.meta.url)),
    },
  ],
};

/** The ES build's entries, by the file each becomes in dist/ (without `.js`). */
export const widgetEntries = {
  'im-chat': fileURLToPath(new URL('./src/ui/index.ts', import.meta.url)),
  'node/im-chat': fileURLToPath(new URL('./src/ui/node.ts', import.meta.url)),
  'client/index': fileURLToPath(new URL('./src/client/index.ts', import.meta.url)),
};

export default defineConfig({
  plugins: [
    ...widgetPlugins(),
    classicScript({
      entry: './src/ui/index.ts',
      globalName: 'ImChat',
      fileName: 'im-chat.iife.js',
      plugins: [templateCss(), ...icuCatalogues(), catalogueFiles(), prototypeGuard()],
      guard: `typeof HTMLElement < 'u' && typeof customElements < 'u'`,
    }),
    moduleBuild('./src/protocol/index.ts', 'protocol'),
    schema(),
    serviceWorker(),
    loader(),
    emojiData(),
  ],
  resolve,
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap,
    lib: {
      entry: widgetEntries,
      formats: ['es'],
      fileName: (_format, entryName) => `${entryName}.js`,
    },
  },
});

/** What shapes the widget's own bundles (the benchmark builds them with these too). */
export function widgetPlugins(): Plugin[] {
  return [templateCss(), ...icuCatalogues(), prototypeGuard(), firstScreenChunk(), compactModules()];
}

/**
 * The ES build minified as the one-script build is, whitespace and comments included: Vite
 * leaves both in a library's ES output for the bundlers that build it again, but a page
 * loads `im-chat.js` and its chunks as they are. The annotations that let a bundler drop
 * unused code (`@__PURE__`) stay.
 */
function compactModules(): Plugin {
  return {
    name: 'im-chat-compact-modules',
    apply: 'build',
    outputOptions(options) {
      if (options.format !== 'es' || typeof options.minify !== 'object') return null;
      return { ...options, minify: { ...options.minify, codegen: { removeWhitespace: true } } };
    },
  };
}

/**
 * The ES build: what the first screen needs (the entries' static imports) in one chunk, as
 * every chunk carries prototypeGuard's prelude and each is a request; the parts shown later
 * load in chunks of their own. The headless client's part of it is a chunk of its own, the
 * one `im-chat/client` and the entry without a DOM (`node/im-chat.js`) load too, so that
 * every entry shares one copy of it. (The IIFE build is one file anyway.)
 */
const headlessModules =
  /\/src\/(client|protocol)\/|\/node_modules\/(dexie|socket\.io-client|socket\.io-parser|engine\.io-client|engine\.io-parser|@socket\.io\/component-emitter|fake-indexeddb)\//;

const stringModules = /\/src\/ui\/i18n\/(index|en)\.ts$|\/node_modules\/(intl-messageformat|@formatjs)\//;

function firstScreenChunk(): Plugin {
  return {
    name: 'im-chat-first-screen-chunk',
    apply: 'build',
    outputOptions(options) {
      if (options.format !== 'es') return null;
      const groups = [
        { name: 'im-chat-client', tags: ['$initial' as const], test: headlessModules, priority: 2 },
        // The strings and their formatter: the Node entry exports registerLocale, so they sit
        // apart from the elements, which need a DOM.
        { name: 'im-chat-strings', tags: ['$initial' as const], test: stringModules, priority: 2 },
        { name: 'im-chat-core', tags: ['$initial' as const], test: (id: string) => !id.endsWith('/src/ui/node.ts'), priority: 1 },
      ];
      return { ...options, codeSplitting: { groups } };
    },
  };
}

/** Builds `src/sw/im-chat-sw.ts` to `dist/im-chat-sw.js` once the widget is built. */
function serviceWorker(): Plugin {
  return classicScript({
    entry: './src/sw/im-chat-sw.ts',
    globalName: 'ImChatServiceWorker',
    fileName: 'im-chat-sw.js',
    guard: `typeof ServiceWorkerGlobalScope < 'u' && self instanceof ServiceWorkerGlobalScope`,
  });
}

/** Builds `src/loader/im-chat-loader.ts` to `dist/im-chat-loader.js`, minified. */
function loader(): Plugin {
  return classicScript({
    entry: './src/loader/im-chat-loader.ts',
    globalName: 'ImChatLoader',
    fileName: 'im-chat-loader.js',
    guard: `typeof document < 'u'`,
  });
}

interface ClassicScript {
  entry: string;
  globalName: string;
  fileName: string;
  /** What the script runs under: elsewhere (Node, say) it does nothing. */
  guard: string;
  plugins?: Plugin[];
}

/** One classic (IIFE) script of its own, built after the widget. */
function classicScript({ entry, globalName, fileName, guard, plugins = [prototypeGuard()] }: ClassicScript): Plugin {
  return afterWidget(`im-chat-${fileName}`, {
    plugins,
    build: {
      outDir: 'dist',
      rolldownOptions: { output: { banner: `if (${guard}) {`, footer: '}' } },
      lib: {
        entry: fileURLToPath(new URL(entry, import.meta.url)),
        formats: ['iife'],
        name: globalName,
        fileName: () => fileName,
      },
    },
  });
}

/** An ES module entry with chunks of its own, in `dist/<name>/index.js`, built after the widget. */
function moduleBuild(entry: string, name: string): Plugin {
  return afterWidget(`im-chat-${name}`, {
    plugins: [prototypeGuard()],
    build: {
      outDir: `dist/${name}`,
      lib: {
        entry: fileURLToPath(new URL(entry, import.meta.url)),
        formats: ['es'],
        fileName: () => 'index.js',
      },
    },
  });
}

/** Runs one more vite build once the widget is built, with the widget's target and resolution. */
function afterWidget(pluginName: string, config: { plugins: Plugin[]; build: BuildEnvironmentOptions }): Plugin {
  return {
    name: pluginName,
    apply: 'build',
    async closeBundle() {
      await build({
        configFile: false,
        logLevel: 'warn',
        resolve,
        plugins: config.plugins,
        build: { target: 'es2022', emptyOutDir: false, sourcemap, ...config.build },
      });
    },
  };
}

/** The protocol's JSON Schema, next to its module: `dist/protocol/protocol.schema.json`. */
function schema(): Plugin {
  return {
    name: 'im-chat-protocol-schema',
    apply: 'build',
    async closeBundle() {
      const target = fileURLToPath(new URL('./dist/protocol/', import.meta.url));
      await mkdir(target, { recursive: true });
      await copyFile(fileURLToPath(new URL('./src/protocol/protocol.schema.json', import.meta.url)), `${target}protocol.schema.json`);
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
