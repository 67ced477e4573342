import type { ChatClient, ClientStatus, ConversationListEntry } from '../../client/index.js';
import type { MessageKey } from '../i18n/index.js';
import { ViewModel } from './view-model.js';

export type ListFilter = 'all' | 'unread' | 'mentions' | 'groups';
/** The tabs of a support inbox. */
export type InboxFilter = 'unassigned' | 'mine' | 'open' | 'resolved';
/** What the menu of a conversation offers. */
export type ListAction = 'pin' | 'mute' | 'unread' | 'hide';

/** What the conversation list needs of the client (the real `ChatClient`, or a test's fake). */
export type ConversationListClient = Pick<ChatClient, 'markRead'> & {
  conversations: Pick<ChatClient['conversations'], 'setSettings'>;
};

export interface ConversationListViewModelOptions {
  client: () => ConversationListClient | undefined;
  /** A support inbox (the agent's cases) rather than the messenger's conversations. */
  inbox: () => boolean;
}

/** Unread messages, or marked unread by the user. */
export const looksUnread = (entry: ConversationListEntry): boolean => entry.unread > 0 || entry.markedUnread;

/** The user is mentioned in a group message they have not read yet. */
export const mentionsUnread = (entry: ConversationListEntry): boolean =>
  entry.type === 'group' && entry.mentionSeq > entry.readSeq;

/** A support case this user works on as an agent: the inbox's, not the messenger's. */
const isCase = (entry: ConversationListEntry) => entry.type === 'support' && entry.role === 'agent';
const caseOf = (entry: ConversationListEntry) => (entry.type === 'support' ? entry.case : null);
/** An open case's assignee (null: nobody); undefined for anything else. */
const openAssignee = (entry: ConversationListEntry) =>
  entry.type === 'support' && entry.case?.status === 'open' ? entry.assigneeId : undefined;

type Filter = (entry: ConversationListEntry, me: string) => boolean;

const filters: Record<ListFilter, Filter> = {
  all: () => true,
  unread: looksUnread,
  mentions: mentionsUnread,
  groups: (entry) => entry.type === 'group',
};

const inboxFilters: Record<InboxFilter, Filter> = {
  unassigned: (entry) => openAssignee(entry) === null,
  mine: (entry, me) => openAssignee(entry) === me,
  open: (entry) => caseOf(entry)?.status === 'open',
  resolved: (entry) => caseOf(entry)?.status === 'resolved',
};

/**
 * The conversation list's view state: which tab is chosen (the messenger's filters, or a
 * support inbox's tabs), which conversations it shows and the counts on the tabs, and
 * the actions of a conversation's menu. The entries come from the cache, pinned first
 * (newest pin first), then by latest activity.
 *
 * @example
 * const list = new ConversationListViewModel({ client: () => client, inbox: () => false });
 * list.choose('unread');
 * const shown = list.shown(entries, me);
 */
export class ConversationListViewModel extends ViewModel {
  #filter: ListFilter = 'all';
  #inboxFilter: InboxFilter = 'mine';
  /** The inbox opens on the first tab with something in it; after that, the agent chooses. */
  #inboxTabChosen = false;
  #failure: unknown = null;

  constructor(private readonly options: ConversationListViewModelOptions) {
    super();
  }

  get filter(): ListFilter {
    return this.#filter;
  }

  get inboxFilter(): InboxFilter {
    return this.#inboxFilter;
  }

  /** Why the last menu action failed, until the next one (null if it did not). */
  get failure(): unknown {
    return this.#failure;
  }

  choose(filter: ListFilter): void {
    this.#filter = filter;
    this.changed();
  }

  chooseInboxTab(filter: InboxFilter): void {
    this.#inboxFilter = filter;
    this.#inboxTabChosen = true;
    this.changed();
  }

  /** Takes in a new list from the cache: an inbox not yet looked at opens on a tab with cases in it. */
  sync(entries: readonly ConversationListEntry[], me: string, status: ClientStatus | undefined): void {
    if (!this.options.inbox() || this.#inboxTabChosen) return;
    const cases = entries.filter(isCase);
    // A fresh cache is empty until the first sync: wait for it before choosing.
    if (cases.length === 0 && status !== 'online') return;
    this.#inboxTabChosen = true;
    const first = (['mine', 'unassigned', 'open'] as const).find((tab) => cases.some((entry) => inboxFilters[tab](entry, me)));
    this.#inboxFilter = first ?? 'mine';
    this.changed();
  }

  /** The entries this list is for: the inbox's cases, or the messenger's conversations. */
  ownEntries(entries: readonly ConversationListEntry[]): ConversationListEntry[] {
    const inbox = this.options.inbox();
    return entries.filter((entry) => isCase(entry) === inbox);
  }

  /** The entries of the chosen tab, in the list's order. */
  shown(entries: readonly ConversationListEntry[], me: string): ConversationListEntry[] {
    const shown = this.options.inbox() ? inboxFilters[this.#inboxFilter] : filters[this.#filter];
    return entries.filter((entry) => shown(entry, me));
  }

  /** Unread messages over the entries; muted conversations do not add to the total. */
  unreadTotal(entries: readonly ConversationListEntry[]): number {
    return entries.reduce((sum, entry) => sum + (entry.notificationsMuted ? 0 : entry.unread), 0);
  }

  /** How many cases an inbox tab holds (none counted for Resolved, which only grows). */
  inboxCount(entries: readonly ConversationListEntry[], me: string, filter: InboxFilter): number {
    return filter === 'resolved' ? 0 : entries.filter((entry) => inboxFilters[filter](entry, me)).length;
  }

  /** The items of a conversation's menu, with the keys of their labels. */
  actionsFor(entry: ConversationListEntry): { id: ListAction; label: MessageKey; danger?: true }[] {
    return [
      { id: 'pin', label: entry.pinnedAt ? 'list.unpin' : 'list.pin' },
      { id: 'mute', label: entry.notificationsMuted ? 'list.unmute' : 'list.mute' },
      { id: 'unread', label: looksUnread(entry) ? 'list.markRead' : 'list.markUnread' },
      { id: 'hide', label: 'list.hide', danger: true },
    ];
  }

  /** Pins, mutes, marks (un)read or hides; a refusal (or being offline) ends up in `failure`. */
  async act(entry: ConversationListEntry, action: ListAction): Promise<void> {
    const client = this.options.client();
    if (!client) return;
    this.#failure = null;
    this.changed();
    try {
      switch (action) {
        case 'pin':
          return await client.conversations.setSettings(entry.id, { pinned: !entry.pinnedAt });
        case 'mute':
          return await client.conversations.setSettings(entry.id, { notificationsMuted: !entry.notificationsMuted });
        case 'unread':
          if (looksUnread(entry)) return await client.markRead(entry.id);
          return await client.conversations.setSettings(entry.id, { markedUnread: true });
        case 'hide':
          return await client.conversations.setSettings(entry.id, { hidden: true });
      }
    } catch (error) {
      this.#failure = error;
      this.changed();
    }
  }
}
