/**
 * Merged chat histories (protocol 13.13): what `{ type: 'history', conversationId, seqs }`
 * becomes. The body is built from the server's own records of the source conversation,
 * never from what the client sends, and its files become records of the target.
 */
import { filesOf, isAttachment } from '../../protocol/bodies.js';
import {
  historyItemOf,
  historyLimitPassed,
  historySourceOf,
  mergeHistory,
  type Conversation,
  type FileInfo,
  type HistoryBody,
  type HistoryItem,
  type Message,
  type OutgoingHistory,
  type User,
} from '../../protocol/index.js';
import { CommandError } from '../errors.js';
import { forwardFile, toFileInfo, type AttachmentDeps } from '../files/attachments.js';
import type { Storage } from '../storage/storage.js';

export interface HistoryDeps extends AttachmentDeps {
  storage: Pick<Storage, 'files' | 'messages' | 'conversations' | 'accounts'>;
}

/** What the history is decided over, as the sender may read the source conversation. */
export interface HistorySnapshot {
  /** Who makes the history. */
  readerId: string;
  /** The source conversation as they see it. */
  conversation: Conversation;
  /** The entry at each seq asked for; null where there is none the sender may read. */
  entries: ReadonlyMap<number, Message | null>;
  /** The profiles of the entries' senders that the server has. */
  senders: readonly User[];
}

/**
 * The stored body for a history that `userId` sends to `conversationId`, whose active
 * member the caller has checked they are. `not_found` unless they may read the source;
 * see `decideHistory` for the rest. Files are forwarded into the target conversation.
 */
export async function resolveHistory(
  deps: HistoryDeps,
  input: { userId: string; conversationId: string; body: OutgoingHistory },
): Promise<HistoryBody> {
  const { userId, conversationId, body } = input;
  const source = body.conversationId;
  const maxSeq = await deps.membership.requireReader(source, userId);
  const [conversation, found] = await Promise.all([
    deps.storage.conversations.read.view(source, userId),
    Promise.all(body.seqs.map((seq) => (maxSeq !== undefined && seq > maxSeq ? null : deps.storage.messages.read.at(source, seq)))),
  ]);
  if (!conversation) throw new CommandError('not_found', 'no such conversation');
  const entries = new Map(body.seqs.map((seq, index) => [seq, found[index]!]));
  const senderIds = [...new Set(found.flatMap((entry) => (entry ? [entry.senderId] : [])))];
  const senders = await deps.storage.accounts.read.users(senderIds);
  const history = decideHistory(body.seqs, { readerId: userId, conversation, entries, senders });
  // Every file of a message is a record of its conversation: forwarding into it again changes nothing.
  return source === conversationId ? history : forwardFiles(deps, history, { userId, conversationId });
}

/**
 * The history of the entries at `seqs`, oldest first. The lowest seq that is not a message
 * decides the refusal: `not_found` where there is no entry the sender may read,
 * `invalid_payload` for a recalled message or a timeline event. One seq naming a history
 * gives a copy of it. Then `history_too_large` past `limits.historyEntriesMax` messages over
 * all levels, `limits.historyDepthMax` levels or `limits.historyTextMax` characters of text.
 */
export function decideHistory(seqs: readonly number[], snapshot: HistorySnapshot): HistoryBody {
  const items = [...seqs].sort((a, b) => a - b).map((seq) => itemAt(seq, snapshot.entries.get(seq) ?? null));
  const history = mergeHistory(items, historySourceOf(snapshot.conversation, snapshot.readerId), snapshot.senders);
  const passed = historyLimitPassed(history);
  if (passed) throw new CommandError('history_too_large', passed);
  return history;
}

function itemAt(seq: number, entry: Message | null): HistoryItem {
  if (!entry) throw new CommandError('not_found', `no message with the seq ${seq}`);
  const item = historyItemOf(entry);
  if (typeof item !== 'string') return item;
  const why = item === 'recalled' ? 'was recalled' : 'is a timeline event, not a message';
  throw new CommandError('invalid_payload', `the entry at seq ${seq} ${why}`, {
    issues: [{ path: 'body.seqs', message: `${seq} ${why}` }],
  });
}

/** The history with each file, at every level, replaced by its forwarded record in the target. */
async function forwardFiles(
  deps: HistoryDeps,
  history: HistoryBody,
  target: { userId: string; conversationId: string },
): Promise<HistoryBody> {
  const forwarded = new Map<string, FileInfo>();
  // One at a time: a history may hold many files, and the storage serves others meanwhile.
  for (const { id } of filesOf(history)) {
    if (!forwarded.has(id)) forwarded.set(id, toFileInfo(await forwardFile(deps, { sourceId: id, ...target })));
  }
  const replace = (body: HistoryBody): HistoryBody => ({
    ...body,
    items: body.items.map((item) => {
      const inner = item.body;
      if (inner.type === 'history') return { ...item, body: replace(inner) };
      return isAttachment(inner) ? { ...item, body: { ...inner, file: forwarded.get(inner.file.id)! } } : item;
    }),
  });
  return replace(history);
}
