import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

import { IntlMessageFormat } from 'intl-messageformat';
import { transformWithOxc, type Plugin } from 'vite';
import { describe, expect, it } from 'vitest';
import { catalogueFiles, icuCatalogues } from '../../../src/build/icu-catalogues.js';
import en from '../../../src/ui/i18n/en.js';

const folder = fileURLToPath(new URL('../../../src/ui/i18n/', import.meta.url));

/** A catalogue as the build ships it: the plugin applied to the module compiled from TypeScript. */
async function built(lang: string): Promise<Record<string, unknown>> {
  const id = `${folder}${lang}.ts`;
  const { code } = await transformWithOxc(await readFile(id, 'utf8'), id);
  const plugin = icuCatalogues().find((candidate) => candidate.transform)!;
  const result = (await (plugin.transform as (code: string, id: string) => Promise<{ code: string }>).call({}, code, id)).code;
  return ((await import(`data:text/javascript;base64,${Buffer.from(result).toString('base64')}`)) as { default: Record<string, unknown> }).default;
}

// The select keywords of event messages take each of their values across the counts.
const person = (count: number) => (count % 2 === 1 ? 'you' : 'other');
const people = (count: number) => ['you', 'withYou', 'other'][count % 3]!;
const values = (count: number) => ({ count, actorIs: person(count), userIs: person(count + 1), usersIs: people(count), agentIs: person(count), total: 7, max: 9, number: 3, name: 'Ann', text: 'hi', actor: 'Bo', user: 'Cy', users: 'Cy and Di', others: 'Di', agent: 'Ed', visitor: 'Flo', by: 'Gus', time: '9:00', date: '3 May', when: 'today', size: '2 MB', limit: '10 MB', reason: 'no', confirmed: 4, duration: '0:12', speed: '1.5×', emoji: '👍', names: 'Ann and Bo' });

describe('the catalogues as the build ships them', () => {
  it.each(['en', 'fr', 'ar', 'ja'])('%s formats every message as its ICU text does, without the parser', async (lang) => {
    const source = ((await import(`../../../src/ui/i18n/${lang}.ts`)) as { default: Record<string, string> }).default;
    const shipped = await built(lang);
    expect(Object.keys(shipped)).toEqual(Object.keys(en));
    for (const [key, message] of Object.entries(shipped)) {
      // Plain text stays text; anything with ICU syntax comes as the parsed tree.
      expect(typeof message === 'string' ? /[{}']/.test(message) : !Array.isArray(message), key).toBe(false);
      const ast = typeof message === 'string' ? [{ type: 0, value: message }] : message;
      for (const count of [0, 1, 2, 3, 11, 100]) {
        const fromTree = new IntlMessageFormat(ast as never, lang, undefined, { ignoreTag: true }).format(values(count));
        const fromText = new IntlMessageFormat(source[key]!, lang, undefined, { ignoreTag: true }).format(values(count));
        expect(fromTree, `${key} (${count})`).toEqual(fromText);
      }
    }
  });
});

describe('the languages of the one-script build', () => {
  const builtIn = readdirSync(folder)
    .filter((file) => /^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*\.ts$/.test(file) && file !== 'en.ts')
    .map((file) => file.slice(0, -'.ts'.length));

  type Hook = (...args: unknown[]) => unknown;
  function building(formats: string[]): Plugin {
    const plugin = catalogueFiles();
    (plugin.configResolved as Hook).call({}, { build: { lib: { formats } } });
    return plugin;
  }
  async function transformed(plugin: Plugin, file: string): Promise<string | null> {
    const id = `${folder}${file}`;
    const { code } = await transformWithOxc(await readFile(id, 'utf8'), id);
    const result = (plugin.transform as Hook).call({}, code, id) as { code: string } | null;
    return result?.code ?? null;
  }

  it('fetches each built-in language from locales/<lang>.json, which the build writes as the ES build ships it', async () => {
    const plugin = building(['iife']);
    const index = (await transformed(plugin, 'index.ts'))!;
    for (const lang of builtIn) {
      expect(index, lang).not.toContain(`import('./${lang}.js')`);
      expect(index, lang).toContain(`__imChatCatalogueFile(${JSON.stringify(lang)})`);
    }

    const emitted: { fileName: string; source: string }[] = [];
    await (plugin.generateBundle as Hook).call({ emitFile: (file: { fileName: string; source: string }) => emitted.push(file) });
    expect(emitted.map((file) => file.fileName).sort()).toEqual(builtIn.map((lang) => `locales/${lang}.json`).sort());
    for (const lang of ['fr', 'ar']) {
      expect(JSON.parse(emitted.find((file) => file.fileName === `locales/${lang}.json`)!.source), lang).toEqual(await built(lang));
    }
  });

  it('leaves the ES build its dynamic imports, and will not build both formats at once', async () => {
    expect(await transformed(building(['es']), 'index.ts')).toBeNull();
    expect(() => building(['es', 'iife'])).toThrow(/IIFE on its own/);
  });
});
