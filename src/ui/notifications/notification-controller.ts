import { html, nothing, type ReactiveController, type ReactiveElement } from 'lit';
import type { ChatCache, ChatClient } from '../../client/index.js';
import type { Message, MessageBody } from '../../protocol/index.js';
import { isOpenConversationMessage, openParam } from '../../sw/contract.js';
import type { SessionSnapshot } from '../context.js';
import { LiveQueryController } from '../controllers/live-query-controller.js';
import { conversationTitle, namesFrom, previewOf } from '../describe.js';
import type { Translator } from '../i18n/index.js';
import { shellIcons } from '../shell-icons.js';
import { chime } from './chime.js';
import { TabCoordinator } from './tab-coordinator.js';
import { clearTitleCount, setTitleCount } from './title-badge.js';
import { subscribeToPush, unsubscribeFromPush } from './web-push.js';

/** The kinds of message that notify; events and changes (edits, recalls, reactions) never do. */
const notifiedTypes: ReadonlySet<MessageBody['type']> = new Set(['text', 'image', 'file', 'contact', 'history']);

export interface NotificationOptions {
  client: () => ChatClient | undefined;
  session: () => SessionSnapshot;
  translator: () => Translator;
  /** The conversation the widget shows, if any. */
  openConversationId: () => string | null;
  /** Opens a conversation: a notification was clicked, or the page was opened for one. */
  open: (conversationId: string) => void;
  /** Unread count in the page title. */
  titleCount: () => boolean;
  /** A chime with each notification. */
  sound: () => boolean;
  /** Path of the host's push service worker; empty for no Web Push. */
  pushWorker: () => string;
  /** Something the host may want to know failed (turning Web Push on). */
  onError: (code: string, message: string) => void;
}

/**
 * Tells the user about new messages they are not looking at: the unread count in the
 * page title, a chime, and a browser notification (once they allowed it with the bell
 * button) that opens the conversation when clicked. Of the tabs and widgets of one user,
 * only one notifies (see TabCoordinator). Muted conversations, the user's own messages
 * and timeline events (edits, recalls, group changes) never notify.
 */
export class NotificationController implements ReactiveController {
  #client: ChatClient | undefined;
  #stopListening: () => void = () => {};
  #account: string | null = null;
  #tabs: TabCoordinator | null = null;
  /** The account whose push subscription was confirmed to the server on this page. */
  #pushConfirmed: string | null = null;
  /** The user's choice where storage is blocked: it holds for this page only. */
  #wantedHere = false;
  readonly #unread: LiveQueryController<number>;

  constructor(
    private readonly host: ReactiveElement,
    private readonly options: NotificationOptions,
  ) {
    host.addController(this);
    this.#unread = new LiveQueryController(host, {
      query: () => {
        const cache = options.session().cache;
        return cache ? () => unmutedUnread(cache) : null;
      },
      deps: () => [options.session().cache],
    });
  }

  hostConnected(): void {
    document.addEventListener('visibilitychange', this.#refresh);
    addEventListener('storage', this.#refresh);
    navigator.serviceWorker?.addEventListener('message', this.#onWorkerMessage);
    this.#openFromLink();
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.#refresh);
    removeEventListener('storage', this.#refresh);
    navigator.serviceWorker?.removeEventListener('message', this.#onWorkerMessage);
    this.#useClient(undefined);
    this.#useAccount(null);
  }

  hostUpdated(): void {
    const client = this.options.client();
    const session = this.options.session();
    this.#useClient(client);
    this.#useAccount(client && session.cache ? `${client.serverOrigin} ${session.cache.userId}` : null);
    this.#tabs?.show({
      visible: document.visibilityState === 'visible',
      conversationId: this.options.openConversationId(),
    });
    const unread = this.#unread.value;
    if (this.#account && this.options.titleCount() && unread !== undefined) {
      setTitleCount(this, this.#account, unread);
    } else {
      clearTitleCount(this);
    }
    // The browser may have been subscribed for someone else: this user takes it over.
    const online = client && session.status === 'online';
    if (online && this.#state() === 'on' && this.#pushConfirmed !== this.#account) {
      this.#pushConfirmed = this.#account;
      this.#updatePush(client, true);
    }
  }

  /** The bell button: turns browser notifications (and Web Push) on and off. */
  renderToggle(t: Translator) {
    const state = this.#state();
    if (state === null) return nothing;
    const label = t.t(
      state === 'blocked' ? 'notify.blocked' : state === 'on' ? 'notify.disable' : 'notify.enable',
    );
    return html`<button
      part="notifications-button"
      type="button"
      class="icon-button"
      aria-label=${label}
      title=${label}
      aria-disabled=${state === 'blocked' || !this.#account ? 'true' : 'false'}
      @click=${() => void this.toggle()}
    >
      ${state === 'on' ? shellIcons.bell : shellIcons.bellOff}
    </button>`;
  }

  /** On: asks for the browser's permission first, if need be. */
  async toggle(): Promise<void> {
    const state = this.#state();
    const client = this.#client;
    if (state === null || state === 'blocked' || !client || !this.#account) return;
    const turningOn = state === 'off';
    if (turningOn && (await Notification.requestPermission()) !== 'granted') {
      this.host.requestUpdate();
      return;
    }
    this.#setWanted(turningOn);
    this.#pushConfirmed = turningOn ? this.#account : null;
    this.#updatePush(client, turningOn);
    this.host.requestUpdate();
  }

  /** null where the browser has no notifications. */
  #state(): 'on' | 'off' | 'blocked' | null {
    const api = globalThis.Notification;
    if (!api) return null;
    if (api.permission === 'denied') return 'blocked';
    return api.permission === 'granted' && this.#wanted() ? 'on' : 'off';
  }

  #useClient(client: ChatClient | undefined): void {
    if (client === this.#client) return;
    this.#stopListening();
    this.#client = client;
    // The cache closes when the widget goes away: a notification in flight is dropped then.
    this.#stopListening = client?.on('message', (message) => this.#onMessage(message).catch(() => {})) ?? (() => {});
  }

  #useAccount(account: string | null): void {
    if (account === this.#account) return;
    this.#tabs?.close();
    this.#account = account;
    this.#tabs = account ? new TabCoordinator(account) : null;
    if (!account) clearTitleCount(this);
  }

  async #onMessage(message: Message): Promise<void> {
    const cache = this.options.session().cache;
    const tabs = this.#tabs;
    if (!cache || !tabs || message.senderId === cache.userId) return;
    const { body, conversationId } = message;
    if (!notifiedTypes.has(body.type)) return;
    const seenHere =
      document.visibilityState === 'visible' && this.options.openConversationId() === conversationId;
    if (seenHere || tabs.seenElsewhere(conversationId) || !tabs.isLeader) return;
    const conversation = await cache.conversation(conversationId);
    if (!conversation || conversation.notificationsMuted) return;
    if (this.options.sound()) chime();
    if (this.#state() !== 'on') return;
    const t = this.options.translator();
    const nameOf = namesFrom(await cache.users());
    const group = conversation.type === 'group';
    const notification = new Notification(conversationTitle(conversation, nameOf), {
      body: previewOf(message, { t, nameOf, me: cache.userId, group }),
      tag: conversationId,
      lang: t.lang,
    });
    notification.addEventListener('click', () => {
      window.focus();
      this.options.open(conversationId);
      notification.close();
    });
  }

  #updatePush(client: ChatClient, on: boolean): void {
    const worker = this.options.pushWorker();
    if (!worker || !('serviceWorker' in navigator) || !('PushManager' in globalThis)) return;
    const change = on ? subscribeToPush(client, worker) : unsubscribeFromPush(client, worker);
    change.catch((error: unknown) => {
      if (on) this.#pushConfirmed = null;
      const message = `Push notifications could not be turned ${on ? 'on' : 'off'}: ${String(error)}`;
      this.options.onError('push_failed', message);
    });
  }

  /** The page was opened from a push notification: `?im-open=<conversationId>`. */
  #openFromLink(): void {
    const url = new URL(location.href);
    const conversationId = url.searchParams.get(openParam);
    if (!conversationId) return;
    this.options.open(conversationId);
    url.searchParams.delete(openParam);
    history.replaceState(history.state, '', url);
  }

  #onWorkerMessage = (event: MessageEvent): void => {
    if (!isOpenConversationMessage(event.data) || !this.options.pushWorker()) return;
    this.options.open(event.data.conversationId);
  };

  #refresh = (): void => this.host.requestUpdate();

  /** The user's choice, per account, shared by the tabs of the page's origin. */
  #wanted(): boolean {
    if (!this.#account) return false;
    try {
      return localStorage.getItem(preferenceKey(this.#account)) === 'on';
    } catch {
      return this.#wantedHere;
    }
  }

  #setWanted(on: boolean): void {
    this.#wantedHere = on;
    try {
      localStorage.setItem(preferenceKey(this.#account!), on ? 'on' : 'off');
    } catch {
      // Storage blocked: #wantedHere keeps the choice.
    }
  }
}

function preferenceKey(account: string): string {
  return `im-chat:notifications:${account}`;
}

/** What the title counts: unread messages of conversations that are not muted. */
async function unmutedUnread(cache: ChatCache): Promise<number> {
  const conversations = await cache.allConversations();
  const counts = await Promise.all(
    conversations
      .filter((c) => !c.notificationsMuted && c.readSeq < c.lastSeq)
      .map((conversation) => cache.unreadOf(conversation)),
  );
  return counts.reduce((sum, count) => sum + count, 0);
}
