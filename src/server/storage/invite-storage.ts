/**
 * The invite-link part of the storage contract. Changes are atomic and checked like
 * group changes (see group-storage.ts); codes are judged with `judgeInvite`.
 */
import type { GroupPreview, Invite, JoinRequest } from '../../protocol/index.js';
import type { GroupActor, GroupChange } from './group-storage.js';

export type InviteMembership = 'none' | 'active' | 'requested';

export type InviteJoin =
  /** `change` is null when the user already was an active member (no use is counted). */
  | { status: 'joined'; conversationId: string; change: GroupChange | null }
  /** `request` is null when one was already pending (no use is counted). */
  | { status: 'requested'; group: GroupPreview; request: JoinRequest | null };

export interface JoinDecision {
  /** The requester's `member.joined` on approval; null on rejection. */
  change: GroupChange | null;
  group: GroupPreview;
}

export interface InviteStorage {
  /**
   * Owner or admin of a live group. `forbidden` when the group already has
   * `limits.activeInvitesMax` usable links. The caller makes the code.
   */
  createInvite(
    input: GroupActor & { code: string; expiresAt: number | null; maxUses: number | null },
  ): Promise<Invite>;
  /** Owner or admin. Idempotent; `invite_invalid` for a code of no link of this group. */
  revokeInvite(input: GroupActor & { code: string }): Promise<Invite>;
  /** The usable links (not revoked, expired or used up), newest first. */
  listInvites(conversationId: string, now: number): Promise<Invite[]>;

  /** What the link shows to `userId`; fails like `joinWithInvite` would. */
  previewInvite(
    code: string,
    userId: string,
    now: number,
  ): Promise<{ group: GroupPreview; membership: InviteMembership }>;
  /**
   * Open policy: joins (`member.joined`, approvedBy null) and counts a use. Approval: files
   * a request and counts a use, once per pending request. Errors as `judgeInvite`.
   */
  joinWithInvite(input: { code: string; userId: string; now: number }): Promise<InviteJoin>;

  /** Pending requests, oldest first. The caller has checked the reader's role. */
  listJoinRequests(conversationId: string): Promise<JoinRequest[]>;
  /**
   * Owner or admin of a live group; `not_found` without a pending request. Approval joins
   * the requester (`member.joined` with approvedBy); either way the request is closed.
   */
  decideJoinRequest(
    input: GroupActor & { userId: string; approve: boolean },
  ): Promise<JoinDecision>;
}
