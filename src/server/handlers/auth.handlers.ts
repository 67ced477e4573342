import { CommandError } from '../errors.js';
import type { CommandHandlers, HandlerDeps } from './command.js';

export function createAuthHandlers({
  auth,
  sessions,
  accounts,
}: HandlerDeps): CommandHandlers<'auth:refresh'> {
  return {
    async 'auth:refresh'({ token }, { socket, user }) {
      const session = await auth.verify(token);
      await accounts.requireActive(session.user.id);
      if (session.user.id !== user.id) {
        throw new CommandError('forbidden', 'the new token is for another user');
      }
      await accounts.saveProfile(session.user);
      socket.data.user = session.user;
      socket.data.expiresAt = session.expiresAt;
      sessions.schedule(socket);
      return { expiresAt: session.expiresAt };
    },
  };
}
