export { ChatClient } from './chat-client.js';
export type { ChatClientEvents, ChatClientOptions, ClientStatus } from './chat-client.js';
export type { ChatCache, ConversationListEntry, TimelineEntry } from './cache/chat-cache.js';
export type { CachedConversation, OutboxEntry, OutboxStatus } from './cache/db.js';
export { ChatError, LocalErrorCode } from './errors.js';
export type { TokenProvider } from './token.js';
export type { OutboxOptions } from './outbox.js';
