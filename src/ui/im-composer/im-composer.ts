import { nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { ReplyRef } from '../../protocol/index.js';
import { limits } from '../../protocol/limits.js';
import type { Translator } from '../i18n/index.js';
import { icons } from '../icons.js';
import { quoteText } from '../describe.js';
import '../im-avatar/im-avatar.js';
import type { EmojiPickDetail } from '../im-emoji-picker/im-emoji-picker.js';
import type { ComposeRequest } from '../im-message-list/message-menu.js';
import { AttachmentUploads, attachmentStyles } from './attachments.js';
import { styles } from './im-composer.styles.js';
import { matchMentionables, mentionQueryAt, mentionsStillIn, type Mentionable } from './mentions.js';
import { html, imElement } from '../registry.js';
import { ImElement } from '../base/im-element.js';

export type { Mentionable } from './mentions.js';

export interface SendDetail {
  text: string;
  /** Ids of the members the text mentions (picked from the @ list). */
  mentions: string[];
  /** The text mentions everyone (`@all`, picked from the @ list). */
  mentionAll: boolean;
  /** The message this one replies to. */
  replyTo: ReplyRef | null;
  /** Set when the text replaces the user's own message at this seq (an edit), not a new one. */
  editSeq: number | null;
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
 * @csspart attach-button - Opens the file picker; files can also be pasted or dropped on the conversation.
 * @csspart uploads - The list of uploads; each is an `upload` with an `upload-progress` bar.
 * @csspart drop-hint - Shown while files are dragged over the conversation.
 */
@imElement('im-composer')
export class ImComposer extends ImElement {
  static override styles = [styles, attachmentStyles];

  /** Who `@` can mention; empty outside groups. */
  @property({ attribute: false }) mentionables: readonly Mentionable[] = [];
  /** Offer `@all` (group owners and admins). */
  @property({ attribute: false }) canMentionAll = false;
  /** Names of people the composer may show (the quoted sender), besides the mentionables. */
  @property({ attribute: false }) names: ReadonlyMap<string, string> = new Map();
  /** Where attachments go; without it the composer takes text only. */
  @property({ attribute: 'conversation-id' }) conversationId = '';

  @state() private text = '';
  @state() private error: string | null = null;
  @state() private suggestions: Mentionable[] = [];
  /** The quoted message while replying. */
  @state() private replyTo: ReplyRef | null = null;
  /** The message being edited: its seq, and the text to put back if editing is cancelled. */
  @state() private editing: { seq: number; draft: string } | null = null;
  @state() private emojiOpen = false;
  @state() private activeSuggestion = 0;
  @query('textarea') private textarea!: HTMLTextAreaElement;

  /** Mentions picked from the list: id -> the name inserted after `@`. */
  #picked = new Map<string, string>();
  #attachments = new AttachmentUploads(this);
  #mentionStart = -1;
  #draftTimer: ReturnType<typeof setTimeout> | undefined;
  #draftFor: string | null = null;

  /** Moves keyboard focus to the text area. */
  override focus(): void {
    if (this.textarea) this.textarea.focus();
    else void this.updateComplete.then(() => this.textarea?.focus());
  }

  /** Starts a reply to a message, edits one of the user's own, or takes back a recalled text. */
  compose(request: ComposeRequest): void {
    const t = this.translator;
    if (request.mode === 'text') {
      this.text = request.text;
    } else if (request.mode === 'reply') {
      const { entry } = request;
      this.replyTo = entry.seq === null ? null : (this.client?.messages.replyRef({ ...entry, conversationId: this.conversationId, seq: entry.seq }) ?? null);
    } else if (request.entry.body.type === 'text' && request.entry.seq !== null) {
      this.editing = { seq: request.entry.seq, draft: this.editing?.draft ?? this.text };
      this.replyTo = null;
      this.text = request.entry.body.text;
      this.#picked.clear();
      for (const id of request.entry.body.mentions ?? []) this.#picked.set(id, this.#nameOf(id));
    }
    this.error = null;
    if (t) this.focus();
    this.#saveDraftSoon();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('conversationId') && this.conversationId !== this.#draftFor) void this.#loadDraft();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#flushDraft();
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
    return html`${open ? this.#renderSuggestions(t) : nothing} ${this.#attachments.renderTray(t)}
      ${this.#renderContext(t)}
      ${this.emojiOpen
        ? html`<im-emoji-picker
            class="emoji-picker"
            .translator=${t}
            .dataSource=${this.#emojiData(t)}
            .locale=${t.lang === 'zh-CN' ? 'zh' : 'en'}
            @im-emoji-pick=${this.#insertEmoji}
            @im-emoji-close=${this.#closeEmoji}
          ></im-emoji-picker>`
        : nothing}
      <form @submit=${this.#onSubmit}>
        ${this.#attachments.renderPicker(t)}
        <button
          type="button"
          class="icon-button emoji"
          part="emoji-button"
          aria-label=${t.t('emoji.open')}
          title=${t.t('emoji.open')}
          aria-expanded=${this.emojiOpen ? 'true' : 'false'}
          ?hidden=${!this.client}
          @click=${this.#toggleEmoji}
        >
          ${icons.emoji}
        </button>
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
          @paste=${this.#attachments.onPaste}
        ></textarea>
        <button
          part="send-button"
          class="send"
          type="submit"
          ?disabled=${!sendable}
          aria-label=${t.t(this.editing ? 'message.saveEdit' : 'send')}
        >
          ${icons.send}
        </button>
      </form>
      <div id="feedback" class="feedback" aria-live="polite">${feedback}</div>`;
  }

  /** The message being replied to or edited, with a way out. */
  #renderContext(t: Translator) {
    if (this.editing) {
      return html`<div class="context" part="compose-context">
        <span class="context-text">${t.t('message.editing')}</span>
        <button type="button" class="icon-button" aria-label=${t.t('message.cancelEdit')} @click=${this.#cancelContext}>
          ${icons.close}
        </button>
      </div>`;
    }
    const quote = this.replyTo;
    if (!quote) return nothing;
    const name = quote.senderId === this.client?.user?.id ? t.t('you') : this.#nameOf(quote.senderId);
    return html`<div class="context" part="compose-context">
      <span class="context-text"><strong>${t.t('message.replyingTo', { name })}</strong> ${quoteText(quote, t)}</span>
      <button type="button" class="icon-button" aria-label=${t.t('message.cancelReply')} @click=${this.#cancelContext}>
        ${icons.close}
      </button>
    </div>`;
  }

  #cancelContext = (): void => {
    if (this.editing) {
      this.text = this.editing.draft;
      this.editing = null;
      this.#picked.clear();
    }
    this.replyTo = null;
    this.#saveDraftSoon();
    this.focus();
  };

  #nameOf(userId: string): string {
    return this.mentionables.find((candidate) => candidate.id === userId)?.name ?? this.names.get(userId) ?? userId;
  }

  /** The emoji names and search words ship with the widget on the chat server. */
  #emojiData(t: Translator): string {
    const file = t.lang === 'zh-CN' ? 'zh.json' : 'en.json';
    return this.client ? `${this.client.serverOrigin}/dist/emoji/${file}` : '';
  }

  async #toggleEmoji(): Promise<void> {
    if (!this.emojiOpen) await import('../im-emoji-picker/im-emoji-picker.js');
    this.emojiOpen = !this.emojiOpen;
    if (this.emojiOpen) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('im-emoji-picker')?.focus();
    }
  }

  #closeEmoji = (): void => {
    this.emojiOpen = false;
    this.focus();
  };

  /** Puts the emoji where the caret is, and keeps the picker open for more. */
  #insertEmoji = (event: CustomEvent<EmojiPickDetail>): void => {
    const textarea = this.textarea;
    const start = textarea?.selectionStart ?? this.text.length;
    const end = textarea?.selectionEnd ?? this.text.length;
    const { unicode } = event.detail;
    this.text = this.text.slice(0, start) + unicode + this.text.slice(end);
    void this.updateComplete.then(() => textarea?.setSelectionRange(start + unicode.length, start + unicode.length));
    this.#saveDraftSoon();
  };

  async #loadDraft(): Promise<void> {
    this.#flushDraft();
    const conversationId = this.conversationId;
    this.#draftFor = conversationId;
    this.text = '';
    this.replyTo = null;
    this.editing = null;
    this.#picked.clear();
    const draft = conversationId ? await this.client?.conversations.draft(conversationId).catch(() => undefined) : undefined;
    // The user may have moved on, or started typing, while the draft was read.
    if (!draft || this.#draftFor !== conversationId || this.text !== '') return;
    this.text = draft.text;
    this.replyTo = draft.replyTo;
    for (const id of draft.mentions) this.#picked.set(id, this.#nameOf(id));
  }

  /** Drafts are kept a moment after the last keystroke, and at once when leaving. */
  #saveDraftSoon(): void {
    clearTimeout(this.#draftTimer);
    this.#draftTimer = setTimeout(() => this.#flushDraft(), 400);
  }

  #flushDraft(): void {
    clearTimeout(this.#draftTimer);
    this.#draftTimer = undefined;
    const conversationId = this.#draftFor;
    // An edit in progress is not a draft of a new message.
    if (!conversationId || this.editing || !this.client?.cache) return;
    void this.client.conversations
      .saveDraft({
        conversationId,
        text: this.text,
        mentions: mentionsStillIn(this.text, this.#picked),
        replyTo: this.replyTo,
      })
      .catch(() => undefined);
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
    this.#saveDraftSoon();
    if (!this.conversationId) return;
    if (this.text.trim() !== '') this.client?.conversations.typing(this.conversationId);
    else this.client?.conversations.stoppedTyping(this.conversationId);
  }

  #onKeydown(event: KeyboardEvent): void {
    if (this.suggestions.length > 0 && this.#navigateSuggestions(event)) return;
    if (event.key === 'Escape' && (this.editing || this.replyTo)) {
      event.preventDefault();
      this.#cancelContext();
      return;
    }
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
    const { replyTo, editing } = this;
    const detail: SendDetail = {
      text,
      mentions: mentioned.filter((id) => id !== allId),
      mentionAll: mentioned.includes(allId),
      replyTo,
      editSeq: editing?.seq ?? null,
    };
    this.dispatchEvent(new CustomEvent<SendDetail>('im-send', { detail }));
    this.text = editing?.draft ?? '';
    this.replyTo = null;
    this.editing = null;
    this.#picked.clear();
    this.emojiOpen = false;
    this.#flushDraft();
    try {
      await detail.result;
    } catch (error) {
      // Nothing is lost: the text comes back unless the user already wrote something new.
      if (this.text === (editing?.draft ?? '')) {
        this.text = text;
        this.replyTo = replyTo;
        this.editing = editing;
      }
      const code = (error as { code?: string }).code;
      this.error = code && this.translator ? this.translator.error(code) : (error as Error).message;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-composer': ImComposer;
  }
}
