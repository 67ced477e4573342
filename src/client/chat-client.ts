import {
  ErrorCode,
  isMessageBody,
  type JoinDecidedEvent,
  type JoinRequestedEvent,
  type Message,
  type Presence,
  type Session,
  type SupportAvailability,
  type TextBody,
  type ReplyRef,
  type User,
} from '../protocol/index.js';
import Dexie from 'dexie';
import { ChatCache } from './cache/chat-cache.js';
import { CacheDb, cacheDbName, type OutboxEntry } from './cache/db.js';
import { indexedDbBackend, type IndexedDbBackend } from './cache/backend.js';
import { SessionIndex } from './cache/session-index.js';
import { systemClock, type Clock } from './clock.js';
import { Connection, type CreateSocket, type TransportState } from './connection.js';
import { Emitter } from './emitter.js';
import { ChatError, LocalErrorCode } from './errors.js';
import { ConversationActions } from './conversation-actions.js';
import { FileActions } from './file-actions.js';
import { GroupActions } from './group-actions.js';
import { MessageActions, textBody } from './message-actions.js';
import { MediaCache, defaultMediaCacheBytes } from './cache/media-cache.js';
import { Outbox, type OutboxOptions } from './outbox.js';
import { PresenceWatcher } from './presence.js';
import { PushActions } from './push.js';
import { RecentIds } from './recent-ids.js';
import { searchServerMessages, type MessageSearchOptions, type MessageSearchPage } from './search.js';
import { SupportActions } from './support-actions.js';
import { Synchronizer } from './sync.js';
import type { TokenClaims, TokenProvider } from './token.js';
import { TokenSource, delay } from './token-source.js';

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
 * - `starting`: opening the cache and getting a token
 * - `connecting`: first connection attempt
 * - `syncing`: connected, catching up with what happened meanwhile
 * - `online`: up to date, live
 * - `offline`: no connection; retrying, and writing to the outbox meanwhile
 * - `unauthorized`: the server refuses the token and no fresh one can be had
 * - `stopped`
 */
export type ClientStatus =
  | 'starting'
  | 'connecting'
  | 'syncing'
  | 'online'
  | 'offline'
  | 'unauthorized'
  | 'stopped';

export interface ChatClientEvents {
  status: ClientStatus;
  /** A cache was opened, or replaced because another user signed in. */
  cache: ChatCache;
  session: User;
  /** A new message from someone else arrived live. */
  message: Message;
  /** Someone asked to join a group this user administers. */
  'join-request': JoinRequestedEvent;
  /** This user's request to join a group was decided. */
  'join-decided': JoinDecidedEvent;
  /** A watched user came online or went offline (see `client.presence`). */
  presence: Presence;
  /** Whether and when the support team answers changed (after `support.config()`). */
  'support-availability': SupportAvailability;
  error: ChatError;
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
  readonly #events = new Emitter<ChatClientEvents>();
  #status: ClientStatus = 'stopped';
  #user: User | null = null;
  #aliases: readonly string[] = [];
  #cache: ChatCache | null = null;
  #outbox: Outbox | null = null;
  #media: MediaCache | null = null;
  #sync: Synchronizer | null = null;
  #reauthAttempts = 0;
  #everConnected = false;
  #refusal: ChatError | null = null;
  /** Live messages already told of: one the server sends again is stored again, told of once. */
  readonly #liveMessageIds = new RecentIds(1_000);

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
      onRefreshed: (claims) => void this.#useRefreshedToken(claims),
    });
    const url = new URL(options.server, globalThis.location?.href);
    this.serverOrigin = url.origin;
    this.#connection = new Connection({
      url: url.href,
      ...(options.path ? { path: options.path } : {}),
      token: () => this.#tokens.current ?? '',
      onRefused: (error) => void this.#handleRefusal(error),
      onStateChange: (state) => this.#handleTransport(state),
      clock: this.#clock,
      ...(options.createSocket ? { createSocket: options.createSocket } : {}),
    });
    this.#connection.on('session:ready', (session) => void this.#handleSession(session));
    this.#connection.on('message:new', (message) => void this.#handleMessage(message));
    // Live delivery to this connection may have missed messages (the server lost a link).
    this.#connection.on('sync:required', () => void this.#syncNow());
    this.#connection.on('conversation:read', ({ conversationId, readSeq }) => {
      void this.#cache?.advanceReadSeq(conversationId, readSeq, true);
    });
    this.#connection.on('join-request:new', (request) => {
      void this.#cache?.putUsers([request.user]);
      this.#events.emit('join-request', request);
    });
    this.#connection.on('join-request:decided', (decision) => this.#events.emit('join-decided', decision));
    this.groups = new GroupActions(this.#connection, () => this.#requireCache());
    this.messages = new MessageActions(this.#connection, () => this.#requireCache(), () => this.#requireOutbox());
    this.conversations = new ConversationActions(this.#connection, () => this.#cache);
    this.presence = new PresenceWatcher(this.#connection, (presence) => this.#events.emit('presence', presence));
    this.push = new PushActions(this.#connection);
    this.support = new SupportActions(this.#connection, () => this.#requireCache(), (visitorId) => {
      this.#aliases = [...this.#aliases, visitorId];
      if (this.#user) this.#events.emit('session', this.#user);
    });
    this.#connection.on('support:availability', (availability) =>
      this.#events.emit('support-availability', availability),
    );
    this.files = new FileActions(this.#connection, {
      serverOrigin: this.serverOrigin,
      token: () => this.#tokens.current,
      outbox: () => this.#requireOutbox(),
      media: () => this.#media,
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
    return this.#status === 'unauthorized' ? this.#refusal : null;
  }

  /** The open cache (null until the user is known). Read it through liveQuery. */
  get cache(): ChatCache | null {
    return this.#cache;
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
      const claims = this.#adopt(given);
      if (!claims) return;
      userId = claims.sub;
    } else {
      userId =
        this.#options.expectedUserId ?? (await this.#sessions.lastUser(this.serverOrigin).catch(() => undefined));
    }
    if (this.#status === 'stopped') return;
    if (userId) this.#openCache(userId);
    if (!given && !(await this.#fetchToken())) return;
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
    this.#closeCache();
    this.#sessions.close();
  }

  /**
   * Stops, and deletes what this browser keeps of the user (cache, unsent messages, the
   * memory of who signed in last): a sign-out on a shared computer leaves nothing behind.
   */
  async signOut(): Promise<void> {
    const userId = this.#cache?.userId ?? this.#user?.id;
    this.stop();
    if (!userId) return;
    await Promise.all([
      new Dexie(cacheDbName(this.serverOrigin, userId), await this.#backend).delete(),
      this.#sessions.forget(this.serverOrigin, userId),
    ]);
  }

  /** Replaces the token (e.g. the host signed in another user). */
  setToken(token: string): void {
    const claims = this.#adopt(token);
    if (!claims) return;
    if (this.#status === 'stopped' || this.#status === 'starting') return;
    if (this.#status === 'unauthorized') {
      // A fresh start with the new token: the refusal was about the old one.
      this.#reauthAttempts = 0;
      this.#setStatus('connecting');
    }
    this.#useToken(claims);
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
    const entry = await this.#requireOutbox().enqueue(conversationId, textBody(text, mentions), options.replyTo);
    this.conversations.stoppedTyping(conversationId);
    return entry;
  }

  /** Sends a failed message again. */
  retry(clientId: string): Promise<void> {
    return this.#requireOutbox().retry(clientId);
  }

  /** Removes an unsent (pending or failed) message. */
  discard(clientId: string): Promise<void> {
    return this.#requireOutbox().discard(clientId);
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
    return searchServerMessages(this.#connection, this.#cache, query, options);
  }

  /** Opens (creating if needed) the single chat with `userId`; resolves with its id. */
  async startConversation(userId: string): Promise<string> {
    const cache = this.#requireCache();
    const { conversation, users } = await this.#connection.request('conversation:start', { userId });
    await cache.applyConversations([conversation], users, { reset: false });
    return conversation.id;
  }

  /** Marks everything in the conversation as read, here at once and on the server when online. */
  async markRead(conversationId: string): Promise<void> {
    const cache = this.#requireCache();
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
    if (!this.#sync || this.#connection.state !== 'connected') return;
    await this.#sync.fill(conversationId, fromSeq, toSeq);
  }

  /** People the user can start a chat with. Needs a connection. */
  async searchUsers(query: string): Promise<User[]> {
    const { users } = await this.#connection.request('user:search', { query });
    await this.#cache?.putUsers(users);
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

  /** Takes a token; a malformed one signs the client out with an error. */
  #adopt(token: string): TokenClaims | null {
    try {
      return this.#tokens.adopt(token);
    } catch (error) {
      this.#signedOut(error as ChatError);
      return null;
    }
  }

  /** A token from the provider (which keeps retrying while it fails). */
  async #fetchToken(): Promise<boolean> {
    try {
      const claims = await this.#tokens.fetch();
      if (!claims) return false;
      if (claims.sub !== this.#cache?.userId) this.#openCache(claims.sub);
      return true;
    } catch (error) {
      this.#signedOut(error as ChatError);
      return false;
    }
  }

  /** Puts a new token to use: another user starts over, the same one refreshes the session. */
  #useToken(claims: TokenClaims): void {
    if (claims.sub !== this.#cache?.userId) {
      this.#openCache(claims.sub);
      this.#connection.disconnect();
      this.#setStatus('connecting');
      this.#connection.connect();
    } else if (this.#connection.state === 'connected') {
      void this.#refreshSession(this.#tokens.current!);
    } else {
      this.#connection.connect();
    }
  }

  #useRefreshedToken(claims: TokenClaims): void {
    if (this.#status !== 'stopped' && this.#status !== 'unauthorized') this.#useToken(claims);
  }

  async #refreshSession(token: string): Promise<void> {
    try {
      await this.#connection.request('auth:refresh', { token });
    } catch (error) {
      // The connection goes on until the old token expires; the server then ends it
      // and the reconnect presents the new token.
      if (error instanceof ChatError) this.#fail(error);
    }
  }

  #signedOut(error: ChatError): void {
    this.#refusal = error;
    this.#setStatus('unauthorized');
    this.#fail(error);
  }

  async #handleRefusal(error: ChatError): Promise<void> {
    if (this.#status === 'stopped') return;
    const renewable =
      error.code === ErrorCode.TokenExpired || error.code === ErrorCode.Unauthenticated;
    if (!renewable || !this.#tokens.renewable || this.#reauthAttempts >= 3) {
      this.#signedOut(error);
      return;
    }
    this.#reauthAttempts++;
    this.#setStatus('offline');
    await delay(this.#reauthAttempts === 1 ? 0 : 1_000 * this.#reauthAttempts);
    if (await this.#fetchToken()) this.#connection.connect();
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
    this.#reauthAttempts = 0;
    this.#user = session.user;
    this.#aliases = session.aliases ?? [];
    if (session.user.id !== this.#cache?.userId) this.#openCache(session.user.id);
    const cache = this.#requireCache();
    await Promise.all([
      cache.putUsers([session.user]),
      this.#sessions.remember(this.serverOrigin, session.user.id).catch(() => undefined),
    ]);
    this.#events.emit('session', session.user);
    this.#outbox?.wake();
    await this.#syncNow();
  }

  async #syncNow(): Promise<void> {
    const sync = this.#sync;
    if (!sync) return;
    this.#setStatus('syncing');
    try {
      await sync.sync();
      if (this.#connection.state === 'connected' && this.#sync === sync) this.#setStatus('online');
      // Best effort: reading the conversations later reports delivery too.
      this.#reportCaughtUp().catch(() => {});
      // Best effort too: the open conversation loads its receipts again when shown.
      this.#refreshReceipts().catch(() => {});
    } catch (error) {
      if (!(error instanceof ChatError) || error.code === LocalErrorCode.Offline) return;
      this.#fail(error);
      // Try again shortly while still connected; a reconnect syncs anyway.
      this.#clock.after(2_000, () => {
        if (this.#connection.state === 'connected') void this.#syncNow();
      });
    }
  }

  /** Others read (or received) the user's messages while this device was away. */
  async #refreshReceipts(): Promise<void> {
    const cache = this.#cache;
    if (cache) await this.conversations.refreshReceipts(await cache.allConversations());
  }

  /** After catching up, the senders of unread messages (single chats, support) learn that they arrived. */
  async #reportCaughtUp(): Promise<void> {
    const conversations = (await this.#cache?.allConversations()) ?? [];
    for (const conversation of conversations) {
      if (showsDelivery(conversation) && conversation.lastSeq > conversation.readSeq) {
        await this.conversations.reportDelivered(conversation.id, conversation.lastSeq);
      }
    }
  }

  async #handleMessage(message: Message): Promise<void> {
    if (!this.#sync) return;
    const repeated = !this.#liveMessageIds.firstSighting(message.id);
    try {
      await this.#sync.receive(message);
    } catch (error) {
      if (error instanceof ChatError) this.#fail(error);
    }
    const cache = this.#cache;
    if (repeated || !cache || message.senderId === cache.userId) return;
    this.#events.emit('message', message);
    if (isMessageBody(message.body)) {
      const conversation = await cache.conversation(message.conversationId).catch(() => undefined);
      this.conversations.received(message, !!conversation && showsDelivery(conversation));
    }
  }

  #openCache(userId: string): void {
    if (this.#cache?.userId === userId) return;
    this.#closeCache();
    const cache = new ChatCache(new CacheDb(cacheDbName(this.serverOrigin, userId), this.#storage!), userId);
    this.#cache = cache;
    this.#sync = new Synchronizer(cache, this.#connection);
    this.#media = new MediaCache(cache.db, this.#options.mediaCacheBytes ?? defaultMediaCacheBytes);
    this.#outbox = new Outbox(cache, this.#connection, {
      clock: this.#clock,
      ...this.#options.outbox,
      ...(this.#options.requestTimeoutMs ? { requestTimeoutMs: this.#options.requestTimeoutMs } : {}),
    });
    this.#outbox.start();
    this.#events.emit('cache', cache);
  }

  #closeCache(): void {
    this.#outbox?.stop();
    this.#cache?.close();
    this.#outbox = null;
    this.#sync = null;
    this.#media = null;
    this.#cache = null;
  }

  #requireCache(): ChatCache {
    if (!this.#cache) throw new ChatError(LocalErrorCode.Offline, 'Not signed in yet.');
    return this.#cache;
  }

  #requireOutbox(): Outbox {
    this.#requireCache();
    return this.#outbox!;
  }
}

/** Conversations whose senders see "delivered": a single chat's peer, a support conversation's other side. */
function showsDelivery(conversation: { type: string }): boolean {
  return conversation.type === 'single' || conversation.type === 'support';
}
