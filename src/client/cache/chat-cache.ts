import { Dexie } from 'dexie';
import {
  isChangeEvent,
  isMessageBody,
  type BlockChangedEvent,
  type BlockedUser,
  type Conversation,
  type Member,
  type Message,
  type ProtocolError,
  type Reaction,
  type Receipt,
  type ReplyRef,
  type SupportChangedEvent,
  type User,
} from '../../protocol/index.js';
import {
  CacheDb,
  type CachedConversation,
  type CachedMember,
  type CachedMessage,
  type Draft,
  type OutboxEntry,
  type UnsentPlay,
} from './db.js';
import { applyGroupEvent, changesMembers } from './group-events.js';
import { listPreview } from './list-preview.js';
import { withWrittenAt } from './written-at.js';
import { applyMessageChanges, applyPlays, withKnownPlays, withNewestReactions, type PlayUpdate } from './message-changes.js';
import { searchCachedMessages, type CachedSearchOptions } from './message-search.js';
import { applySupportEvent, profilesIn } from './support-events.js';

/** One row of a conversation's timeline, whether confirmed by the server or not. */
export interface TimelineEntry {
  /** Stable from the moment of writing through the server's ack: `${senderId}/${clientId}`. */
  key: string;
  seq: number | null;
  messageId: string | null;
  clientId: string;
  senderId: string;
  body: Message['body'];
  createdAt: number;
  /** The message this one replies to. */
  replyTo: ReplyRef | null;
  /** When its text was last edited; null if never. */
  editedAt: number | null;
  /** Who put which emoji on it, in the order each emoji was first put; empty if none. */
  reactions: Reaction[];
  /** Someone else's voice message that the user has played. */
  played: boolean;
  /** The user's own voice message: how many others have played it. */
  playedCount: number;
  status: 'sent' | 'pending' | 'failed';
  error: ProtocolError | null;
}

export type ConversationListEntry = CachedConversation & {
  /** Messages from others after readSeq (derived, never stored). */
  unread: number;
  /** A message the user wrote here that is still in the outbox. */
  pending: OutboxEntry | null;
  /** What the user started writing here and did not send. */
  draft: Draft | null;
  /**
   * The message a list shows in the row: the newest one that is not a system event (a
   * case's "agent joined" never hides the customer's question), else the newest event.
   */
  preview: Message | null;
};

const syncCursorKey = 'syncCursor';
const blockedUsersKey = 'blockedUsers';

/** Domain reads and writes over the cache database. */
export class ChatCache {
  constructor(
    readonly db: CacheDb,
    readonly userId: string,
  ) {}

  close(): void {
    this.db.close();
  }

  // ---- writes (from the network) ----

  /**
   * Stores messages (new, from history or from acks), retires the matching outbox
   * entries, and moves each known conversation's lastSeq forward. Returns the ids of
   * conversations that are not cached yet.
   */
  async applyMessages(messages: readonly Message[]): Promise<Set<string>> {
    const unknown = new Set<string>();
    if (messages.length === 0) return unknown;
    const { db } = this;
    await db.transaction('rw', [db.messages, db.outbox, db.conversations, db.members, db.users], async () => {
      const stored = await withKnownPlays(db, await withWrittenAt(db, this.userId, messages));
      await db.messages.bulkPut(await withNewestReactions(db, stored));
      const profiles = profilesIn(messages);
      if (profiles.length > 0) await db.users.bulkPut(profiles);
      await applyMessageChanges(db, messages);
      const ownClientIds = messages.filter((m) => m.senderId === this.userId).map((m) => m.clientId);
      if (ownClientIds.length > 0) await db.outbox.where('clientId').anyOf(ownClientIds).delete();

      const byConversation = new Map<string, Message[]>();
      for (const message of messages) {
        const batch = byConversation.get(message.conversationId);
        if (batch) batch.push(message);
        else byConversation.set(message.conversationId, [message]);
      }
      for (const [conversationId, batch] of byConversation) {
        const conversation = await db.conversations.get(conversationId);
        if (!conversation) {
          unknown.add(conversationId);
          continue;
        }
        // Older seqs (history, gap fill) are already in the summary; only newer ones move it.
        const fresh = batch.filter((m) => m.seq > conversation.lastSeq).sort((a, b) => a.seq - b.seq);
        const newest = fresh.at(-1);
        if (!newest) continue;
        // A reaction moves the timeline on, but is no new activity: the row keeps its
        // preview, its place in the list, and stays hidden.
        const activity = fresh.filter((m) => m.body.type !== 'reaction').at(-1);
        let updated: CachedConversation = conversation;
        if (updated.type === 'group') {
          for (const message of fresh) updated = applyGroupEvent(updated, message, this.userId);
          if (fresh.some(changesMembers)) await this.dropMembers(conversationId);
        }
        if (updated.type === 'support') {
          for (const message of fresh) updated = applySupportEvent(updated, message);
        }
        // The server moves the sender's readSeq with every message they send.
        const ownSeq = Math.max(0, ...fresh.filter((m) => m.senderId === this.userId).map((m) => m.seq));
        await db.conversations.put({
          ...updated,
          lastSeq: newest.seq,
          lastMessage: activity ?? updated.lastMessage,
          updatedAt: Math.max(updated.updatedAt, activity?.createdAt ?? 0),
          // Hidden lasts until something new arrives (as on the server).
          hidden: updated.hidden && !activity,
          readSeq: Math.max(updated.readSeq, ownSeq),
          serverReadSeq: Math.max(updated.serverReadSeq, ownSeq),
        });
      }
    });
    return unknown;
  }

  /**
   * Merges conversation summaries from a sync. Positions only move forward: a read
   * made here while offline is not undone by an older server view.
   * With `reset`, all messages and every conversation not listed are dropped; the outbox
   * and the conversations it refers to stay.
   */
  async applyConversations(
    conversations: readonly Conversation[],
    users: readonly User[],
    options: { reset: boolean; cursor?: string },
  ): Promise<CachedConversation[]> {
    const { db } = this;
    return db.transaction('rw', [db.conversations, db.users, db.messages, db.outbox, db.state, db.receipts], async () => {
      if (options.reset) {
        const listed = new Set(conversations.map((c) => c.id));
        // A conversation with unsent messages stays, so the user sees them fail and keeps the text.
        const withOutbox = new Set(await db.outbox.orderBy('conversationId').uniqueKeys());
        const dropped = (await db.conversations.toCollection().primaryKeys()).filter(
          (id) => !listed.has(id) && !withOutbox.has(id),
        );
        await db.conversations.bulkDelete(dropped);
        // Seqs from another storage incarnation mean nothing now (receipts are seqs too).
        await db.messages.clear();
        await db.receipts.clear();
      }
      await db.users.bulkPut([...users]);
      const merged: CachedConversation[] = [];
      for (const incoming of conversations) {
        const cached = options.reset ? undefined : await db.conversations.get(incoming.id);
        merged.push(mergeConversation(cached, incoming));
      }
      await db.conversations.bulkPut(merged);
      if (options.cursor !== undefined) await db.setState(syncCursorKey, options.cursor);
      return merged;
    });
  }

  /**
   * Moves the read position forward (never back). `confirmed` means the server already
   * has it; otherwise it waits to be sent (see `unsentReads`).
   */
  async advanceReadSeq(
    conversationId: string,
    readSeq: number,
    confirmed: boolean,
  ): Promise<CachedConversation | null> {
    const { db } = this;
    return db.transaction('rw', db.conversations, async () => {
      const conversation = await db.conversations.get(conversationId);
      if (!conversation) return null;
      const updated = {
        ...conversation,
        // Reading, here or on another device, clears "marked unread" (the server does too).
        markedUnread: false,
        readSeq: Math.max(conversation.readSeq, Math.min(readSeq, conversation.lastSeq)),
        serverReadSeq: confirmed
          ? Math.max(conversation.serverReadSeq, readSeq)
          : conversation.serverReadSeq,
      };
      await db.conversations.put(updated);
      return updated;
    });
  }

  /**
   * Keeps members' delivered and read positions, which only move forward. The server
   * sends a member's receipts as its handlers finish, so one made earlier (a delivery
   * report) may arrive after a later one (their reading): it must not take "read" back.
   */
  async mergeReceipts(receipts: readonly Receipt[]): Promise<void> {
    if (receipts.length === 0) return;
    const { db } = this;
    await db.transaction('rw', db.receipts, async () => {
      const known = await db.receipts.bulkGet(receipts.map((r) => [r.conversationId, r.userId] as [string, string]));
      await db.receipts.bulkPut(
        receipts.map((receipt, i) => ({
          ...receipt,
          deliveredSeq: Math.max(receipt.deliveredSeq, known[i]?.deliveredSeq ?? 0),
          readSeq: Math.max(receipt.readSeq, known[i]?.readSeq ?? 0),
        })),
      );
    });
  }

  /** Conversations read here whose read position the server does not have yet. */
  async unsentReads(): Promise<CachedConversation[]> {
    return this.db.conversations.filter((c) => c.readSeq > c.serverReadSeq).toArray();
  }

  /** A support case changed (agents hear of it): who answers, its status, the customer. */
  async applySupportChange(change: SupportChangedEvent): Promise<void> {
    const { db } = this;
    await db.transaction('rw', db.conversations, db.users, async () => {
      await db.users.put(change.customer);
      const conversation = await db.conversations.get(change.conversationId);
      if (conversation?.type !== 'support') return;
      const updated: typeof conversation = { ...conversation, assigneeId: change.assigneeId, case: change.case };
      await db.conversations.put(updated);
    });
  }

  async putUsers(users: readonly User[]): Promise<void> {
    await this.db.users.bulkPut([...users]);
  }

  /** Stores a page of a group's members; the first page (offset 0) replaces what was cached. */
  async putMembers(
    conversationId: string,
    page: { members: readonly Member[]; users: readonly User[]; offset: number },
  ): Promise<void> {
    const { db } = this;
    await db.transaction('rw', db.members, db.users, async () => {
      if (page.offset === 0) await db.members.where('conversationId').equals(conversationId).delete();
      await db.members.bulkPut(
        page.members.map((member, index) => ({ ...member, conversationId, position: page.offset + index })),
      );
      await db.users.bulkPut([...page.users]);
    });
  }

  /** Forgets a group's cached member list (it changed); the next reader fetches it again. */
  async dropMembers(conversationId: string): Promise<void> {
    await this.db.members.where('conversationId').equals(conversationId).delete();
  }

  /** The cached members of a group, in the server's order (owner, admins, members). */
  async membersOf(conversationId: string): Promise<CachedMember[]> {
    const members = await this.db.members.where('conversationId').equals(conversationId).toArray();
    return members.sort((a, b) => a.position - b.position);
  }

  syncCursor(): Promise<string | undefined> {
    return this.db.getState<string>(syncCursorKey);
  }

  /** The people this user blocked, newest first, as the server last said. */
  async blockedUsers(): Promise<BlockedUser[]> {
    return (await this.db.getState<BlockedUser[]>(blockedUsersKey)) ?? [];
  }

  /** Replaces the block list, with the blocked people's profiles. */
  async setBlockedUsers(blocked: readonly BlockedUser[], users: readonly User[]): Promise<void> {
    const { db } = this;
    await db.transaction('rw', db.state, db.users, async () => {
      await db.users.bulkPut([...users]);
      await db.setState(blockedUsersKey, [...blocked]);
    });
  }

  /** One block or unblock, as the user's other device made it. */
  async applyBlockChange(change: BlockChangedEvent): Promise<void> {
    const { db } = this;
    await db.transaction('rw', db.state, db.users, async () => {
      const others = (await this.blockedUsers()).filter((entry) => entry.userId !== change.user.id);
      const blocked = change.blocked ? [{ userId: change.user.id, blockedAt: change.blockedAt ?? 0 }, ...others] : others;
      await db.users.put(change.user);
      await db.setState(blockedUsersKey, blocked);
    });
  }

  // ---- reads used by the client ----

  conversation(conversationId: string): Promise<CachedConversation | undefined> {
    return this.db.conversations.get(conversationId);
  }

  allConversations(): Promise<CachedConversation[]> {
    return this.db.conversations.toArray();
  }

  /** Highest cached seq of a conversation, 0 if none. */
  async maxSeq(conversationId: string): Promise<number> {
    const newest = await this.db.messages
      .where('[conversationId+seq]')
      .between([conversationId, Dexie.minKey], [conversationId, Dexie.maxKey])
      .last();
    return newest?.seq ?? 0;
  }

  /** How many of the seqs in [fromSeq, toSeq] are cached (seqs are dense, so this finds holes). */
  countRange(conversationId: string, fromSeq: number, toSeq: number): Promise<number> {
    return this.db.messages
      .where('[conversationId+seq]')
      .between([conversationId, fromSeq], [conversationId, toSeq], true, true)
      .count();
  }

  // ---- reads for the UI (wrap in liveQuery) ----

  /**
   * Conversations with derived unread counts: pinned ones first (newest pin first), then
   * by most recent activity. Hidden ones are left out until something new arrives, unless
   * the user has an unsent message there.
   */
  async conversationList(): Promise<ConversationListEntry[]> {
    const { db } = this;
    const [conversations, outbox, drafts] = await Promise.all([
      db.conversations.orderBy('updatedAt').reverse().toArray(),
      db.outbox.orderBy('order').toArray(),
      db.drafts.toArray(),
    ]);
    const pendingByConversation = new Map<string, OutboxEntry>();
    for (const entry of outbox) pendingByConversation.set(entry.conversationId, entry);
    const draftByConversation = new Map(drafts.map((draft) => [draft.conversationId, draft]));
    const shown = conversations.filter((c) => !c.hidden || pendingByConversation.has(c.id));
    const entries = await Promise.all(
      shown.map(async (conversation) => ({
        ...conversation,
        unread: await this.unreadOf(conversation),
        pending: pendingByConversation.get(conversation.id) ?? null,
        draft: draftByConversation.get(conversation.id) ?? null,
        preview: await listPreview(this.db, conversation),
      })),
    );
    // A message written just now makes its conversation the most recent one.
    const activity = (entry: ConversationListEntry) =>
      Math.max(entry.updatedAt, entry.pending?.createdAt ?? 0);
    return entries.sort((a, b) => (b.pinnedAt ?? 0) - (a.pinnedAt ?? 0) || activity(b) - activity(a));
  }

  /**
   * Unread = messages (not system events) from others with seq > readSeq. The server counted those up to
   * unreadAsOfSeq; later ones are counted here from the cache.
   */
  async unreadOf(conversation: CachedConversation): Promise<number> {
    const { readSeq, lastSeq, unreadAsOfSeq, unreadCount } = conversation;
    if (readSeq >= lastSeq) return 0;
    const countedByServer = readSeq < unreadAsOfSeq ? unreadCount : 0;
    const from = Math.max(readSeq, unreadAsOfSeq) + 1;
    if (from > lastSeq) return countedByServer;
    const countedHere = await this.db.messages
      .where('[conversationId+seq]')
      .between([conversation.id, from], [conversation.id, lastSeq], true, true)
      .filter((message) => message.senderId !== this.userId && isMessageBody(message.body))
      .count();
    return countedByServer + countedHere;
  }

  /** The customer's own support conversation most recently active, if any. */
  async latestSupportConversation(): Promise<CachedConversation | undefined> {
    const own = await this.db.conversations
      .filter((c) => c.type === 'support' && c.role === 'customer')
      .toArray();
    return own.sort((a, b) => b.updatedAt - a.updatedAt)[0];
  }

  /** Unread messages over all conversations. */
  async totalUnread(): Promise<number> {
    const candidates = await this.db.conversations.filter((c) => c.readSeq < c.lastSeq).toArray();
    const counts = await Promise.all(candidates.map((conversation) => this.unreadOf(conversation)));
    return counts.reduce((sum, count) => sum + count, 0);
  }

  /**
   * Confirmed messages with fromSeq <= seq <= toSeq, then the outbox, in the order they
   * will appear. A bounded range keeps a long history's reader (and its liveQuery, which
   * re-runs only for changes inside the range) to the part on screen.
   */
  async timeline(conversationId: string, fromSeq: number, toSeq = Infinity): Promise<TimelineEntry[]> {
    const { db } = this;
    const upper = Number.isFinite(toSeq) ? toSeq : Dexie.maxKey;
    const [messages, outbox, hidden] = await Promise.all([
      db.messages
        .where('[conversationId+seq]')
        .between([conversationId, fromSeq], [conversationId, upper], true, true)
        .toArray(),
      db.outbox.where('conversationId').equals(conversationId).sortBy('order'),
      db.hiddenMessages.where('conversationId').equals(conversationId).primaryKeys(),
    ]);
    // Edits and recalls are already applied to their targets; hidden ones are deleted for this user.
    const hiddenIds = new Set(hidden);
    const shown = messages.filter((m) => !isChangeEvent(m.body) && !hiddenIds.has(m.id));
    return [...shown.map(fromMessage), ...outbox.map(fromOutbox)];
  }

  /** The cached messages of a conversation at these seqs, by seq; those not cached are left out. */
  async messagesAt(conversationId: string, seqs: readonly number[]): Promise<CachedMessage[]> {
    const keys = seqs.map((seq) => [conversationId, seq]);
    const found = await this.db.messages.where('[conversationId+seq]').anyOf(keys).toArray();
    return found.sort((a, b) => a.seq - b.seq);
  }

  user(userId: string): Promise<User | undefined> {
    return this.db.users.get(userId);
  }

  users(): Promise<User[]> {
    return this.db.users.toArray();
  }

  /** Voice messages' play states, from a sync or live: applied to those cached (history brings the others'). */
  async applyPlays(updates: readonly PlayUpdate[]): Promise<void> {
    if (updates.length === 0) return;
    const { db } = this;
    await db.transaction('rw', db.messages, () => applyPlays(db, updates));
  }

  /** The user played a voice message on this device: shown at once, and kept until the server has it. */
  async recordPlay(play: UnsentPlay): Promise<void> {
    const { db } = this;
    await db.transaction('rw', db.messages, db.unsentPlays, async () => {
      await applyPlays(db, [{ ...play, played: true }]);
      await db.unsentPlays.put(play);
    });
  }

  /** Plays recorded here that the server has not confirmed. */
  unsentPlays(): Promise<UnsentPlay[]> {
    return this.db.unsentPlays.toArray();
  }

  async forgetUnsentPlay(play: UnsentPlay): Promise<void> {
    await this.db.unsentPlays.delete([play.conversationId, play.seq]);
  }

  /** Cached text messages containing `query`, case-insensitive, newest first. */
  searchMessages(query: string, options: CachedSearchOptions = {}): Promise<Message[]> {
    return searchCachedMessages(this.db, query, options);
  }

  outboxEntry(clientId: string): Promise<OutboxEntry | undefined> {
    return this.db.outbox.where('clientId').equals(clientId).first();
  }
}

function mergeConversation(
  cached: CachedConversation | undefined,
  incoming: Conversation,
): CachedConversation {
  const fresh: CachedConversation = {
    ...incoming,
    unreadAsOfSeq: incoming.lastSeq,
    serverReadSeq: incoming.readSeq,
  };
  if (!cached) return fresh;
  // Events that arrived after the server made this summary are already applied here.
  const newer = cached.lastSeq > incoming.lastSeq ? cached : fresh;
  return {
    ...newer,
    // The member's own settings are the server's word, whichever summary is newer.
    pinnedAt: incoming.pinnedAt,
    notificationsMuted: incoming.notificationsMuted,
    markedUnread: incoming.markedUnread,
    hidden: incoming.hidden && cached.lastSeq <= incoming.lastSeq,
    updatedAt: Math.max(cached.updatedAt, incoming.updatedAt),
    readSeq: Math.max(cached.readSeq, incoming.readSeq),
    serverReadSeq: Math.max(cached.serverReadSeq, incoming.readSeq),
  };
}

function fromMessage(message: CachedMessage): TimelineEntry {
  return {
    key: `${message.senderId}/${message.clientId}`,
    seq: message.seq,
    messageId: message.id,
    clientId: message.clientId,
    senderId: message.senderId,
    body: message.body,
    // When the user wrote it, for their own message queued offline; its place is its seq.
    createdAt: message.writtenAt ?? message.createdAt,
    replyTo: message.replyTo ?? null,
    editedAt: message.editedAt ?? null,
    reactions: message.reactions?.items ?? [],
    played: message.played ?? false,
    playedCount: message.playedCount ?? 0,
    status: 'sent',
    error: null,
  };
}

function fromOutbox(entry: OutboxEntry): TimelineEntry {
  return {
    key: `${entry.senderId}/${entry.clientId}`,
    seq: null,
    messageId: null,
    clientId: entry.clientId,
    senderId: entry.senderId,
    body: entry.body,
    createdAt: entry.createdAt,
    replyTo: entry.replyTo ?? null,
    editedAt: null,
    reactions: [],
    played: false,
    playedCount: 0,
    status: entry.status,
    error: entry.error,
  };
}
