import type { SupportAgent } from '../../protocol/index.js';
import { supportCaseEvent } from '../webhooks/events.js';
import type { CommandHandlers, HandlerDeps } from './command.js';

/** What agents do with cases: take or transfer, resolve, reopen, look at the details, see the team. */
export function createSupportAgentHandlers({
  storage,
  presence,
  clock,
  support,
  domain,
}: HandlerDeps): CommandHandlers<
  'support:assign' | 'support:resolve' | 'support:reopen' | 'support:details' | 'support:agents'
> {
  const setStatus = async (conversationId: string, status: 'open' | 'resolved', agentId: string) => {
    await support.requireAgentCase(conversationId, agentId);
    const change = await storage.setCaseStatus({ conversationId, status, by: agentId, now: clock.now() });
    await support.publish(change);
    if (change.changed && status === 'resolved') {
      await domain.webhooks.emit(supportCaseEvent('support.conversation_resolved', change.case, agentId));
    }
  };

  return {
    async 'support:assign'({ conversationId, agentId }, { user }) {
      await support.requireAgentCase(conversationId, user.id);
      await support.assign(conversationId, agentId, user.id);
      return support.result(conversationId, user);
    },

    async 'support:resolve'({ conversationId }, { user }) {
      await setStatus(conversationId, 'resolved', user.id);
      return support.result(conversationId, user);
    },

    async 'support:reopen'({ conversationId }, { user }) {
      await setStatus(conversationId, 'open', user.id);
      return support.result(conversationId, user);
    },

    async 'support:details'({ conversationId }, { user }) {
      await support.requireAgentCase(conversationId, user.id);
      return storage.caseDetails(conversationId);
    },

    async 'support:agents'(_payload, { user }) {
      await support.requireAgent(user.id);
      const users = await storage.accounts.read.users(await storage.listAgentIds());
      const [online, open] = await Promise.all([
        presence.onlineAmong(users.map((agent) => agent.id)),
        storage.openCaseCounts(),
      ]);
      const agents: SupportAgent[] = users
        .map((agent) => ({ user: agent, online: online.has(agent.id), openCount: open.get(agent.id) ?? 0 }))
        .sort((a, b) => a.user.name.localeCompare(b.user.name) || (a.user.id < b.user.id ? -1 : 1));
      return { agents };
    },
  };
}
