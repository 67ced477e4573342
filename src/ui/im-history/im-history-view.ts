import { property, query, state } from 'lit/decorators.js';
import type { HistoryBody, HistoryItem } from '../../protocol/index.js';
import { icons } from '../icons.js';
import '../im-avatar/im-avatar.js';
import { renderBody } from '../im-message-list/message-body.js';
import { html, imElement } from '../registry.js';
import { ImElement } from '../base/im-element.js';
import { toParentOnly } from '../base/events.js';
import { historyNameOf, historyTitle } from './history-card.js';
import { styles } from './im-history-view.styles.js';

/** A chat history to show, the conversation its files belong to, and the card that opened it. */
export interface OpenHistoryDetail {
  body: HistoryBody;
  conversationId: string;
  opener: HTMLElement;
}

/** A level of the view: a history, and which item of the level below opened it (to go back to). */
interface Level {
  body: HistoryBody;
  openedFrom: number | null;
}

/**
 * The messages of a chat history, read-only: each with its sender's avatar and name (as
 * named when forwarded), its time and its content, drawn as in the message list; images
 * and files load with the rights of the conversation the history is in. A history inside
 * it opens a further level; Back (or Escape) goes up one, and from the first level closes.
 *
 * @summary Read-only view of a forwarded chat history.
 * @event im-close - The view was closed (Back from its first level, or Escape there).
 * @csspart history-view - The dialog.
 * @csspart history-item - One message in it.
 * @csspart history-card - A history inside it.
 */
@imElement('im-history-view')
export class ImHistoryView extends ImElement {
  static override styles = styles;

  /** The history to show; setting it opens the view at its first level. */
  @property({ attribute: false }) body: HistoryBody | null = null;
  /** The conversation the history message is in, whose files it shows. */
  @property({ attribute: 'conversation-id' }) conversationId = '';

  @state() private levels: Level[] = [];
  @query('dialog') private dialog!: HTMLDialogElement;

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('body')) this.levels = this.body ? [{ body: this.body, openedFrom: null }] : [];
  }

  protected override updated(changed: Map<string, unknown>): void {
    if (changed.has('body') && this.body && !this.dialog.open) {
      this.dialog.showModal();
      this.renderRoot.querySelector<HTMLElement>('.back')?.focus();
    }
  }

  protected override render() {
    const t = this.translator;
    const level = this.levels.at(-1);
    if (!t || !level) return html`<dialog></dialog>`;
    const nested = this.levels.length > 1;
    const nameOf = historyNameOf(level.body);
    const avatars = new Map(level.body.people.map((person) => [person.id, person.avatar]));
    return html`<dialog
      part="history-view"
      aria-labelledby="history-title"
      @cancel=${this.#onCancel}
      @close=${this.#onClose}
    >
      <div class="header">
        <button type="button" class="icon-button back" aria-label=${t.t(nested ? 'history.back' : 'history.close')} title=${t.t(nested ? 'history.back' : 'history.close')} @click=${this.#back}>
          ${nested ? icons.back : icons.close}
        </button>
        <h2 id="history-title" aria-level=${this.headingLevel(1)}><bdi>${historyTitle(level.body, t)}</bdi></h2>
      </div>
      <ol class="items">
        ${level.body.items.map((item, index) => this.#renderItem(item, index, nameOf(item.senderId), avatars.get(item.senderId) ?? null))}
      </ol>
    </dialog>`;
  }

  #renderItem(item: HistoryItem, index: number, name: string, avatar: string | null) {
    const t = this.translator!;
    const media = item.body.type === 'image' || item.body.type === 'video';
    return html`<li class="item" part="history-item" data-index=${index}>
      <im-avatar .name=${name} .userId=${item.senderId} .src=${avatar}></im-avatar>
      <div class="item-main">
        <div class="item-head">
          <bdi class="item-name">${name}</bdi>
          <time datetime=${new Date(item.createdAt).toISOString()}>${t.dateTime(item.createdAt)}</time>
        </div>
        <div class="bubble ${media ? `media ${item.body.type}` : ''}">
          ${renderBody(item.body, {
            t,
            conversationId: this.conversationId,
            tabbable: true,
            openHistory: (body) => this.#open(body, index),
          })}
        </div>
      </div>
    </li>`;
  }

  async #open(body: HistoryBody, openedFrom: number): Promise<void> {
    this.levels = [...this.levels, { body, openedFrom }];
    await this.updateComplete;
    this.renderRoot.querySelector('.items')?.scrollTo({ top: 0 });
    this.renderRoot.querySelector<HTMLElement>('.back')?.focus();
  }

  /** Up one level, or closed from the first. */
  #back = async (): Promise<void> => {
    const left = this.levels.at(-1);
    if (!left || left.openedFrom === null) {
      this.dialog.close();
      return;
    }
    this.levels = this.levels.slice(0, -1);
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`li[data-index="${left.openedFrom}"] .history-card`)?.focus();
  };

  /** Escape goes back one level, as Back does, and closes only from the first. */
  #onCancel = (event: Event): void => {
    event.preventDefault();
    void this.#back();
  };

  #onClose = (): void => {
    this.levels = [];
    this.emit('im-close', {}, toParentOnly);
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'im-history-view': ImHistoryView;
  }
}
