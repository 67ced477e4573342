/**
 * The built-in languages of the one-script build (`im-chat.iife.js`): each is a file,
 * `locales/<lang>.json` next to the script, fetched when the language is first used (the
 * build puts this loader in place of the catalogue's import; see src/build/icu-catalogues.ts).
 */

let scriptUrl: string | null = null;

/**
 * Notes the script's address. The build calls it first thing in the script's entry, while
 * the script runs: `document.currentScript` is the widget's script only then.
 */
export function rememberScript(): void {
  scriptUrl ??= (document.currentScript as HTMLScriptElement | null)?.src || null;
}

/** Fetches the built-in catalogue of `lang` from next to the script. */
export async function catalogueFile(lang: string): Promise<Record<string, unknown>> {
  if (!scriptUrl) {
    throw new Error(`im-chat: the ${lang} strings are in locales/${lang}.json next to im-chat.iife.js, but the script's address is unknown (load it with <script src>).`);
  }
  const url = new URL(`locales/${lang}.json`, scriptUrl);
  const response = await fetch(url, { credentials: 'omit' });
  if (!response.ok) throw new Error(`im-chat: the ${lang} strings did not load: ${response.status} from ${url.href}`);
  const catalogue: unknown = await response.json();
  if (typeof catalogue !== 'object' || catalogue === null || Array.isArray(catalogue)) {
    throw new Error(`im-chat: ${url.href} is not a catalogue of strings`);
  }
  return catalogue as Record<string, unknown>;
}
