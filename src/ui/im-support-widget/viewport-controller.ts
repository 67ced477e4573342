import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Keeps a full-screen panel inside the part of the page the visitor can see: on phones
 * the on-screen keyboard shrinks the visual viewport (not always the layout one), and
 * the composer must stay above it. Set as custom properties through the CSSOM, which a
 * strict Content Security Policy allows.
 */
export class ViewportController implements ReactiveController {
  readonly #refresh = () => this.refresh();

  constructor(
    host: ReactiveControllerHost,
    private readonly target: () => HTMLElement | null,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    visualViewport?.addEventListener('resize', this.#refresh);
    visualViewport?.addEventListener('scroll', this.#refresh);
  }

  hostDisconnected(): void {
    visualViewport?.removeEventListener('resize', this.#refresh);
    visualViewport?.removeEventListener('scroll', this.#refresh);
  }

  refresh(): void {
    const element = this.target();
    const viewport = globalThis.visualViewport;
    if (!element || !viewport) return;
    element.style.setProperty('--im-viewport-height', `${Math.round(viewport.height)}px`);
    element.style.setProperty('--im-viewport-top', `${Math.round(viewport.offsetTop)}px`);
  }
}
