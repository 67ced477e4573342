/**
 * Build plugin that parses the widget's string catalogues (`src/ui/i18n/<lang>.ts`) at build
 * time, so that the ICU MessageFormat parser stays out of the first load: a message with ICU
 * syntax ships as its syntax tree (what intl-messageformat formats from), plain text as text.
 * intl-messageformat then gets the parser-less entry of @formatjs/icu-messageformat-parser;
 * the widget loads the full parser on demand for an integrator's own strings.
 * In development and tests the catalogues stay ICU text, parsed as they are used.
 *
 * The one-script build (IIFE) cannot load code on demand, so it would carry every language:
 * there, each language other than English ships as `locales/<lang>.json` next to the script
 * instead, and the widget fetches it when the language is first used (catalogueFiles).
 */
import { parse } from '@formatjs/icu-messageformat-parser';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { transformWithOxc, type Plugin } from 'vite';

const catalogueFile = /\/src\/ui\/i18n\/([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\.ts$/;
const intlMessageFormat = /\/node_modules\/intl-messageformat\//;
/** What the runtime treats as plain text without parsing it (src/ui/i18n/index.ts: `needsParsing`). */
const icuSyntax = /[{}']/;

export function icuCatalogues(): Plugin[] {
  const require = createRequire(import.meta.url);
  const noParser = require.resolve('@formatjs/icu-messageformat-parser/no-parser.js');
  const withoutParser: Plugin = {
    name: 'im-chat-icu-without-parser',
    apply: 'build',
    // Before the resolver of node_modules, which would find the full parser.
    enforce: 'pre',
    resolveId(source, importer) {
      if (source === '@formatjs/icu-messageformat-parser' && importer && intlMessageFormat.test(importer)) return noParser;
      return null;
    },
  };
  const parsedCatalogues: Plugin = {
    name: 'im-chat-icu-catalogues',
    apply: 'build',
    // After TypeScript is compiled away: the module is plain JavaScript here.
    async transform(code, id) {
      const lang = catalogueFile.exec(id)?.[1];
      if (!lang) return null;
      // The catalogue module is one object literal of strings (its imports are types only).
      const module = (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as {
        default?: Record<string, unknown>;
      };
      if (!module.default) return null;
      return { code: `export default ${JSON.stringify(compiledCatalogue(lang, module.default, id))};\n`, map: null };
    },
  };
  return [withoutParser, parsedCatalogues];
}

/** A catalogue as the widget ships it: ICU messages as their syntax trees, plain text as text. */
function compiledCatalogue(lang: string, messages: Record<string, unknown>, source: string): Record<string, unknown> {
  const compiled: Record<string, unknown> = {};
  for (const [key, message] of Object.entries(messages)) {
    if (typeof message !== 'string') throw new Error(`${source}: "${key}" is not a string`);
    compiled[key] = icuSyntax.test(message) ? parse(message, { ignoreTag: true, locale: new Intl.Locale(lang) }) : message;
  }
  return compiled;
}

const widgetEntry = /\/src\/ui\/index\.ts$/;
const i18nIndex = /\/src\/ui\/i18n\/index\.ts$/;
/** A built-in language's loader in src/ui/i18n/index.ts: `import('./fr.js')`. */
const catalogueImport = /import\(\s*(['"])\.\/([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\.js\1\s*\)/g;

/**
 * In a build whose only format is the IIFE: the built-in languages' loaders fetch
 * `locales/<lang>.json` from next to the script (src/ui/i18n/catalogue-file.ts) instead of
 * importing the catalogue, which the IIFE would inline; the build writes those files.
 * Other builds keep the dynamic imports, each language a chunk of its own.
 */
export function catalogueFiles(): Plugin {
  let oneScript = false;
  let folder = '';
  const languages = new Set<string>();
  return {
    name: 'im-chat-catalogue-files',
    apply: 'build',
    configResolved(config) {
      const formats = config.build.lib ? (config.build.lib.formats ?? []) : [];
      if (formats.includes('iife') && formats.length > 1) {
        throw new Error('im-chat: build the IIFE on its own: its languages ship as files, the ES build keeps them as chunks.');
      }
      oneScript = formats.length === 1 && formats[0] === 'iife';
    },
    transform(code, id) {
      if (!oneScript) return null;
      if (widgetEntry.test(id)) {
        // The entry runs while the script does: where the script came from is known then.
        return { code: `import { rememberScript as __imChatRememberScript } from './i18n/catalogue-file.js';\n__imChatRememberScript();\n${code}`, map: null };
      }
      if (!i18nIndex.test(id)) return null;
      folder = dirname(id);
      const rewritten = code.replace(catalogueImport, (match: string, _quote: string, lang: string) => {
        // Only a catalogue next to index.ts (not an integrator's language in a doc comment).
        if (!existsSync(join(folder, `${lang}.ts`))) return match;
        languages.add(lang);
        return `__imChatCatalogueFile(${JSON.stringify(lang)})`;
      });
      if (languages.size === 0) throw new Error(`${id}: found no built-in language to ship as a file`);
      return { code: `import { catalogueFile as __imChatCatalogueFile } from './catalogue-file.js';\n${rewritten}`, map: null };
    },
    async generateBundle() {
      if (!oneScript) return;
      for (const lang of languages) {
        const file = join(folder, `${lang}.ts`);
        const { code } = await transformWithOxc(await readFile(file, 'utf8'), file);
        const module = (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as {
          default?: Record<string, unknown>;
        };
        if (!module.default) throw new Error(`${file}: the catalogue is not the module's default export`);
        this.emitFile({
          type: 'asset',
          fileName: `locales/${lang}.json`,
          source: JSON.stringify(compiledCatalogue(lang, module.default, file)),
        });
      }
    },
  };
}
