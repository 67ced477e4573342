import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

import { IntlMessageFormat } from 'intl-messageformat';
import { transformWithOxc } from 'vite';
import { describe, expect, it } from 'vitest';
import { icuCatalogues } from '../../../src/build/icu-catalogues.js';
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

const values = (count: number) => ({ count, total: 7, max: 9, number: 3, name: 'Ann', text: 'hi', actor: 'Bo', user: 'Cy', users: 'Cy and Di', agent: 'Ed', visitor: 'Flo', by: 'Gus', time: '9:00', date: '3 May', when: 'today', size: '2 MB', limit: '10 MB', reason: 'no' });

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
