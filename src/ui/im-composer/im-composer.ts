import { nothing, svg, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { limits } from '../../protocol/limits.js';
import type { Translator } from '../i18n/index.js';
import { icons } from '../icons.js';
import { quoteText } from '../describe.js';
import '../im-avatar/im-avatar.js';
import type { EmojiPickDetail } from '../im-emoji-picker/im-emoji-picker.js';
import { AttachmentUploads, attachmentStyles } from './attachments.js';
import { VoiceRecorder } from './voice-recorder.js';
import { playingTime } from '../../protocol/bodies.js';
import type { VoiceRecording } from '../../client/index.js';
import { styles } from './im-composer.styles.js';
import { markOfShortcut, renderFormatToolbar } from './format-toolbar.js';
import { applyMark, type MarkKind } from './marks.js';
import { allId, matchMentionables, mentionQueryAt, type Mentionable } from './mentions.js';
import { html, imElement, tag } from '../registry.js';
import type { UserPickDetail } from '../im-user-picker/im-user-picker.js';
import { ImElement } from '../base/im-element.js';
import { ViewModelController } from '../controllers/view-model-controller.js';
import { NarrowController } from '../controllers/narrow-controller.js';
import '../im-menu/im-menu.js';
import type { ImMenu, MenuSelectDetail } from '../im-menu/im-menu.js';
import type { ConversationViewModel } from '../view-models/conversation-view-model.js';

export type { Mentionable } from './mentions.js';

/**
 * Where the user writes. Enter sends, Shift+Enter starts a new line; Enter that
 * confirms an input-method composition (e.g. pinyin) does not send. In groups, `@`
 * offers the members to mention (arrow keys and Enter or Tab pick one, Escape closes).
 * With nothing written, the send button records a voice message instead: hold it and
 * release to send (slide towards the start of the line to cancel), or tap it (or press
 * Enter or Space on it) to record hands-free, then Send or Cancel.
 * Marks format the text (`**bold**`, `_italic_`, `~~strike~~`, `` `code` ``, fenced code
 * blocks, `> ` quotes, `- ` lists): the formatting button shows a toolbar that writes them
 * around the selection, and so do Ctrl/⌘+B, I, E (or Shift+C) and Shift+X.
 * Where the composer is narrow (a phone), attach and emoji stay beside the field and the
 * rest (sharing a contact, the formatting toolbar) is under one More button's menu.
 *
 * It renders a {@link ConversationViewModel}, which holds the text, the reply or edit, the
 * draft, and sends.
 *
 * @summary Message composer.
 * @csspart input - The text area.
 * @csspart send-button - The send button.
 * @csspart record-button - The send button (it is also `send-button`) while nothing is written: it records a voice message.
 * @csspart recorder - The recording in progress: its time, its loudness and how to cancel.
 * @csspart format-button - Shows and hides the formatting toolbar.
 * @csspart format-toolbar - The formatting buttons above the text area.
 * @csspart attach-button - Opens the file picker; files can also be pasted or dropped on the conversation.
 * @csspart share-contact-button - Opens the people picker to share someone's contact.
 * @csspart more-button - Where the composer is narrow: opens the menu of what does not fit beside the field (share a contact, formatting).
 * @csspart more-menu - That menu's box.
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
  /** Offer to share contacts (not in support conversations). */
  @property({ attribute: false }) canShareContact = false;
  /** What is being written, and where it goes. */
  @property({ attribute: false }) viewModel?: ConversationViewModel;

  @state() private suggestions: Mentionable[] = [];
  @state() private emojiOpen = false;
  /** The people picker has been opened once: it stays rendered, closed, from then on. */
  @state() private pickerRendered = false;
  @state() private formatOpen = false;
  @state() private activeSuggestion = 0;
  @query('textarea') private textarea!: HTMLTextAreaElement;

  #attachments = new AttachmentUploads(this);
  #recorder = new VoiceRecorder(this);
  /** The click that ends a tap on the record button is not a press of Send. */
  #swallowClick = false;
  #mentionStart = -1;
  #conversation = new ViewModelController(this, () => this.viewModel);
  /** Narrower than this (px), the secondary buttons go under More: the field keeps its room. */
  #width = new NarrowController(this, 560);

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
    const composing = this.#conversation.value;
    if (!t || !composing) return nothing;
    const over = composing.text.length - limits.textLength;
    const failure = composing.failure;
    const error = failure ? (failure.code ? t.error(failure.code) : failure.message) : '';
    const problem = this.#recorder.problem;
    const feedback = over > 0 ? t.t('tooLong', { count: over }) : error || (problem ? t.t(problem) : '');
    const recording = this.#recorder.state !== 'idle';
    const open = this.suggestions.length > 0;
    // With only formatting to put away, More would take the place of one button: keep it.
    const compact = this.#width.narrow && this.canShareContact && !!this.client;
    return html`${open ? this.#renderSuggestions(t) : nothing} ${this.#attachments.renderTray(t)}
      ${this.#renderContext(composing, t)}
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
      ${this.pickerRendered
        ? html`<im-user-picker purpose="contact" @im-user-pick=${this.#shareContact}></im-user-picker>`
        : nothing}
      ${this.formatOpen ? renderFormatToolbar(t, this.#format) : nothing}
      <form @submit=${this.#onSubmit} class=${[recording ? 'recording' : '', compact ? 'compact' : ''].join(' ').trim()}>
        ${this.#attachments.renderPicker(t)}
        ${this.canShareContact && this.client && !compact
          ? html`<button
              type="button"
              class="icon-button share-contact"
              part="share-contact-button"
              aria-label=${t.t('contact.share')}
              title=${t.t('contact.share')}
              aria-haspopup="dialog"
              @click=${this.#openPeople}
            >
              ${icons.person}
            </button>`
          : nothing}
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
        ${compact
          ? this.#renderMore(t)
          : html`<button
              type="button"
              class="icon-button format-toggle"
              part="format-button"
              aria-label=${t.t('format.toggle')}
              title=${t.t('format.toggle')}
              aria-expanded=${this.formatOpen ? 'true' : 'false'}
              @click=${() => (this.formatOpen = !this.formatOpen)}
            >
              <span aria-hidden="true">Aa</span>
            </button>`}
        <label class="visually-hidden" for="input">${t.t('composerLabel')}</label>
        <textarea
          id="input"
          part="input"
          rows="1"
          .value=${composing.text}
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
        ${recording ? this.#renderRecorder(t) : nothing} ${this.#renderSendButton(composing, t)}
      </form>
      <div id="feedback" class="feedback" aria-live="polite">${feedback}</div>`;
  }

  /**
   * Send, or, with nothing written, record. One button throughout a recording, so that a
   * held press keeps its pointer: it records while held, and becomes Send when hands-free.
   */
  #renderSendButton(composing: ConversationViewModel, t: Translator) {
    const recorder = this.#recorder;
    const voice = !composing.editing && composing.text.trim() === '' && !!this.client && !!this.conversationId;
    const mode = recorder.state === 'idle' ? (voice ? 'record' : 'send') : recorder.mode === 'tap' ? 'finish' : 'holding';
    const label = {
      send: t.t(composing.editing ? 'message.saveEdit' : 'send'),
      record: t.t('voice.record'),
      finish: t.t('voice.send'),
      holding: t.t('voice.send'),
    }[mode];
    return html`<button
      part=${mode === 'send' ? 'send-button' : 'send-button record-button'}
      class="send ${mode}"
      type=${mode === 'send' ? 'submit' : 'button'}
      ?disabled=${mode === 'send' && !composing.sendable}
      aria-label=${label}
      title=${mode === 'record' ? t.t('voice.tooShort') : nothing}
      @pointerdown=${(event: PointerEvent) => mode === 'record' && recorder.press(event)}
      @pointermove=${(event: PointerEvent) => recorder.move(event, getComputedStyle(this).direction === 'rtl')}
      @pointerup=${this.#onRecordRelease}
      @pointercancel=${() => recorder.state !== 'idle' && recorder.mode === 'hold' && recorder.cancel()}
      @click=${this.#onRecordClick}
    >
      ${mode === 'record' || mode === 'holding' ? icons.mic : icons.send}
    </button>`;
  }

  #renderRecorder(t: Translator) {
    const recorder = this.#recorder;
    const levels = recorder.levels.slice(-40);
    return html`<div part="recorder" class="recorder ${recorder.cancelArmed ? 'cancelling' : ''}">
      ${recorder.mode === 'tap'
        ? html`<button type="button" class="icon-button" aria-label=${t.t('voice.cancel')} title=${t.t('voice.cancel')} @click=${this.#cancelRecording}>
            ${icons.trash}
          </button>`
        : nothing}
      <span class="rec-dot" aria-hidden="true"></span>
      <span class="rec-time" role="timer">${playingTime(Math.floor(recorder.elapsed / 1000) * 1000)}</span>
      <span class="visually-hidden" role="status">${t.t('voice.recording', { time: '' })}</span>
      <svg class="rec-levels" viewBox="0 0 120 100" preserveAspectRatio="xMaxYMid meet" aria-hidden="true">
        ${levels.map((level, index) => {
          const height = Math.max(6, level);
          return svg`<rect x=${120 - (levels.length - index) * 3} y=${(100 - height) / 2} width="2" height=${height}></rect>`;
        })}
      </svg>
      ${recorder.mode === 'hold'
        ? html`<span class="rec-hint">${t.t(recorder.cancelArmed ? 'voice.releaseToCancel' : 'voice.slideToCancel')}</span>`
        : nothing}
    </div>`;
  }

  #onRecordRelease = (): void => {
    const recorder = this.#recorder;
    if (recorder.state === 'idle') return;
    const wasHeld = recorder.mode === 'hold';
    recorder.release();
    // A tap that started recording hands-free: its click must not press Send at once.
    if (wasHeld && recorder.handsFree) this.#swallowClick = true;
  };

  #onRecordClick = (event: MouseEvent): void => {
    const recorder = this.#recorder;
    if (this.#swallowClick) {
      this.#swallowClick = false;
      return;
    }
    if (recorder.state === 'idle') {
      // Enter or Space on the button (a pointer press started recording at pointerdown).
      if (event.detail === 0 && (event.currentTarget as HTMLButtonElement).type === 'button') void recorder.start('tap');
      return;
    }
    if (recorder.mode === 'tap') {
      recorder.finish();
      this.focus();
    }
  };

  #cancelRecording = (): void => {
    this.#recorder.cancel();
    this.focus();
  };

  /** A finished recording joins the uploads, after any file before it. */
  onRecorded(audio: Blob, recording: VoiceRecording): void {
    this.#attachments.addVoice(audio, recording);
  }

  /** The message being replied to or edited, with a way out. */
  #renderContext(composing: ConversationViewModel, t: Translator) {
    if (composing.editing) {
      return html`<div class="context" part="compose-context">
        <span class="context-text">${t.t('message.editing')}</span>
        <button type="button" class="icon-button" aria-label=${t.t('message.cancelEdit')} @click=${this.#cancelContext}>
          ${icons.close}
        </button>
      </div>`;
    }
    const quote = composing.replyTo;
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
    this.viewModel?.cancelContext();
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

  /** More, and its menu: what does not fit beside a narrow field. */
  #renderMore(t: Translator) {
    return html`<button
        type="button"
        class="icon-button more"
        part="more-button"
        aria-label=${t.t('composer.more')}
        title=${t.t('composer.more')}
        aria-haspopup="menu"
        @click=${this.#openMore}
      >
        ${icons.more}
      </button>
      <im-menu
        exportparts="menu: more-menu"
        .label=${t.t('composer.more')}
        .items=${[
          { id: 'share-contact', label: t.t('contact.share') },
          { id: 'format', label: t.t('format.toggle'), checked: this.formatOpen },
        ]}
        @im-menu-select=${this.#onMoreSelect}
      ></im-menu>`;
  }

  #openMore = (event: MouseEvent): void => {
    const menu = this.renderRoot.querySelector<ImMenu>(tag('im-menu'));
    void menu?.showFor(event.currentTarget as HTMLElement);
  };

  #onMoreSelect = (event: CustomEvent<MenuSelectDetail>): void => {
    if (event.detail.id === 'share-contact') void this.#openPeople();
    else if (event.detail.id === 'format') this.formatOpen = !this.formatOpen;
  };

  async #openPeople(): Promise<void> {
    await import('../im-user-picker/im-user-picker.js');
    this.pickerRendered = true;
    await this.updateComplete;
    await this.renderRoot.querySelector(tag('im-user-picker'))?.show();
  }

  #shareContact = (event: CustomEvent<UserPickDetail>): void => {
    void this.viewModel?.shareContact(event.detail.user);
    this.focus();
  };

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
    const composing = this.viewModel;
    if (!composing) return;
    const { text } = composing;
    const textarea = this.textarea;
    const start = textarea?.selectionStart ?? text.length;
    const end = textarea?.selectionEnd ?? text.length;
    const { unicode } = event.detail;
    composing.replaceText(text.slice(0, start) + unicode + text.slice(end));
    void this.updateComplete.then(() => textarea?.setSelectionRange(start + unicode.length, start + unicode.length));
  };

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
    this.viewModel?.typed(textarea.value);
    this.#suggest(textarea);
  }

  #onKeydown(event: KeyboardEvent): void {
    if (this.suggestions.length > 0 && this.#navigateSuggestions(event)) return;
    const mark = markOfShortcut(event);
    if (mark) {
      event.preventDefault();
      this.#format(mark);
      return;
    }
    if (event.key === 'Escape' && (this.viewModel?.editing || this.viewModel?.replyTo)) {
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
    const composing = this.viewModel;
    if (!composing) return;
    const textarea = this.textarea;
    const caret = textarea.selectionStart;
    const inserted = `@${candidate.name} `;
    const text = composing.text.slice(0, this.#mentionStart) + inserted + composing.text.slice(caret);
    composing.pickMention(candidate.id, candidate.name, text);
    this.suggestions = [];
    const position = this.#mentionStart + inserted.length;
    void this.updateComplete.then(() => textarea.setSelectionRange(position, position));
  }

  /** Writes a mark around the selection (or takes it away), keeping the selection on the words. */
  #format = (kind: MarkKind): void => {
    const composing = this.viewModel;
    const textarea = this.textarea;
    if (!composing || !textarea) return;
    const edited = applyMark(composing.text, textarea.selectionStart, textarea.selectionEnd, kind);
    composing.replaceText(edited.text);
    textarea.focus();
    void this.updateComplete.then(() => textarea.setSelectionRange(edited.start, edited.end));
  };

  #onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    void this.#send();
    this.focus();
  }

  async #send(): Promise<void> {
    const composing = this.viewModel;
    if (!composing?.sendable) return;
    this.emojiOpen = false;
    await composing.send();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-composer': ImComposer;
  }
}
