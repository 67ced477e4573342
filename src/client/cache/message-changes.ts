import { isMessageBody, type EditBody, type Message, type ReactionBody, type RecallBody } from '../../protocol/index.js';
import type { CacheDb, CachedMessage } from './db.js';

type ChangeEvent = Message & { body: EditBody | RecallBody | ReactionBody };

/**
 * Applies recall, edit and reaction events to the messages they change, when those are
 * cached. History pages return targets as they are now, so an event older than the state
 * already cached must not undo it: a recall is final, an edit applies only if it is at
 * least as new as the cached text (`editedAt` is the time of the newest edit), and
 * reactions only if their event is newer than the cached ones (`reactions.seq`).
 * Runs inside the caller's transaction over `db.messages`.
 */
export async function applyMessageChanges(db: CacheDb, messages: readonly Message[]): Promise<void> {
  for (const event of messages) {
    const { body } = event;
    if (body.type !== 'edit' && body.type !== 'recall' && body.type !== 'reaction') continue;
    const target = await db.messages.get({ conversationId: event.conversationId, seq: body.targetSeq });
    if (!target) continue;
    const changed = changedTarget(target, event as ChangeEvent);
    if (changed) await db.messages.put(changed);
  }
}

function changedTarget(target: Message, event: ChangeEvent): Message | null {
  if (target.body.type === 'recalled') return null;
  const { body } = event;
  if (body.type === 'recall') {
    const moderated = body.moderated ? { moderated: true as const } : {};
    // A recalled message keeps nothing of its content, its reactions included.
    const { reactions: _reactions, ...rest } = target;
    return { ...rest, body: { type: 'recalled', by: event.senderId, ...moderated } };
  }
  if (body.type === 'reaction') {
    if ((target.reactions?.seq ?? 0) >= event.seq) return null;
    return { ...target, reactions: { seq: event.seq, items: body.reactions } };
  }
  if (target.body.type !== 'text' || (target.editedAt ?? 0) > event.createdAt) return null;
  return { ...target, body: body.text, editedAt: event.createdAt };
}

/**
 * Messages about to be stored, each with the newer of its reactions and the cached
 * copy's: a history page or an ack that left the server before a later reaction must not
 * take that reaction back. Call inside the transaction that stores them.
 */
export async function withNewestReactions<M extends Message>(db: CacheDb, messages: readonly M[]): Promise<M[]> {
  const reactable = messages.filter((m) => isMessageBody(m.body) && m.body.type !== 'recalled');
  if (reactable.length === 0) return [...messages];
  const cached = new Map<string, CachedMessage>();
  for (const message of await db.messages.bulkGet(reactable.map((m) => m.id))) {
    if (message?.reactions) cached.set(message.id, message);
  }
  if (cached.size === 0) return [...messages];
  return messages.map((message) => {
    const newer = cached.get(message.id)?.reactions;
    if (!newer || message.body.type === 'recalled' || newer.seq <= (message.reactions?.seq ?? 0)) return message;
    return { ...message, reactions: newer };
  });
}

/** A voice message's play state as the server tells it: from a sync (PlayState) or a `message:played` event. */
export interface PlayUpdate {
  conversationId: string;
  seq: number;
  /** The user played it (on any of their devices). */
  played?: boolean;
  /** The user's own message: how many others have played it. */
  playedCount?: number;
}

/** `target` with the play state of `update` added: a play is never undone, a count never goes down. */
function withPlay(target: Message, update: Pick<PlayUpdate, 'played' | 'playedCount'>): Message | null {
  const played = !!target.played || !!update.played;
  const playedCount = Math.max(target.playedCount ?? 0, update.playedCount ?? 0);
  if (played === !!target.played && playedCount === (target.playedCount ?? 0)) return null;
  return { ...target, ...(played ? { played: true as const } : {}), ...(playedCount > 0 ? { playedCount } : {}) };
}

/** Applies play states to the cached voice messages they concern. Runs inside the caller's transaction over `db.messages`. */
export async function applyPlays(db: CacheDb, updates: readonly PlayUpdate[]): Promise<void> {
  for (const update of updates) {
    const target = await db.messages.get({ conversationId: update.conversationId, seq: update.seq });
    if (!target || target.body.type !== 'voice') continue;
    const changed = withPlay(target, update);
    if (changed) await db.messages.put(changed as CachedMessage);
  }
}

/**
 * Voice messages about to be stored, each keeping the play state its cached copy has: a
 * live message or an ack carries none, and a history page may have left before a play.
 */
export async function withKnownPlays<M extends Message>(db: CacheDb, messages: readonly M[]): Promise<M[]> {
  const voices = messages.filter((m) => m.body.type === 'voice');
  if (voices.length === 0) return [...messages];
  const cached = new Map<string, CachedMessage>();
  for (const message of await db.messages.bulkGet(voices.map((m) => m.id))) {
    if (message && (message.played || message.playedCount)) cached.set(message.id, message);
  }
  if (cached.size === 0) return [...messages];
  return messages.map((message) => {
    const known = cached.get(message.id);
    return (known && (withPlay(message, known) as M | null)) || message;
  });
}
