/**
 * The groups area's statements whose SQL both backends agree on, written once; those whose
 * dialects differ (id lists, `max`/`greatest`, change versions) stay in each backend.
 */
import { groupColumns, memberColumns } from '../rows.js';
import { sharedSql } from '../shared-sql.js';
import { inviteColumns } from './rows.js';

export const groupById = sharedSql(`SELECT ${groupColumns} FROM conversations WHERE id = @id`);
export const groupOfInvite = sharedSql(
  `SELECT ${groupColumns} FROM conversations WHERE id = (SELECT conversation_id FROM invites WHERE code = @code)`,
);
export const inviteByCode = sharedSql(`SELECT ${inviteColumns} FROM invites WHERE code = @code`);
/** Usable links: not revoked, expired or used up. */
export const usableInvites = sharedSql(`
  SELECT ${inviteColumns} FROM invites
  WHERE conversation_id = @conversationId AND revoked_at IS NULL
    AND (expires_at IS NULL OR expires_at > @now) AND (max_uses IS NULL OR uses < max_uses)
  ORDER BY created_at DESC, code`);
export const membership = sharedSql(
  `SELECT ${memberColumns} FROM conversation_members WHERE conversation_id = @conversationId AND user_id = @userId`,
);
export const joinRequestsOfGroup = sharedSql(`
  SELECT conversation_id, user_id, requested_at FROM join_requests
  WHERE conversation_id = @conversationId ORDER BY requested_at, user_id`);

export const saveGroup = sharedSql(`
  UPDATE conversations SET name = @name, avatar = @avatar, description = @description,
    announcement = @announcement, join_policy = @join_policy, muted_all = @muted_all,
    dismissed_at = @dismissed_at, member_count = @member_count
  WHERE id = @id`);
export const insertInvite = sharedSql(`
  INSERT INTO invites (${inviteColumns})
  VALUES (@code, @conversationId, @createdBy, @createdAt, @expiresAt, @maxUses, @uses, @revokedAt)`);
export const revokeInvite = sharedSql('UPDATE invites SET revoked_at = @at WHERE code = @code');
export const useInvite = sharedSql('UPDATE invites SET uses = uses + 1 WHERE code = @code');
export const insertJoinRequest = sharedSql(`
  INSERT INTO join_requests (conversation_id, user_id, invite_code, requested_at)
  VALUES (@conversationId, @userId, @inviteCode, @requestedAt)`);
