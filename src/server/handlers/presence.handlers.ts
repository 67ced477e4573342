import type { ImSocket } from '../types.js';
import type { CommandHandlers, HandlerDeps } from './command.js';

/** Who is online: a connection watches the people it shows. */
export function createPresenceHandlers({
  presence,
  fanOut,
  accounts,
}: HandlerDeps): CommandHandlers<'presence:watch'> {
  // Of overlapping watches from one connection, the last one sent decides the rooms.
  const latestWatch = new WeakMap<ImSocket, number>();

  return {
    async 'presence:watch'({ userIds }, { socket, user }) {
      const watch = (latestWatch.get(socket) ?? 0) + 1;
      latestWatch.set(socket, watch);
      const candidates = userIds.filter((userId) => userId !== user.id);
      // Only people who share a conversation with the caller; the others are left out
      // without a word, so a watch does not tell who exists.
      const sharing = await presence.watchableBy(user.id, candidates);
      // Nor people with a block between them and the caller, either way (as WhatsApp hides last seen).
      const blocked = await accounts.blockedWith(user.id, sharing);
      const allowed = sharing.filter((userId) => !blocked.has(userId));
      if (latestWatch.get(socket) === watch && socket.connected) fanOut.watchPresence(socket, allowed);
      // Read after joining, so no change is missed: one made meanwhile also comes as an event.
      return { presence: await presence.of(allowed) };
    },
  };
}
