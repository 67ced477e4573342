import { createAuthHandlers } from './auth.handlers.js';
import { createAwarenessHandlers } from './awareness.handlers.js';
import type { CommandHandlers, HandlerDeps } from './command.js';
import { createConversationHandlers } from './conversation.handlers.js';
import { createFileHandlers } from './file.handlers.js';
import { createGroupHandlers } from './group.handlers.js';
import { createInviteHandlers } from './invite.handlers.js';
import { createMessageChangeHandlers } from './message-change.handlers.js';
import { createMessageHandlers } from './message.handlers.js';
import { createPresenceHandlers } from './presence.handlers.js';
import { createPushHandlers } from './push.handlers.js';
import { createSearchHandlers } from './search.handlers.js';
import { createSupportAgentHandlers } from './support-agent.handlers.js';
import { createSupportHandlers } from './support.handlers.js';
import { createUserHandlers } from './user.handlers.js';

/** Every command's handler; the type makes a missing one a compile error. */
export function createCommandHandlers(deps: HandlerDeps): CommandHandlers {
  return {
    ...createMessageHandlers(deps),
    ...createMessageChangeHandlers(deps),
    ...createAwarenessHandlers(deps),
    ...createConversationHandlers(deps),
    ...createUserHandlers(deps),
    ...createAuthHandlers(deps),
    ...createGroupHandlers(deps),
    ...createInviteHandlers(deps),
    ...createFileHandlers(deps),
    ...createPresenceHandlers(deps),
    ...createPushHandlers(deps),
    ...createSearchHandlers(deps),
    ...createSupportHandlers(deps),
    ...createSupportAgentHandlers(deps),
  };
}
