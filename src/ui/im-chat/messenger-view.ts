import { nothing, type ReactiveElement, type TemplateResult } from 'lit';
import { isMessageBody, type JoinDecidedEvent, type Message } from '../../protocol/index.js';
import type { SessionSnapshot } from '../context.js';
import { namesFrom, previewOf } from '../describe.js';
import type { Translator } from '../i18n/index.js';
import { shellIcons } from '../shell-icons.js';
import { conversationListParts, exportParts, messagePaneParts } from '../parts.js';
import '../im-connection-status/im-connection-status.js';
import '../im-conversation-list/im-conversation-list.js';
import type { SelectConversationDetail } from '../im-conversation-list/im-conversation-list.js';
import type { OpenMessageDetail } from '../im-search/im-search.js';
import { defined, html, onDemand, tag, whenDefined } from '../registry.js';

// The first screen is the conversation list: the rest loads when it is first shown.
onDemand('im-message-pane', () => import('../im-message-pane/im-message-pane.js'));
onDemand('im-user-picker', () => import('../im-user-picker/im-user-picker.js'));
onDemand('im-group-create', () => import('../im-group-create/im-group-create.js'));
onDemand('im-search', () => import('../im-search/im-search.js'));
onDemand('im-join-card', () => import('../im-join-card/im-join-card.js'));

/** The dialogs the list pane's buttons open, rendered from their first opening on. */
type Dialog = 'im-user-picker' | 'im-group-create' | 'im-search';

export interface MessengerViewOptions {
  /** The open conversation: the element's own, which its attribute and methods set too. */
  selected: () => string | null;
  select: (conversationId: string | null) => void;
  session: () => SessionSnapshot;
  translator: () => Translator;
  /** The query parameter that carries invite codes in links to the page. */
  joinParam: () => string;
  /** The level of the widget's top headings (`heading-level`). */
  headingLevel: () => number;
  /** The bell that turns browser notifications on and off. */
  notificationToggle: (t: Translator) => unknown;
}

interface Notice {
  text: string;
  conversationId: string | null;
}

/**
 * What `<im-chat>` shows in messenger mode: the conversation list beside the open
 * conversation, the dialogs it opens (new chat, new group, search, an invite's card), the
 * notice of a join request's outcome, and new messages said to screen readers. Drawn into
 * the element's own shadow root, so its parts are the element's.
 */
export class MessengerView {
  #announcement = '';
  /** The invite code whose card is showing. */
  #joinCode: string | null = null;
  #notice: Notice | null = null;
  #lastPointer = '';
  /** The dialogs opened so far (a dialog stays rendered, hidden, once it has been opened). */
  readonly #dialogs = new Set<Dialog>();
  #panePrefetched = false;

  constructor(
    private readonly host: ReactiveElement,
    private readonly options: MessengerViewOptions,
  ) {}

  /** Offers to join the group of an invite code: shows its card with Join and Not now. */
  joinGroup(code: string): void {
    this.#joinCode = code.trim() || null;
    this.host.requestUpdate();
  }

  /** Says a message that arrived to screen readers (an edit of one already said, or a reaction, stays quiet). */
  async announce(message: Message): Promise<void> {
    const cache = this.options.session().cache;
    if (!cache) return;
    if (message.body.type === 'edit' || message.body.type === 'reaction') return;
    const nameOf = namesFrom(await cache.users());
    const t = this.options.translator();
    const preview = previewOf(message, { t, nameOf, me: cache.userId, group: false });
    this.#announcement = isMessageBody(message.body)
      ? t.t('newMessageFrom', { name: nameOf(message.senderId), text: preview })
      : preview;
    this.host.requestUpdate();
  }

  /** Tells the user how their request to join a group ended. */
  joinDecided({ approved, group, conversationId }: JoinDecidedEvent): void {
    const t = this.options.translator();
    this.#notice = approved
      ? { text: t.t('joinApproved', { name: group.name }), conversationId }
      : { text: t.t('joinRejected', { name: group.name }), conversationId: null };
    this.host.requestUpdate();
  }

  render(): TemplateResult {
    const t = this.options.translator();
    const selected = this.options.selected();
    const view = selected ? 'conversation' : 'list';
    const signedIn = !!this.options.session().cache;
    if (signedIn) this.#prefetchPane();
    return html`<div
      class="root"
      data-view=${view}
      lang=${t.lang}
      @keydown=${this.#onShortcut}
      @pointerdown=${this.#onPointerDown}
    >
      ${this.#notice ? this.#renderNotice(this.#notice, t) : nothing}
      <div class="panes">
        <nav part="list-pane" class="list-pane" aria-label=${t.t('conversations')}>
          <div class="header" @pointerover=${this.#prefetchDialogs} @focusin=${this.#prefetchDialogs}>
            <h2 aria-level=${this.options.headingLevel()}>${t.t('appTitle')}</h2>
            ${this.options.notificationToggle(t)}
            <button
              part="search-button"
              type="button"
              class="icon-button"
              aria-label=${t.t('search.title')}
              aria-keyshortcuts="Control+K Meta+K"
              title=${t.t('search.button')}
              ?disabled=${!signedIn}
              @click=${() => this.#openSearch()}
            >
              ${shellIcons.search}
            </button>
            <button
              part="new-group-button"
              type="button"
              class="icon-button"
              aria-label=${t.t('newGroup')}
              title=${t.t('newGroup')}
              ?disabled=${!signedIn}
              @click=${() => this.#openDialog('im-group-create', (dialog) => dialog.show())}
            >
              ${shellIcons.group}
            </button>
            <button
              part="new-chat-button"
              type="button"
              class="icon-button"
              aria-label=${t.t('newChat')}
              title=${t.t('newChat')}
              ?disabled=${!signedIn}
              @click=${() => this.#openDialog('im-user-picker', (dialog) => dialog.show())}
            >
              ${shellIcons.compose}
            </button>
          </div>
          <im-conversation-list
            class="conversation-list"
            exportparts=${exportParts(conversationListParts)}
            .selected=${selected}
            @im-select=${this.#onSelect}
          >
            <slot name="empty-list" slot="empty"></slot>
          </im-conversation-list>
        </nav>
        <!-- Not <main>: the host page has its own, and several widgets may share a page. -->
        <section part="conversation-pane" class="conversation-pane" @im-open-chat=${this.#onOpenChat}>
          ${!selected
            ? html`<slot name="empty-conversation"><p class="placeholder">${t.t('selectConversation')}</p></slot>`
            : defined('im-message-pane', this.host)
              ? html`<im-message-pane conversation-id=${selected} exportparts=${exportParts(messagePaneParts)} @im-back=${this.#onBack}>
                  <slot name="header-end" slot="header-actions"></slot>
                </im-message-pane>`
              : html`<p class="placeholder" role="status">${t.t('status.starting')}</p>`}
        </section>
      </div>
      <!-- Below the panes: the banner comes and goes as the connection does (on every
           start, a moment after the controls are usable), and above them it would move
           every header button and list item under a pointer that is about to press it. -->
      <im-connection-status class="connection-status"></im-connection-status>
      ${this.#dialogs.has('im-user-picker') ? html`<im-user-picker @im-select=${this.#onSelect}></im-user-picker>` : nothing}
      ${this.#dialogs.has('im-group-create') ? html`<im-group-create @im-select=${this.#onSelect}></im-group-create>` : nothing}
      ${this.#dialogs.has('im-search') ? html`<im-search @im-open-message=${this.#onOpenMessage}></im-search>` : nothing}
      ${this.#joinCode && defined('im-join-card', this.host)
        ? html`<im-join-card
            code=${this.#joinCode}
            @im-select=${this.#onSelect}
            @im-close=${this.#onJoinClosed}
          ></im-join-card>`
        : nothing}
      <div class="visually-hidden" role="status">${this.#announcement}</div>
    </div>`;
  }

  #renderNotice(notice: Notice, t: Translator) {
    const { conversationId } = notice;
    return html`<div class="notice" part="notice" role="status">
      <span>${notice.text}</span>
      ${conversationId
        ? html`<button type="button" class="link" @click=${() => this.#openFromNotice(conversationId)}>
            ${t.t('openGroup')}
          </button>`
        : nothing}
      <button type="button" class="icon-button" aria-label=${t.t('close')} @click=${this.#closeNotice}>
        ${shellIcons.close}
      </button>
    </div>`;
  }

  /** Shows a dialog, rendering it first (once its module has loaded) if it never was. */
  async #openDialog<Name extends Dialog>(name: Name, show: (dialog: HTMLElementTagNameMap[Name]) => void): Promise<void> {
    if (!this.#dialogs.has(name)) {
      await whenDefined(name);
      this.#dialogs.add(name);
      this.host.requestUpdate();
      await this.host.updateComplete;
    }
    const dialog = this.#part(name);
    if (dialog) show(dialog);
  }

  #openSearch(): void {
    const conversationId = this.options.selected();
    void this.#openDialog('im-search', (search) => search.show({ conversationId }));
  }

  /** The pointer or the keyboard is on the buttons that open dialogs: their modules load. */
  #prefetchDialogs = (): void => {
    for (const name of ['im-user-picker', 'im-group-create', 'im-search'] as const) {
      whenDefined(name).catch(() => undefined); // tried again when the dialog opens
    }
  };

  /** Most people open a conversation next: its pane loads once the list has had its turn. */
  #prefetchPane(): void {
    if (this.#panePrefetched) return;
    this.#panePrefetched = true;
    const prefetch = () => void whenDefined('im-message-pane').catch(() => undefined);
    if (typeof requestIdleCallback === 'function') requestIdleCallback(prefetch, { timeout: 2_000 });
    else setTimeout(prefetch, 500);
  }

  /** The open conversation's pane, once its module has loaded and it has rendered. */
  async #renderedPane(): Promise<HTMLElementTagNameMap['im-message-pane'] | null> {
    await whenDefined('im-message-pane');
    this.host.requestUpdate();
    await this.host.updateComplete;
    return this.#part('im-message-pane');
  }

  #part<Name extends keyof HTMLElementTagNameMap>(name: Name): HTMLElementTagNameMap[Name] | null {
    return this.host.renderRoot.querySelector(tag(name));
  }

  /** Ctrl+K (⌘K) opens message search while the focus is inside the widget; never page-wide. */
  #onShortcut = (event: KeyboardEvent): void => {
    this.#lastPointer = ''; // keys in use: a keyboard, even on a touch device
    if (event.key.toLowerCase() !== 'k' || !(event.ctrlKey || event.metaKey) || event.altKey) return;
    if (!this.options.session().cache) return;
    event.preventDefault();
    this.#openSearch();
  };

  #onPointerDown = (event: PointerEvent): void => {
    this.#lastPointer = event.pointerType;
  };

  #onOpenMessage = async (event: CustomEvent<OpenMessageDetail>): Promise<void> => {
    this.options.select(event.detail.conversationId);
    await (await this.#renderedPane())?.revealSeq(event.detail.seq);
  };

  /** A contact card in the open conversation started the chat with its person: show it. */
  #onOpenChat = (event: CustomEvent<SelectConversationDetail>): void => {
    event.stopPropagation();
    this.#onSelect(event);
  };

  #onSelect = (event: CustomEvent<SelectConversationDetail>): void => {
    this.options.select(event.detail.conversationId);
    // A tap that opens a chat is for reading: focusing the composer would pop up the
    // on-screen keyboard over the messages. Mouse and keyboard users get the composer.
    if (this.#lastPointer === 'touch') return;
    void this.#renderedPane().then((pane) => pane?.focusComposer());
  };

  #onBack = (): void => {
    const previous = this.options.selected();
    this.options.select(null);
    void this.host.updateComplete.then(() => {
      this.#part('im-conversation-list')
        ?.renderRoot.querySelector<HTMLElement>(`[data-conversation-id="${CSS.escape(previous ?? '')}"]`)
        ?.focus();
    });
  };

  #openFromNotice(conversationId: string): void {
    this.#notice = null;
    this.options.select(conversationId);
    this.host.requestUpdate();
  }

  #closeNotice = (): void => {
    this.#notice = null;
    this.host.requestUpdate();
  };

  /** The card is done with: a reload of the page must not offer it again. */
  #onJoinClosed = (): void => {
    this.#joinCode = null;
    this.host.requestUpdate();
    const joinParam = this.options.joinParam();
    const url = new URL(location.href);
    if (!url.searchParams.has(joinParam)) return;
    url.searchParams.delete(joinParam);
    history.replaceState(history.state, '', url);
  };
}
