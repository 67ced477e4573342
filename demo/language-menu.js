// The demo pages' language: `?lang=` when the address has it, else the browser's. The page's
// <html lang> follows it, and so does the widget (it speaks the page's language unless it
// has a lang of its own). A menu in the page's header changes it live.
// A classic script in <head>, so that <html lang> is set before any widget renders.
(() => {
  // Every language the widget ships, by its own name.
  const languages = ['en', 'zh-CN', 'zh-TW', 'es', 'fr', 'de', 'pt-BR', 'ja', 'ko', 'ru', 'ar', 'he'];

  /** The shipped language nearest to a tag: the same tag, else the same script or base language. */
  function nearest(tag) {
    let locale;
    try {
      locale = new Intl.Locale(tag);
    } catch {
      return null;
    }
    const exact = languages.find((known) => known.toLowerCase() === locale.toString().toLowerCase());
    if (exact) return exact;
    if (locale.language === 'zh') return locale.maximize().script === 'Hant' ? 'zh-TW' : 'zh-CN';
    if (locale.language === 'pt') return 'pt-BR';
    return languages.find((known) => new Intl.Locale(known).language === locale.language) ?? null;
  }

  function chosen() {
    const asked = new URLSearchParams(location.search).get('lang');
    for (const tag of [asked, ...(navigator.languages ?? [navigator.language])]) {
      const found = tag && nearest(tag);
      if (found) return found;
    }
    return 'en';
  }

  function apply(lang) {
    document.documentElement.lang = lang;
    // A widget already on the page takes the new language at once.
    for (const chat of document.querySelectorAll('im-chat')) chat.lang = lang;
  }

  let current = chosen();
  apply(current);

  // Links to other demo pages carry the choice.
  document.addEventListener(
    'click',
    (event) => {
      const link = event.target instanceof Element ? event.target.closest('a[href]') : null;
      if (!link || link.origin !== location.origin || new URLSearchParams(location.search).get('lang') === null) return;
      const url = new URL(link.href);
      url.searchParams.set('lang', current);
      link.href = url.href;
    },
    true,
  );

  function menu() {
    const label = document.createElement('label');
    label.className = 'language-menu';
    label.append('Language · 语言 ');
    const select = document.createElement('select');
    for (const lang of languages) {
      const option = document.createElement('option');
      option.value = lang;
      option.textContent = new Intl.DisplayNames([lang], { type: 'language' }).of(lang) ?? lang;
      option.lang = lang;
      select.append(option);
    }
    select.value = current;
    select.addEventListener('change', () => {
      current = select.value;
      apply(current);
      const url = new URL(location.href);
      url.searchParams.set('lang', current);
      history.replaceState(history.state, '', url);
    });
    label.append(select);
    return label;
  }

  document.addEventListener('DOMContentLoaded', () => {
    for (const slot of document.querySelectorAll('[data-language-menu]')) slot.replaceWith(menu());
  });
})();
