import { consume } from '@lit/context';
import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ConversationListEntry } from '../../client/index.js';
import type { User } from '../../protocol/index.js';
import { sessionContext, translatorContext, type SessionSnapshot } from '../context.js';
import { LiveQueryController } from '../controllers/live-query-controller.js';
import { conversationTitle, namesFrom, previewOf, type NameOf } from '../describe.js';
import type { Translator } from '../i18n/index.js';
import { icons } from '../icons.js';
import '../im-avatar/im-avatar.js';
import { styles } from './im-conversation-list.styles.js';

export interface SelectConversationDetail {
  conversationId: string;
}

interface ListData {
  entries: ConversationListEntry[];
  users: Map<string, User>;
}

/**
 * The user's conversations, most recent first, from the cache (so it shows at once
 * after a reload). Arrow keys move between conversations; Enter opens one.
 *
 * @summary Conversation list.
 * @event im-select - A conversation was chosen. Detail: `{ conversationId }`.
 * @csspart conversation - One conversation button.
 * @csspart badge - The unread count.
 */
@customElement('im-conversation-list')
export class ImConversationList extends LitElement {
  static override styles = styles;

  @consume({ context: sessionContext, subscribe: true })
  session?: SessionSnapshot;

  @consume({ context: translatorContext, subscribe: true })
  translator?: Translator;

  /** The open conversation. */
  @property() selected: string | null = null;

  /** Index of the conversation that takes Tab focus (roving tabindex). */
  @state() private focusIndex = 0;

  #list = new LiveQueryController<ListData>(this, {
    query: () => {
      const cache = this.session?.cache;
      if (!cache) return null;
      return async () => {
        const [entries, users] = await Promise.all([cache.conversationList(), cache.users()]);
        return { entries, users: new Map(users.map((user) => [user.id, user])) };
      };
    },
    deps: () => [this.session?.cache],
    key: () => this.session?.cache,
  });

  protected override render() {
    const t = this.translator;
    const data = this.#list.value;
    if (!t || !data) return nothing;
    if (data.entries.length === 0) {
      return html`<div class="empty">
        <p>${t.t('noConversations')}</p>
        <p class="hint">${t.t('noConversationsHint')}</p>
      </div>`;
    }
    const focusIndex = Math.min(this.focusIndex, data.entries.length - 1);
    const nameOf = namesFrom(data.users.values());
    return html`<ul aria-label=${t.t('conversations')} @keydown=${this.#onKeydown}>
      ${repeat(
        data.entries,
        (entry) => entry.id,
        (entry, index) => this.#renderEntry(entry, nameOf, data.users, index === focusIndex, t),
      )}
    </ul>`;
  }

  #renderEntry(entry: ConversationListEntry, nameOf: NameOf, users: Map<string, User>, focusable: boolean, t: Translator) {
    const title = conversationTitle(entry, nameOf);
    const avatar = entry.type === 'group' ? entry.avatar : (users.get(entry.peerId)?.avatar ?? null);
    const selected = entry.id === this.selected;
    const activityAt = Math.max(entry.updatedAt, entry.pending?.createdAt ?? 0);
    const mentioned = entry.type === 'group' && entry.mentionSeq > entry.readSeq;
    return html`<li>
      <button
        part="conversation"
        class="item ${selected ? 'selected' : ''} ${entry.unread > 0 ? 'has-unread' : ''}"
        data-conversation-id=${entry.id}
        aria-current=${selected ? 'true' : nothing}
        tabindex=${focusable ? 0 : -1}
        @click=${() => this.#select(entry.id)}
      >
        <im-avatar .name=${title} .userId=${entry.id} .src=${avatar}></im-avatar>
        <span class="main">
          <span class="line">
            <span class="name">${title}</span>
            ${entry.lastMessage || entry.pending
              ? html`<time datetime=${new Date(activityAt).toISOString()}>${t.listTime(activityAt)}</time>`
              : nothing}
          </span>
          <span class="line">
            ${mentioned ? html`<span class="mentioned" part="mentioned">${t.t('mentionedYou')}</span>` : nothing}
            <span class="preview">${this.#preview(entry, nameOf, t)}</span>
            ${entry.unread > 0
              ? html`<span part="badge" class="badge" aria-hidden="true"
                    >${entry.unread > 99 ? '99+' : entry.unread}</span
                  ><span class="visually-hidden">${t.t('unread', { count: entry.unread })}</span>`
              : nothing}
          </span>
        </span>
      </button>
    </li>`;
  }

  #preview(entry: ConversationListEntry, nameOf: NameOf, t: Translator) {
    const { pending, lastMessage } = entry;
    if (pending) {
      const icon = pending.status === 'failed' ? icons.error : icons.pending;
      const text = pending.body.text.split('\n', 1)[0]!.slice(0, 200);
      return html`<span class="state ${pending.status}">${icon}</span>${t.t('youSaid', { text })}`;
    }
    if (!lastMessage) return '';
    const me = this.session?.cache?.userId ?? '';
    return previewOf(lastMessage, { t, nameOf, me, group: entry.type === 'group' });
  }

  #select(conversationId: string): void {
    this.dispatchEvent(
      new CustomEvent<SelectConversationDetail>('im-select', { detail: { conversationId } }),
    );
  }

  #onKeydown(event: KeyboardEvent): void {
    const buttons = [...this.renderRoot.querySelectorAll<HTMLButtonElement>('button.item')];
    const current = buttons.indexOf(event.target as HTMLButtonElement);
    if (current < 0) return;
    const next =
      event.key === 'ArrowDown' ? Math.min(current + 1, buttons.length - 1)
      : event.key === 'ArrowUp' ? Math.max(current - 1, 0)
      : event.key === 'Home' ? 0
      : event.key === 'End' ? buttons.length - 1
      : -1;
    if (next < 0) return;
    event.preventDefault();
    this.focusIndex = next;
    buttons[next]!.focus();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-conversation-list': ImConversationList;
  }
}
