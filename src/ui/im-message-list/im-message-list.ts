import type { RangeChangedEvent, VisibilityChangedEvent } from '@lit-labs/virtualizer/events.js';
import { virtualize } from '@lit-labs/virtualizer/virtualize.js';
import { html, nothing } from 'lit';
import { property, query } from 'lit/decorators.js';
import { receiptsOf, type CachedConversation } from '../../client/index.js';
import type { Receipt, User } from '../../protocol/index.js';
import { LiveQueryController } from '../controllers/live-query-controller.js';
import { LongPress } from '../controllers/long-press.js';
import { isMenuKey, rovingTarget } from '../controllers/roving-focus.js';
import { SwipeToReply } from '../controllers/swipe-to-reply.js';
import { conversationTitle, namesFrom } from '../describe.js';
import { styles } from './im-message-list.styles.js';
import { renderRow, type RowContext } from './message-item.js';
import { receiptReader } from './receipts.js';
import { MessageMenu } from './message-menu.js';
import { guessedRowHeight } from './row-layout.js';
import { nextFrame } from './scroll-anchor.js';
import { TimelineScrollController } from './timeline-scroll-controller.js';
import { buildRows, unreadDividerKey, type TimelineRow } from './timeline-rows.js';
import { imElement, tag } from '../registry.js';
import { ImElement } from '../base/im-element.js';
import { ViewModelController } from '../controllers/view-model-controller.js';
import type { MessageSelection } from '../view-models/message-selection.js';
import { TimelineViewModel, type WindowedTimeline } from '../view-models/timeline-view-model.js';

/** Within this distance of the bottom (px), the newest messages count as seen. */
const edgeSlack = 48;
/** Bound on waiting for the cache to answer for a new window. */
const loadWaitMs = 10_000;

/**
 * A conversation's timeline, read from the cache a window of seqs at a time and
 * virtualized: only the rows near the view are in the DOM, whatever the history's length.
 * It opens at the newest messages and follows new ones while the user is at the bottom;
 * scrolled up, new messages show a pill instead, and older pages load above without
 * moving what the user reads. Own messages always scroll to the bottom. What it shows of
 * the conversation is a {@link TimelineViewModel}; how it scrolls is a
 * {@link TimelineScrollController}; the element builds the rows and measures.
 *
 * The messages are one Tab stop (roving tabindex): arrow keys, PageUp/PageDown and
 * Home/End move between them, Enter or the context-menu key opens a message's actions,
 * and Tab goes on to the focused message's own controls. In selection mode Space or Enter
 * (or a click) picks the focused message instead. The focused message is kept by
 * its key, so it stays the Tab stop when the virtualizer drops and re-creates rows.
 *
 * @summary Message history of one conversation.
 * @event im-open-history - A chat history card was chosen (the pane shows its messages).
 * @csspart bubble - Every message bubble.
 * @csspart own-bubble - The user's own message bubbles.
 * @csspart highlight - The bubble (or event) that `revealSeq` points out, for a moment.
 * @csspart day - Day separators.
 * @csspart event - System events (member joined, group renamed, …).
 * @csspart failure - The "not sent" line with Retry and Delete.
 * @csspart code - Inline code in a message.
 * @csspart code-block - A fenced code block in a message (scrolls sideways, highlighted).
 * @csspart text-quote - Quoted lines in a message.
 * @csspart text-list - A list in a message.
 * @csspart unread-divider - The "New messages" line above the first unread message.
 * @csspart unread-button - "Jump to first unread", while that message is above the view.
 * @csspart new-messages-button - The pill that counts new messages while scrolled up.
 * @csspart history-card - A chat history message's card.
 * @csspart select-checkbox - A message's checkbox in selection mode.
 */
@imElement('im-message-list')
export class ImMessageList extends ImElement {
  static override styles = styles;

  @property({ attribute: false }) conversation: CachedConversation | null = null;
  /** Profiles by id, for names and avatars. */
  @property({ attribute: false }) users: ReadonlyMap<string, User> = new Map();
  /** No "No messages yet" while the conversation is empty (something else greets the user). */
  @property({ type: Boolean, attribute: 'no-empty-note' }) noEmptyNote = false;
  /**
   * The messages picked for forwarding, copying or deleting, kept outside the rows; while it
   * is active each message shows a checkbox. Without one the menu offers no "Select".
   */
  @property({ attribute: false }) selection: MessageSelection | null = null;

  /** The virtualized list, which is also the scrolling element. */
  @query('.scroller') private scroller!: HTMLElement;

  readonly #view = new TimelineViewModel({
    client: () => this.client,
    unreadDividerInView: () => {
      const visible = this.#visible;
      if (!visible) return null;
      const divider = this.#rows.findIndex((row) => row.key === unreadDividerKey);
      return divider >= 0 && divider + 1 >= visible.first;
    },
    // The list's own height (the window's, before it has one); messages are no shorter than the guess.
    screenful: () => Math.ceil((this.getBoundingClientRect().height || window.innerHeight) / guessedRowHeight),
  });
  /** Re-renders the list whenever the view model changes. */
  readonly #viewUpdates = new ViewModelController(this, () => this.#view);
  readonly #selecting = new ViewModelController(this, () => this.selection ?? undefined);
  #rows: TimelineRow[] = [];
  /** What `#rows` was built from. */
  #source: { value: WindowedTimeline; firstUnreadSeq: number | null } | null = null;
  readonly #scrolling = new TimelineScrollController(this, {
    view: this.#view,
    scroller: () => this.scroller,
    load: (seq) => this.#load(seq),
    scrolled: () => this.#markRead(),
  });
  #visible: { first: number; last: number } | null = null;
  /** The rows the virtualizer renders (the view and some way around it). */
  #range: { first: number; last: number } | null = null;
  /** `measured` once the rows have been measured and laid out: ranges and positions are real. */
  #layout: 'guessed' | 'measuring' | 'measured' = 'guessed';
  #waiters: (() => void)[] = [];
  /** The row that takes Tab focus; null: the newest message. */
  #focusKey: string | null = null;
  /** Focus is in the list: a row the virtualizer drops must not take it to the page. */
  #focusInside = false;
  /** Whether the focused row is among those rendered (else the scroller is the Tab stop). */
  #focusRendered = true;
  /** The row a mouse or pen is over, or was over last: it renders its buttons. */
  #hoverKey: string | null = null;
  readonly #longPress = new LongPress();
  readonly #swipe = new SwipeToReply();
  readonly #menu = new MessageMenu(this, {
    client: () => this.client,
    conversation: () => this.conversation,
    translator: () => this.translator,
    nameOf: () => namesFrom(this.users.values()),
    me: () => this.session?.cache?.userId ?? '',
    menu: () => this.renderRoot.querySelector(tag('im-menu')),
    emojiData: () => {
      const file = this.translator?.lang === 'zh-CN' ? 'zh.json' : 'en.json';
      return this.client ? `${this.client.serverOrigin}/dist/emoji/${file}` : '';
    },
    select: (entry) => {
      if (this.conversation) this.selection?.start(this.conversation.id, entry);
    },
  });

  /** The others' read positions, sorted, and in a single chat the peer's receipt. */
  #receipts = new LiveQueryController<Receipt[]>(this, {
    query: () => {
      const cache = this.session?.cache;
      const id = this.conversation?.id;
      return cache && id ? () => receiptsOf(cache, id) : null;
    },
    deps: () => [this.session?.cache, this.conversation?.id],
    key: () => this.conversation?.id,
  });

  #timeline = new LiveQueryController<WindowedTimeline>(this, {
    query: () => {
      const cache = this.session?.cache;
      const id = this.conversation?.id;
      const window = this.#view.window;
      if (!cache || !id || !window || !this.#view.readsWindow) return null;
      return async () => ({ window, entries: await cache.timeline(id, window.start, window.end ?? Infinity) });
    },
    deps: () => [this.session?.cache, this.conversation?.id, this.#view.window, this.#view.readsWindow],
    key: () => this.conversation?.id,
  });

  /**
   * Scrolls to the message with this seq (the next shown one if it is an event that is
   * not shown), centred and highlighted for a moment; loads it and its neighbours from
   * the cache, else from the server, first. Resolves once it is in view (or could not be
   * loaded, e.g. offline with a cache that lacks it).
   *
   * @example
   * await list.revealSeq(quote.seq); // a reply's quote was clicked
   */
  async revealSeq(seq: number): Promise<void> {
    const index = await this.#load(seq);
    const row = this.#rows[index];
    if (!row) return;
    this.#view.highlight(row.key);
    await this.#scrolling.scrollToRow(index, 'center');
  }

  /** Scrolls to the newest message and follows new ones again. */
  scrollToLatest(): void {
    if (!this.conversation) return;
    this.#scrolling.followNewest();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('visibilitychange', this.#markRead);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this.#markRead);
    this.#view.dispose();
  }

  protected override willUpdate(): void {
    const opened = this.#view.sync(this.conversation, this.session?.cache ?? null, this.session?.status);
    if (opened) this.#forgetLayout();
    this.#refreshRows();
  }

  protected override updated(): void {
    if (this.#layout === 'guessed' && this.#rows.length > 0) void this.#afterFirstLayout();
    // A first screen with nothing shown (only edits, say) waits for nothing: the window, live.
    else if (this.#rows.length === 0 && this.#view.firstScreen) this.#view.firstScreenShown();
    this.#markRead();
    for (const resolve of this.#waiters.splice(0)) resolve();
  }

  protected override render() {
    const t = this.translator;
    const conversation = this.conversation;
    const view = this.#viewUpdates.value;
    if (!t || !conversation || !view) return nothing;
    const rows = this.#rows;
    const nameOf = namesFrom(this.users.values());
    const context: RowContext = {
      t,
      nameOf,
      me: this.session?.cache?.userId ?? '',
      aliases: new Set(this.session?.aliases ?? []),
      group: conversation.type === 'group',
      users: this.users,
      highlightKey: view.highlightKey,
      retry: (clientId) => void this.client?.retry(clientId),
      discard: (clientId) => void this.client?.discard(clientId),
      conversationId: conversation.id,
      receipt: receiptReader(conversation, this.#receipts.value ?? [], this.session?.cache?.userId ?? ''),
      reveal: (seq) => void this.revealSeq(seq),
      openMenu: (entry, at) => this.#menu.open(entry, at),
      openReactions: (entry, at) => this.#menu.open(entry, at, true),
      react: (entry, emoji, on) => void this.#menu.react(entry, emoji, on),
      showReactors: (entry, emoji, at) => this.#menu.showReactors(entry, emoji, at),
      focusKey: this.#currentFocusKey(),
      hoverKey: this.#hoverKey,
      longPress: this.#longPress,
      swipe: this.#swipe,
      reply: (entry) => this.#menu.reply(entry),
      reEdit: (entry) => (this.#menu.canReEdit(entry) ? () => this.#menu.reEdit(entry) : null),
      openHistory: (body, opener) => this.emit('im-open-history', { body, conversationId: conversation.id, opener }),
      selection: this.#selecting.value?.active ? this.#selecting.value : null,
    };
    return html`<div
        class="log"
        role="log"
        aria-live="off"
        aria-label=${t.t('messages', { name: conversationTitle(conversation, nameOf) })}
      >
        <ol
          class="scroller"
          part="message-list"
          tabindex=${this.#focusRendered && this.#currentFocusKey() !== null ? -1 : 0}
          @scroll=${this.#scrolling.onScroll}
          @wheel=${this.#scrolling.noteUserScroll}
          @touchmove=${this.#scrolling.noteUserScroll}
          @pointerdown=${this.#scrolling.noteUserScroll}
          @pointerover=${this.#onPointerOver}
          @keydown=${this.#onKeyDown}
          @focusin=${this.#onFocusIn}
          @focusout=${this.#onFocusOut}
          @rangeChanged=${this.#onRange}
          @visibilityChanged=${this.#onVisibility}
          @unpinned=${this.#scrolling.onUnpinned}
        >
          ${virtualize({
            items: rows,
            // Until the virtualizer takes in a shorter array, it may ask for rows past its end.
            keyFunction: (row: TimelineRow | undefined, index: number) => row?.key ?? index,
            renderItem: (row: TimelineRow | undefined) => (row ? renderRow(row, context) : html``),
            // The list scrolls itself: the virtualizer's pins are only right for its own scroller.
            scroller: true,
            layout: this.#scrolling.layout(rows.length),
          })}
        </ol>
        ${this.#timeline.settled && rows.length === 0 && !this.noEmptyNote
          ? html`<p class="note empty">${t.t('emptyConversation')}</p>`
          : nothing}
      </div>
      <p class="loading" role="status">${view.loadingOlder ? t.t('loadingOlder') : nothing}</p>
      ${view.firstUnreadSeq !== null && view.unreadAbove
        ? html`<button type="button" class="jump jump-unread" part="unread-button" @click=${this.#jumpToUnread}>
            ${t.t('jumpToUnread')}
          </button>`
        : nothing}
      ${this.#menu.render()}
      <div role="status">
        ${!view.following && (view.newCount > 0 || !view.live)
          ? html`<button type="button" class="jump new-messages" part="new-messages-button" @click=${this.#onPill}>
              ${view.newCount > 0 ? t.t('newMessages', { count: view.newCount }) : t.t('jumpToLatest')}
            </button>`
          : nothing}
      </div>`;
  }

  /** Another conversation opened: what was measured and anchored of the last one is gone. */
  #forgetLayout(): void {
    this.#rows = [];
    this.#source = null;
    this.#scrolling.forget();
    this.#visible = null;
    this.#range = null;
    this.#layout = 'guessed';
    this.#focusKey = null;
    this.#focusRendered = true;
    this.#hoverKey = null;
  }

  /** The key of the row that takes Tab focus: the one focused last, else the newest message. */
  #currentFocusKey(): string | null {
    const rows = this.#rows;
    if (this.#focusKey !== null && rows.some((row) => row.key === this.#focusKey)) return this.#focusKey;
    for (let index = rows.length - 1; index >= 0; index--) if (rows[index]!.kind === 'entry') return rows[index]!.key;
    return null;
  }

  #rowElement(key: string): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>(`li[data-row="${CSS.escape(key)}"]`);
  }

  /** The indexes of the rows that take focus: messages and events, not day lines. */
  #focusableRows(): number[] {
    return this.#rows.flatMap((row, index) => (row.kind === 'entry' ? [index] : []));
  }

  #onKeyDown = (event: KeyboardEvent): void => {
    const target = event.target as HTMLElement;
    const onRow = target.matches('li[data-row]');
    if (!onRow && target !== this.scroller) return; // a control inside a message keeps its keys
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const rows = this.#focusableRows();
    if (!onRow) {
      // The scroller itself (its row was out of the rendered range): arrows go back to the messages.
      if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return this.#scrolling.onKeyDown(event);
      const first = this.#visible?.first ?? 0;
      const inView = rows.find((index) => index >= first) ?? rows.at(-1);
      if (inView === undefined) return;
      event.preventDefault();
      void this.#focusRow(inView);
      return;
    }
    const index = this.#rows.findIndex((row) => row.key === target.dataset['row']);
    const row = this.#rows[index];
    if (!row || row.kind !== 'entry') return;
    if (this.selection?.active && (event.key === ' ' || event.key === 'Enter')) {
      event.preventDefault();
      this.selection.toggle(row.entry);
      return;
    }
    if (isMenuKey(event) || (event.key === 'Enter' && !event.shiftKey)) {
      event.preventDefault();
      if (row.entry.status === 'sent' && row.entry.body.type !== 'recalled' && row.entry.body.type !== 'system') {
        this.#menu.open(row.entry, target);
      }
      return;
    }
    // A page is the messages in view, less one so that one stays in view across the move.
    const inView = [...this.renderRoot.querySelectorAll<HTMLElement>('li[data-row][tabindex]')].filter((li) => this.#inView(li));
    const next = rovingTarget(event.key, rows.indexOf(index), rows.length, inView.length - 1);
    if (next === null) return;
    event.preventDefault();
    if (event.key === 'Home') void this.#focusFirst();
    else if (event.key === 'End' && !this.#view.live) void this.#focusNewest();
    else void this.#focusRow(rows[next]!);
  };

  /** Home: the conversation's first message, loaded into the window if it is not. */
  async #focusFirst(): Promise<void> {
    if ((await this.#load(1)) < 0) return;
    const first = this.#focusableRows()[0];
    if (first !== undefined) await this.#focusRow(first);
  }

  /** End in history far from the newest: back to the newest, then focus it. */
  async #focusNewest(): Promise<void> {
    this.scrollToLatest();
    await this.#until(() => this.#view.live && this.#focusableRows().length > 0);
    const last = this.#focusableRows().at(-1);
    if (last !== undefined) await this.#focusRow(last);
  }

  /** Makes row `index` the Tab stop and focuses it, scrolling it in first if the virtualizer has not rendered it. */
  async #focusRow(index: number): Promise<void> {
    const key = this.#rows[index]?.key;
    if (key === undefined) return;
    this.#focusKey = key;
    // The scroll that focusing makes is the user's: it may leave the newest messages.
    this.#scrolling.noteUserScroll.handleEvent();
    this.requestUpdate();
    await this.updateComplete;
    if (!this.#inView(this.#rowElement(key))) await this.#scrolling.scrollToRow(index, 'nearest');
    this.#rowElement(key)?.focus();
  }

  #inView(element: HTMLElement | null): boolean {
    if (!element) return false;
    const view = this.scroller.getBoundingClientRect();
    const rect = element.getBoundingClientRect();
    return rect.top >= view.top - 1 && rect.bottom <= view.bottom + 1;
  }

  /** A mouse or pen came over a row: it shows its buttons (a touch has no hover). */
  #onPointerOver = (event: PointerEvent): void => {
    if (event.pointerType === 'touch') return;
    const key = (event.target as Element).closest?.('li[data-row]')?.getAttribute('data-row');
    if (!key || key === this.#hoverKey) return;
    this.#hoverKey = key;
    this.requestUpdate();
  };

  #onFocusIn = (event: FocusEvent): void => {
    this.#focusInside = true;
    const row = event.target as HTMLElement;
    // A click or Tab into a message (or one of its controls) makes it the Tab stop.
    const key = row.closest?.('li[data-row]')?.getAttribute('data-row');
    if (key && key !== this.#focusKey && this.#rows.some((r) => r.key === key && r.kind === 'entry')) {
      this.#focusKey = key;
      this.requestUpdate();
    }
  };

  #onFocusOut = (event: FocusEvent): void => {
    const to = event.relatedTarget as Node | null;
    if (to) {
      if (!this.scroller.contains(to)) this.#focusInside = false;
      return;
    }
    // Focus went nowhere: the user left for the page, unless the virtualizer dropped the row.
    const from = event.target as Element;
    queueMicrotask(() => {
      if (from.isConnected) this.#focusInside = false;
    });
  };

  /**
   * After the virtualizer rendered another range: whether the Tab stop row is still in the
   * DOM, and focus kept in the list if the row that had it was dropped.
   */
  #keepFocus(): void {
    const key = this.#currentFocusKey();
    const rendered = key !== null && this.#rowElement(key) !== null;
    if (rendered !== this.#focusRendered) {
      this.#focusRendered = rendered;
      this.requestUpdate();
    }
    if (this.#focusInside && !this.renderRoot.contains((this.renderRoot as ShadowRoot).activeElement)) {
      this.scroller.focus({ preventScroll: true });
    }
  }

  /**
   * Rebuilds the rows when the cache answered (the window, or the first screen before it);
   * keeps the reader's place if rows came in above.
   */
  #refreshRows(): void {
    const value = this.#timeline.value ?? this.#view.firstScreen;
    const firstUnreadSeq = this.#view.firstUnreadSeq;
    if (!value || (value === this.#source?.value && firstUnreadSeq === this.#source.firstUnreadSeq)) return;
    const previous = this.#rows;
    const anchor = this.#scrolling.readerAnchor();
    // A message the user just wrote (here or in another tab): show it, at the bottom.
    if (this.#view.noticeOwnSends(value.entries)) this.scrollToLatest();
    const { window, entries } = value;
    this.#rows = buildRows(entries, {
      atBeginning: window.start <= 1,
      firstUnreadSeq: firstUnreadSeq !== null && firstUnreadSeq >= window.start ? firstUnreadSeq : null,
      withOutbox: window.end === null,
    });
    this.#source = { value, firstUnreadSeq };
    this.#scrolling.keepInPlace(anchor, previous, this.#rows);
  }

  /**
   * Loads `seq` into the window (see {@link TimelineViewModel.reveal}) and returns its row
   * once rendered; -1 if it could not be loaded.
   */
  async #load(seq: number): Promise<number> {
    const nearest = await this.#view.reveal(seq);
    if (nearest === null) return -1;
    const rowOf = () => this.#rows.findIndex((row) => row.kind === 'entry' && row.entry.seq === nearest);
    await this.#until(() => rowOf() >= 0);
    return rowOf();
  }

  async #until(check: () => boolean): Promise<boolean> {
    const deadline = Date.now() + loadWaitMs;
    while (!check()) {
      if (Date.now() > deadline || !this.isConnected) return false;
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
    return true;
  }

  async #jumpToUnread(): Promise<void> {
    const seq = this.#view.firstUnreadSeq;
    if (seq === null) return;
    this.#view.unreadJumped();
    this.scroller.focus({ preventScroll: true });
    const index = await this.#load(seq);
    if (index < 0) return;
    const divider = this.#rows.findIndex((row) => row.key === unreadDividerKey);
    const row = divider >= 0 ? divider : index;
    await this.#scrolling.scrollToRow(row, 'start', this.#rows[row]?.key);
  }

  #onPill(): void {
    this.scroller.focus({ preventScroll: true });
    this.scrollToLatest();
  }

  #onRange(event: RangeChangedEvent): void {
    this.#range = { first: event.first, last: event.last };
    this.#loadAtEdges();
    this.#keepFocus();
  }

  /**
   * Loads the page beyond an end of the window once the rendered rows reach it. Not before
   * the first layout: with sizes only guessed, every row may seem near the top at first.
   */
  #loadAtEdges(): void {
    const range = this.#range;
    // The first screen is only the newest rows: its top is not the window's.
    if (this.#layout !== 'measured' || !range || this.#timeline.value === undefined) return;
    if (range.first === 0) void this.#view.loadOlder();
    if (!this.#view.live && range.last >= this.#rows.length - 1) void this.#view.loadNewer();
  }

  async #afterFirstLayout(): Promise<void> {
    const opened = this.conversation?.id;
    this.#layout = 'measuring';
    await nextFrame(); // measured
    await nextFrame(); // laid out with the measurements
    if (opened !== this.conversation?.id) return;
    this.#layout = 'measured';
    this.#view.firstScreenShown(); // painted: now the rest of the window
    this.#loadAtEdges();
  }

  #onVisibility(event: VisibilityChangedEvent): void {
    this.#visible = { first: event.first, last: event.last };
    this.#view.checkUnreadSeen();
  }

  /** Everything is read once the user can see the newest messages of an open conversation. */
  #markRead = (): void => {
    if (!this.conversation || document.visibilityState !== 'visible') return;
    if (!this.#view.following && !this.#scrolling.atLiveBottom(edgeSlack)) return;
    if (!this.checkVisibility?.()) return;
    this.#view.markRead();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'im-message-list': ImMessageList;
  }
}
