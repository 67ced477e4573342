/**
 * The page of the message-list benchmark (test/bench/message-list-bench.ts bundles it):
 * one conversation of N messages in a real Dexie cache, opened either in <im-message-list>
 * (windowed, virtualized) or in a plain list that reads every message and renders every
 * row, as a list without virtualization does (the baseline). Both read the cache through
 * a liveQuery and render the same rows with the same templates and styles.
 */
import { ContextProvider } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { property, query } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { ChatCache } from '../../../src/client/cache/chat-cache.js';
import { CacheDb, type CachedConversation } from '../../../src/client/cache/db.js';
import type { TimelineEntry } from '../../../src/client/index.js';
import type { Message, SingleConversation, User } from '../../../src/protocol/index.js';
import { clientContext, sessionContext, translatorContext } from '../../../src/ui/context.js';
import { LiveQueryController } from '../../../src/ui/controllers/live-query-controller.js';
import { LongPress } from '../../../src/ui/controllers/long-press.js';
import { SwipeToReply } from '../../../src/ui/controllers/swipe-to-reply.js';
import { namesFrom } from '../../../src/ui/describe.js';
import { Translator } from '../../../src/ui/i18n/index.js';
import '../../../src/ui/im-message-list/im-message-list.js';
import { styles } from '../../../src/ui/im-message-list/im-message-list.styles.js';
import { renderRow, type RowContext } from '../../../src/ui/im-message-list/message-item.js';
import { buildRows } from '../../../src/ui/im-message-list/timeline-rows.js';
import { createElement, imElement } from '../../../src/ui/registry.js';
import { tokens } from '../../../src/ui/styles/tokens.js';
import type { ListKind, ListMeasurement, MessageListBenchPage } from '../../bench/message-list-measurement.js';
import { seedHistory, takingTurns } from './history.js';

const me = 'bench-me';
const peer = 'bench-peer';
const conversationId = 'bench-conversation';
const users: User[] = [
  { id: me, name: 'Me', avatar: null },
  { id: peer, name: 'Ada', avatar: null },
];
const settleMs = 500;
const waitLimitMs = 60_000;

const cache = new ChatCache(new CacheDb('im-chat-bench'), me);
const translator = new Translator('en');

/** The contexts <im-chat> provides to its parts, with no client: the list reads the cache only. */
@imElement('bench-host')
class BenchHost extends LitElement {
  static override styles = [
    tokens,
    css`
      :host {
        display: flex;
        flex-direction: column;
        width: 480px;
        height: 600px;
        font-family: var(--im-font);
        font-size: var(--im-font-size);
      }
      * {
        flex: 1;
        min-height: 0;
      }
    `,
  ];

  @property() kind: ListKind = 'virtualized';
  @property({ attribute: false }) conversation: CachedConversation | null = null;

  constructor() {
    super();
    new ContextProvider(this, { context: clientContext, initialValue: undefined });
    new ContextProvider(this, { context: translatorContext, initialValue: translator });
    new ContextProvider(this, {
      context: sessionContext,
      initialValue: { status: 'offline', cache, user: users[0]!, refusal: null, aliases: [] },
    });
  }

  protected override render() {
    const people = new Map(users.map((user) => [user.id, user]));
    return this.kind === 'virtualized'
      ? html`<im-message-list .conversation=${this.conversation} .users=${people}></im-message-list>`
      : html`<bench-plain-list .users=${people}></bench-plain-list>`;
  }
}

/** Every row of the conversation, rendered: the list as it would be without virtualization. */
@imElement('bench-plain-list')
class BenchPlainList extends LitElement {
  static override styles = [
    styles,
    css`
      .scroller {
        overflow-y: auto;
      }
    `,
  ];

  @property({ attribute: false }) users: ReadonlyMap<string, User> = new Map();
  @query('.scroller') private scroller!: HTMLElement;

  #timeline = new LiveQueryController<TimelineEntry[]>(this, {
    query: () => () => cache.timeline(conversationId, 1),
    deps: () => [],
  });

  protected override render() {
    const entries = this.#timeline.value;
    if (!entries) return nothing;
    const rows = buildRows(entries, { atBeginning: true, firstUnreadSeq: null, withOutbox: true });
    const context: RowContext = {
      conversationId,
      t: translator,
      nameOf: namesFrom(this.users.values()),
      me,
      aliases: new Set(),
      group: false,
      users: this.users,
      highlightKey: null,
      retry: () => {},
      discard: () => {},
      receipt: () => null,
      reveal: () => {},
      openMenu: () => {},
      openReactions: () => {},
      react: () => {},
      showReactors: () => {},
      longPress: new LongPress(),
      swipe: new SwipeToReply(),
      reply: () => {},
      reEdit: () => null,
      openHistory: () => {},
      selection: null,
      focusKey: null,
      hoverKey: null,
    };
    return html`<div class="log" role="log">
      <ol class="scroller">
        ${repeat(rows, (row) => row.key, (row) => renderRow(row, context))}
      </ol>
    </div>`;
  }

  protected override updated(): void {
    // At the newest message, as the list opens.
    this.scroller?.scrollTo({ top: this.scroller.scrollHeight });
  }
}

/** Writes the conversation and its history into the cache (once per browser profile). */
async function seed(count: number): Promise<void> {
  await cache.db.delete();
  await cache.db.open();
  const summary: SingleConversation = {
    id: conversationId,
    type: 'single',
    peerId: peer,
    lastSeq: 0,
    readSeq: 0,
    unreadCount: 0,
    lastMessage: null,
    createdAt: Date.now() - count * 60_000,
    updatedAt: Date.now(),
    pinnedAt: null,
    notificationsMuted: false,
    hidden: false,
    markedUnread: false,
  };
  await cache.applyConversations([summary], users, { reset: true });
  await seedHistory(cache, { conversationId, count, senderOf: takingTurns(me, peer) });
  const conversation = await cache.conversation(conversationId);
  // Everything read: the list opens at the bottom without marking anything.
  await cache.advanceReadSeq(conversationId, conversation!.lastSeq, true);
}

/** Opens the conversation in a fresh list of the given kind and measures it. */
async function open(kind: ListKind): Promise<ListMeasurement> {
  const conversation = (await cache.conversation(conversationId))!;
  const host = createElement('bench-host');
  host.kind = kind;
  host.conversation = conversation;
  const listRoot = () => host.shadowRoot?.firstElementChild?.shadowRoot ?? null;

  const start = performance.now();
  document.body.append(host);
  const firstFrame = await frameShowing(() => {
    const root = listRoot();
    return !!root && inView(root, conversation.lastSeq);
  });
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  const root = listRoot()!;
  const measured = {
    firstFrameMs: firstFrame - start,
    messageNodes: root.querySelectorAll('li.message').length,
    elements: root.querySelectorAll('*').length,
  };

  const seq = conversation.lastSeq + 1;
  const message: Message = {
    id: `bench-new-${seq}`,
    conversationId,
    seq,
    senderId: peer,
    clientId: crypto.randomUUID(),
    body: { type: 'text', text: `message ${seq}` },
    createdAt: Date.now(),
  };
  const written = performance.now();
  await cache.applyMessages([message]);
  const shown = await frameWhen(() => !!root.querySelector(`li[data-seq="${seq}"]`));
  host.remove();
  await cache.db.messages.delete(message.id);
  await cache.db.conversations.put(conversation);
  return { ...measured, newMessageMs: shown - written };
}

/**
 * The newest message's row is rendered and entirely inside the list's scrolling viewport:
 * what the user sees when the list has opened at the bottom.
 */
function inView(root: ShadowRoot, seq: number): boolean {
  const row = root.querySelector(`li[data-seq="${seq}"]`);
  const scroller = root.querySelector('.scroller');
  if (!row || !scroller) return false;
  const box = row.getBoundingClientRect();
  const view = scroller.getBoundingClientRect();
  return box.height > 0 && box.top >= view.top - 1 && box.bottom <= view.bottom + 1;
}

/**
 * When the first frame at which `check` holds has been rendered: checked in a task queued
 * from each animation frame callback, which runs once that frame's style, layout, resize
 * observers and paint are done, so their cost counts and what is checked is what was painted.
 */
function frameShowing(check: () => boolean): Promise<number> {
  const deadline = performance.now() + waitLimitMs;
  return new Promise((resolve, reject) => {
    const afterFrame = () => {
      const now = performance.now();
      if (check()) resolve(now);
      else if (now > deadline) reject(new Error('the list did not show its newest message'));
      else requestAnimationFrame(frame);
    };
    const channel = new MessageChannel();
    channel.port1.onmessage = afterFrame;
    const frame = () => channel.port2.postMessage(null);
    requestAnimationFrame(frame);
  });
}

/** The time of the first animation frame callback at which `check` holds (that frame paints it). */
function frameWhen(check: () => boolean): Promise<number> {
  const deadline = performance.now() + waitLimitMs;
  return new Promise((resolve, reject) => {
    const frame = () => {
      const now = performance.now();
      if (check()) resolve(now);
      else if (now > deadline) reject(new Error('the list did not show its messages'));
      else requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
}

declare global {
  interface Window {
    messageListBench: MessageListBenchPage;
  }
  interface HTMLElementTagNameMap {
    'bench-host': BenchHost;
    'bench-plain-list': BenchPlainList;
  }
}

window.messageListBench = { seed, open };
