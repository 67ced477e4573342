import type { CommandName } from '../../protocol/index.js';

/**
 * What an anonymous visitor may do: their own support conversation and nothing else.
 * Looking people up, starting chats, groups and invites would let a stranger reach the
 * site's users, so they are refused with `forbidden`.
 */
export const visitorCommands: ReadonlySet<CommandName> = new Set<CommandName>([
  'message:send',
  'message:history',
  'message:recall',
  'message:edit',
  'message:search',
  'conversation:sync',
  'conversation:read',
  'conversation:delivered',
  'conversation:receipts',
  'conversation:settings',
  'typing:start',
  'typing:stop',
  'presence:watch',
  'file:access',
  'push:config',
  'push:subscribe',
  'push:unsubscribe',
  'auth:refresh',
  'support:config',
  'support:start',
  'support:context',
]);
