import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  isArgumentElement,
  isDateElement,
  isNumberElement,
  isPluralElement,
  isSelectElement,
  isTimeElement,
  parse,
  type MessageFormatElement,
} from '@formatjs/icu-messageformat-parser';
import { describe, expect, it } from 'vitest';
import en from '../../../src/ui/i18n/en.js';
import { availableLanguages } from '../../../src/ui/i18n/index.js';

// Every language file next to English: `<lang>.ts`.
const folder = fileURLToPath(new URL('../../../src/ui/i18n/', import.meta.url));
const languages = readdirSync(folder)
  .filter((file) => file.endsWith('.ts') && file !== 'index.ts' && file !== 'en.ts')
  .map((file) => file.slice(0, -'.ts'.length));

/** The names a message's placeholders and plurals take, and its plurals' missing `other`s. */
function argumentsOf(message: string): { names: Set<string>; withoutOther: string[] } {
  const names = new Set<string>();
  const withoutOther: string[] = [];
  const visit = (elements: MessageFormatElement[]) => {
    for (const element of elements) {
      if (isArgumentElement(element) || isNumberElement(element) || isDateElement(element) || isTimeElement(element)) {
        names.add(element.value);
      }
      if (isPluralElement(element) || isSelectElement(element)) {
        names.add(element.value);
        if (!('other' in element.options)) withoutOther.push(element.value);
        for (const option of Object.values(element.options)) visit(option.value);
      }
    }
  };
  visit(parse(message, { ignoreTag: true, requiresOtherClause: true }));
  return { names, withoutOther };
}

const sorted = (names: Set<string>) => [...names].sort();

describe('the string catalogues', () => {
  it('ships the six languages of the first release, each in the loader table', () => {
    expect(languages).toEqual(expect.arrayContaining(['zh-CN', 'fr', 'ar', 'he', 'ja']));
    expect(availableLanguages().sort()).toEqual(['en', ...languages].sort());
  });

  it('English messages are valid ICU', () => {
    for (const [key, message] of Object.entries(en)) {
      expect(() => argumentsOf(message), key).not.toThrow();
    }
  });

  describe.each(languages)('%s', (lang) => {
    it('has exactly the keys English has', async () => {
      const catalogue = ((await import(`../../../src/ui/i18n/${lang}.ts`)) as { default: Record<string, string> }).default;
      const missing = Object.keys(en).filter((key) => !(key in catalogue));
      const extra = Object.keys(catalogue).filter((key) => !(key in en));
      expect({ missing, extra }).toEqual({ missing: [], extra: [] });
    });

    it('keeps every placeholder of English, in valid ICU with an `other` in each plural', async () => {
      const catalogue = ((await import(`../../../src/ui/i18n/${lang}.ts`)) as { default: Record<string, string> }).default;
      const problems: string[] = [];
      for (const [key, english] of Object.entries(en)) {
        const message = catalogue[key];
        if (typeof message !== 'string') continue;
        try {
          const { names, withoutOther } = argumentsOf(message);
          const expected = sorted(argumentsOf(english).names);
          if (sorted(names).join() !== expected.join()) {
            problems.push(`${key}: placeholders ${sorted(names).join(', ') || 'none'}, English has ${expected.join(', ') || 'none'}`);
          }
          if (withoutOther.length > 0) problems.push(`${key}: a plural of ${withoutOther.join(', ')} has no other`);
        } catch (error) {
          problems.push(`${key}: ${(error as Error).message}`);
        }
      }
      expect(problems).toEqual([]);
    });
  });
});
