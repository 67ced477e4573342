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
  .filter((file) => /^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*\.ts$/.test(file) && file !== 'en.ts')
  .map((file) => file.slice(0, -'.ts'.length));

/** A plural's categories, besides exact matches (`=0`). */
interface PluralUse {
  name: string;
  categories: string[];
}

/**
 * The names a message's placeholders, plurals and selects take, its plurals' and selects'
 * missing `other`s, and the CLDR categories each plural (not ordinal) writes.
 */
function argumentsOf(message: string): { names: Set<string>; withoutOther: string[]; plurals: PluralUse[] } {
  const names = new Set<string>();
  const withoutOther: string[] = [];
  const plurals: PluralUse[] = [];
  const visit = (elements: MessageFormatElement[]) => {
    for (const element of elements) {
      if (isArgumentElement(element) || isNumberElement(element) || isDateElement(element) || isTimeElement(element)) {
        names.add(element.value);
      }
      if (isPluralElement(element) || isSelectElement(element)) {
        names.add(element.value);
        if (!('other' in element.options)) withoutOther.push(element.value);
        if (isPluralElement(element) && element.pluralType !== 'ordinal') {
          const categories = Object.keys(element.options).filter((option) => !option.startsWith('='));
          plurals.push({ name: element.value, categories: categories.sort() });
        }
        for (const option of Object.values(element.options)) visit(option.value);
      }
    }
  };
  visit(parse(message, { ignoreTag: true, requiresOtherClause: true }));
  return { names, withoutOther, plurals };
}

/**
 * The `select` keywords a language may add where its grammar needs them, for a person
 * English names: `{actorIs, select, you {…} other {…}}` where English has `{actor}`.
 */
const personChoice = /^(.+)Is$/;

/** Besides `{users}`, a language may name `{others}`: those of them who are not the user. */
const besides: Record<string, string> = { others: 'users' };

function sameArguments(names: Set<string>, english: Set<string>): boolean {
  const own = [...names].filter((name) => {
    const person = personChoice.exec(name)?.[1];
    if (person && english.has(person) && !english.has(name)) return false;
    return !(besides[name] && english.has(besides[name]) && !english.has(name));
  });
  return sorted(new Set(own)).join() === sorted(english).join();
}

const sorted = (names: Set<string>) => [...names].sort();

describe('the string catalogues', () => {
  it('ships the six languages of the first release, each in the loader table', () => {
    expect(languages).toEqual(expect.arrayContaining(['zh-CN', 'fr', 'ar', 'he', 'ja']));
    expect(availableLanguages().sort()).toEqual(['en', ...languages].sort());
  });

  it('English messages are valid ICU, their plurals with one and other', () => {
    for (const [key, message] of Object.entries(en)) {
      expect(() => argumentsOf(message), key).not.toThrow();
      for (const plural of argumentsOf(message).plurals) expect(plural.categories, key).toEqual(['one', 'other']);
    }
  });

  describe.each(languages)('%s', (lang) => {
    it('has exactly the keys English has', async () => {
      const catalogue = ((await import(`../../../src/ui/i18n/${lang}.ts`)) as { default: Record<string, string> }).default;
      const missing = Object.keys(en).filter((key) => !(key in catalogue));
      const extra = Object.keys(catalogue).filter((key) => !(key in en));
      expect({ missing, extra }).toEqual({ missing: [], extra: [] });
    });

    it('keeps every placeholder of English, in valid ICU, each plural with exactly its language’s plural categories', async () => {
      const catalogue = ((await import(`../../../src/ui/i18n/${lang}.ts`)) as { default: Record<string, string> }).default;
      const problems: string[] = [];
      const categories = [...new Intl.PluralRules(lang).resolvedOptions().pluralCategories].sort();
      for (const [key, englishMessage] of Object.entries(en)) {
        const message = catalogue[key];
        if (typeof message !== 'string') continue;
        try {
          const { names, withoutOther, plurals } = argumentsOf(message);
          const { names: english, plurals: englishPlurals } = argumentsOf(englishMessage);
          for (const { name } of englishPlurals) {
            if (!plurals.some((plural) => plural.name === name)) problems.push(`${key}: ${name} is not a plural, as in English`);
          }
          if (!sameArguments(names, english)) {
            problems.push(`${key}: placeholders ${sorted(names).join(', ') || 'none'}, English has ${sorted(english).join(', ') || 'none'}`);
          }
          if (withoutOther.length > 0) problems.push(`${key}: a plural or select of ${withoutOther.join(', ')} has no other`);
          for (const plural of plurals) {
            if (plural.categories.join() !== categories.join()) {
              problems.push(`${key}: the plural of ${plural.name} has ${plural.categories.join(', ')}; ${lang} has ${categories.join(', ')}`);
            }
          }
        } catch (error) {
          problems.push(`${key}: ${(error as Error).message}`);
        }
      }
      expect(problems).toEqual([]);
    });
  });
});
