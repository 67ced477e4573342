import { en, type Catalogue, type MessageKey } from './en.js';

export type { MessageKey } from './en.js';
export type Lang = 'en' | 'zh-CN';

/** The strings of each language loaded so far: English comes with the widget, the others on demand. */
const catalogues: Partial<Record<Lang, Catalogue>> = { en };

const catalogueLoaders: Record<Exclude<Lang, 'en'>, () => Promise<Catalogue>> = {
  'zh-CN': () => import('./zh-CN.js').then((module) => module.zhCN),
};

const loadingCatalogues = new Map<Lang, Promise<Catalogue>>();

/** Picks a supported language from a `lang` attribute, else from the browser. */
export function resolveLang(requested?: string | null): Lang {
  const candidates = requested ? [requested] : [...(globalThis.navigator?.languages ?? [])];
  for (const candidate of candidates) {
    const lower = candidate.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

/**
 * Strings and formats of one language. Immutable: a new one is made when `lang` changes.
 * A language other than English is constructed once its strings have loaded ({@link Translator.load}).
 *
 * @example
 * ```ts
 * const t = Translator.loaded(lang) ?? (await Translator.load(lang));
 * ```
 */
export class Translator {
  /** The translator of a language, loading its strings first if they have not loaded yet. */
  static async load(lang: Lang): Promise<Translator> {
    if (!catalogues[lang]) {
      let loading = loadingCatalogues.get(lang);
      if (!loading) {
        loading = catalogueLoaders[lang as Exclude<Lang, 'en'>]();
        loadingCatalogues.set(lang, loading);
        // A failed load (the network) is tried again the next time.
        loading.catch(() => loadingCatalogues.delete(lang));
      }
      catalogues[lang] = await loading;
    }
    return new Translator(lang);
  }

  /** The translator of a language whose strings have loaded, else null. */
  static loaded(lang: Lang): Translator | null {
    return catalogues[lang] ? new Translator(lang) : null;
  }

  readonly #catalogue: Catalogue;
  readonly #time: Intl.DateTimeFormat;
  readonly #dateTime: Intl.DateTimeFormat;
  readonly #weekday: Intl.DateTimeFormat;
  readonly #date: Intl.DateTimeFormat;
  readonly #fullDate: Intl.DateTimeFormat;
  readonly #list: Intl.ListFormat;
  readonly #plural: Intl.PluralRules;

  constructor(readonly lang: Lang) {
    const catalogue = catalogues[lang];
    if (!catalogue) throw new Error(`The ${lang} strings have not loaded yet: use Translator.load('${lang}').`);
    this.#catalogue = catalogue;
    this.#time = new Intl.DateTimeFormat(lang, { hour: 'numeric', minute: '2-digit' });
    this.#dateTime = new Intl.DateTimeFormat(lang, { weekday: 'short', hour: 'numeric', minute: '2-digit' });
    this.#weekday = new Intl.DateTimeFormat(lang, { weekday: 'long' });
    this.#date = new Intl.DateTimeFormat(lang, { month: 'short', day: 'numeric' });
    this.#fullDate = new Intl.DateTimeFormat(lang, { dateStyle: 'medium' });
    this.#list = new Intl.ListFormat(lang, { type: 'conjunction' });
    this.#plural = new Intl.PluralRules(lang);
  }

  /** A counted phrase: `key.one` or `key.other` by the language's plural rules. */
  count(key: 'members' | 'newMessages' | 'unreadAnswers', count: number): string {
    const form = this.#plural.select(count) === 'one' ? 'one' : 'other';
    return this.t(`${key}.${form}`, { count });
  }

  /** "Alice, Bob and Carol" / "Alice、Bob和Carol". */
  list(items: readonly string[]): string {
    return this.#list.format(items);
  }

  t(key: MessageKey, params: Record<string, string | number> = {}): string {
    return this.#catalogue[key].replace(/\{(\w+)\}/g, (match, name: string) =>
      name in params ? String(params[name]) : match,
    );
  }

  /** A readable text for an error code from the server or the client. */
  error(code: string): string {
    const key = `error.${code}` as MessageKey;
    return key in this.#catalogue ? this.t(key) : this.t('error.unknown');
  }

  time(ms: number): string {
    return this.#time.format(ms);
  }

  /** A moment within the coming week: "Tue 9:00 AM" / "周二 09:00". */
  dateTime(ms: number): string {
    return this.#dateTime.format(ms);
  }

  /** Day separator: Today, Yesterday, a weekday within the week, else the date. */
  day(ms: number, now = Date.now()): string {
    const days = dayDifference(ms, now);
    if (days === 0) return this.t('today');
    if (days === 1) return this.t('yesterday');
    if (days < 7) return this.#weekday.format(ms);
    return this.#fullDate.format(ms);
  }

  /** Conversation list: the time today, else a short date. */
  listTime(ms: number, now = Date.now()): string {
    const days = dayDifference(ms, now);
    if (days === 0) return this.time(ms);
    if (days === 1) return this.t('yesterday');
    return this.#date.format(ms);
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
