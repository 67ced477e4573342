/** What a shared contact (a user card) shows, decided from the server's own record of that person. */
import type { ContactBody, User } from '../../protocol/index.js';
import { CommandError } from '../errors.js';

/**
 * The card for `userId`: the profile as the server knows it now, never what the sender
 * claims. An unknown user or an anonymous support visitor is `not_found` (visitors are not
 * listed anywhere, so they are answered like an unknown id); a deleted one `user_deleted`.
 */
export function decideContactCard(userId: string, user: User | undefined, isVisitor: boolean): ContactBody {
  if (!user || user.id !== userId || isVisitor) {
    throw new CommandError('not_found', `no user with the id ${userId}`);
  }
  if (user.deleted) throw new CommandError('user_deleted', 'this user was deleted');
  return { type: 'contact', user: { id: user.id, name: user.name, avatar: user.avatar } };
}
