/**
 * Bundle sizes, minified and gzipped: the widget as one `<script>` (IIFE), and as an ES
 * module — what a page loads first (the entry and every chunk it imports statically) and
 * what loads later (dynamic imports) — and the support loader that a page adds with one
 * tag (at most 5 KB). The baseline is a bundle of the libraries the widget is built on,
 * alone, made the same way: what im-chat's own code adds is the difference.
 */
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Plugin, type Rolldown } from 'vite';
import { catalogueFiles } from '../../src/build/icu-catalogues.js';
import viteConfig, { widgetEntries, widgetPlugins } from '../../vite.config.js';

export interface BundleReport {
  /** Bytes, minified then gzipped (level 9). */
  iife: number;
  /** The entry and every chunk it imports statically, directly or not: what a page loads first. */
  esEntry: number;
  /** The chunks only a dynamic import reaches. */
  esLazy: number;
  libraries: number;
  /** `im-chat-loader.js`, the one-tag embedding. */
  loader: number;
}

/** The loader's budget: what a shop may add to every page before anyone asks for help. */
const loaderBudget = 5 * 1024;

// The ES module is built as `npm run build` builds it, with the entries that share its chunks
// (`im-chat/client`, the entry without a DOM); the first load counts what `im-chat` imports.
const widgetEntry = widgetEntries['im-chat'];
const loaderEntry = fileURLToPath(new URL('../../src/loader/im-chat-loader.ts', import.meta.url));
// Everything the widget takes from its libraries is re-exported, so none of it is shaken out.
const libraries = ['lit', '@lit/context', '@lit-labs/virtualizer', 'socket.io-client', 'dexie'];

export async function benchBundles(): Promise<BundleReport> {
  console.error('bench: bundles: building the widget and its libraries');
  const es = await bundle(widgetEntries, 'es');
  const iife = await bundle(widgetEntry, 'iife');
  const alone = await bundle(librariesEntry, 'es');
  const loader = await bundle(loaderEntry, 'iife');
  const first = firstLoad(es, 'im-chat');
  return {
    loader: size(loader),
    iife: size(iife.filter((chunk) => chunk.isEntry)),
    esEntry: size(first),
    esLazy: size(es.filter((chunk) => !chunk.isEntry && !first.includes(chunk))),
    libraries: size(alone),
  };
}

// A module made on the fly, resolved from the repository like the widget's own imports.
const librariesEntry = fileURLToPath(new URL('../../bench-libraries.js', import.meta.url));
const librariesModule: Plugin = {
  name: 'im-chat-bench-libraries',
  resolveId: (id) => (id === librariesEntry ? id : null),
  load: (id) => (id === librariesEntry ? libraries.map((name) => `export * from '${name}';`).join('\n') : null),
};

export function formatBundles(report: BundleReport): string {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  const ratio = (bytes: number) => `${(bytes / report.libraries).toFixed(2)}×`;
  const row = (label: string, bytes: number, note: string) =>
    `| ${label.padEnd(44)} | ${kb(bytes).padStart(9)} | ${note.padStart(16)} |`;
  return [
    `Bundle sizes, minified and gzipped (level 9), against the libraries the widget is built on (${libraries.join(', ')}), bundled alone`,
    '',
    '| bundle                                       | min+gzip | / the libraries |',
    '| -------------------------------------------- | --------: | ---------------: |',
    row('widget, one script (im-chat.iife.js)', report.iife, ratio(report.iife)),
    row('widget, ES module: entry + static imports', report.esEntry, ratio(report.esEntry)),
    row('widget, ES module: loaded when needed', report.esLazy, ''),
    row('the libraries alone', report.libraries, ''),
    row('support loader (im-chat-loader.js)', report.loader, `${Math.round((100 * report.loader) / loaderBudget)}% of 5 KB`),
  ].join('\n');
}

async function bundle(entry: string | Record<string, string>, format: 'es' | 'iife'): Promise<Rolldown.OutputChunk[]> {
  const output = await build({
    configFile: false,
    logLevel: 'warn',
    mode: 'production',
    resolve: viteConfig.resolve,
    // The widget's own plugins, as `npm run build` applies them (minified template CSS, the
    // first screen in one chunk, the prototype guard); the libraries alone get them too. The
    // one-script build ships its languages other than English as files, as the real one does.
    plugins: [librariesModule, ...widgetPlugins(), ...(format === 'iife' ? [catalogueFiles()] : [])],
    build: {
      write: false,
      minify: true,
      target: 'es2022',
      lib: { entry, formats: [format], name: 'ImChat', fileName: (_format, name) => `${name}.${format}.js` },
    },
  });
  const outputs = (Array.isArray(output) ? output : [output]) as Rolldown.RolldownOutput[];
  return outputs.flatMap((result) => result.output.filter((item): item is Rolldown.OutputChunk => item.type === 'chunk'));
}

/**
 * The entry chunk named `entry` and every chunk it imports statically, transitively: the
 * browser fetches all of them before the widget runs, whatever they are named.
 */
export function firstLoad(chunks: readonly Rolldown.OutputChunk[], entry: string): Rolldown.OutputChunk[] {
  const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
  const loaded = new Set<Rolldown.OutputChunk>();
  const visit = (chunk: Rolldown.OutputChunk) => {
    if (loaded.has(chunk)) return;
    loaded.add(chunk);
    for (const name of chunk.imports) {
      const imported = byName.get(name);
      // Only chunks of this build are fetched; an external import is not ours to count.
      if (imported) visit(imported);
    }
  };
  for (const chunk of chunks) if (chunk.isEntry && chunk.name === entry) visit(chunk);
  return [...loaded];
}

function size(chunks: readonly Rolldown.OutputChunk[]): number {
  return chunks.reduce((sum, chunk) => sum + gzipSync(chunk.code, { level: 9 }).length, 0);
}
