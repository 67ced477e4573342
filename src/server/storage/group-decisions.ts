/**
 * Pure parts of group and invite changes that both storages share: what a settings
 * change really changes, and how a code and its group look to the rules.
 */
import type { InviteStanding } from '../groups/rules.js';
import type { GroupSettingsChanges } from './group-storage.js';
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
