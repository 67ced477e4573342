import { css, html, nothing } from 'lit';
import { query, state } from 'lit/decorators.js';
import { partStyles } from './im-group-panel.styles.js';
import { imElement } from '../registry.js';
import { ImElement } from '../base/im-element.js';

export interface ConfirmOptions {
  /** The question, naming what will happen. */
  message: string;
  /** The label of the button that goes ahead (the action's own name: "Remove", "Leave"). */
  confirm: string;
}

/**
 * Asks before an action that cannot be undone. Cancel has the focus, so Enter or
 * Escape by mistake does nothing.
 *
 * @summary Confirmation dialog of the group panel.
 * @example
 * if (await this.confirmDialog.ask({ message: t.t('groupPanel.confirmLeave', { name }), confirm: t.t('groupPanel.leave') })) …
 */
@imElement('im-group-confirm')
export class ImGroupConfirm extends ImElement {
  static override styles = [
    partStyles,
    css`
      dialog {
        width: min(360px, calc(100% - 32px));
        padding: 18px;
        border: 1px solid var(--im-color-border);
        border-radius: var(--im-radius);
        background: var(--im-color-bg);
        color: var(--im-color-text);
        font: inherit;
        box-shadow: 0 12px 40px rgb(0 0 0 / 0.3);
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 0.2);
      }
      form {
        justify-content: flex-end;
      }
    `,
  ];

  @state() private options: ConfirmOptions | null = null;
  @query('dialog') private dialog!: HTMLDialogElement;

  #answer: ((confirmed: boolean) => void) | null = null;

  /** Resolves true when the person confirmed, false when they cancelled or pressed Escape. */
  async ask(options: ConfirmOptions): Promise<boolean> {
    this.#answer?.(false);
    this.options = options;
    await this.updateComplete;
    this.dialog.returnValue = '';
    this.dialog.showModal();
    return new Promise((resolve) => (this.#answer = resolve));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#answer?.(false);
    this.#answer = null;
  }

  protected override render() {
    const t = this.translator;
    if (!t) return nothing;
    return html`<dialog role="alertdialog" aria-labelledby="message" @close=${this.#onClose}>
      <p id="message">${this.options?.message}</p>
      <form method="dialog" class="actions">
        <button class="button" value="cancel" autofocus>${t.t('cancel')}</button>
        <button class="button primary" value="confirm">${this.options?.confirm}</button>
      </form>
    </dialog>`;
  }

  #onClose(): void {
    const answer = this.#answer;
    this.#answer = null;
    answer?.(this.dialog.returnValue === 'confirm');
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-group-confirm': ImGroupConfirm;
  }
}
