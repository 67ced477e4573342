import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Whether the host is narrower than a width (px), from a ResizeObserver: a component that
 * lays itself out for the room it has, not for the window's, since the same element is a
 * full-width pane on a phone and a column beside the chat list on a desktop. The host
 * re-renders only when the answer changes.
 *
 * @example
 * #width = new NarrowController(this, 560);
 * render() { return this.#width.narrow ? this.#compact() : this.#full(); }
 */
export class NarrowController implements ReactiveController {
  /** False until the host's first size is known (a desktop layout until then). */
  narrow = false;
  #observer: ResizeObserver | null = null;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly below: number,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    if (typeof ResizeObserver === 'undefined') return;
    this.#observer = new ResizeObserver((entries) => {
      const width = entries.at(-1)?.contentBoxSize?.[0]?.inlineSize ?? this.host.getBoundingClientRect().width;
      // A hidden host (width 0) keeps its layout: it has no room to judge by.
      if (width === 0) return;
      const narrow = width < this.below;
      if (narrow === this.narrow) return;
      this.narrow = narrow;
      this.host.requestUpdate();
    });
    this.#observer.observe(this.host);
  }

  hostDisconnected(): void {
    this.#observer?.disconnect();
    this.#observer = null;
  }
}
