import { describe, expect, it } from 'vitest';
import { availableLanguages, directionOf, resolveLang } from '../../../src/ui/i18n/index.js';

const has = (lang: string) => availableLanguages().includes(lang);

describe('choosing a language', () => {
  it('takes an exact tag in any case, else the same language in another region', () => {
    expect(resolveLang('fr')).toBe('fr');
    expect(resolveLang('FR-ca')).toBe('fr');
    expect(resolveLang('ar-EG')).toBe('ar');
    expect(resolveLang('he-IL')).toBe('he');
    expect(resolveLang('ja-JP')).toBe('ja');
    expect(resolveLang('en-GB')).toBe('en');
  });

  it('tells Traditional from Simplified Chinese, falling back to Simplified while Traditional is missing', () => {
    expect(resolveLang('zh')).toBe('zh-CN');
    expect(resolveLang('zh-SG')).toBe('zh-CN');
    expect(resolveLang('zh-Hans-HK')).toBe('zh-CN');
    for (const tag of ['zh-TW', 'zh-HK', 'zh-Hant', 'zh-MO']) {
      expect(resolveLang(tag), tag).toBe(has('zh-TW') ? 'zh-TW' : 'zh-CN');
    }
  });

  it('takes Brazilian Portuguese for any Portuguese, and English when a language has no strings', () => {
    for (const tag of ['pt', 'pt-PT', 'pt-BR']) expect(resolveLang(tag), tag).toBe(has('pt-BR') ? 'pt-BR' : 'en');
    expect(resolveLang('tlh')).toBe('en');
    expect(resolveLang('not a language tag')).toBe('en');
  });

  it('knows which languages are written right to left', () => {
    expect(['ar', 'he', 'fa', 'ur', 'yi'].map(directionOf)).toEqual(['rtl', 'rtl', 'rtl', 'rtl', 'rtl']);
    expect(['en', 'fr', 'ja', 'zh-CN', 'ru'].map(directionOf)).toEqual(['ltr', 'ltr', 'ltr', 'ltr', 'ltr']);
  });
});
