import { CommandError } from '../errors.js';
import type { CommandHandlers, HandlerDeps } from './command.js';

/** What customers do: learn how support answers, start (or return to) their conversation, say where they are. */
export function createSupportHandlers({
  fanOut,
  support,
  visitors,
}: HandlerDeps): CommandHandlers<'support:config' | 'support:start' | 'support:context' | 'support:claim'> {
  return {
    async 'support:config'(_payload, { socket, user }) {
      if (!(await support.isAgent(user.id))) fanOut.watchSupportAvailability(socket);
      return support.config();
    },

    async 'support:start'(payload, { socket, user }) {
      return support.customers.start(user, payload, socket.data.visitor);
    },

    async 'support:context'(payload, { user }) {
      await support.customers.updateContext(user, payload);
      return {};
    },

    async 'support:claim'({ visitorId, secret }, { socket, user }) {
      if (socket.data.visitor) throw new CommandError('forbidden', 'sign in to take over a visitor’s conversations');
      await visitors.requireSecret(visitorId, secret);
      return support.customers.claim(user, visitorId);
    },
  };
}
