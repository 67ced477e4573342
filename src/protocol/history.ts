/**
 * How a merged chat history is made from messages (section 13.13), shared by the server,
 * which stores it, and clients, which show it while it is being sent.
 */
import type { Conversation, HistoryBody, HistoryItem, HistorySource, MessageBody, User } from './schemas.js';
import { isMessageBody } from './bodies.js';
import { limits } from './limits.js';

/** A message as a history takes it in: who wrote it, when, and what it says now. */
export interface HistoryEntry {
  senderId: string;
  createdAt: number;
  body: MessageBody;
}

/**
 * The history item of a message, or why it cannot be one: `recalled`, or `event` for a
 * timeline event. A text loses its mentions: they name members of another conversation.
 */
export function historyItemOf({ senderId, createdAt, body }: HistoryEntry): HistoryItem | 'recalled' | 'event' {
  if (!isMessageBody(body)) return 'event';
  if (body.type === 'recalled') return 'recalled';
  return { senderId, createdAt, body: body.type === 'text' ? { type: 'text', text: body.text } : body };
}

/**
 * The history of `items` (oldest first): one item that is a history is that history,
 * copied; otherwise `senders` (profiles as known now) name the people, after whom come
 * those of histories inside, as they were named then.
 */
export function mergeHistory(
  items: readonly HistoryItem[],
  from: HistorySource,
  senders: readonly Pick<User, 'id' | 'name' | 'avatar'>[],
): HistoryBody {
  const [only] = items;
  if (items.length === 1 && only!.body.type === 'history') return only!.body;
  const people = new Map<string, HistoryBody['people'][number]>();
  for (const { id, name, avatar } of senders) people.set(id, { id, name, avatar });
  for (const { body } of items) {
    if (body.type !== 'history') continue;
    for (const person of body.people) if (!people.has(person.id)) people.set(person.id, person);
  }
  return { type: 'history', from, people: [...people.values()], items: [...items] };
}

/** Where a history made by `readerId` comes from: a single chat's two people, else the conversation's name. */
export function historySourceOf(conversation: Conversation, readerId: string): HistorySource {
  if (conversation.type === 'single') return { kind: 'single', userIds: [readerId, conversation.peerId] };
  return { kind: 'group', name: conversation.name };
}

/** Levels of a history (1: none inside), messages over all levels, and their characters of text. */
export function historySize(history: HistoryBody): { depth: number; entries: number; textLength: number } {
  const size = { depth: 1, entries: history.items.length, textLength: 0 };
  for (const { body } of history.items) {
    if (body.type === 'text') size.textLength += body.text.length;
    if (body.type !== 'history') continue;
    const inner = historySize(body);
    size.depth = Math.max(size.depth, inner.depth + 1);
    size.entries += inner.entries;
    size.textLength += inner.textLength;
  }
  return size;
}

/** Which limit of `limits` a history passes, in words; null within all of them (`history_too_large` otherwise). */
export function historyLimitPassed(history: HistoryBody): string | null {
  const { depth, entries, textLength } = historySize(history);
  if (entries > limits.historyEntriesMax) {
    return `a chat history may hold at most ${limits.historyEntriesMax} messages over all its levels`;
  }
  if (depth > limits.historyDepthMax) return `a chat history may hold histories at most ${limits.historyDepthMax} levels deep`;
  if (textLength > limits.historyTextMax) return `a chat history may hold at most ${limits.historyTextMax} characters of text`;
  return null;
}
