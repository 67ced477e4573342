import type { CommandHandlers, HandlerDeps } from './command.js';

/** What agents do with cases: take or transfer, resolve, reopen, look at the details, see the team. */
export function createSupportAgentHandlers({
  support,
}: HandlerDeps): CommandHandlers<
  'support:assign' | 'support:resolve' | 'support:reopen' | 'support:details' | 'support:agents'
> {
  return {
    async 'support:assign'({ conversationId, agentId }, { user }) {
      return support.assignByAgent(conversationId, agentId, user);
    },

    async 'support:resolve'({ conversationId }, { user }) {
      return support.setStatus(conversationId, 'resolved', user);
    },

    async 'support:reopen'({ conversationId }, { user }) {
      return support.setStatus(conversationId, 'open', user);
    },

    async 'support:details'({ conversationId }, { user }) {
      return support.details(conversationId, user.id);
    },

    async 'support:agents'(_payload, { user }) {
      return support.agents(user.id);
    },
  };
}
