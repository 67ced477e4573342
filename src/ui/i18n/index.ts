import type { MessageFormatElement, TYPE } from '@formatjs/icu-messageformat-parser';
import { IntlMessageFormat } from 'intl-messageformat';
import english, { type MessageKey } from './en.js';

export type { Catalogue, MessageKey } from './en.js';
/** A language tag (BCP 47) of a language the widget has strings for: `en`, `fr`, `zh-CN`… */
export type Lang = string;
/** Some of a language's strings: the rest come from English. */
export type PartialCatalogue = Partial<Record<MessageKey, string>>;
/** Loads a catalogue on demand; a module whose default export is the catalogue works too. */
export type CatalogueLoader = () => Promise<PartialCatalogue | { default: PartialCatalogue }>;
export type TextDirection = 'ltr' | 'rtl';

/**
 * A message as the catalogues hold it: ICU text, or (in the built widget, see
 * src/build/icu-catalogues.ts) the syntax tree the build parsed it into.
 */
type Message = string | MessageFormatElement[];
const en = english as Record<MessageKey, Message>;

/**
 * The languages that come with the widget, each loaded when it is first used (English is
 * part of the widget). Adding a language is one line here and its `<lang>.ts` file.
 */
const builtInLanguages: Record<Lang, CatalogueLoader> = {
  ar: () => import('./ar.js'),
  fr: () => import('./fr.js'),
  he: () => import('./he.js'),
  ja: () => import('./ja.js'),
  'zh-CN': () => import('./zh-CN.js'),
  'zh-TW': () => import('./zh-TW.js'),
  es: () => import('./es.js'),
  de: () => import('./de.js'),
  'pt-BR': () => import('./pt-BR.js'),
  ko: () => import('./ko.js'),
  ru: () => import('./ru.js'),
};

const loaders = new Map<Lang, CatalogueLoader>(Object.entries(builtInLanguages));
/** The strings of each language loaded so far. */
const catalogues = new Map<Lang, Partial<Record<MessageKey, Message>>>([['en', en]]);
const loadingCatalogues = new Map<Lang, Promise<Partial<Record<MessageKey, Message>>>>();

/**
 * Adds a language, or replaces the strings of one other than English, for every `<im-chat>`
 * on the page (English strings are replaced with `<im-chat>`'s `strings`). Keys it leaves out
 * are shown in English. A loader runs the first time the language is used.
 *
 * @example
 * ```ts
 * registerLocale('nl', () => import('./nl.js'));
 * registerLocale('eo', { appTitle: 'Babiloj', send: 'Sendi' });
 * ```
 */
export function registerLocale(lang: Lang, strings: PartialCatalogue | CatalogueLoader): void {
  const tag = canonicalTag(lang);
  if (!tag) throw new RangeError(`im-chat: registerLocale: "${lang}" is not a language tag (BCP 47, such as "nl" or "pt-BR").`);
  if (tag === 'en') throw new RangeError('im-chat: registerLocale: English is built in; replace its strings with the strings property of <im-chat>.');
  if (typeof strings !== 'function' && (typeof strings !== 'object' || strings === null)) {
    throw new TypeError(`im-chat: registerLocale: the strings of "${tag}" must be an object of messages or a function that loads one.`);
  }
  // Checked when the language is first used, once the ICU parser is there.
  loadingCatalogues.delete(tag);
  catalogues.delete(tag);
  loaders.set(tag, typeof strings === 'function' ? strings : () => Promise.resolve(strings));
}

/** The languages that have strings: English, the built-in ones and those registered. */
export function availableLanguages(): Lang[] {
  return ['en', ...[...loaders.keys()].filter((tag) => tag !== 'en')];
}

/**
 * Picks a language that has strings from a `lang` attribute, else from the browser's
 * languages: the exact tag, then Traditional (zh-TW, zh-HK, zh-Hant) or Simplified Chinese,
 * Brazilian Portuguese for any Portuguese, then any language with the same base; else English.
 */
export function resolveLang(requested?: string | null): Lang {
  const candidates = requested ? [requested] : [...(globalThis.navigator?.languages ?? [])];
  const available = availableLanguages();
  const find = (tag: string) => available.find((known) => known.toLowerCase() === tag.toLowerCase());
  for (const candidate of candidates) {
    const tag = canonicalTag(candidate);
    if (!tag) continue;
    const locale = new Intl.Locale(tag);
    const base = locale.language;
    const preferred = [tag];
    if (base === 'zh') preferred.push(locale.maximize().script === 'Hant' ? 'zh-TW' : 'zh-CN');
    if (base === 'pt') preferred.push('pt-BR');
    preferred.push(base);
    for (const option of preferred) {
      const found = find(option);
      if (found) return found;
    }
    const sameBase = available.find((known) => new Intl.Locale(known).language === base);
    if (sameBase) return sameBase;
  }
  return 'en';
}

/** The direction a language is written in. */
export function directionOf(lang: Lang): TextDirection {
  const locale = new Intl.Locale(lang).maximize();
  return rtlScripts.has(locale.script ?? '') ? 'rtl' : 'ltr';
}

const rtlScripts = new Set(['Arab', 'Hebr', 'Syrc', 'Thaa', 'Nkoo', 'Adlm', 'Rohg', 'Mand', 'Samr']);

// First-strong detection for bidi isolation: letters of right-to-left scripts, and any other letter.
const rtlLetter = /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Adlam}\p{Script=Hanifi_Rohingya}\p{Script=Mandaic}\p{Script=Samaritan}]/u;
const ltrLetter = /(?![\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Adlam}\p{Script=Hanifi_Rohingya}\p{Script=Mandaic}\p{Script=Samaritan}])\p{L}/u;
const FSI = '\u2068';
const PDI = '\u2069';

/**
 * `text` as an isolate (FSI…PDI) when it holds letters written against `direction`, so that
 * it keeps its own order in the text around it: an Arabic name in an English sentence, an
 * English time in an Arabic one. Other text is returned as it is.
 */
export function isolate(text: string, direction: TextDirection): string {
  const against = direction === 'ltr' ? rtlLetter : ltrLetter;
  return against.test(text) ? FSI + text + PDI : text;
}

export interface TranslatorOptions {
  /** Strings that replace the language's own (an integrator's overrides). */
  strings?: PartialCatalogue;
  /** The direction the widget is shown in; by default the language's. */
  dir?: TextDirection;
}

/** Formats already made, per language and message. */
const formats = new Map<Lang, Map<Message, IntlMessageFormat>>();

function compile(lang: Lang, message: Message): IntlMessageFormat {
  let ofLang = formats.get(lang);
  if (!ofLang) formats.set(lang, (ofLang = new Map()));
  let format = ofLang.get(message);
  if (!format) {
    // Plain text needs no parser; tags are text: strings never become markup.
    const source = needsParsing(message) ? message : typeof message === 'string' ? [literal(message)] : message;
    format = new IntlMessageFormat(source, lang, undefined, { ignoreTag: true });
    ofLang.set(message, format);
  }
  return format;
}

/** ICU text with syntax in it (the build leaves only an integrator's strings so). */
function needsParsing(message: unknown): message is string {
  return typeof message === 'string' && /[{}']/.test(message);
}

function literal(value: string): MessageFormatElement {
  return { type: 0 as TYPE.literal, value };
}

/**
 * Whether strings that need the ICU parser can be formatted now. The built widget leaves the
 * parser out of its first load (the catalogues come parsed); it loads with the first
 * integrator's string that needs it.
 */
function parserReady(messages: readonly unknown[]): boolean {
  return hasParser() || !messages.some(needsParsing);
}

let parser: boolean | undefined;

/** Whether intl-messageformat can parse: the built widget's entry without a parser has one that throws. */
function hasParser(): boolean {
  if (parser === undefined) {
    try {
      IntlMessageFormat.__parse?.('{a}');
      parser = !!IntlMessageFormat.__parse;
    } catch {
      parser = false;
    }
  }
  return parser;
}

async function loadParser(): Promise<void> {
  if (hasParser()) return;
  const { parse } = await import('@formatjs/icu-messageformat-parser');
  IntlMessageFormat.__parse = parse;
  parser = true;
}

/**
 * Strings and formats of one language. Immutable: a new one is made when `lang`, the
 * integrator's strings or the direction change. A language other than English is
 * constructed once its strings have loaded ({@link Translator.load}).
 *
 * @example
 * ```ts
 * const t = Translator.loaded(lang) ?? (await Translator.load(lang));
 * t.t('members', { count: 3 }); // "3 members"
 * ```
 */
export class Translator {
  /** The translator of a language, loading its strings first if they have not loaded yet. */
  static async load(lang: Lang, options?: TranslatorOptions): Promise<Translator> {
    if (!parserReady(Object.values(options?.strings ?? {}))) await loadParser();
    if (!catalogues.has(lang)) {
      let loading = loadingCatalogues.get(lang);
      if (!loading) {
        const loader = loaders.get(lang);
        if (!loader) throw new Error(`im-chat: there are no strings for "${lang}"; registerLocale adds a language.`);
        // The built-in catalogues are checked by the tests; an integrator's when they load.
        const builtIn = loader === builtInLanguages[lang];
        loading = loader().then(async (loaded) => {
          const catalogue = 'default' in loaded ? loaded.default : loaded;
          if (builtIn) return catalogue;
          if (!parserReady(Object.values(catalogue))) await loadParser();
          return checkedCatalogue(lang, catalogue);
        });
        loadingCatalogues.set(lang, loading);
        // A failed load (the network) is tried again the next time.
        loading.catch(() => loadingCatalogues.delete(lang));
      }
      const catalogue = await loading;
      if (loadingCatalogues.get(lang) === loading) catalogues.set(lang, catalogue);
    }
    return new Translator(lang, options);
  }

  /** The translator of a language whose strings have loaded, else null. */
  static loaded(lang: Lang, options?: TranslatorOptions): Translator | null {
    return catalogues.has(lang) && parserReady(Object.values(options?.strings ?? {})) ? new Translator(lang, options) : null;
  }

  /** The direction the language is written in. */
  readonly langDir: TextDirection;
  /** The direction the widget is shown in. */
  readonly dir: TextDirection;
  readonly strings: PartialCatalogue | undefined;
  readonly #catalogue: Partial<Record<MessageKey, Message>>;
  readonly #time: Intl.DateTimeFormat;
  readonly #dateTime: Intl.DateTimeFormat;
  readonly #weekday: Intl.DateTimeFormat;
  readonly #date: Intl.DateTimeFormat;
  readonly #fullDate: Intl.DateTimeFormat;
  readonly #list: Intl.ListFormat;
  readonly #relative: Intl.RelativeTimeFormat;

  constructor(
    readonly lang: Lang,
    options: TranslatorOptions = {},
  ) {
    const catalogue = catalogues.get(lang);
    if (!catalogue) throw new Error(`The ${lang} strings have not loaded yet: use Translator.load('${lang}').`);
    this.strings = options.strings;
    this.#catalogue = options.strings ? { ...catalogue, ...checkedCatalogue(lang, options.strings, 'strings') } : catalogue;
    this.langDir = directionOf(lang);
    this.dir = options.dir ?? this.langDir;
    this.#time = new Intl.DateTimeFormat(lang, { hour: 'numeric', minute: '2-digit' });
    this.#dateTime = new Intl.DateTimeFormat(lang, { weekday: 'short', hour: 'numeric', minute: '2-digit' });
    this.#weekday = new Intl.DateTimeFormat(lang, { weekday: 'long' });
    this.#date = new Intl.DateTimeFormat(lang, { month: 'short', day: 'numeric' });
    this.#fullDate = new Intl.DateTimeFormat(lang, { dateStyle: 'medium' });
    this.#list = new Intl.ListFormat(lang, { type: 'conjunction' });
    this.#relative = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
  }

  /**
   * A message with its arguments: plurals by the language's CLDR rules, numbers in its
   * digits, and each text argument isolated (FSI…PDI) where its direction differs.
   * `choices` are the keywords of the message's `select`s, such as `actorIs: 'you'`.
   */
  t(key: MessageKey, params: Record<string, string | number> = {}, choices: Record<string, string> = {}): string {
    const values: Record<string, string | number> = {};
    for (const [name, value] of Object.entries(params)) {
      values[name] = typeof value === 'string' ? isolate(value, this.langDir) : value;
    }
    // Keywords for `select` (`actorIs: 'you'`): matched, never shown, so never isolated.
    Object.assign(values, choices);
    const message = this.#catalogue[key];
    let text: string;
    try {
      text = String(compile(this.lang, message ?? en[key]).format(values));
    } catch (error) {
      // A message that does not fit its arguments shows the English one rather than nothing.
      console.error(`im-chat: the ${this.lang} message "${key}" could not be formatted`, error);
      text = String(compile('en', en[key]).format(values));
    }
    return this.#shown(text);
  }

  /** A readable text for an error code from the server or the client. */
  error(code: string): string {
    const key = `error.${code}` as MessageKey;
    return key in en ? this.t(key) : this.t('error.unknown');
  }

  /** "Alice, Bob and Carol" / "Alice、Bob和Carol", each name isolated. */
  list(items: readonly string[]): string {
    return this.#list.format(items.map((item) => isolate(item, this.langDir)));
  }

  time(ms: number): string {
    return this.#shown(this.#time.format(ms));
  }

  /** A moment within the coming week: "Tue 9:00 AM" / "周二 09:00". */
  dateTime(ms: number): string {
    return this.#shown(this.#dateTime.format(ms));
  }

  /** A time relative to now in the language's words: "5 minutes ago", "yesterday", "vor 2 Stunden". */
  relativeTime(value: number, unit: Intl.RelativeTimeFormatUnit): string {
    return this.#shown(this.#relative.format(value, unit));
  }

  /** Day separator: Today, Yesterday, a weekday within the week, else the date. */
  day(ms: number, now = Date.now()): string {
    const days = dayDifference(ms, now);
    if (days === 0) return this.t('today');
    if (days === 1) return this.t('yesterday');
    if (days < 7) return this.#shown(this.#weekday.format(ms));
    return this.#shown(this.#fullDate.format(ms));
  }

  /** Conversation list: the time today, else a short date. */
  listTime(ms: number, now = Date.now()): string {
    const days = dayDifference(ms, now);
    if (days === 0) return this.time(ms);
    if (days === 1) return this.t('yesterday');
    return this.#shown(this.#date.format(ms));
  }

  // Text of the language in a widget shown the other way (English with dir="rtl") keeps its
  // own order: "6:36 PM", not "PM 6:36".
  #shown(text: string): string {
    return this.dir === this.langDir ? text : isolate(text, this.dir);
  }
}

/** The messages of `strings` that are text and valid ICU; the others are reported and left out. */
function checkedCatalogue(lang: Lang, strings: PartialCatalogue, source = 'registerLocale'): PartialCatalogue {
  const checked: PartialCatalogue = {};
  if (typeof strings !== 'object' || strings === null) {
    console.error(`im-chat: ${source}("${lang}"): the strings are not an object of messages; English is shown.`);
    return checked;
  }
  for (const [key, message] of Object.entries(strings)) {
    if (!(key in en)) {
      console.warn(`im-chat: ${source}("${lang}"): "${key}" is not a message of the widget; it is ignored.`);
      continue;
    }
    try {
      if (typeof message !== 'string') throw new TypeError('it is not a string');
      compile(lang, message);
      checked[key as MessageKey] = message;
    } catch (error) {
      console.error(`im-chat: ${source}("${lang}"): "${key}" is not a valid ICU message (${(error as Error).message}); the built-in text is shown.`);
    }
  }
  return checked;
}

function canonicalTag(lang: string): string | null {
  try {
    return Intl.getCanonicalLocales(lang)[0] ?? null;
  } catch {
    return null;
  }
}

/** Whole local calendar days from `ms` to `now`. */
function dayDifference(ms: number, now: number): number {
  const startOfDay = (t: number) => {
    const d = new Date(t);
    return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  };
  return Math.round((startOfDay(now) - startOfDay(ms)) / 86_400_000);
}

export function isSameDay(a: number, b: number): boolean {
  return dayDifference(a, b) === 0;
}
