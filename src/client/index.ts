export { ChatClient } from './chat-client.js';
export type { ChatClientEvents, ChatClientOptions, ClientStatus } from './chat-client.js';
export type { ChatCache, ConversationListEntry, TimelineEntry } from './cache/chat-cache.js';
export type { CachedConversation, CachedMember, OutboxEntry, OutboxStatus } from './cache/db.js';
export type { GroupActions } from './group-actions.js';
export { ChatError, LocalErrorCode } from './errors.js';
export type { TokenProvider } from './token.js';
export type { OutboxOptions } from './outbox.js';
