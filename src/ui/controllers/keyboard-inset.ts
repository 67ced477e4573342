import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** An element's box, or the visual viewport, in the layout viewport's coordinates (px). */
export interface VerticalBox {
  top: number;
  bottom: number;
}

/** What `visualViewport` says of the part of the page on screen. */
export interface VisibleArea {
  offsetTop: number;
  height: number;
  scale: number;
}

/**
 * How much of an element's bottom (px) the on-screen keyboard covers. Where the keyboard
 * resizes the page (Android with `interactive-widget=resizes-content`) nothing is covered;
 * where it shrinks only the visual viewport (iOS Safari, Android's default) the element's
 * part between the visible area's bottom and the screen's is. An element that goes on
 * below the screen is part of a page that scrolls, and a zoomed-in page is the reader's
 * doing: neither is the keyboard's, so neither counts.
 */
export function keyboardInset(element: VerticalBox, visible: VisibleArea, layoutHeight: number): number {
  if (visible.scale > 1.01 || element.bottom > layoutHeight + 1) return 0;
  const visibleBottom = visible.offsetTop + visible.height;
  const covered = Math.min(element.bottom, layoutHeight) - Math.max(element.top, visibleBottom);
  return Math.max(0, Math.round(covered));
}

/**
 * Keeps an element's bottom (a messenger's composer) above the on-screen keyboard: sets
 * `--im-keyboard-inset` on `target()` to the part the keyboard covers (see
 * {@link keyboardInset}), from `visualViewport`'s resize and scroll events. Set through
 * the CSSOM, which a strict Content Security Policy allows.
 */
export class KeyboardInsetController implements ReactiveController {
  readonly #refresh = () => this.refresh();

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly target: () => HTMLElement | null,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    globalThis.visualViewport?.addEventListener('resize', this.#refresh);
    globalThis.visualViewport?.addEventListener('scroll', this.#refresh);
  }

  hostDisconnected(): void {
    globalThis.visualViewport?.removeEventListener('resize', this.#refresh);
    globalThis.visualViewport?.removeEventListener('scroll', this.#refresh);
  }

  refresh(): void {
    const viewport = globalThis.visualViewport;
    const target = this.target();
    if (!viewport || !target) return;
    const inset = `${keyboardInset(this.host.getBoundingClientRect(), viewport, document.documentElement.clientHeight)}px`;
    if (target.style.getPropertyValue('--im-keyboard-inset') !== inset) target.style.setProperty('--im-keyboard-inset', inset);
  }
}
