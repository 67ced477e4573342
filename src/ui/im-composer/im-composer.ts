import { consume } from '@lit/context';
import { LitElement, html, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { limits } from '../../protocol/limits.js';
import { translatorContext } from '../context.js';
import type { Translator } from '../i18n/index.js';
import { icons } from '../icons.js';
import { styles } from './im-composer.styles.js';

export interface SendDetail {
  text: string;
  /** Set by the listener: the composer restores the text if this rejects. */
  result?: Promise<unknown>;
}

/**
 * Where the user writes. Enter sends, Shift+Enter starts a new line; Enter that
 * confirms an input-method composition (e.g. pinyin) does not send.
 *
 * @summary Message composer.
 * @event im-send - The user sends `detail.text`; set `detail.result` to a promise of the outcome.
 * @csspart input - The text area.
 * @csspart send-button - The send button.
 */
@customElement('im-composer')
export class ImComposer extends LitElement {
  static override styles = styles;

  @consume({ context: translatorContext, subscribe: true })
  translator?: Translator;

  @state() private text = '';
  @state() private error: string | null = null;
  @query('textarea') private textarea!: HTMLTextAreaElement;

  /** Moves keyboard focus to the text area. */
  override focus(): void {
    if (this.textarea) this.textarea.focus();
    else void this.updateComplete.then(() => this.textarea?.focus());
  }

  protected override render() {
    const t = this.translator;
    if (!t) return nothing;
    const over = this.text.length - limits.textLength;
    const sendable = this.text.trim() !== '' && over <= 0;
    const feedback = over > 0 ? t.t('tooLong', { count: over }) : (this.error ?? '');
    return html`<form @submit=${this.#onSubmit}>
        <label class="visually-hidden" for="input">${t.t('composerLabel')}</label>
        <textarea
          id="input"
          part="input"
          rows="1"
          .value=${this.text}
          placeholder=${t.t('composerPlaceholder')}
          aria-invalid=${over > 0 ? 'true' : 'false'}
          aria-describedby="feedback"
          @input=${this.#onInput}
          @keydown=${this.#onKeydown}
        ></textarea>
        <button part="send-button" class="send" type="submit" ?disabled=${!sendable} aria-label=${t.t('send')}>
          ${icons.send}
        </button>
      </form>
      <div id="feedback" class="feedback" aria-live="polite">${feedback}</div>`;
  }

  #onInput(event: InputEvent): void {
    this.text = (event.target as HTMLTextAreaElement).value;
    this.error = null;
  }

  #onKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    void this.#send();
  }

  #onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    void this.#send();
    this.focus();
  }

  async #send(): Promise<void> {
    const text = this.text;
    if (text.trim() === '' || text.length > limits.textLength) return;
    const detail: SendDetail = { text };
    this.dispatchEvent(new CustomEvent<SendDetail>('im-send', { detail }));
    this.text = '';
    try {
      await detail.result;
    } catch (error) {
      // Nothing is lost: the text comes back unless the user already wrote something new.
      if (this.text === '') this.text = text;
      this.error = (error as Error).message;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-composer': ImComposer;
  }
}
