import type { CachedConversation, ChatCache, ChatClient, ClientStatus, TimelineEntry } from '../../client/index.js';
import { isShown } from '../im-message-list/timeline-rows.js';
import { liveWindow, pageSize, revealMargin, windowWith, type TimelineWindow } from '../im-message-list/timeline-window.js';
import { ViewModel, systemClock, type Clock } from './view-model.js';

/** What a conversation's timeline needs of the client (the real `ChatClient`, or a test's fake). */
export type TimelineClient = Pick<ChatClient, 'status' | 'ensureHistory' | 'markRead'> & {
  conversations: Pick<ChatClient['conversations'], 'loadReceipts'>;
};

/** What it reads from the user's cache. */
export type TimelineCache = Pick<ChatCache, 'userId' | 'unreadOf' | 'timeline'>;

export interface TimelineViewModelOptions {
  client: () => TimelineClient | undefined;
  /**
   * Whether the "new messages" divider (or the row after it) is in view, or above it;
   * null while the view has not said what it shows.
   */
  unreadDividerInView: () => boolean | null;
  /**
   * How many of the newest seqs can fill the list's view at most. When given, a conversation
   * opens with a plain read of only those (its first screen), and the window is read once
   * the list says the first screen is shown ({@link firstScreenShown}).
   */
  screenful?: () => number;
  clock?: Clock;
}

/** What the list shows of a conversation: a window of seqs and its entries, as read from the cache. */
export interface WindowedTimeline {
  window: TimelineWindow;
  entries: TimelineEntry[];
}

/** How long a revealed message stays highlighted. */
export const highlightMs = 2_500;

/**
 * What a message list shows of one conversation: the window of seqs read from the cache
 * (loading older and newer pages, and fetching what the cache lacks), whether it follows
 * the newest messages, how many arrived while it did not, where the first unread message
 * is, and which row is highlighted. The list element keeps only what needs the DOM:
 * scrolling, pinning and measuring rows.
 *
 * @example
 * const timeline = new TimelineViewModel({ client: () => client, unreadDividerInView: () => null });
 * timeline.sync(conversation, cache, 'online'); // opens it at the newest page
 * await timeline.loadOlder();
 */
export class TimelineViewModel extends ViewModel {
  #window: TimelineWindow | null = null;
  /** The newest entries, read once as the conversation opens; null until they are, and after. */
  #firstScreen: WindowedTimeline | null = null;
  /** False while the conversation opens with its first screen: the window is not read yet. */
  #readsWindow = true;
  #loadingOlder = false;
  #following = true;
  #newCount = 0;
  #firstUnreadSeq: number | null = null;
  #unreadAbove = false;
  #unreadSeen = false;
  #highlightKey: string | null = null;
  #highlightTimer: unknown = undefined;
  #conversation: CachedConversation | null = null;
  #cache: TimelineCache | null = null;
  #openedId: string | null = null;
  /** The session's status when receipts were last asked for. */
  #receiptsStatus: ClientStatus | undefined;
  /** Own unsent messages already seen; a new one brings the list to the newest messages. */
  #outboxKeys: Set<string> | null = null;
  readonly #clock: Clock;

  constructor(private readonly options: TimelineViewModelOptions) {
    super();
    this.#clock = options.clock ?? systemClock;
  }

  /** The seqs read from the cache; null before a conversation is open. */
  get window(): TimelineWindow | null {
    return this.#window;
  }

  /**
   * The newest entries that fill the view, read once (not live) as the conversation opens:
   * what the list shows first. Null while they are read, and once the window is read.
   */
  get firstScreen(): WindowedTimeline | null {
    return this.#firstScreen;
  }

  /** The list reads the window (live) now; not while it opens with its first screen. */
  get readsWindow(): boolean {
    return this.#readsWindow;
  }

  /** The window reaches the newest messages (and the unsent ones after them). */
  get live(): boolean {
    return this.#window?.end === null;
  }

  get loadingOlder(): boolean {
    return this.#loadingOlder;
  }

  /** At the bottom of a live window: new messages scroll into view. */
  get following(): boolean {
    return this.#following;
  }

  /** Unread messages that arrived while the user was not at the bottom. */
  get newCount(): number {
    return this.#newCount;
  }

  /** The first unread seq when the conversation was opened. */
  get firstUnreadSeq(): number | null {
    return this.#firstUnreadSeq;
  }

  /** That message is above the view, and the user has not been there yet. */
  get unreadAbove(): boolean {
    return this.#unreadAbove;
  }

  get highlightKey(): string | null {
    return this.#highlightKey;
  }

  /**
   * Takes in what the list shows now; call before each render. Returns true when another
   * conversation opened (or the same one in another user's cache: a visitor who signed in).
   */
  sync(conversation: CachedConversation | null, cache: TimelineCache | null, status: ClientStatus | undefined): boolean {
    const previous = this.#conversation;
    const opened = conversation?.id !== this.#openedId || cache !== this.#cache;
    this.#conversation = conversation;
    this.#cache = cache;
    if (opened) this.#open(conversation);
    else if (conversation !== previous && !this.#following) void this.#countNew();
    // Opened before the connection was up (e.g. at once after a reload): ask once it is.
    if (status === 'online' && this.#receiptsStatus !== 'online' && !opened) this.#loadReceipts();
    this.#receiptsStatus = status;
    // Following a conversation left open for long: let the oldest rows go.
    const window = this.#window;
    if (conversation && this.#following && window?.end === null && conversation.lastSeq - window.start >= 3 * pageSize) {
      this.#openWindow(liveWindow(conversation));
    }
    return opened;
  }

  /** The list has painted its first screen: the rest of the window is read now, live. */
  firstScreenShown(): void {
    this.#readWindow();
  }

  /** Goes to the newest messages and follows new ones again. */
  followNewest(): void {
    const conversation = this.#conversation;
    if (!conversation) return;
    if (!this.live) this.#openWindow(liveWindow(conversation));
    this.#following = true;
    this.#newCount = 0;
    this.changed();
  }

  /** The user scrolled up from the bottom: new messages are counted instead of shown. */
  stopFollowing(): void {
    this.#following = false;
    void this.#countNew();
    this.changed();
  }

  /** The list shows a message of its choosing (a reveal, the first unread): it stops following. */
  leaveNewest(): void {
    this.#following = false;
    this.changed();
  }

  /** The user is at the bottom of the live window again. */
  reachedBottom(): void {
    if (this.#following) return;
    this.#following = true;
    this.#newCount = 0;
    this.changed();
  }

  /**
   * Makes sure the window holds `seq` and the cache has it (fetching it and its neighbours
   * if not). Returns the seq of the row to show: the first shown message at or after it;
   * null when it could not be loaded (offline with a cache that lacks it, say).
   */
  async reveal(seq: number): Promise<number | null> {
    const conversation = this.#conversation;
    const window = this.#window;
    const cache = this.#cache;
    if (!conversation || !window || !cache || conversation.lastSeq < 1) return null;
    this.#readWindow(); // the message may be in the window but not in the first screen
    const { id, lastSeq } = conversation;
    const target = Math.min(Math.max(1, Math.floor(seq)), lastSeq);
    const next = windowWith(window, target, lastSeq);
    const [from, to] = next === window ? [target - revealMargin, target + revealMargin] : [next.start, next.end ?? lastSeq];
    try {
      await this.options.client()?.ensureHistory(id, Math.max(1, from), Math.min(to, lastSeq));
    } catch {
      // Offline or refused: show what the cache has.
    }
    const nearest = (await cache.timeline(id, target, target + revealMargin)).find(
      (entry) => entry.seq !== null && isShown(entry),
    )?.seq;
    if (nearest === undefined || nearest === null || this.#conversation?.id !== id) return null;
    if (next !== window) {
      this.#window = next;
      // The list goes to that message now, not the newest: while following, a window that
      // reaches far back would be cut back to the newest page before the list got there.
      this.#following = false;
      this.changed();
    }
    return nearest;
  }

  /** Loads the page before the window (the user scrolled to its top). */
  async loadOlder(): Promise<void> {
    const conversation = this.#conversation;
    const window = this.#window;
    if (!conversation || !window || window.start <= 1 || this.#loadingOlder) return;
    this.#readWindow();
    const from = Math.max(1, window.start - pageSize);
    this.#loadingOlder = true;
    this.changed();
    try {
      await this.options.client()?.ensureHistory(conversation.id, from, window.start - 1);
    } catch {
      // Offline or refused: show what the cache has; scrolling up again retries.
    } finally {
      this.#loadingOlder = false;
    }
    if (this.#window === window) this.#window = { start: from, end: window.end };
    this.changed();
  }

  /** A window away from the newest messages grows downwards as the user scrolls there. */
  async loadNewer(): Promise<void> {
    const conversation = this.#conversation;
    const window = this.#window;
    if (!conversation || !window || window.end === null || this.#loadingOlder) return;
    const to = window.end + pageSize;
    try {
      await this.options.client()?.ensureHistory(conversation.id, window.end + 1, Math.min(to, conversation.lastSeq));
    } catch {
      // As above.
    }
    if (this.#window !== window) return;
    this.#window = { start: window.start, end: to >= conversation.lastSeq ? null : to };
    this.changed();
  }

  /** Points out a row for a moment. */
  highlight(key: string): void {
    this.#clock.clearTimeout(this.#highlightTimer);
    this.#highlightKey = key;
    this.#highlightTimer = this.#clock.setTimeout(() => {
      this.#highlightKey = null;
      this.changed();
    }, highlightMs);
    this.changed();
  }

  /** "Jump to first unread" was used: it is not offered again. */
  unreadJumped(): void {
    this.#unreadSeen = true;
    this.#unreadAbove = false;
    this.changed();
  }

  /** "Jump to first unread" stays until the user has seen that message. */
  checkUnreadSeen(): void {
    if (this.#firstUnreadSeq === null || this.#unreadSeen) return;
    const inView = this.options.unreadDividerInView();
    if (inView === null) return;
    this.#unreadSeen = inView;
    // The view asks after every scroll: only a change is news.
    if (this.#unreadAbove === !inView) return;
    this.#unreadAbove = !inView;
    this.changed();
  }

  /** True when the entries hold a message the user just wrote (here or in another tab). */
  noticeOwnSends(entries: readonly TimelineEntry[]): boolean {
    const me = this.#cache?.userId;
    const keys = new Set(entries.filter((e) => e.seq === null && e.senderId === me).map((e) => e.key));
    const known = this.#outboxKeys;
    this.#outboxKeys = keys;
    return !!known && [...keys].some((key) => !known.has(key));
  }

  /** The user sees the newest messages: the conversation is read up to them. */
  markRead(): void {
    const conversation = this.#conversation;
    if (!conversation || conversation.readSeq >= conversation.lastSeq) return;
    void this.options.client()?.markRead(conversation.id);
  }

  /** The list went away: no timer outlives it. */
  dispose(): void {
    this.#clock.clearTimeout(this.#highlightTimer);
  }

  #open(conversation: CachedConversation | null): void {
    this.#openedId = conversation?.id ?? null;
    this.#outboxKeys = null;
    this.#unreadSeen = false;
    this.#following = true;
    this.#newCount = 0;
    this.#unreadAbove = false;
    this.#highlightKey = null;
    this.#firstUnreadSeq = null;
    this.#window = null;
    this.#firstScreen = null;
    this.#readsWindow = true;
    this.changed();
    if (!conversation) return;
    this.#openWindow(liveWindow(conversation));
    this.#readFirstScreen(conversation);
    // Opening a conversation marked unread reads it; so does seeing its bottom.
    if (conversation.markedUnread) void this.options.client()?.markRead(conversation.id).catch(() => {});
    this.#loadReceipts();
    const cache = this.#cache;
    if (cache && conversation.readSeq < conversation.lastSeq) {
      // Taken now: reading at the bottom soon moves readSeq past it.
      const firstUnread = conversation.readSeq + 1;
      void cache.unreadOf(conversation).then((count) => {
        if (count === 0 || this.#openedId !== conversation.id) return;
        this.#firstUnreadSeq = firstUnread;
        this.changed();
        this.checkUnreadSeen();
      });
    }
  }

  /** How far the others got, for the marks on the user's own messages (empty for big groups). */
  #loadReceipts(): void {
    const id = this.#conversation?.id;
    const client = this.options.client();
    if (id && client?.status === 'online') void client.conversations.loadReceipts(id).catch(() => {});
  }

  /**
   * Reads the newest seqs that can fill the view, with one plain read started at once:
   * the list shows them in its first frame, and reads the rest of the window after.
   */
  #readFirstScreen(conversation: CachedConversation): void {
    const cache = this.#cache;
    const window = this.#window;
    const screenful = this.options.screenful?.();
    // A window no longer than a screenful is read live at once: there is no rest to read after.
    if (!cache || !window || !screenful || conversation.lastSeq - window.start < screenful) return;
    const first: TimelineWindow = { start: conversation.lastSeq - screenful + 1, end: null };
    this.#readsWindow = false;
    const current = () => !this.#readsWindow && this.#openedId === conversation.id && this.#cache === cache;
    cache.timeline(conversation.id, first.start).then(
      (entries) => {
        if (!current()) return;
        if (entries.length === 0) return this.#readWindow(); // nothing to show first: the window, live
        this.#firstScreen = { window: first, entries };
        this.changed();
      },
      () => {
        if (current()) this.#readWindow();
      },
    );
  }

  /** The window is read from now on (the first screen, if any, is done). */
  #readWindow(): void {
    if (this.#readsWindow) return;
    this.#readsWindow = true;
    this.#firstScreen = null;
    this.changed();
  }

  /** Reads `window` from now on, fetching what the cache lacks of it in the background. */
  #openWindow(window: TimelineWindow): void {
    const conversation = this.#conversation;
    if (this.#window) this.#readWindow();
    this.#window = window;
    this.changed();
    if (conversation && conversation.lastSeq > 0) {
      void this.options.client()?.ensureHistory(conversation.id, window.start, window.end ?? conversation.lastSeq).catch(() => {});
    }
  }

  async #countNew(): Promise<void> {
    const conversation = this.#conversation;
    const cache = this.#cache;
    if (!conversation || !cache) return;
    const count = await cache.unreadOf(conversation);
    if (this.#conversation !== conversation || this.#following || count === this.#newCount) return;
    this.#newCount = count;
    this.changed();
  }
}
