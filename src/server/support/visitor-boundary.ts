import { CommandError } from '../errors.js';
import type { Storage } from '../storage/storage.js';

/**
 * Anonymous visitors exist for support only: nobody starts a chat with one or puts one in
 * a group, so a visitor's session reaches nothing but their own case. Answered like an
 * unknown id, as user search does not list them either.
 */
export async function refuseVisitors(storage: Storage, userIds: readonly string[]): Promise<void> {
  const visitors = await Promise.all([...new Set(userIds)].map((userId) => storage.support.read.getVisitor(userId)));
  const visitor = visitors.find((found) => found !== null);
  if (visitor) throw new CommandError('not_found', `no user with the id ${visitor.id}`);
}
