/**
 * Build plugin that parses the widget's string catalogues (`src/ui/i18n/<lang>.ts`) at build
 * time, so that the ICU MessageFormat parser stays out of the first load: a message with ICU
 * syntax ships as its syntax tree (what intl-messageformat formats from), plain text as text.
 * intl-messageformat then gets the parser-less entry of @formatjs/icu-messageformat-parser;
 * the widget loads the full parser on demand for an integrator's own strings.
 * In development and tests the catalogues stay ICU text, parsed as they are used.
 */
import { parse } from '@formatjs/icu-messageformat-parser';
import { createRequire } from 'node:module';
import type { Plugin } from 'vite';

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
      const compiled: Record<string, unknown> = {};
      for (const [key, message] of Object.entries(module.default)) {
        if (typeof message !== 'string') throw new Error(`${id}: "${key}" is not a string`);
        compiled[key] = icuSyntax.test(message) ? parse(message, { ignoreTag: true, locale: new Intl.Locale(lang) }) : message;
      }
      return { code: `export default ${JSON.stringify(compiled)};\n`, map: null };
    },
  };
  return [withoutParser, parsedCatalogues];
}
