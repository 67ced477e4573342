import { css, html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { limits, type Prechat, type PrechatField } from '../../protocol/index.js';
import type { Translator } from '../i18n/index.js';
import { shared } from '../styles/tokens.js';
import { imElement } from '../registry.js';
import { ImElement } from '../base/im-element.js';

export type PrechatDetail = Prechat;

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * What the support team asks before the chat starts: a name and an e-mail address, each
 * optional or required. It checks them as the server will and says what is wrong next
 * to the field.
 *
 * @summary Support pre-chat form.
 * @event im-prechat - The answers are valid. Detail: `{ name?, email? }`.
 * @csspart form - The form.
 * @csspart start-button - The button that starts the chat.
 */
@imElement('im-prechat-form')
export class ImPrechatForm extends ImElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
      }
      form {
        display: grid;
        gap: 14px;
        padding: 16px;
      }
      label {
        display: grid;
        gap: 4px;
        font-weight: 600;
        font-size: 0.92em;
      }
      .optional {
        font-weight: 400;
        color: var(--im-color-muted);
      }
      input {
        font: inherit;
        font-weight: 400;
        padding: 9px 10px;
        border: 1px solid var(--im-color-border);
        border-radius: 8px;
        background: var(--im-color-bg);
        color: inherit;
      }
      input[aria-invalid='true'] {
        border-color: var(--im-color-danger);
      }
      .field-error,
      .form-error {
        margin: 0;
        color: var(--im-color-danger);
        font-size: 0.88em;
        font-weight: 400;
      }
      button {
        justify-self: stretch;
        padding: 10px 14px;
        border: 0;
        border-radius: 8px;
        background: var(--im-color-accent);
        color: var(--im-color-on-accent);
        font-weight: 600;
        cursor: pointer;
      }
      button:disabled {
        opacity: 0.6;
        cursor: progress;
      }
    `,
  ];

  @property({ attribute: false }) fields: { name: PrechatField; email: PrechatField } = { name: 'off', email: 'off' };
  /** Starting the chat is under way. */
  @property({ type: Boolean }) busy = false;
  /** Why starting failed (an error code), or null. */
  @property({ attribute: false }) error: string | null = null;

  @state() private problems: { name?: string; email?: string } = {};
  @query('input') private firstInput!: HTMLInputElement | null;

  override focus(): void {
    this.firstInput?.focus();
  }

  protected override render() {
    const t = this.translator;
    if (!t) return nothing;
    const { name, email } = this.fields;
    return html`<form part="form" novalidate @submit=${this.#onSubmit}>
      ${name !== 'off' ? this.#field('name', 'text', 'name', name, t) : nothing}
      ${email !== 'off' ? this.#field('email', 'email', 'email', email, t) : nothing}
      ${this.error ? html`<p class="form-error" role="alert">${t.error(this.error)}</p>` : nothing}
      <button part="start-button" type="submit" ?disabled=${this.busy}>${t.t('prechat.start')}</button>
    </form>`;
  }

  #field(field: 'name' | 'email', type: string, autocomplete: string, mode: PrechatField, t: Translator) {
    const problem = this.problems[field];
    return html`<label>
      <span
        >${t.t(`prechat.${field}`)}${mode === 'optional'
          ? html` <span class="optional">${t.t('prechat.optional')}</span>`
          : nothing}</span
      >
      <input
        name=${field}
        type=${type}
        autocomplete=${autocomplete}
        maxlength=${field === 'name' ? limits.nameLength : limits.emailLength}
        ?required=${mode === 'required'}
        aria-invalid=${problem ? 'true' : 'false'}
        aria-describedby=${problem ? `${field}-error` : nothing}
      />
      ${problem ? html`<p class="field-error" id="${field}-error">${problem}</p>` : nothing}
    </label>`;
  }

  #onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const t = this.translator!;
    const form = event.currentTarget as HTMLFormElement;
    const value = (field: string) => (form.elements.namedItem(field) as HTMLInputElement | null)?.value.trim() ?? '';
    const name = value('name');
    const email = value('email');
    const problems: { name?: string; email?: string } = {};
    if (this.fields.name === 'required' && !name) problems.name = t.t('prechat.nameRequired');
    if (this.fields.email === 'required' && !email) problems.email = t.t('prechat.emailRequired');
    else if (email && !emailPattern.test(email)) problems.email = t.t('prechat.emailInvalid');
    this.problems = problems;
    const invalid = form.querySelector<HTMLInputElement>(`input[name="${Object.keys(problems)[0]}"]`);
    if (invalid) {
      invalid.focus();
      return;
    }
    const detail: PrechatDetail = { ...(name ? { name } : {}), ...(email ? { email } : {}) };
    this.emit('im-prechat', detail);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-prechat-form': ImPrechatForm;
  }
}
