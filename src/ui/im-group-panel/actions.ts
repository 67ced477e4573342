import { html, nothing, type ReactiveControllerHost } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { ChatError } from '../../client/index.js';
import type { MessageKey, Translator } from '../i18n/index.js';

/** The error code of anything an action threw; `unknown` for what is not a ChatError. */
export function codeOf(error: unknown): string {
  return error instanceof ChatError ? error.code : 'unknown';
}

/** Codes whose general wording ("…this message") does not fit a group change. */
const panelWording: Record<string, MessageKey> = {
  forbidden: 'groupPanel.error.forbidden',
  not_found: 'groupPanel.error.not_found',
  invalid_payload: 'groupPanel.error.invalid_payload',
  banned_from_group: 'groupPanel.error.banned_from_group',
};

export function errorText(t: Translator, code: string): string {
  const key = panelWording[code];
  return key ? t.t(key) : t.error(code);
}

/**
 * Runs a component's actions by name: one at a time per name, remembering which are
 * running (to disable their buttons) and the error code of the last failure (to show it
 * next to them). Failures are kept, never thrown, so a refused action cannot break a render.
 *
 * @example
 * #actions = new ActionTracker(this);
 * html`<button ?disabled=${this.#actions.busy('leave')} @click=${() => this.#actions.run('leave', () => groups.leave(id))}>`
 */
export class ActionTracker {
  readonly #running = new Set<string>();
  readonly #errors = new Map<string, string>();

  constructor(private readonly host: ReactiveControllerHost) {}

  busy(name: string): boolean {
    return this.#running.has(name);
  }

  /** The error code of the last failure of `name`, until it is run again or cleared. */
  error(name: string): string | undefined {
    return this.#errors.get(name);
  }

  clear(name: string): void {
    if (this.#errors.delete(name)) this.host.requestUpdate();
  }

  /** Resolves true when the action succeeded; false when it failed or was already running. */
  async run(name: string, action: () => Promise<unknown>): Promise<boolean> {
    if (this.#running.has(name)) return false;
    this.#running.add(name);
    this.#errors.delete(name);
    this.host.requestUpdate();
    try {
      await action();
      return true;
    } catch (error) {
      this.#errors.set(name, codeOf(error));
      return false;
    } finally {
      this.#running.delete(name);
      this.host.requestUpdate();
    }
  }
}

/** An action's error, shown next to it and announced. */
export function errorNote(t: Translator, code: string | undefined, id?: string) {
  return code ? html`<p class="error" role="alert" id=${ifDefined(id)}>${errorText(t, code)}</p>` : nothing;
}
