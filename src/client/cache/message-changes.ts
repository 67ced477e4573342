import type { EditBody, Message, RecallBody } from '../../protocol/index.js';
import type { CacheDb } from './db.js';

/**
 * Applies recall and edit events to the messages they change, when those are cached.
 * History pages return targets as they are now, so an event older than the state
 * already cached must not undo it: a recall is final, and an edit applies only if it is
 * at least as new as the cached text (`editedAt` is the time of the newest edit).
 * Runs inside the caller's transaction over `db.messages`.
 */
export async function applyMessageChanges(db: CacheDb, messages: readonly Message[]): Promise<void> {
  for (const event of messages) {
    const { body } = event;
    if (body.type !== 'edit' && body.type !== 'recall') continue;
    const target = await db.messages.get({ conversationId: event.conversationId, seq: body.targetSeq });
    if (!target) continue;
    const changed = changedTarget(target, event as Message & { body: EditBody | RecallBody });
    if (changed) await db.messages.put(changed);
  }
}

function changedTarget(target: Message, event: Message & { body: EditBody | RecallBody }): Message | null {
  if (target.body.type === 'recalled') return null;
  if (event.body.type === 'recall') {
    const moderated = event.body.moderated ? { moderated: true as const } : {};
    return { ...target, body: { type: 'recalled', by: event.senderId, ...moderated } };
  }
  if (target.body.type !== 'text' || (target.editedAt ?? 0) > event.createdAt) return null;
  return { ...target, body: event.body.text, editedAt: event.createdAt };
}
