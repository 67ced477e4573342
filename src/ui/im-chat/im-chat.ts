import { provide } from '@lit/context';
import { LitElement, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { ChatClient, ChatError, TokenProvider } from '../../client/index.js';
import type { PrechatField, SupportContext } from '../../protocol/index.js';
import {
  clientContext,
  sessionContext,
  settingsContext,
  translatorContext,
  type SessionSnapshot,
  type WidgetSettings,
} from '../context.js';
import { ClientController, type ClientCredentials } from '../controllers/client-controller.js';
import { LiveQueryController } from '../controllers/live-query-controller.js';
import { KeyboardInsetController } from '../controllers/keyboard-inset.js';
import { NotificationController } from '../notifications/notification-controller.js';
import { Translator, resolveLang } from '../i18n/index.js';
import type { SelectConversationDetail } from '../im-conversation-list/im-conversation-list.js';
import type { ImAgentDesk } from '../im-agent-desk/im-agent-desk.js';
import { SupportSession } from '../support-session/support-session.js';
import { styles } from './im-chat.styles.js';
import { contextConverter, prechatConverter } from './attributes.js';
import { defined, html, imElement, onDemand, tag, whenDefined } from '../registry.js';
import { SetupCheck, setupProblem } from './setup-check.js';
import { MessengerView } from './messenger-view.js';
import { renderSupportView } from './support-view.js';
import { emitFrom, type ImEventMap } from '../base/events.js';

// Each mode's own parts load with the mode; the messenger's first screen is the list.
onDemand('im-agent-desk', () => import('../im-agent-desk/im-agent-desk.js'));

/**
 * The im-chat messenger: conversation list and conversation side by side when there is
 * room (768 px and more), one at a time below that. It works from its local cache at
 * once, and offline: what the user writes is sent when the connection is back.
 *
 * With `mode="support"` it is a support bubble instead: a launcher in a corner of the
 * page that opens the visitor's conversation with the site's support team (anonymous
 * unless the host signs the visitor in). With `mode="agent"` it is the team's inbox.
 *
 * @summary Embeddable instant messenger, support bubble and support inbox.
 *
 * @example
 * <script src="https://chat.example.com/dist/im-chat.iife.js"></script>
 * <im-chat server="https://chat.example.com" token="eyJ…"></im-chat>
 * <im-chat mode="support" server="https://chat.example.com"></im-chat>
 *
 * @event im-ready - The server accepted the session. Detail: `{ user }`.
 * @event im-message - A message from someone else arrived. Detail: `{ message }`.
 * @event im-unread-change - The total of unread messages changed. Detail: `{ unread }`.
 * @event im-error - Something failed that the host may want to know. Detail: `{ code, message }`; `no_server`,
 *   `no_token` or `token_provider_not_function` when it cannot sign in as the page set it up (with a console warning).
 * @event im-open - Support mode: the panel opened.
 * @event im-close - Support mode: the panel closed.
 *
 * @csspart list-pane - The conversation list side.
 * @csspart conversation-pane - The open conversation side.
 * @csspart new-chat-button - The "New chat" button.
 * @csspart new-group-button - The "New group" button.
 * @csspart search-button - The "Search messages" button (or Ctrl+K / ⌘K inside the widget).
 * @csspart notifications-button - The bell that turns browser notifications on and off.
 * @csspart notice - A notice about a join request's outcome.
 * @csspart launcher - Support mode: the round button that opens the panel.
 * @csspart panel - Support mode: the floating panel.
 *
 * @cssprop --im-height - Height of the widget (default 600px).
 * @cssprop --im-color-accent - Accent colour (own bubbles, buttons).
 * @cssprop --im-color-bg - Background.
 * @cssprop --im-color-text - Text colour.
 * @cssprop --im-radius - Corner radius of bubbles and the frame.
 * @cssprop --im-font - Font family.
 * @cssprop --im-launcher-offset-x - Support mode: distance of the launcher from the side (default 20px).
 * @cssprop --im-launcher-offset-y - Support mode: distance of the launcher from the bottom (default 20px).
 * @cssprop --im-z-index - Support mode: stacking order of the launcher and panel (default 2147483000).
 */
@imElement('im-chat')
export class ImChat extends LitElement {
  static override styles = styles;

  /** Base URL of the im-chat server. */
  @property() server = '';

  /** A token signed by the host's backend (JWT). */
  @property() token = '';

  /** Called for a token, and again before it expires. Use instead of, or with, `token`. */
  @property({ attribute: false }) tokenProvider: TokenProvider | undefined;

  /** Id of a conversation to open. */
  @property() conversation = '';

  /** An invite code to offer joining (as the invite link's parameter does). */
  @property() join = '';

  /** The query parameter that carries invite codes in links to this page. */
  @property({ attribute: 'join-param' }) joinParam = 'im-join';

  /**
   * The page that invite links open, when not this one: the code is added to it as the
   * `join-param` query parameter. By default it is this page's address without its query
   * and fragment, so that a link never carries who shared it (a `?user=…` of the page).
   */
  @property({ attribute: 'invite-url' }) inviteUrl = '';

  /** `light`, `dark`, or `auto` (follows the system; the default). */
  @property({ reflect: true }) theme: 'light' | 'dark' | 'auto' | undefined;

  /** Leaves the page title alone (by default it starts with the unread count: "(3) Title"). */
  @property({ type: Boolean, attribute: 'no-title-count' }) noTitleCount = false;

  /**
   * Megabytes of images kept on this device so that they show offline (least recently
   * shown go first); 0 keeps none. Read when the client starts. Default 50.
   */
  @property({ type: Number, attribute: 'media-cache-mb' }) mediaCacheMb = 50;

  /** Plays a short chime with each notification. */
  @property({ type: Boolean }) sound = false;

  /** Path of the push service worker the host serves (e.g. `/im-chat-sw.js`): enables Web Push. */
  @property({ attribute: 'push-sw' }) pushSw = '';

  /** `messenger` (the default), `support` (a support bubble for visitors) or `agent` (the support inbox). */
  @property({ reflect: true }) mode: 'messenger' | 'support' | 'agent' = 'messenger';

  /** Support mode: no launcher; the page opens the panel from its own button (`open()`, `toggle()`). */
  @property({ type: Boolean, attribute: 'no-launcher' }) noLauncher = false;

  /** Support mode: the corner of the launcher, `right` (default) or `left`. */
  @property({ reflect: true }) position: 'right' | 'left' = 'right';

  /**
   * Support mode: what the page is about, shown to the agents (a flat JSON object of
   * short strings, numbers, booleans: a product's id, name, price…).
   */
  @property({ converter: contextConverter }) context: SupportContext | null = null;

  /** Support mode: ask for the visitor's name before the chat (`off`, `optional`, `required`; default: as the server says). */
  @property({ attribute: 'prechat-name', converter: prechatConverter }) prechatName: PrechatField | null = null;

  /** Support mode: ask for an e-mail address before the chat (as `prechat-name`). */
  @property({ attribute: 'prechat-email', converter: prechatConverter }) prechatEmail: PrechatField | null = null;

  @provide({ context: clientContext })
  @state()
  protected client: ChatClient | undefined;

  @provide({ context: sessionContext })
  @state()
  protected session: SessionSnapshot = { status: 'stopped', cache: null, user: null, refusal: null, aliases: [] };

  @provide({ context: translatorContext })
  @state()
  protected translator = new Translator('en');

  @provide({ context: settingsContext })
  @state()
  protected settings: WidgetSettings = { joinParam: 'im-join', inviteUrl: '' };

  /** The open conversation (messenger and agent modes). */
  @state() private selected: string | null = null;

  @query(tag('im-agent-desk')) private desk!: ImAgentDesk | null;

  #lastUnread: number | null = null;

  #clients: ClientController = new ClientController(this, {
    credentials: (): ClientCredentials | null =>
      this.mode === 'support' ? this.#support.credentials() : this.#hostCredentials(),
    onSession: (user) => {
      this.#emit('im-ready', { user });
      if (this.mode === 'support') void this.#support.sessionStarted(user);
    },
    onMessage: (message) => {
      this.#emit('im-message', { message });
      void this.#messenger.announce(message);
    },
    onJoinDecided: (decision) => this.#messenger.joinDecided(decision),
    onError: (error) => this.#onError(error),
    mediaCacheBytes: () => (this.mediaCacheMb >= 0 ? this.mediaCacheMb * 1024 * 1024 : undefined),
  });

  #support: SupportSession = new SupportSession(this, {
    server: () => this.server,
    hostSignIn: () =>
      this.token || this.#provider
        ? { ...(this.token ? { token: this.token } : {}), ...(this.#provider ? { tokenProvider: this.#provider } : {}) }
        : null,
    clients: this.#clients,
    context: () => this.context,
    prechat: () => ({ name: this.prechatName, email: this.prechatEmail }),
    onOpenChange: (open) => {
      this.toggleAttribute('open', open);
      this.#emit(open ? 'im-open' : 'im-close', {});
    },
    onError: (error) => this.#onError(error),
  });

  #messenger: MessengerView = new MessengerView(this, {
    selected: () => this.selected,
    select: (conversationId) => (this.selected = conversationId),
    session: () => this.session,
    translator: () => this.translator,
    joinParam: () => this.joinParam,
    notificationToggle: (t) => this.#notifications.renderToggle(t),
  });

  /** The messenger's composer stays above the on-screen keyboard (the support panel has its own). */
  #keyboard = new KeyboardInsetController(this, () =>
    this.mode === 'support' ? null : this.renderRoot.querySelector<HTMLElement>('.root'),
  );

  #setup = new SetupCheck(this, {
    problem: () =>
      setupProblem({
        server: this.server,
        token: this.token,
        tokenProvider: this.tokenProvider,
        mode: this.mode,
        tokenProviderAttribute: this.getAttribute('token-provider'),
      }),
    onProblem: (code, message) => this.#emit('im-error', { code, message }),
  });

  #notifications = new NotificationController(this, {
    client: () => this.client,
    session: () => this.session,
    translator: () => this.translator,
    openConversationId: () => this.#shownConversationId(),
    open: (conversationId) => this.openConversation(conversationId),
    titleCount: () => !this.noTitleCount,
    sound: () => this.sound,
    pushWorker: () => this.pushSw,
    onError: (code, message) => this.#emit('im-error', { code, message }),
  });

  #unread = new LiveQueryController<number>(this, {
    query: () => {
      const cache = this.session.cache;
      return cache ? () => cache.totalUnread() : null;
    },
    deps: () => [this.session.cache],
  });

  /** The headless client behind this element, for integrations beyond the UI. */
  get chatClient(): ChatClient | undefined {
    return this.client;
  }

  /** Opens a conversation by id (support mode: opens the panel). */
  openConversation(conversationId: string): void {
    this.selected = conversationId;
    if (this.mode === 'support') void this.#support.setOpen(true);
  }

  /** Support mode: opens the panel (and, the first time, makes the visitor's identity). */
  open(): void {
    void this.#support.setOpen(true);
  }

  /** Support mode: closes the panel. */
  close(): void {
    void this.#support.setOpen(false);
  }

  /** Support mode: opens the panel when closed, closes it when open. */
  toggle(): void {
    void this.#support.setOpen(!this.#support.isOpen);
  }

  /**
   * Signs the visitor in as one of the host's users (a token the host's backend signed):
   * what they wrote as a visitor becomes that user's.
   */
  setUser(token: string): void {
    this.token = token;
  }

  /** Support mode: what the page is about now, for the agents (see `context`). */
  setContext(context: SupportContext | null): void {
    this.context = context;
  }

  /**
   * Signs out: the session ends and this browser forgets the user's cache, unsent
   * messages and visitor identity. The next opening starts as a new visitor.
   */
  async logout(): Promise<void> {
    this.token = '';
    this.tokenProvider = undefined;
    this.#support.forgetVisitor();
    await this.#support.setOpen(false);
    await this.#clients.signOut();
  }

  /** Offers to join the group of an invite code: shows its card with Join and Not now. */
  joinGroup(code: string): void {
    this.#messenger.joinGroup(code);
  }

  // `lang` (en, zh-CN; by default the page's language, then the browser's) stays the
  // native attribute and property; it is only observed.
  // `open` (support mode) reflects the panel's state, and setting it opens or closes it:
  // an attribute without a property, since `open()` is the method.
  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'lang', 'open'];
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if (name === 'lang') this.requestUpdate('lang', old);
    if (name === 'open' && (value !== null) !== this.#support.isOpen) void this.#support.setOpen(value !== null);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.toggleAttribute('open', this.mode === 'support' && this.#support.isOpen);
    const fromLink = new URLSearchParams(location.search).get(this.joinParam);
    if (fromLink) this.joinGroup(fromLink);
  }

  // An update waits for the strings of a language that has not loaded yet, so that the
  // widget never shows another language's words in between.
  protected override scheduleUpdate(): void | Promise<unknown> {
    const lang = resolveLang(this.lang || document.documentElement.lang || null);
    if (lang === this.translator.lang) return super.scheduleUpdate();
    const translator = Translator.loaded(lang);
    if (translator) {
      this.translator = translator;
      return super.scheduleUpdate();
    }
    return Translator.load(lang).then(
      (loaded) => {
        this.translator = loaded;
        super.scheduleUpdate();
      },
      (error: unknown) => {
        console.error(`im-chat: the ${lang} strings did not load`, error);
        super.scheduleUpdate();
      },
    );
  }

  // `updateComplete` includes the mode's own part (the support bubble, the agent desk),
  // which loads on demand: once it resolves, the part is on the page.
  protected override async getUpdateComplete(): Promise<boolean> {
    const part = this.mode === 'support' ? 'im-support-widget' : this.mode === 'agent' ? 'im-agent-desk' : null;
    if (!part) return super.getUpdateComplete();
    await super.getUpdateComplete();
    await whenDefined(part);
    return super.getUpdateComplete();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('conversation') && this.conversation) this.selected = this.conversation;
    if (changed.has('join') && this.join) this.joinGroup(this.join);
    if (changed.has('joinParam') || changed.has('inviteUrl')) {
      this.settings = { joinParam: this.joinParam, inviteUrl: this.inviteUrl };
    }
    if (changed.has('server') || changed.has('token') || changed.has('tokenProvider') || changed.has('mode')) {
      this.#clients.configure();
    }
    if (changed.has('context') && this.hasUpdated) this.#support.pageChanged();
    this.client = this.#clients.client;
    this.session = this.#clients.session;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('mode')) this.#keyboard.refresh(); // a keyboard may be open already
    const unread = this.#unread.value;
    if (unread !== undefined && unread !== this.#lastUnread) {
      this.#lastUnread = unread;
      this.#emit('im-unread-change', { unread });
    }
  }

  protected override render() {
    if (this.mode === 'support') {
      if (!defined('im-support-widget', this)) return nothing;
      return renderSupportView(this.#support, {
        position: this.position,
        noLauncher: this.noLauncher,
        unread: this.#unread.value ?? 0,
        signedIn: !!(this.token || this.#provider),
        notificationToggle: this.#notifications.renderToggle(this.translator),
        toggle: () => this.toggle(),
        close: () => this.close(),
      });
    }
    if (this.mode === 'agent') {
      if (!defined('im-agent-desk', this)) return nothing;
      return html`<im-agent-desk
        .selected=${this.selected}
        @im-select=${(event: CustomEvent<SelectConversationDetail | null>) =>
          (this.selected = event.detail?.conversationId ?? null)}
      ></im-agent-desk>`;
    }
    return this.#messenger.render();
  }

  /** The token provider, if the page gave a function (anything else is reported, not called). */
  get #provider(): TokenProvider | undefined {
    return typeof this.tokenProvider === 'function' ? this.tokenProvider : undefined;
  }

  #hostCredentials(): ClientCredentials | null {
    const { server, token } = this;
    const tokenProvider = this.#provider;
    return server ? { server, ...(token ? { token } : {}), ...(tokenProvider ? { tokenProvider } : {}) } : null;
  }

  /** The conversation the user is looking at, if any (notifications keep quiet about it). */
  #shownConversationId(): string | null {
    if (this.mode === 'support') return this.#support.isOpen ? this.#support.conversationId : null;
    if (this.mode === 'agent') return this.desk?.selected ?? null;
    return this.selected;
  }

  #onError(error: ChatError): void {
    this.#setup.refused(error);
    this.#emit('im-error', { code: error.code, message: error.message });
  }

  #emit<K extends keyof ImEventMap>(name: K, detail: ImEventMap[K]): void {
    emitFrom(this, name, detail);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-chat': ImChat;
  }
}
