import type { ReplyRef, Session, TextBody, User } from '../protocol/index.js';
import { Dexie } from 'dexie';
import type { ChatCache } from './cache/chat-cache.js';
import { cacheDbName, type OutboxEntry } from './cache/db.js';
import { indexedDbBackend, type IndexedDbBackend } from './cache/backend.js';
import { SessionIndex } from './cache/session-index.js';
import { BlockActions } from './block-actions.js';
import { CatchUp } from './catch-up.js';
import type { ChatClientEvents, ClientStatus } from './client-events.js';
import { systemClock, type Clock } from './clock.js';
import { Connection, type CreateSocket, type TransportState } from './connection.js';
import { Emitter } from './emitter.js';
import { ChatError, LocalErrorCode } from './errors.js';
import { ConversationActions } from './conversation-actions.js';
import { FileActions } from './file-actions.js';
import { GroupActions } from './group-actions.js';
import { takeLiveEvents } from './live-intake.js';
import { MessageActions, textBody } from './message-actions.js';
import { defaultMediaCacheBytes } from './cache/media-cache.js';
import type { OutboxOptions } from './outbox.js';
import { PresenceWatcher } from './presence.js';
import { PushActions } from './push.js';
import { searchServerMessages, type MessageSearchOptions, type MessageSearchPage } from './search.js';
import { SupportActions } from './support-actions.js';
import { SignIn } from './sign-in.js';
import type { TokenProvider } from './token.js';
import { TokenSource } from './token-source.js';
import { UserStores } from './user-stores.js';

export type { ChatClientEvents, ClientStatus } from './client-events.js';

export interface ChatClientOptions {
  /** Base URL of the im-chat server, e.g. `https://chat.example.com`. */
  server: string;
  /** A token signed by the host's backend. Give this, a tokenProvider, or both. */
  token?: string;
  /** Called for a first token and for fresh ones before (or after) the current one expires. */
  tokenProvider?: TokenProvider;
  /**
   * Whom the provider's tokens will sign in, when known beforehand (a support visitor):
   * their cache opens at once. Without it, the last user of this server on this browser.
   */
  expectedUserId?: string;
  /** socket.io path on the server; default `/socket.io`. */
  path?: string;
  requestTimeoutMs?: number;
  outbox?: OutboxOptions;
  /**
   * Bytes of images kept for showing offline (least recently shown go first past it);
   * default 50 MB, 0 keeps none.
   */
  mediaCacheBytes?: number;
  /** Opens the socket; default socket.io-client's `io` (tests give a stand-in for the server). */
  createSocket?: CreateSocket;
  /** Time for request timeouts and the retries of sends and syncs; default the system clock. */
  clock?: Clock;
}

/**
 * The headless im-chat client: connection, auth, sync, outbox and cache. No UI; a bot
 * or another UI can use it as is.
 *
 * @example
 * const client = new ChatClient({ server: 'https://chat.example.com', tokenProvider });
 * client.on('message', (message) => console.log(message.body));
 * await client.start();
 * await client.send(conversationId, 'Hello');
 */
export class ChatClient {
  readonly serverOrigin: string;
  /** Groups and invite links. */
  readonly groups: GroupActions;
  /** Blocking people, and bans from groups. */
  readonly blocks: BlockActions;
  /** Recall, edit, forward, hide, reply references, readers. */
  readonly messages: MessageActions;
  /** The user's own settings, drafts, typing and receipts of conversations. */
  readonly conversations: ConversationActions;
  /** Uploads, sending files and images, and URLs to show or download them. */
  readonly files: FileActions;
  /** Who is online among the people the UI shows. */
  readonly presence: PresenceWatcher;
  /** Web Push: the server's key and this user's browser subscriptions. */
  readonly push: PushActions;
  /** Support mode, for customers and agents. */
  readonly support: SupportActions;
  readonly #options: ChatClientOptions;
  readonly #clock: Clock;
  readonly #backend = indexedDbBackend();
  /** Known once `start()` has waited for it; caches open only after that. */
  #storage: IndexedDbBackend | null = null;
  readonly #sessions = new SessionIndex(this.#backend);
  readonly #connection: Connection;
  readonly #tokens: TokenSource;
  readonly #signIn: SignIn;
  readonly #catchUp: CatchUp;
  readonly #events = new Emitter<ChatClientEvents>();
  #status: ClientStatus = 'stopped';
  #user: User | null = null;
  #aliases: readonly string[] = [];
  readonly #stores: UserStores;
  #everConnected = false;

  constructor(options: ChatClientOptions) {
    if (!options.token && !options.tokenProvider) {
      throw new ChatError(LocalErrorCode.TokenUnavailable, 'Give a token or a tokenProvider.');
    }
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#tokens = new TokenSource({
      token: options.token,
      provider: options.tokenProvider,
      active: () => this.#status !== 'stopped',
      onFailure: (error, attempt) => {
        if (attempt === 0) this.#fail(error);
        this.#setStatus('offline');
      },
      onRefreshed: (claims) => this.#signIn.useRefreshedToken(claims),
    });
    const url = new URL(options.server, globalThis.location?.href);
    this.serverOrigin = url.origin;
    this.#connection = new Connection({
      url: url.href,
      ...(options.path ? { path: options.path } : {}),
      token: () => this.#tokens.current ?? '',
      onRefused: (error) => void this.#signIn.handleRefusal(error),
      onStateChange: (state) => this.#handleTransport(state),
      clock: this.#clock,
      ...(options.createSocket ? { createSocket: options.createSocket } : {}),
    });
    const stores = new UserStores({
      serverOrigin: this.serverOrigin,
      connection: this.#connection,
      storage: () => this.#storage!,
      outbox: {
        clock: this.#clock,
        ...options.outbox,
        ...(options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
      },
      mediaCacheBytes: options.mediaCacheBytes ?? defaultMediaCacheBytes,
      onOpen: (cache) => this.#events.emit('cache', cache),
    });
    this.#stores = stores;
    this.#signIn = new SignIn({
      tokens: this.#tokens,
      connection: this.#connection,
      status: () => this.#status,
      setStatus: (status) => this.#setStatus(status),
      cachedUserId: () => stores.cache?.userId,
      openCache: (userId) => stores.open(userId),
      fail: (error) => this.#fail(error),
    });
    this.#connection.on('session:ready', (session) => void this.#handleSession(session));
    this.groups = new GroupActions(this.#connection, () => stores.requireCache());
    this.blocks = new BlockActions(this.#connection, () => stores.requireCache());
    this.messages = new MessageActions(this.#connection, () => stores.requireCache(), () => stores.requireOutbox());
    this.conversations = new ConversationActions(this.#connection, () => stores.cache);
    this.presence = new PresenceWatcher(this.#connection, (presence) => this.#events.emit('presence', presence));
    this.push = new PushActions(this.#connection);
    this.support = new SupportActions(this.#connection, () => stores.requireCache(), (visitorId) => {
      this.#aliases = [...this.#aliases, visitorId];
      if (this.#user) this.#events.emit('session', this.#user);
    });
    this.files = new FileActions(this.#connection, {
      serverOrigin: this.serverOrigin,
      token: () => this.#tokens.current,
      outbox: () => stores.requireOutbox(),
      media: () => stores.media,
    });
    const fail = (error: ChatError) => this.#fail(error);
    this.#catchUp = new CatchUp({
      stores,
      connection: this.#connection,
      conversations: this.conversations,
      refreshBlocks: () => this.blocks.refresh(),
      clock: this.#clock,
      setStatus: (status) => this.#setStatus(status),
      fail,
    });
    takeLiveEvents(this.#connection, {
      stores,
      conversations: this.conversations,
      events: this.#events,
      catchUp: () => void this.#catchUp.run(),
      fail,
    });
  }

  get status(): ClientStatus {
    return this.#status;
  }

  /** The signed-in user, once the server has confirmed the session. */
  get user(): User | null {
    return this.#user;
  }

  /**
   * Anonymous support visitors the user signed in from: what they wrote then is the
   * user's own.
   */
  get aliases(): readonly string[] {
    return this.#aliases;
  }

  /** Why the server refused the session, while the status is `unauthorized`. */
  get refusal(): ChatError | null {
    return this.#status === 'unauthorized' ? this.#signIn.refusal : null;
  }

  /** The open cache (null until the user is known). Read it through liveQuery. */
  get cache(): ChatCache | null {
    return this.#stores.cache;
  }

  /** Subscribes to an event; returns the function that unsubscribes. */
  on<K extends keyof ChatClientEvents>(type: K, listener: (value: ChatClientEvents[K]) => void): () => void {
    return this.#events.on(type, listener);
  }

  /**
   * Opens the cache of the last user on this server at once (so a UI can show it before
   * the network answers), then gets a token and connects.
   */
  async start(): Promise<void> {
    if (this.#status !== 'stopped') return;
    this.#setStatus('starting');
    this.#storage = await this.#backend;
    if (this.#status === 'stopped') return;
    let userId: string | undefined;
    const given = this.#tokens.current;
    if (given) {
      const claims = this.#signIn.adopt(given);
      if (!claims) return;
      userId = claims.sub;
    } else {
      userId =
        this.#options.expectedUserId ?? (await this.#sessions.lastUser(this.serverOrigin).catch(() => undefined));
    }
    if (this.#status === 'stopped') return;
    if (userId) this.#stores.open(userId);
    if (!given && !(await this.#signIn.fetchToken())) return;
    if (this.#status === 'stopped') return;
    this.#setStatus('connecting');
    this.#connection.connect();
  }

  stop(): void {
    if (this.#status === 'stopped') return;
    this.#setStatus('stopped');
    this.#tokens.stop();
    this.#connection.disconnect();
    this.conversations.stop();
    this.#stores.close();
    this.#sessions.close();
  }

  /**
   * Stops, and deletes what this browser keeps of the user (cache, unsent messages, the
   * memory of who signed in last): a sign-out on a shared computer leaves nothing behind.
   */
  async signOut(): Promise<void> {
    const userId = this.#stores.cache?.userId ?? this.#user?.id;
    this.stop();
    if (!userId) return;
    await Promise.all([
      new Dexie(cacheDbName(this.serverOrigin, userId), await this.#backend).delete(),
      this.#sessions.forget(this.serverOrigin, userId),
    ]);
  }

  /** Replaces the token (e.g. the host signed in another user). */
  setToken(token: string): void {
    this.#signIn.setToken(token);
  }

  /**
   * Queues a text message. It is in the timeline at once as pending, survives reloads
   * and outages, and is delivered exactly once, in order. In groups, `mentions` lists the
   * ids of members the text names with `@`.
   */
  async send(
    conversationId: string,
    text: string,
    mentions: Pick<TextBody, 'mentions' | 'mentionAll'> = {},
    options: { replyTo?: ReplyRef } = {},
  ): Promise<OutboxEntry> {
    const entry = await this.#stores.requireOutbox().enqueue(conversationId, textBody(text, mentions), options.replyTo);
    this.conversations.stoppedTyping(conversationId);
    return entry;
  }

  /** Sends a failed message again. */
  retry(clientId: string): Promise<void> {
    return this.#stores.requireOutbox().retry(clientId);
  }

  /** Removes an unsent (pending or failed) message. */
  discard(clientId: string): Promise<void> {
    return this.#stores.requireOutbox().discard(clientId);
  }

  /**
   * Searches the server for messages containing `query`, newest first, in all of the
   * user's conversations or one. For instant results from what is cached (also offline),
   * use `cache.searchMessages`.
   *
   * @example
   * const page = await client.searchMessages('invoice');
   * const next = page.cursor ? await client.searchMessages('invoice', { cursor: page.cursor }) : null;
   */
  searchMessages(query: string, options?: MessageSearchOptions): Promise<MessageSearchPage> {
    return searchServerMessages(this.#connection, this.#stores.cache, query, options);
  }

  /** Opens (creating if needed) the single chat with `userId`; resolves with its id. */
  async startConversation(userId: string): Promise<string> {
    const cache = this.#stores.requireCache();
    const { conversation, users } = await this.#connection.request('conversation:start', { userId });
    await cache.applyConversations([conversation], users, { reset: false });
    return conversation.id;
  }

  /** Marks everything in the conversation as read, here at once and on the server when online. */
  async markRead(conversationId: string): Promise<void> {
    const cache = this.#stores.requireCache();
    const conversation = await cache.conversation(conversationId);
    // A conversation marked unread is read again even with nothing new in it.
    if (!conversation || (conversation.readSeq >= conversation.lastSeq && !conversation.markedUnread)) return;
    await cache.advanceReadSeq(conversationId, conversation.lastSeq, false);
    if (this.#connection.state !== 'connected') return; // sent after the next sync
    try {
      const { readSeq } = await this.#connection.request('conversation:read', {
        conversationId,
        seq: conversation.lastSeq,
      });
      await cache.advanceReadSeq(conversationId, readSeq, true);
    } catch {
      // Still unsent in the cache; the next sync sends it.
    }
  }

  /**
   * Makes sure messages [fromSeq, toSeq] of a conversation are cached, fetching holes
   * from the server. Without a connection it does nothing: the cache is what there is.
   */
  async ensureHistory(conversationId: string, fromSeq: number, toSeq: number): Promise<void> {
    const sync = this.#stores.sync;
    if (!sync || this.#connection.state !== 'connected') return;
    await sync.fill(conversationId, fromSeq, toSeq);
  }

  /** People the user can start a chat with. Needs a connection. */
  async searchUsers(query: string): Promise<User[]> {
    const { users } = await this.#connection.request('user:search', { query });
    await this.#stores.cache?.putUsers(users);
    return users;
  }

  // ---- internals ----

  #setStatus(status: ClientStatus): void {
    if (status === this.#status) return;
    this.#status = status;
    this.#events.emit('status', status);
  }

  #fail(error: ChatError): void {
    this.#events.emit('error', error);
  }

  #handleTransport(state: TransportState): void {
    if (state !== 'connected') this.presence.clear();
    if (this.#status === 'stopped' || this.#status === 'unauthorized') return;
    if (state === 'connected') {
      this.#everConnected = true;
      this.#setStatus('syncing');
    } else if (state === 'connecting') {
      this.#setStatus(this.#everConnected ? 'offline' : 'connecting');
    } else {
      this.#setStatus('offline');
    }
  }

  async #handleSession(session: Session): Promise<void> {
    this.#signIn.accepted();
    this.#user = session.user;
    this.#aliases = session.aliases ?? [];
    if (session.user.id !== this.#stores.cache?.userId) this.#stores.open(session.user.id);
    const cache = this.#stores.requireCache();
    await Promise.all([
      cache.putUsers([session.user]),
      this.#sessions.remember(this.serverOrigin, session.user.id).catch(() => undefined),
    ]);
    this.#events.emit('session', session.user);
    this.#stores.outbox?.wake();
    await this.#catchUp.run();
  }
}
