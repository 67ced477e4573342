import type { Invite } from '../../protocol/index.js';
import { CommandError } from '../errors.js';
import { newInviteCode } from '../groups/ids.js';
import type { DomainDeps } from './deps.js';

/** A new invite link of a group, made by `actorId` (storage checks their role). */
export async function createInvite(
  deps: DomainDeps,
  input: { conversationId: string; actorId: string; expiresAt?: number | null; maxUses?: number | null },
): Promise<Invite> {
  const now = deps.clock.now();
  const { expiresAt, maxUses } = input;
  if (expiresAt != null && expiresAt <= now) {
    throw new CommandError('invalid_payload', 'invalid payload: expiresAt is in the past', {
      issues: [{ path: 'expiresAt', message: 'must be in the future' }],
    });
  }
  await deps.membership.requireMember(input.conversationId, input.actorId);
  return deps.storage.createInvite({
    conversationId: input.conversationId,
    actorId: input.actorId,
    now,
    code: newInviteCode(),
    expiresAt: expiresAt ?? null,
    maxUses: maxUses ?? null,
  });
}
