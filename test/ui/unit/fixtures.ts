/**
 * What the view models' unit tests share: a clock moved by hand, conversations as the
 * cache holds them, and small fakes of the client that record what they were asked.
 */
import type { CachedConversation, ConversationListEntry, TimelineEntry } from '../../../src/client/index.js';
import type { GroupConversation, SingleConversation, SupportConversation } from '../../../src/protocol/index.js';
import type { Clock } from '../../../src/ui/view-models/view-model.js';

/** Timers that fire only when the test moves time past them. */
export class ManualClock implements Clock {
  #now = 1_700_000_000_000;
  #nextId = 1;
  readonly #timers = new Map<number, { at: number; callback: () => void }>();

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.#nextId++;
    this.#timers.set(id, { at: this.#now + ms, callback });
    return id;
  }

  clearTimeout(timer: unknown): void {
    this.#timers.delete(timer as number);
  }

  /** Moves time on by `ms`, firing the timers due on the way, in order. */
  advance(ms: number): void {
    const until = this.#now + ms;
    for (;;) {
      const due = [...this.#timers].filter(([, timer]) => timer.at <= until).sort(([, a], [, b]) => a.at - b.at)[0];
      if (!due) break;
      const [id, timer] = due;
      this.#timers.delete(id);
      this.#now = timer.at;
      timer.callback();
    }
    this.#now = until;
  }

  get pending(): number {
    return this.#timers.size;
  }
}

/** Lets the promise callbacks that are ready run (no time passes). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

const conversationState = {
  lastSeq: 0,
  readSeq: 0,
  unreadCount: 0,
  lastMessage: null,
  createdAt: 1_000,
  updatedAt: 1_000,
  pinnedAt: null,
  notificationsMuted: false,
  hidden: false,
  markedUnread: false,
  unreadAsOfSeq: 0,
  serverReadSeq: 0,
};

export function single(id: string, overrides: Partial<SingleConversation & CachedConversation> = {}): CachedConversation {
  return { ...conversationState, id, type: 'single', peerId: 'bob', ...overrides } as CachedConversation;
}

export function group(id: string, overrides: Partial<GroupConversation> = {}): CachedConversation {
  return {
    ...conversationState,
    id,
    type: 'group',
    name: id,
    avatar: null,
    description: '',
    announcement: '',
    announcementSeq: 0,
    announcementConfirmed: false,
    memberCount: 3,
    membership: 'active',
    role: 'member',
    muted: false,
    mutedAll: false,
    joinPolicy: 'closed',
    dismissed: false,
    mentionSeq: 0,
    ...overrides,
  } as CachedConversation;
}

/** An agent's support case, open and assigned to `assigneeId` (null: nobody), or resolved. */
export function supportCase(id: string, assigneeId: string | null, status: 'open' | 'resolved' = 'open'): CachedConversation {
  return {
    ...conversationState,
    id,
    type: 'support',
    name: 'Support',
    assigneeId,
    role: 'agent',
    case: { status } as SupportConversation['case'],
  } as CachedConversation;
}

/** A conversation as the list shows it. */
export function listEntry(
  conversation: CachedConversation,
  overrides: Partial<Pick<ConversationListEntry, 'unread' | 'draft' | 'pending' | 'preview'>> = {},
): ConversationListEntry {
  return { ...conversation, unread: 0, pending: null, draft: null, preview: null, ...overrides };
}

/** A text message in a timeline; `seq` null for one still in the outbox. */
export function textEntry(seq: number | null, senderId: string, text = `message ${seq}`): TimelineEntry {
  const key = seq === null ? `outbox/${text}` : `seq/${seq}`;
  return {
    key,
    seq,
    messageId: seq === null ? null : `m${seq}`,
    clientId: `c-${key}`,
    senderId,
    body: { type: 'text', text },
    createdAt: 1_000 + (seq ?? 0),
    replyTo: null,
    editedAt: null,
    status: seq === null ? 'pending' : 'sent',
    error: null,
  } as TimelineEntry;
}

/** A promise the test resolves or rejects when it wants to. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
