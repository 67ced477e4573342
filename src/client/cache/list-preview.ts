import { Dexie } from 'dexie';
import type { Message } from '../../protocol/index.js';
import type { CacheDb, CachedConversation } from './db.js';

/**
 * The message a conversation's row shows: the newest cached one that is not a system
 * event or a reaction (a case's "agent joined" never hides the customer's question, a 👍
 * never hides what it answers), else the newest event, as in a group where nothing was
 * said yet.
 */
export async function listPreview(db: CacheDb, conversation: CachedConversation): Promise<Message | null> {
  const { lastMessage } = conversation;
  if (!lastMessage || !hidesPreview(lastMessage)) return lastMessage;
  const newestNotEvent = await db.messages
    .where('[conversationId+seq]')
    .between([conversation.id, Dexie.minKey], [conversation.id, lastMessage.seq], true, true)
    .reverse()
    .filter((message) => !hidesPreview(message))
    .first();
  return newestNotEvent ?? lastMessage;
}

/** System events and reactions give way to the message before them. */
function hidesPreview(message: Message): boolean {
  return message.body.type === 'system' || message.body.type === 'reaction';
}
