import { provide } from '@lit/context';
import { conversationListParts, exportParts, messagePaneParts } from '../parts.js';
import { PageSchemeController } from './page-scheme.js';
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
import { Translator, resolveLang, type Lang, type PartialCatalogue, type TextDirection } from '../i18n/index.js';
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
 * Styling: the parts and CSS custom properties below; the colours' defaults are the light
 * theme's, and `theme="dark"` (or a dark system with `auto`) has its own.
 *
 * @summary Embeddable instant messenger, support bubble and support inbox.
 *
 * @example
 * <script src="https://chat.example.com/dist/im-chat.iife.js"></script>
 * <im-chat server="https://chat.example.com" token="eyJ…"></im-chat>
 * <im-chat mode="support" server="https://chat.example.com"></im-chat>
 *
 * @attr {string} lang - The language of the widget: `en`, `zh-CN`, `zh-TW`, `es`, `fr`, `de`, `pt-BR`, `ja`, `ko`, `ru`, `ar`, `he`, or one added with `registerLocale`. By default the page's `<html lang>`, then the browser's.
 * @attr {string} dir - `ltr` or `rtl` to fix the widget's direction. Unset, the widget sets it from its language (right to left for Arabic and Hebrew).
 * @attr {boolean} open - Support mode: present while the panel is open; setting or removing it opens or closes the panel.
 *   (React and Vue set a property of that name, which is the `open()` method: call `open()` and `close()` there.)
 *
 * @fires {CustomEvent<ImReadyDetail>} im-ready - The server accepted the session. Detail: `{ user }`.
 * @fires {CustomEvent<ImMessageDetail>} im-message - A message from someone else arrived. Detail: `{ message }`.
 * @fires {CustomEvent<ImUnreadChangeDetail>} im-unread-change - The total of unread messages changed. Detail: `{ unread }`.
 * @fires {CustomEvent<ImErrorDetail>} im-error - Something failed that the host may want to know. Detail: `{ code, message }`;
 *   `no_server`, `no_token` or `token_provider_not_function` when it cannot sign in as the page set it up (with a console warning).
 * @fires {CustomEvent<Record<string, never>>} im-open - Support mode: the panel opened.
 * @fires {CustomEvent<Record<string, never>>} im-close - Support mode: the panel closed.
 *
 * @csspart list-pane - The conversation list side.
 * @csspart conversation-pane - The open conversation side.
 * @csspart new-chat-button - The "New chat" button.
 * @csspart new-group-button - The "New group" button.
 * @csspart search-button - The "Search messages" button (or Ctrl+K / ⌘K inside the widget).
 * @csspart notifications-button - The bell that turns browser notifications on and off.
 * @csspart notice - A notice about a join request's outcome.
 * @csspart launcher - Support mode: the round button that opens the panel.
 * @csspart badge - Support mode: the count of unread answers on the launcher.
 * @csspart panel - Support mode: the floating panel.
 * @csspart greeting - Support mode: the team's greeting at the top of the panel.
 * @csspart inbox - Agent mode: the list of support cases.
 * @csspart case-pane - Agent mode: the customer's details beside an open case.
 * @csspart conversation - One conversation in the list (also `conversation-row`).
 * @csspart conversation-row - One conversation in the list.
 * @csspart contact-card - A contact someone shared, with its Message button.
 * @csspart history-card - A merged chat history in the list: its title, first lines and count.
 * @csspart history-view - The read-only view of a chat history's messages.
 * @csspart history-item - One message in that view.
 * @csspart select-checkbox - A message's checkbox while messages are being selected.
 * @csspart selection-bar - The bar in the composer's place while selecting: the count and the actions.
 * @csspart selection-action - Each of that bar's buttons (Forward, Copy, Delete for me, Cancel).
 * @csspart avatar - An avatar: in the list, the conversation's header and beside group messages.
 * @csspart filter - One of the list's filter tabs.
 * @csspart mentioned - The "@ you" mark on a conversation that mentions the user.
 * @csspart assignee - Agent mode: the agent a case is assigned to, in the list.
 * @csspart header - The open conversation's header.
 * @csspart presence - The header's subtitle: online, last seen, members.
 * @csspart typing - "… is typing" in the header.
 * @csspart announcement - A group's announcement under the header.
 * @csspart announcement-toggle - Opens and folds the announcement.
 * @csspart announcement-confirm - The announcement's "Got it" button, until the user confirmed it.
 * @csspart blocked-note - Instead of the composer of a single chat with someone the user blocked: who, and "Unblock".
 * @csspart message-list - The scrolling list of messages.
 * @csspart bubble - Every message bubble.
 * @csspart own-bubble - The user's own message bubbles (besides `bubble`).
 * @csspart highlight - The bubble just revealed by a search or a jump to a quoted message.
 * @csspart day - A day line between messages.
 * @csspart event - A system event line (joined, left, renamed…).
 * @csspart failure - "Not sent" with Retry under a message that could not be sent.
 * @csspart quote - The quoted message inside a reply.
 * @csspart link - A link inside a message.
 * @csspart code - Inline code inside a message (`` `code` ``).
 * @csspart code-block - A fenced code block inside a message; it scrolls sideways and is highlighted once the highlighter has loaded.
 * @csspart text-quote - Quoted lines (`> `) inside a message.
 * @csspart text-list - A list (`- ` or `1. ` lines) inside a message.
 * @csspart bot-badge - The badge beside a bot's name.
 * @csspart message-menu-button - A message's actions button.
 * @csspart reactions - The row of reactions under a message.
 * @csspart reaction-chip - One reaction under a message: its emoji and count.
 * @csspart own-reaction-chip - A reaction the user put (also \`reaction-chip\`).
 * @csspart reaction-button - A message's "Add reaction" button (shown on hover).
 * @csspart unread-divider - The "New messages" line above the first unread message.
 * @csspart unread-button - "Jump to first unread".
 * @csspart new-messages-button - The pill that scrolls down to new messages.
 * @csspart thumbnail - The button around an image message's picture.
 * @csspart image - An image message's picture.
 * @csspart lightbox - The dialog with an image at full size.
 * @csspart full-image - The image at full size.
 * @csspart close-button - Closes the full-size image.
 * @csspart placeholder - An image or video not available offline: its box, with its size.
 * @csspart video-box - The box of a video message.
 * @csspart video - A video message's player.
 * @csspart video-duration - A video's length, shown until it plays.
 * @csspart file - A file message's card.
 * @csspart file-icon - The icon on a file's card.
 * @csspart file-name - The file's name on its card.
 * @csspart file-size - The file's size on its card.
 * @csspart download - The download link on a file's card.
 * @csspart voice - A voice message's player.
 * @csspart voice-play - A voice message's play and pause button.
 * @csspart voice-waveform - A voice message's waveform, the slider to seek with.
 * @csspart voice-time - A voice message's length, or its position while it plays.
 * @csspart voice-speed - A voice message's playback speed button.
 * @csspart voice-unplayed - The dot on someone else's voice message the user has not played yet.
 * @csspart voice-played - On the user's own voice message: whether the other person played it, or "played by N" in a group (a button that lists them).
 * @csspart voice-players - Who played the user's own voice message in a group, when listed.
 * @csspart composer - The composer at the foot of a conversation.
 * @csspart input - The composer's text field.
 * @csspart send-button - The Send button.
 * @csspart record-button - The Send button (also `send-button`) while nothing is written: it records a voice message.
 * @csspart recorder - The voice message being recorded: its time, its loudness, how to cancel.
 * @csspart emoji-button - The composer's emoji button.
 * @csspart format-button - The composer's button that shows the formatting toolbar.
 * @csspart format-toolbar - The composer's formatting buttons (bold, italic, strike, code, code block, quote, list).
 * @csspart attach-button - The composer's attach button.
 * @csspart share-contact-button - The composer's button to share someone's contact.
 * @csspart more-button - Where the composer is narrow (a phone), its button for what does not fit beside the field: sharing a contact, formatting.
 * @csspart more-menu - The menu the composer's More button opens.
 * @csspart compose-context - The line above the field while replying to or editing a message.
 * @csspart mentions - The list of people offered after typing @.
 * @csspart uploads - The files being uploaded, above the field.
 * @csspart upload - One file being uploaded.
 * @csspart upload-progress - An upload's progress bar.
 * @csspart drop-hint - The hint shown while a file is dragged over the conversation.
 *
 * @slot empty-list - Shown in the conversation list while the user has no conversation, instead of "No conversations yet".
 * @slot empty-conversation - Shown in the conversation pane while none is open (wide layout), instead of "Select a conversation".
 * @slot header-end - Content at the end of the open conversation's header, such as a link to help.
 * @slot launcher - Support mode: a launcher drawn above the widget's own. The support loader puts its stand-in here until the widget is ready, so that a press on it is never lost.
 *
 * @cssprop [--im-height=600px] - Height of the widget.
 * @cssprop [--im-font=system-ui] - Font family.
 * @cssprop [--im-font-size=14px] - Base font size.
 * @cssprop [--im-radius=12px] - Corner radius of bubbles, panels and the frame.
 * @cssprop [--im-radius-small=4px] - Corner radius of small controls, such as an invite link's buttons.
 * @cssprop [--im-color-accent=#2563eb] - Accent colour: own bubbles, buttons, links.
 * @cssprop [--im-color-on-accent=black or white] - Text and icons on the accent colour: black or white, whichever contrasts more with the accent (white where the browser cannot compute it).
 * @cssprop [--im-color-accent-text=the accent, darkened or lightened] - The accent as text and marks on the background and surfaces (links, text buttons, a selected tab, a ticked box): the accent's hue at a lightness that keeps 4.5:1 on every surface of the light or dark theme.
 * @cssprop [--im-color-bg=#ffffff] - Background.
 * @cssprop [--im-color-surface=#f3f4f6] - Background of raised areas: inputs, cards, menus.
 * @cssprop [--im-color-surface-hover=#e8eaee] - A surface under the pointer.
 * @cssprop [--im-color-selected=#dbe7fe] - Background of the selected conversation and of notices.
 * @cssprop [--im-color-text=#1f2328] - Text colour.
 * @cssprop [--im-color-muted=#57606a] - Secondary text: times, previews, hints.
 * @cssprop [--im-color-border=#d5d9de] - Lines between areas and around inputs.
 * @cssprop [--im-color-bubble=#eceef1] - Background of other people's message bubbles.
 * @cssprop [--im-color-bubble-text=var(--im-color-text)] - Text in other people's bubbles.
 * @cssprop [--im-color-bubble-own=var(--im-color-accent)] - Background of the user's own bubbles.
 * @cssprop [--im-color-bubble-own-text=var(--im-color-on-accent)] - Text in the user's own bubbles.
 * @cssprop [--im-color-danger=#b42318] - Errors and destructive actions (recall, leave, delete).
 * @cssprop [--im-color-badge=#d92d20] - Background of unread-count badges.
 * @cssprop [--im-color-on-badge=#ffffff] - Text of unread-count badges.
 * @cssprop [--im-color-focus=#2563eb] - Keyboard focus ring.
 * @cssprop [--im-color-online=#16a34a] - The online dot on avatars.
 * @cssprop [--im-color-code-bg=#f6f8fa] - Background of code blocks in messages (dark theme: #0d1117).
 * @cssprop [--im-color-code-text=#1f2328] - Text of code blocks.
 * @cssprop [--im-color-code-keyword=#cf222e] - Highlighted code: keywords and built-ins.
 * @cssprop [--im-color-code-string=#0a3069] - Highlighted code: strings and regular expressions.
 * @cssprop [--im-color-code-comment=#59636e] - Highlighted code: comments.
 * @cssprop [--im-color-code-number=#0550ae] - Highlighted code: numbers, booleans, constants and variables.
 * @cssprop [--im-color-code-title=#6639ba] - Highlighted code: names of functions, classes, properties and tags.
 * @cssprop [--im-color-code-meta=#953800] - Highlighted code: at-rules, annotations, decorators and macros.
 * @cssprop [--im-color-read=currentColor] - The mark of a message the peer has read (a ticked disc; in the bubble's text colour by default).
 * @cssprop [--im-avatar-size=40px] - Size of the avatars in the conversation list; other places size their own.
 * @cssprop [--im-attachment-radius=calc(var(--im-radius) - 4px)] - Corner radius of image thumbnails and file cards.
 * @cssprop [--im-attachment-placeholder=var(--im-color-surface)] - Background of an image thumbnail until it loads.
 * @cssprop [--im-attachment-card-width=280px] - Widest a file card gets.
 * @cssprop [--im-attachment-backdrop=rgb(0 0 0 / 0.8)] - Behind an image opened full size.
 * @cssprop [--im-voice-bar=currentColor at 40%] - A voice message's waveform bars still to play.
 * @cssprop [--im-voice-bar-played=currentColor] - A voice message's waveform bars played.
 * @cssprop [--im-voice-unplayed=--im-color-accent-text] - The dot of a voice message the user has not played yet.
 * @cssprop [--im-voice-heard=currentColor] - The microphone on the user's own voice message once it was played.
 * @cssprop [--im-qr-size=192px] - Width and height of an invite link's QR code.
 * @cssprop [--im-history-view-width=560px] - Greatest width of a chat history's view.
 * @cssprop [--im-selection-bar-height=56px] - Least height of the selection bar (the composer's).
 * @cssprop [--im-launcher-size=56px] - Support mode: diameter of the launcher.
 * @cssprop [--im-launcher-offset-x=20px] - Support mode: distance of the launcher from the side.
 * @cssprop [--im-launcher-offset-y=20px] - Support mode: distance of the launcher from the bottom.
 * @cssprop [--im-panel-width=380px] - Support mode: width of the panel, within the window.
 * @cssprop [--im-panel-height=600px] - Support mode: height of the panel, within the window.
 * @cssprop [--im-z-index=2147483000] - Support mode: stacking order of the launcher and panel.
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

  /**
   * The level of the widget's top headings (1–6; 2 by default), so that they fit the host
   * page's outline under its own `<h1>`. Headings inside the widget go one level deeper.
   */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 2;

  /**
   * `light`, `dark`, or `auto` (the default): the system's setting, and in support mode
   * the host page's `color-scheme` (a bubble matches the shop's page).
   */
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

  /**
   * Strings that replace the widget's own, per language: ICU messages under the keys of the
   * English catalogue. Invalid ones are reported in the console and the built-in text stays.
   *
   * @example
   * ```ts
   * chat.strings = { en: { send: 'Post' }, fr: { send: 'Publier' } };
   * ```
   */
  @property({ attribute: false }) strings: Record<Lang, PartialCatalogue> | undefined;

  /** @internal What the inner parts share, through context. */
  @provide({ context: clientContext })
  @state()
  protected client: ChatClient | undefined;

  /** @internal What the inner parts share, through context. */
  @provide({ context: sessionContext })
  @state()
  protected session: SessionSnapshot = { status: 'stopped', cache: null, user: null, refusal: null, aliases: [] };

  /** @internal What the inner parts share, through context. */
  @provide({ context: translatorContext })
  @state()
  protected translator = new Translator('en');

  /** @internal What the inner parts share, through context. */
  @provide({ context: settingsContext })
  @state()
  protected settings: WidgetSettings = { joinParam: 'im-join', inviteUrl: '', headingLevel: 2 };

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
    active: () => this.mode === 'support',
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

  /** Support mode with the theme left to `auto`: dark when the host page is (its `color-scheme`). */
  #pageScheme = new PageSchemeController(
    this,
    this.attachInternals().states,
    () => this.mode === 'support' && (this.theme ?? 'auto') === 'auto',
  );

  #messenger: MessengerView = new MessengerView(this, {
    selected: () => this.selected,
    select: (conversationId) => (this.selected = conversationId),
    session: () => this.session,
    translator: () => this.translator,
    joinParam: () => this.joinParam,
    headingLevel: () => this.settings.headingLevel,
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

  /**
   * Opens a conversation by id (support mode: opens the panel).
   * @param conversationId - The conversation's id, as the server gives it.
   */
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

  /**
   * Support mode: focuses the launcher (with none, the element itself, as any other mode).
   * @param options - As `HTMLElement.focus()`'s, e.g. `{ preventScroll: true }`.
   */
  override focus(options?: FocusOptions): void {
    const widget = this.mode === 'support' ? this.renderRoot.querySelector('im-support-widget') : null;
    if (widget) widget.focus(options);
    else super.focus(options);
  }

  /** Support mode: opens the panel when closed, closes it when open. */
  toggle(): void {
    void this.#support.setOpen(!this.#support.isOpen);
  }

  /**
   * Signs the visitor in as one of the host's users (a token the host's backend signed):
   * what they wrote as a visitor becomes that user's.
   * @param token - A JWT for the user, signed by the host's backend.
   */
  setUser(token: string): void {
    this.token = token;
  }

  /**
   * Support mode: what the page is about now, for the agents.
   * @param context - A flat object of short strings, numbers, booleans (as the `context` attribute), or null.
   */
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

  /**
   * Offers to join the group of an invite code: shows its card with Join and Not now.
   * @param code - The invite code, as in an invite link's `join-param` parameter.
   */
  joinGroup(code: string): void {
    this.#messenger.joinGroup(code);
  }

  // `lang` (by default the page's language, then the browser's) and `dir` (by default the
  // language's direction) stay native attributes and properties; they are only observed.
  // `open` (support mode) reflects the panel's state, and setting it opens or closes it:
  // an attribute without a property, since `open()` is the method.
  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'lang', 'dir', 'open'];
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if (name === 'lang') this.requestUpdate('lang', old);
    if (name === 'dir' && value !== this.#dirOfLang) this.requestUpdate('dir', old);
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
    const options = { strings: this.strings?.[lang], dir: this.#integratorDir() };
    const current = this.translator;
    if (lang === current.lang && options.strings === current.strings && (options.dir ?? current.langDir) === current.dir) {
      return super.scheduleUpdate();
    }
    const translator = Translator.loaded(lang, options);
    if (translator) {
      this.translator = translator;
      return super.scheduleUpdate();
    }
    return Translator.load(lang, options).then(
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

  /** The `dir` the widget wrote last: the direction of its language, unless the page set one. */
  #dirOfLang: string | null = null;

  /** `dir="ltr"` or `dir="rtl"` set on the element by the page, which the widget keeps. */
  #integratorDir(): TextDirection | undefined {
    const dir = this.getAttribute('dir');
    if (dir === null || dir === this.#dirOfLang) return undefined;
    return dir === 'rtl' || dir === 'ltr' ? dir : undefined;
  }

  protected override update(changed: PropertyValues<this>): void {
    // The widget is laid out in its language's direction (mirrored for Arabic and Hebrew).
    const own = this.getAttribute('dir');
    if (own === null || own === this.#dirOfLang) {
      this.#dirOfLang = this.translator.dir;
      if (own !== this.#dirOfLang) this.setAttribute('dir', this.#dirOfLang);
    }
    super.update(changed);
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
    if (changed.has('joinParam') || changed.has('inviteUrl') || changed.has('headingLevel')) {
      const level = Math.round(this.headingLevel);
      const headingLevel = Number.isFinite(level) ? Math.min(6, Math.max(1, level)) : 2;
      this.settings = { joinParam: this.joinParam, inviteUrl: this.inviteUrl, headingLevel };
    }
    if (changed.has('server') || changed.has('token') || changed.has('tokenProvider') || changed.has('mode')) {
      this.#clients.configure();
    }
    if (changed.has('context') && this.hasUpdated) this.#support.pageChanged();
    if (changed.has('mode') || changed.has('theme')) this.#pageScheme.update();
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
      const view = defined('im-support-widget', this)
        ? renderSupportView(this.#support, {
            position: this.position,
            noLauncher: this.noLauncher,
            unread: this.#unread.value ?? 0,
            signedIn: !!(this.token || this.#provider),
            notificationToggle: this.#notifications.renderToggle(this.translator),
            toggle: () => this.toggle(),
            close: () => this.close(),
          })
        : nothing;
      // After the widget, so that a launcher put there is drawn above the widget's own.
      return html`${view}<slot name="launcher"></slot>`;
    }
    if (this.mode === 'agent') {
      if (!defined('im-agent-desk', this)) return nothing;
      return html`<im-agent-desk
        exportparts=${exportParts(['inbox', 'conversation-pane', 'case-pane'], conversationListParts, messagePaneParts)}
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
