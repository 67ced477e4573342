import { consume } from '@lit/context';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { CachedConversation, ChatClient, TimelineEntry } from '../../client/index.js';
import type { User } from '../../protocol/index.js';
import {
  clientContext,
  sessionContext,
  translatorContext,
  type SessionSnapshot,
} from '../context.js';
import { LiveQueryController } from '../controllers/live-query-controller.js';
import { conversationTitle, describeEvent, namesFrom, type NameOf } from '../describe.js';
import { isSameDay, type Translator } from '../i18n/index.js';
import { icons } from '../icons.js';
import '../im-avatar/im-avatar.js';
import { styles } from './im-message-list.styles.js';

/** Messages added to the window each time the user scrolls to the top. */
const pageSize = 30;
/** Within this distance of an edge (px), the list counts as being at that edge. */
const edgeSlack = 48;
/** Consecutive messages of one sender closer than this share a group. */
const groupGapMs = 5 * 60_000;

/**
 * A conversation's timeline, read from the cache: confirmed messages in seq order, then
 * the user's unsent ones. Older history loads (from the cache, else the server) when the
 * user scrolls to the top; the view stays at the bottom as messages arrive unless the
 * user has scrolled up.
 *
 * @summary Message history of one conversation.
 * @csspart bubble - Every message bubble.
 * @csspart own-bubble - The user's own message bubbles.
 * @csspart day - Day separators.
 */
@customElement('im-message-list')
export class ImMessageList extends LitElement {
  static override styles = styles;

  @consume({ context: clientContext, subscribe: true })
  client?: ChatClient;

  @consume({ context: sessionContext, subscribe: true })
  session?: SessionSnapshot;

  @consume({ context: translatorContext, subscribe: true })
  translator?: Translator;

  @property({ attribute: false }) conversation: CachedConversation | null = null;
  /** Profiles by id, for names and avatars. */
  @property({ attribute: false }) users: ReadonlyMap<string, User> = new Map();

  /** Lowest seq in view; it only moves down while the conversation stays open. */
  @state() private windowStart: number | null = null;
  @state() private loadingOlder = false;

  @query('.scroller') private scroller!: HTMLElement;

  #openedId: string | null = null;
  /** Measured before each render: whether the view was at the bottom, and how far from it. */
  #wasAtBottom = true;
  #distanceFromBottom = 0;
  #firstKey: string | undefined;

  #timeline = new LiveQueryController<TimelineEntry[]>(this, {
    query: () => {
      const cache = this.session?.cache;
      const id = this.conversation?.id;
      const from = this.windowStart;
      if (!cache || !id || from === null) return null;
      return () => cache.timeline(id, from);
    },
    deps: () => [this.session?.cache, this.conversation?.id, this.windowStart],
    key: () => this.conversation?.id,
  });

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('visibilitychange', this.#markRead);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this.#markRead);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const conversation = this.conversation;
    const scroller = this.scroller;
    // Measured now, not at the last scroll event: the position may have changed since.
    this.#wasAtBottom = !scroller || isAtBottom(scroller);
    if (scroller) this.#distanceFromBottom = scroller.scrollHeight - scroller.scrollTop;
    if (changed.has('conversation') && conversation?.id !== this.#openedId) {
      this.#openedId = conversation?.id ?? null;
      this.#wasAtBottom = true;
      this.windowStart = conversation ? Math.max(1, conversation.lastSeq - pageSize + 1) : null;
      if (conversation && conversation.lastSeq > 0) {
        void this.client?.ensureHistory(conversation.id, this.windowStart!, conversation.lastSeq);
      }
    }
  }

  protected override updated(): void {
    const scroller = this.scroller;
    if (!scroller) return;
    const entries = this.#timeline.value ?? [];
    const firstKey = entries[0]?.key;
    if (this.#wasAtBottom) {
      scroller.scrollTop = scroller.scrollHeight;
    } else if (firstKey !== this.#firstKey) {
      // Older messages came in above: keep what the user was reading where it was.
      scroller.scrollTop = scroller.scrollHeight - this.#distanceFromBottom;
    }
    this.#firstKey = firstKey;
    // A short history that does not fill the view: fetch more without waiting for a scroll.
    if (this.#timeline.settled && scroller.scrollHeight <= scroller.clientHeight) void this.#loadOlder();
    this.#markRead();
  }

  protected override render() {
    const t = this.translator;
    const conversation = this.conversation;
    if (!t || !conversation) return nothing;
    const entries = this.#timeline.value ?? [];
    const atStart = (this.windowStart ?? 1) <= 1;
    const nameOf = namesFrom(this.users.values());
    return html`<div
      class="scroller"
      role="log"
      aria-live="off"
      aria-label=${t.t('messages', { name: conversationTitle(conversation, nameOf) })}
      tabindex="0"
      @scroll=${this.#onScroll}
    >
      ${this.loadingOlder ? html`<p class="note" role="status">${t.t('loadingOlder')}</p>` : nothing}
      ${atStart && entries.length > 0 ? html`<p class="note">${t.t('beginning')}</p>` : nothing}
      ${this.#timeline.settled && entries.length === 0
        ? html`<p class="note empty">${t.t('emptyConversation')}</p>`
        : nothing}
      <ol>
        ${repeat(
          entries,
          (entry) => entry.key,
          (entry, index) =>
            this.#renderEntry(entry, entries[index - 1], entries[index + 1], { t, nameOf, group: conversation.type === 'group' }),
        )}
      </ol>
    </div>`;
  }

  #renderEntry(
    entry: TimelineEntry,
    previous: TimelineEntry | undefined,
    next: TimelineEntry | undefined,
    context: { t: Translator; nameOf: NameOf; group: boolean },
  ) {
    const { t, nameOf, group } = context;
    const me = this.session?.cache?.userId ?? '';
    const newDay = !previous || !isSameDay(previous.createdAt, entry.createdAt);
    const day = newDay
      ? html`<li class="day" part="day"><span>${t.day(entry.createdAt)}</span></li>`
      : nothing;
    const { body } = entry;
    if (body.type === 'system') {
      return html`${day}<li class="event" part="event" data-key=${entry.key}>
          <span>${describeEvent(entry.senderId, body.event, t, nameOf, me)}</span>
        </li>`;
    }
    const own = entry.senderId === me;
    const continues = (a: TimelineEntry | undefined, b: TimelineEntry | undefined) =>
      !!a && !!b && a.body.type !== 'system' && b.body.type !== 'system' &&
      a.senderId === b.senderId && isSameDay(a.createdAt, b.createdAt) &&
      Math.abs(b.createdAt - a.createdAt) < groupGapMs;
    const groupStart = !continues(previous, entry);
    const groupEnd = !continues(entry, next);
    const sender = own ? t.t('you') : nameOf(entry.senderId);
    const mentionsMe = !own && (body.mentionAll || body.mentions?.includes(me));
    const showSender = group && !own && groupStart;
    const classes = [
      'message',
      own ? 'own' : 'other',
      groupStart ? 'group-start' : '',
      groupEnd ? 'group-end' : '',
      group && !own ? 'with-avatar' : '',
      mentionsMe ? 'mentions-me' : '',
      entry.status,
    ].join(' ');
    return html`${day}<li class=${classes} data-key=${entry.key} data-status=${entry.status}>
        ${group && !own
          ? html`<im-avatar
              class="sender-avatar ${groupStart ? '' : 'spacer'}"
              .name=${sender}
              .userId=${entry.senderId}
              .src=${this.users.get(entry.senderId)?.avatar ?? null}
            ></im-avatar>`
          : nothing}
        <div class="content">
          ${showSender ? html`<div class="sender" aria-hidden="true">${sender}</div>` : nothing}
          <div class="bubble" part="bubble ${own ? 'own-bubble' : ''}">
            <span class="visually-hidden">${sender}:</span>
            <span class="text">${body.text}</span>
            <span class="meta">
              <time datetime=${new Date(entry.createdAt).toISOString()}>${t.time(entry.createdAt)}</time>
              ${own ? this.#renderState(entry, t) : nothing}
            </span>
          </div>
          ${entry.status === 'failed' ? this.#renderFailure(entry, t) : nothing}
        </div>
      </li>`;
  }

  #renderState(entry: TimelineEntry, t: Translator) {
    if (entry.status === 'pending') {
      return html`<span class="state" role="img" aria-label=${t.t('sending')} title=${t.t('sending')}
        >${icons.pending}</span
      >`;
    }
    if (entry.status === 'failed') return nothing;
    return html`<span class="state sent" aria-hidden="true">${icons.check}</span>`;
  }

  #renderFailure(entry: TimelineEntry, t: Translator) {
    return html`<div class="failure" part="failure">
      <span class="reason">${icons.error} ${t.t('notSent')}${entry.error
          ? html`: ${t.error(entry.error.code)}`
          : nothing}</span>
      <button type="button" class="retry" @click=${() => this.client?.retry(entry.clientId)}>
        ${t.t('retry')}
      </button>
      <button type="button" class="discard" @click=${() => this.client?.discard(entry.clientId)}>
        ${t.t('discard')}
      </button>
    </div>`;
  }

  #onScroll(): void {
    if (this.scroller.scrollTop < edgeSlack * 4) void this.#loadOlder();
    this.#markRead();
  }

  async #loadOlder(): Promise<void> {
    const conversation = this.conversation;
    const start = this.windowStart;
    if (!conversation || start === null || start <= 1 || this.loadingOlder) return;
    const from = Math.max(1, start - pageSize);
    this.loadingOlder = true;
    try {
      await this.client?.ensureHistory(conversation.id, from, start - 1);
    } catch {
      // Offline or refused: show what the cache has; scrolling up again retries.
    } finally {
      this.loadingOlder = false;
    }
    if (this.conversation?.id === conversation.id) this.windowStart = from;
  }

  /** Everything is read once the user can see the bottom of an open conversation. */
  #markRead = (): void => {
    const conversation = this.conversation;
    const scroller = this.scroller;
    if (!conversation || !scroller || document.visibilityState !== 'visible') return;
    if (!isAtBottom(scroller)) return;
    if (conversation.readSeq >= conversation.lastSeq || !this.checkVisibility?.()) return;
    void this.client?.markRead(conversation.id);
  };
}

function isAtBottom(scroller: HTMLElement): boolean {
  return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < edgeSlack;
}

declare global {
  interface HTMLElementTagNameMap {
    'im-message-list': ImMessageList;
  }
}
