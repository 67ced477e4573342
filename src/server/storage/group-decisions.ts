/**
 * Pure parts of group and invite changes that both storages share: what a settings
 * change really changes, and how a code and its group look to the rules.
 */
import type { InviteStanding } from '../groups/rules.js';
import type { Message } from '../../protocol/index.js';
import type { GroupChange, GroupSettingsChanges, MemberChange } from './group-storage.js';
import type { GroupRow, InviteRow } from './rows.js';

/** The fields of `changes` that differ from the group as it is. */
export function changedSettings(group: GroupRow, changes: GroupSettingsChanges): GroupSettingsChanges {
  const { name, avatar, description, announcement } = changes;
  const changed: GroupSettingsChanges = {};
  if (name !== undefined && name !== group.name) changed.name = name;
  if (avatar !== undefined && avatar !== group.avatar) changed.avatar = avatar;
  if (description !== undefined && description !== group.description) {
    changed.description = description;
  }
  if (announcement !== undefined && announcement !== group.announcement) {
    changed.announcement = announcement;
  }
  return changed;
}

/** The group's columns once `changed` (from `changedSettings`) applies. */
export function withSettings(group: GroupRow, changed: GroupSettingsChanges): Partial<GroupRow> {
  return {
    name: changed.name ?? group.name,
    avatar: changed.avatar !== undefined ? changed.avatar : group.avatar,
    description: changed.description ?? group.description,
    announcement: changed.announcement ?? group.announcement,
  };
}

export function inviteStanding(
  invite: InviteRow,
  group: GroupRow,
  membership: InviteStanding['membership'],
  requested: boolean,
): InviteStanding {
  return {
    revokedAt: invite.revoked_at,
    expiresAt: invite.expires_at,
    maxUses: invite.max_uses,
    uses: invite.uses,
    dismissed: group.dismissed_at !== null,
    joinPolicy: group.join_policy,
    membership,
    requested,
  };
}

/** What a group change did, once it has done it. */
export function groupChange(
  conversationId: string,
  events: Message[],
  members: Iterable<MemberChange>,
  group: GroupRow,
): GroupChange {
  return {
    conversationId,
    events,
    members: [...members],
    group: {
      mutedAll: group.muted_all === 1,
      dismissed: group.dismissed_at !== null,
      memberCount: group.member_count,
    },
  };
}

/** A new invite link's row. */
export function newInviteRow(input: {
  code: string;
  conversationId: string;
  actorId: string;
  now: number;
  expiresAt: number | null;
  maxUses: number | null;
}): InviteRow {
  return {
    code: input.code,
    conversation_id: input.conversationId,
    created_by: input.actorId,
    created_at: input.now,
    expires_at: input.expiresAt,
    max_uses: input.maxUses,
    uses: 0,
    revoked_at: null,
  };
}
