/**
 * The rules of accounts: a deleted user stays deleted (never saved or blocked again), a
 * block keeps the time it began, and what erasing a user's messages makes of each one.
 * Pure: the storage loads the account, these say what changes, the storage applies it.
 */
import { isAttachment } from '../../protocol/bodies.js';
import type { MessageBody } from '../../protocol/index.js';
import { allow, refuse, type Decision } from '../decision.js';
import { deletedUserName, type SaveUserAccountInput, type UserAccount } from './account.js';

export type AccountWrite =
  | {
      kind: 'saveAccount';
      user: SaveUserAccountInput['user'];
      /** Null: left as stored (false for a new user). */
      bot: boolean | null;
      /** Null: left as stored (none for a new user). */
      roles: string[] | null;
      now: number;
    }
  | { kind: 'setBlocked'; userId: string; blockedAt: number | null; now: number }
  /** The profile becomes a placeholder with no roles, deleted since `deletedAt`. */
  | { kind: 'markDeleted'; userId: string; name: string; deletedAt: number; now: number }
  | { kind: 'dropPushSubscriptions'; userId: string };

/** A message the user sent, as erasing it needs to see it. */
export interface SentMessage {
  conversationId: string;
  seq: number;
  body: MessageBody;
}

/** What a sent message becomes once its sender's content is erased. */
export interface ErasedMessage {
  conversationId: string;
  seq: number;
  body: MessageBody;
}

export function decideSaveAccount(
  stored: UserAccount | null,
  input: SaveUserAccountInput,
  now: number,
): Decision<AccountWrite> {
  if (stored?.deletedAt != null) return refuse('user_deleted', 'this user was deleted');
  const roles = input.roles === undefined ? null : [...new Set(input.roles)].sort();
  return allow([{ kind: 'saveAccount', user: input.user, bot: input.bot ?? null, roles, now }]);
}

/** Idempotent: blocking a blocked user keeps when the block began. */
export function decideBlock(stored: UserAccount | null, blocked: boolean, now: number): Decision<AccountWrite> {
  if (!stored) return refuse('not_found', 'no user with this id');
  if (stored.deletedAt !== null) return refuse('user_deleted', 'this user was deleted');
  const blockedAt = blocked ? (stored.blockedAt ?? now) : null;
  return allow([{ kind: 'setBlocked', userId: stored.user.id, blockedAt, now }]);
}

/** Idempotent: deleting again keeps the first deletion's time. Their browsers get no more pushes. */
export function decideDelete(stored: UserAccount | null, now: number): Decision<AccountWrite> {
  if (!stored) return refuse('not_found', 'no user with this id');
  const userId = stored.user.id;
  return allow([
    { kind: 'markDeleted', userId, name: deletedUserName, deletedAt: stored.deletedAt ?? now, now },
    { kind: 'dropPushSubscriptions', userId },
  ]);
}

/**
 * Erasing a user's content: what they wrote or forwarded becomes recalled by them, and an
 * edit event (it carries the new text) a recall of its target. Timeline events about groups stay.
 */
export function eraseSentMessages(userId: string, sent: readonly SentMessage[]): ErasedMessage[] {
  return sent.flatMap(({ conversationId, seq, body }): ErasedMessage[] => {
    if (body.type === 'edit') return [{ conversationId, seq, body: { type: 'recall', targetSeq: body.targetSeq } }];
    if (body.type === 'text' || body.type === 'contact' || body.type === 'history' || isAttachment(body)) {
      return [{ conversationId, seq, body: { type: 'recalled', by: userId } }];
    }
    return [];
  });
}
