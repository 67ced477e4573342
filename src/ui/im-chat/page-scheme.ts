import type { ReactiveController, ReactiveElement } from 'lit';

/**
 * Whether the host page is dark, from the `color-scheme` it gives the element (inherited
 * from `:root`, `body`, or any ancestor): `dark` alone is dark, `light` alone or nothing
 * is light, and a page that offers both follows the system. A support bubble sits on a
 * shop's page and matches it, not only the visitor's system setting. The answer is the
 * element's custom state `page-dark`, which its styles select with `:host(:state(page-dark))`;
 * the host calls {@link update} when what makes it apply changes.
 */
export class PageSchemeController implements ReactiveController {
  readonly #system = matchMedia('(prefers-color-scheme: dark)');
  #observer: MutationObserver | null = null;

  constructor(
    private readonly host: ReactiveElement,
    private readonly states: CustomStateSet | undefined,
    private readonly active: () => boolean,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.#system.addEventListener('change', this.update);
    // A page switches its theme by a class or attribute on <html> or <body>.
    this.#observer = new MutationObserver(this.update);
    for (const element of [document.documentElement, document.body]) {
      if (element) this.#observer.observe(element, { attributes: true });
    }
    this.update();
  }

  hostDisconnected(): void {
    this.#system.removeEventListener('change', this.update);
    this.#observer?.disconnect();
    this.#observer = null;
  }

  update = (): void => {
    const states = this.states;
    if (!states) return;
    const dark = this.active() && pageIsDark(getComputedStyle(this.host).colorScheme, this.#system.matches);
    if (dark) states.add('page-dark');
    else states.delete('page-dark');
  };
}

/** Whether a `color-scheme` value (as computed) makes the page dark. */
export function pageIsDark(colorScheme: string, systemDark: boolean): boolean {
  const schemes = colorScheme.split(/\s+/);
  const light = schemes.includes('light');
  const dark = schemes.includes('dark');
  return dark && (!light || systemDark);
}
