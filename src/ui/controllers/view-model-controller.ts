import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ViewModel } from '../view-models/view-model.js';

/**
 * Re-renders the host whenever its view model changes, while the host is connected. The
 * view model may be the host's own or one it is given (a property), and may be replaced.
 *
 * @example
 * #conversation = new ViewModelController(this, () => this.viewModel);
 * render() {
 *   return html`<textarea .value=${this.#conversation.value?.text ?? ''}></textarea>`;
 * }
 */
export class ViewModelController<T extends ViewModel> implements ReactiveController {
  #viewModel: T | undefined;
  #unsubscribe: (() => void) | null = null;
  #connected = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly viewModel: () => T | undefined,
  ) {
    host.addController(this);
  }

  /** The view model to render. */
  get value(): T | undefined {
    return this.viewModel();
  }

  hostConnected(): void {
    this.#connected = true;
    this.#follow();
  }

  hostUpdate(): void {
    if (this.#connected && this.viewModel() !== this.#viewModel) this.#follow();
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#viewModel = undefined;
  }

  #follow(): void {
    this.#unsubscribe?.();
    this.#viewModel = this.viewModel();
    this.#unsubscribe = this.#viewModel?.subscribe(() => this.host.requestUpdate()) ?? null;
  }
}
