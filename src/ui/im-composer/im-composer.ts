import { consume } from '@lit/context';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { limits } from '../../protocol/limits.js';
import { translatorContext } from '../context.js';
import type { Translator } from '../i18n/index.js';
import { icons } from '../icons.js';
import '../im-avatar/im-avatar.js';
import { styles } from './im-composer.styles.js';
import { matchMentionables, mentionQueryAt, mentionsStillIn, type Mentionable } from './mentions.js';

export type { Mentionable } from './mentions.js';

export interface SendDetail {
  text: string;
  /** Ids of the members the text mentions (picked from the @ list). */
  mentions: string[];
  /** The text mentions everyone (`@all`, picked from the @ list). */
  mentionAll: boolean;
  /** Set by the listener: the composer restores the text if this rejects. */
  result?: Promise<unknown>;
}

const allId = '@all';

/**
 * Where the user writes. Enter sends, Shift+Enter starts a new line; Enter that
 * confirms an input-method composition (e.g. pinyin) does not send. In groups, `@`
 * offers the members to mention (arrow keys and Enter or Tab pick one, Escape closes).
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

  /** Who `@` can mention; empty outside groups. */
  @property({ attribute: false }) mentionables: readonly Mentionable[] = [];
  /** Offer `@all` (group owners and admins). */
  @property({ attribute: false }) canMentionAll = false;

  @state() private text = '';
  @state() private error: string | null = null;
  @state() private suggestions: Mentionable[] = [];
  @state() private activeSuggestion = 0;
  @query('textarea') private textarea!: HTMLTextAreaElement;

  /** Mentions picked from the list: id -> the name inserted after `@`. */
  #picked = new Map<string, string>();
  #mentionStart = -1;

  /** Moves keyboard focus to the text area. */
  override focus(): void {
    if (this.textarea) this.textarea.focus();
    else void this.updateComplete.then(() => this.textarea?.focus());
  }

  protected override updated(changed: PropertyValues<this>): void {
    // Members may arrive while an @ is being typed: offer them then.
    if (changed.has('mentionables') && this.textarea && this.shadowRoot!.activeElement === this.textarea) {
      this.#suggest(this.textarea);
    }
  }

  protected override render() {
    const t = this.translator;
    if (!t) return nothing;
    const over = this.text.length - limits.textLength;
    const sendable = this.text.trim() !== '' && over <= 0;
    const feedback = over > 0 ? t.t('tooLong', { count: over }) : (this.error ?? '');
    const open = this.suggestions.length > 0;
    return html`${open ? this.#renderSuggestions(t) : nothing}
      <form @submit=${this.#onSubmit}>
        <label class="visually-hidden" for="input">${t.t('composerLabel')}</label>
        <textarea
          id="input"
          part="input"
          rows="1"
          .value=${this.text}
          placeholder=${t.t('composerPlaceholder')}
          aria-invalid=${over > 0 ? 'true' : 'false'}
          aria-describedby="feedback"
          aria-autocomplete=${this.mentionables.length > 0 ? 'list' : nothing}
          aria-controls=${open ? 'suggestions' : nothing}
          aria-activedescendant=${open ? `suggestion-${this.activeSuggestion}` : nothing}
          @input=${this.#onInput}
          @keydown=${this.#onKeydown}
          @blur=${() => (this.suggestions = [])}
        ></textarea>
        <button part="send-button" class="send" type="submit" ?disabled=${!sendable} aria-label=${t.t('send')}>
          ${icons.send}
        </button>
      </form>
      <div id="feedback" class="feedback" aria-live="polite">${feedback}</div>`;
  }

  #renderSuggestions(t: Translator) {
    return html`<ul id="suggestions" role="listbox" part="mentions" aria-label=${t.t('people')}>
      ${this.suggestions.map(
        (candidate, index) => html`<li
          id="suggestion-${index}"
          role="option"
          aria-selected=${index === this.activeSuggestion ? 'true' : 'false'}
          @pointerdown=${(event: PointerEvent) => {
            event.preventDefault(); // keep the focus in the text area
            this.#pick(candidate);
          }}
        >
          <im-avatar .name=${candidate.name} .userId=${candidate.id} .src=${candidate.avatar}></im-avatar>
          <span>${candidate.id === allId ? `@all · ${t.t('mentionAll')}` : candidate.name}</span>
        </li>`,
      )}
    </ul>`;
  }

  #onInput(event: InputEvent): void {
    const textarea = event.target as HTMLTextAreaElement;
    this.text = textarea.value;
    this.error = null;
    this.#suggest(textarea);
  }

  #onKeydown(event: KeyboardEvent): void {
    if (this.suggestions.length > 0 && this.#navigateSuggestions(event)) return;
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    void this.#send();
  }

  /** Keys while the @ list is open; true when the key was for the list. */
  #navigateSuggestions(event: KeyboardEvent): boolean {
    const count = this.suggestions.length;
    if (event.isComposing) return false;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      const step = event.key === 'ArrowDown' ? 1 : -1;
      this.activeSuggestion = (this.activeSuggestion + step + count) % count;
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      this.#pick(this.suggestions[this.activeSuggestion]!);
    } else if (event.key === 'Escape') {
      this.suggestions = [];
    } else {
      return false;
    }
    event.preventDefault();
    event.stopPropagation();
    return true;
  }

  #suggest(textarea: HTMLTextAreaElement): void {
    const found = this.mentionables.length > 0 ? mentionQueryAt(textarea.value, textarea.selectionStart) : null;
    if (!found) {
      this.suggestions = [];
      return;
    }
    this.#mentionStart = found.start;
    const everyone: Mentionable[] =
      this.canMentionAll && 'all'.startsWith(found.query.toLowerCase())
        ? [{ id: allId, name: 'all', avatar: null }]
        : [];
    this.suggestions = [...everyone, ...matchMentionables(this.mentionables, found.query)];
    this.activeSuggestion = 0;
  }

  /** Replaces the `@query` being typed with `@Name `. */
  #pick(candidate: Mentionable): void {
    const textarea = this.textarea;
    const caret = textarea.selectionStart;
    const inserted = `@${candidate.name} `;
    const text = this.text.slice(0, this.#mentionStart) + inserted + this.text.slice(caret);
    this.#picked.set(candidate.id, candidate.name);
    this.text = text;
    this.suggestions = [];
    const position = this.#mentionStart + inserted.length;
    void this.updateComplete.then(() => textarea.setSelectionRange(position, position));
  }

  #onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    void this.#send();
    this.focus();
  }

  async #send(): Promise<void> {
    const text = this.text;
    if (text.trim() === '' || text.length > limits.textLength) return;
    const mentioned = mentionsStillIn(text, this.#picked);
    const detail: SendDetail = {
      text,
      mentions: mentioned.filter((id) => id !== allId),
      mentionAll: mentioned.includes(allId),
    };
    this.dispatchEvent(new CustomEvent<SendDetail>('im-send', { detail }));
    this.text = '';
    this.#picked.clear();
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
