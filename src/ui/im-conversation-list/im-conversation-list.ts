import { nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ConversationListEntry } from '../../client/index.js';
import type { User } from '../../protocol/index.js';
import { LiveQueryController } from '../controllers/live-query-controller.js';
import { LongPress } from '../controllers/long-press.js';
import { isMenuKey, rovingTarget } from '../controllers/roving-focus.js';
import { PresenceController } from '../controllers/presence-controller.js';
import {
  avatarIdOf,
  conversationAvatar,
  conversationTitle,
  counterpartOf,
  errorText,
  namesFrom,
  namesSenders,
  previewOf,
  summaryOf,
  type NameOf,
} from '../describe.js';
import type { Translator } from '../i18n/index.js';
import { shellIcons } from '../shell-icons.js';
import '../im-avatar/im-avatar.js';
import '../im-menu/im-menu.js';
import type { ImMenu, MenuSelectDetail } from '../im-menu/im-menu.js';
import { styles } from './im-conversation-list.styles.js';
import { html, imElement, tag } from '../registry.js';
import { ImElement } from '../base/im-element.js';
import { ViewModelController } from '../controllers/view-model-controller.js';
import {
  ConversationListViewModel,
  looksUnread,
  mentionsUnread,
  type InboxFilter,
  type ListAction,
  type ListFilter,
} from '../view-models/conversation-list-view-model.js';
import { toParentOnly } from '../base/events.js';

export interface SelectConversationDetail {
  conversationId: string;
}

interface ListData {
  entries: ConversationListEntry[];
  users: Map<string, User>;
}

/**
 * The user's conversations, most recent first, from the cache (so it shows at once
 * after a reload). Arrow keys, PageUp/PageDown and Home/End move between conversations; Enter opens one. With `inbox`
 * it is a support team's inbox instead: the cases, in tabs Unassigned, Mine, All open
 * and Resolved. Tabs, filters and menu actions are a {@link ConversationListViewModel}.
 *
 * @summary Conversation list.
 * @event im-select - A conversation was chosen. Detail: `{ conversationId }`.
 * @csspart conversation - One conversation button (also `conversation-row`).
 * @csspart badge - The unread count.
 */
@imElement('im-conversation-list')
export class ImConversationList extends ImElement {
  static override styles = styles;

  /** The open conversation. */
  @property() selected: string | null = null;

  /** A support inbox: the agent's cases rather than the messenger's conversations. */
  @property({ type: Boolean }) inbox = false;

  /** Index of the conversation that takes Tab focus (roving tabindex). */
  @state() private focusIndex = 0;
  /** The conversation whose menu is open. */
  @state() private menuFor: ConversationListEntry | null = null;

  @query(tag('im-menu')) private menu!: ImMenu;
  readonly #longPress = new LongPress();
  readonly #view = new ConversationListViewModel({ client: () => this.client, inbox: () => this.inbox });
  /** Re-renders the list whenever the view model changes. */
  readonly #viewUpdates = new ViewModelController(this, () => this.#view);

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

  /** The online dots of the single chats in view. */
  #presence = new PresenceController(this, { client: () => this.client, visibleRows: true });

  protected override willUpdate(): void {
    const data = this.#list.value;
    if (data) this.#view.sync(data.entries, this.session?.cache?.userId ?? '', this.session?.status);
  }

  protected override render() {
    const t = this.translator;
    const data = this.#list.value;
    const view = this.#viewUpdates.value;
    if (!t || !data || !view) return nothing;
    const me = this.session?.cache?.userId ?? '';
    const all = view.ownEntries(data.entries);
    if (all.length === 0 && !this.inbox) {
      return html`<slot name="empty"
        ><div class="empty">
          <p>${t.t('noConversations')}</p>
          <p class="hint">${t.t('noConversationsHint')}</p>
        </div></slot
      >`;
    }
    const entries = view.shown(all, me);
    const focusIndex = Math.min(this.focusIndex, entries.length - 1);
    const nameOf = namesFrom(data.users.values());
    const emptyKey = this.inbox ? (`inbox.empty.${view.inboxFilter}` as const) : (`list.empty.${view.filter}` as const);
    // Offline or refused: said where the user acted; nothing changed.
    const failure = view.failure === null ? null : errorText(view.failure, t);
    return html`${this.inbox ? this.#renderInboxTabs(view, all, me, t) : this.#renderFilters(view, all, t)}
      ${failure ? html`<p class="failure" role="alert">${failure}</p>` : nothing}
      ${entries.length === 0
        ? // What the tabs control, empty: their aria-controls must name something.
          html`<p class="empty filtered" id="conversations">${t.t(emptyKey)}</p>`
        : html`<ul
            id="conversations"
            aria-label=${t.t('conversations')}
            @keydown=${this.#onKeydown}
            @contextmenu=${this.#onContextMenu}
            @pointerdown=${this.#onPointerDown}
            @pointerup=${this.#longPress.cancel}
            @pointercancel=${this.#longPress.cancel}
            @pointermove=${this.#longPress.move}
          >
            ${repeat(
              entries,
              (entry) => entry.id,
              (entry, index) => this.#renderEntry(view, entry, nameOf, data.users, index === focusIndex, t),
            )}
          </ul>`}
      <im-menu
        .label=${t.t('list.menu')}
        .items=${this.menuFor ? view.actionsFor(this.menuFor).map(({ label, ...item }) => ({ ...item, label: t.t(label) })) : []}
        @im-menu-select=${this.#onMenuSelect}
      ></im-menu>`;
  }

  #renderFilters(view: ConversationListViewModel, entries: ConversationListEntry[], t: Translator) {
    const unread = view.unreadTotal(entries);
    const tab = (filter: ListFilter, label: string) => html`<button
      role="tab"
      part="filter"
      aria-selected=${view.filter === filter ? 'true' : 'false'}
      aria-controls="conversations"
      @click=${() => {
        view.choose(filter);
        this.focusIndex = 0;
      }}
    >
      ${label}
    </button>`;
    return html`<div class="filters" role="tablist" aria-label=${t.t('list.filters')}>
      ${tab('all', t.t('list.all'))}
      ${tab('unread', unread > 0 ? t.t('list.unreadCount', { count: unread }) : t.t('list.unread'))}
      ${tab('mentions', t.t('list.mentions'))} ${tab('groups', t.t('list.groups'))}
    </div>`;
  }

  #renderInboxTabs(view: ConversationListViewModel, entries: ConversationListEntry[], me: string, t: Translator) {
    const tab = (filter: InboxFilter) => {
      const count = view.inboxCount(entries, me, filter);
      return html`<button
        role="tab"
        part="filter"
        aria-selected=${view.inboxFilter === filter ? 'true' : 'false'}
        aria-controls="conversations"
        @click=${() => {
          view.chooseInboxTab(filter);
          this.focusIndex = 0;
        }}
      >
        ${count > 0 ? t.t(`inbox.${filter}Count`, { count }) : t.t(`inbox.${filter}`)}
      </button>`;
    };
    return html`<div class="filters" role="tablist" aria-label=${t.t('inbox.filters')}>
      ${tab('unassigned')} ${tab('mine')} ${tab('open')} ${tab('resolved')}
    </div>`;
  }

  #onMenuSelect(event: CustomEvent<MenuSelectDetail>): void {
    const entry = this.menuFor;
    if (entry) void this.#view.act(entry, event.detail.id as ListAction);
  }

  #entryOf(target: EventTarget | null): ConversationListEntry | null {
    const button = (target as Element | null)?.closest?.('button.item') as HTMLElement | null;
    const id = button?.dataset['conversationId'];
    return this.#list.value?.entries.find((entry) => entry.id === id) ?? null;
  }

  #openMenu(entry: ConversationListEntry, at: { x: number; y: number } | null): void {
    const button = this.renderRoot.querySelector<HTMLElement>(`button.item[data-conversation-id="${CSS.escape(entry.id)}"]`);
    this.menuFor = entry;
    if (at) void this.menu.show(at.x, at.y, button);
    else if (button) void this.menu.showFor(button);
  }

  #onContextMenu(event: MouseEvent): void {
    const entry = this.#entryOf(event.target);
    if (!entry) return;
    event.preventDefault();
    // The context-menu key gives no useful point: open under the row.
    this.#openMenu(entry, event.button === 2 ? { x: event.clientX, y: event.clientY } : null);
  }

  #onPointerDown(event: PointerEvent): void {
    const entry = this.#entryOf(event.target);
    if (entry) this.#longPress.start(event, (at) => this.#openMenu(entry, at));
  }

  #renderEntry(
    view: ConversationListViewModel,
    entry: ConversationListEntry,
    nameOf: NameOf,
    users: Map<string, User>,
    focusable: boolean,
    t: Translator,
  ) {
    const title = conversationTitle(entry, nameOf);
    const avatar = conversationAvatar(entry, users);
    const counterpart = counterpartOf(entry);
    const selected = entry.id === this.selected;
    const activityAt = Math.max(entry.updatedAt, entry.pending?.createdAt ?? 0);
    const mentioned = mentionsUnread(entry);
    const muted = entry.notificationsMuted;
    const classes = [
      'item',
      selected ? 'selected' : '',
      looksUnread(entry) ? 'has-unread' : '',
      entry.pinnedAt ? 'pinned' : '',
      muted ? 'muted' : '',
    ].join(' ');
    return html`<li>
      <button
        part="conversation conversation-row"
        class=${classes}
        data-conversation-id=${entry.id}
        data-presence-id=${counterpart ?? nothing}
        aria-current=${selected ? 'true' : nothing}
        tabindex=${focusable ? 0 : -1}
        @click=${() => this.#select(entry.id)}
      >
        <im-avatar
          part="avatar"
          .name=${title}
          .userId=${avatarIdOf(entry)}
          .src=${avatar}
          .online=${counterpart !== null && this.#presence.online(counterpart)}
          online-label=${t.t('presence.online')}
        ></im-avatar>
        <span class="main">
          <span class="line">
            <span class="name"><bdi>${title}</bdi></span>
            ${entry.lastMessage || entry.pending
              ? html`<time datetime=${new Date(activityAt).toISOString()}>${t.listTime(activityAt)}</time>`
              : nothing}
          </span>
          <span class="line">
            ${mentioned ? html`<span class="mentioned" part="mentioned">${t.t('mentionedYou')}</span>` : nothing}
            ${this.inbox && entry.type === 'support' && entry.assigneeId && view.inboxFilter !== 'mine'
              ? html`<span class="assignee" part="assignee"><bdi>${nameOf(entry.assigneeId)}</bdi></span>`
              : nothing}
            <span class="preview">${this.#preview(entry, nameOf, t)}</span>
            ${muted ? html`<span class="flag" role="img" aria-label=${t.t('list.muted')}>${shellIcons.muted}</span>` : nothing}
            ${entry.pinnedAt ? html`<span class="flag" role="img" aria-label=${t.t('list.pinned')}>${shellIcons.pin}</span>` : nothing}
            ${entry.unread > 0
              ? html`<span part="badge" class="badge" aria-hidden="true"
                    >${entry.unread > 99 ? '99+' : entry.unread}</span
                  ><span class="visually-hidden">${t.t('unread', { count: entry.unread })}</span>`
              : entry.markedUnread
                ? html`<span part="badge" class="badge dot" aria-hidden="true"></span
                    ><span class="visually-hidden">${t.t('list.markedUnread')}</span>`
                : nothing}
          </span>
        </span>
      </button>
    </li>`;
  }

  #preview(entry: ConversationListEntry, nameOf: NameOf, t: Translator) {
    const { pending, preview, draft } = entry;
    if (draft && entry.id !== this.selected) {
      return html`<span class="draft">${t.t('list.draft')}</span> ${draft.text.split('\n', 1)[0]}`;
    }
    if (pending) {
      const icon = pending.status === 'failed' ? shellIcons.error : shellIcons.pending;
      const text = summaryOf(pending.body, t);
      return html`<span class="state ${pending.status}">${icon}</span>${t.t('youSaid', { text })}`;
    }
    if (!preview) return '';
    const me = this.session?.cache?.userId ?? '';
    return previewOf(preview, { t, nameOf, me, group: namesSenders(entry) });
  }

  #select(conversationId: string): void {
    this.emit('im-select', { conversationId }, toParentOnly);
  }

  #onKeydown(event: KeyboardEvent): void {
    const buttons = [...this.renderRoot.querySelectorAll<HTMLButtonElement>('button.item')];
    const current = buttons.indexOf(event.target as HTMLButtonElement);
    if (current < 0) return;
    if (isMenuKey(event)) {
      const entry = this.#entryOf(event.target);
      if (!entry) return;
      event.preventDefault();
      this.#openMenu(entry, null);
      return;
    }
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const next = rovingTarget(event.key, current, buttons.length);
    if (next === null) return;
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
