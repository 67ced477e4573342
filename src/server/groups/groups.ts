/**
 * The groups command API that socket commands and the admin API share: groups, their
 * members, invite links and join requests. Storage decides each change inside its
 * transaction (decisions.ts); the membership cache answers non-members first, without a
 * write; what committed is published on the event stream.
 */
import {
  limits,
  type AnnouncementConfirmationsResult,
  type GroupBan,
  type GroupConversation,
  type GroupResult,
  type GroupRole,
  type Invite,
  type JoinPolicy,
  type JoinRequest,
  type User,
} from '../../protocol/index.js';
import type { AnnouncementConfirmation } from '../storage/groups/contract.js';
import { tallyConfirmations } from './announcements.js';
import { shownUserIds } from '../conversations/shown-users.js';
import type { DomainDeps } from '../domain/deps.js';
import type { AnnouncementConfirmed } from '../events/events.js';
import { refuseVisitors } from '../support/visitor-boundary.js';
import { CommandError } from '../errors.js';
import type { InvitePreview } from './invite-decisions.js';
import { newGroupId, newInviteCode } from './ids.js';
import {
  isManager,
  type CreateGroupInput,
  type GroupActor,
  type GroupChange,
  type GroupSettingsChanges,
  type InviteJoin,
  type JoinDecision,
} from './model.js';
import { managerReadRefusal } from './refusals.js';

type MemberPageQuery = { cursor: string | null; limit: number };

export class Groups {
  constructor(private readonly deps: DomainDeps) {}

  async create(input: Omit<CreateGroupInput, 'id' | 'now'>): Promise<GroupChange> {
    const { storage, membership, clock } = this.deps;
    await refuseVisitors(storage, [input.ownerId, ...input.memberIds]);
    const id = newGroupId();
    const created = await storage.groups.write.createGroup({ ...input, id, now: clock.now() });
    membership.remember(id, { type: 'group', dismissed: false, mutedAll: false, blocked: false, members: created.members });
    await this.#publish(created);
    return created;
  }

  update(conversationId: string, actorId: string, changes: GroupSettingsChanges): Promise<GroupChange> {
    return this.#change(conversationId, actorId, (actor) => this.#write.updateGroup({ ...actor, changes }));
  }

  /** New members; never an anonymous visitor. */
  async addMembers(conversationId: string, actorId: string, userIds: readonly string[]): Promise<GroupChange> {
    await refuseVisitors(this.deps.storage, userIds);
    return this.#change(conversationId, actorId, (actor) => this.#write.addMembers({ ...actor, userIds }));
  }

  removeMember(conversationId: string, actorId: string, userId: string): Promise<GroupChange> {
    return this.#change(conversationId, actorId, (actor) => this.#write.removeMember({ ...actor, userId }));
  }

  /** Removes (if a member) and bans the user; links, requests and adds refuse them until lifted. */
  banMember(conversationId: string, actorId: string, userId: string): Promise<GroupChange> {
    return this.#change(conversationId, actorId, (actor) => this.#write.banMember({ ...actor, userId }));
  }

  liftBan(conversationId: string, actorId: string, userId: string): Promise<GroupChange> {
    return this.#change(conversationId, actorId, (actor) => this.#write.liftBan({ ...actor, userId }));
  }

  /** The banned users, for the owner and admins of a live group. */
  async bans(conversationId: string, readerId: string): Promise<GroupBan[]> {
    await this.#requireManager(conversationId, readerId);
    return this.deps.storage.groups.read.listBans(conversationId);
  }

  /** The banned users of any group, for the admin API. */
  async bansOf(groupId: string): Promise<GroupBan[]> {
    await this.ownerOf(groupId);
    return this.deps.storage.groups.read.listBans(groupId);
  }

  /** `owner` hands the group over (`transferOwnership`). */
  setRole(conversationId: string, actorId: string, userId: string, role: GroupRole): Promise<GroupChange> {
    return this.#change(conversationId, actorId, (actor) =>
      role === 'owner'
        ? this.#write.transferOwnership({ ...actor, userId })
        : this.#write.setMemberRole({ ...actor, userId, role }),
    );
  }

  transferOwnership(conversationId: string, actorId: string, userId: string): Promise<GroupChange> {
    return this.setRole(conversationId, actorId, userId, 'owner');
  }

  muteMember(conversationId: string, actorId: string, userId: string, muted: boolean): Promise<GroupChange> {
    return this.#change(conversationId, actorId, (actor) => this.#write.muteMember({ ...actor, userId, muted }));
  }

  muteAll(conversationId: string, actorId: string, muted: boolean): Promise<GroupChange> {
    return this.#change(conversationId, actorId, (actor) => this.#write.muteAll({ ...actor, muted }));
  }

  setJoinPolicy(conversationId: string, actorId: string, joinPolicy: JoinPolicy): Promise<GroupChange> {
    return this.#change(conversationId, actorId, (actor) => this.#write.setJoinPolicy({ ...actor, joinPolicy }));
  }

  leave(conversationId: string, actorId: string): Promise<GroupChange> {
    return this.#change(conversationId, actorId, (actor) => this.#write.leaveGroup(actor));
  }

  dismiss(conversationId: string, actorId: string): Promise<GroupChange> {
    return this.#change(conversationId, actorId, (actor) => this.#write.dismissGroup(actor));
  }

  /** The group as `userId` sees it; null if it is no group they belong or belonged to. */
  async view(conversationId: string, userId: string): Promise<GroupConversation | null> {
    const conversation = await this.deps.storage.conversations.read.view(conversationId, userId);
    return conversation?.type === 'group' ? conversation : null;
  }

  /**
   * A group command's result: the group as the caller sees it after their change, with
   * the profiles of the people involved and of those the group shows.
   */
  async resultFor(conversationId: string, caller: User, involvedIds: readonly string[] = []): Promise<GroupResult> {
    const conversation = await this.view(conversationId, caller.id);
    if (!conversation) throw new Error(`group ${conversationId} has no view for ${caller.id} after a change`);
    const ids = new Set([...involvedIds, ...shownUserIds([conversation])]);
    ids.delete(caller.id);
    return { conversation, users: [caller, ...(await this.deps.storage.accounts.read.users([...ids]))] };
  }

  /** A page of the members, for a member of the group. */
  async members(conversationId: string, readerId: string, page: MemberPageQuery) {
    const { conversation } = await this.deps.membership.requireMember(conversationId, readerId);
    if (conversation.type !== 'group') throw new CommandError('not_found', 'no such group');
    return this.deps.storage.groups.read.listMembers(conversationId, page);
  }

  /** A page of the members of any group, for the admin API. */
  async membersOf(groupId: string, page: MemberPageQuery) {
    await this.ownerOf(groupId);
    return this.deps.storage.groups.read.listMembers(groupId, page);
  }

  /** The group's owner: the admin API acts with the owner's authority. */
  async ownerOf(conversationId: string): Promise<string> {
    const group = await this.deps.membership.get(conversationId);
    const owner = group?.type === 'group' ? [...group.members].find(([, member]) => member.role === 'owner') : undefined;
    if (!owner) throw new CommandError('not_found', 'no such group');
    return owner[0];
  }

  /** Who hears of new join requests: the group's owner and admins. */
  async managerIds(conversationId: string): Promise<string[]> {
    const conversation = await this.deps.membership.get(conversationId);
    return [...(conversation?.members ?? [])].filter(([, member]) => isManager(member.role)).map(([userId]) => userId);
  }

  /**
   * Takes `user` out of every group they are in: a member leaves; an owner hands the group
   * to its first admin (else first member) and leaves; a group with nobody else is dismissed.
   */
  async leaveAll(user: User): Promise<void> {
    const { storage, membership } = this.deps;
    for (const conversationId of await storage.conversations.read.idsOf(user.id)) {
      const group = await membership.get(conversationId);
      const member = group?.members.get(user.id);
      if (group?.type !== 'group' || !member || group.dismissed) continue;
      if (member.role === 'owner') {
        const others = [...group.members].filter(([userId]) => userId !== user.id);
        const successor = others.find(([, other]) => other.role === 'admin') ?? others[0];
        if (!successor) {
          await this.dismiss(conversationId, user.id);
          continue;
        }
        await this.transferOwnership(conversationId, user.id, successor[0]);
      }
      await this.leave(conversationId, user.id);
    }
  }

  /** A new invite link of a group, with a code made here. */
  async createInvite(
    conversationId: string,
    actorId: string,
    options: { expiresAt?: number | null; maxUses?: number | null },
  ): Promise<Invite> {
    const now = this.deps.clock.now();
    const { expiresAt, maxUses } = options;
    if (expiresAt != null && expiresAt <= now) {
      throw new CommandError('invalid_payload', 'invalid payload: expiresAt is in the past', {
        issues: [{ path: 'expiresAt', message: 'must be in the future' }],
      });
    }
    await this.deps.membership.requireMember(conversationId, actorId);
    return this.#write.createInvite({
      conversationId,
      actorId,
      now,
      code: newInviteCode(),
      expiresAt: expiresAt ?? null,
      maxUses: maxUses ?? null,
    });
  }

  /** The usable links, for the owner and admins of a live group. */
  async listInvites(conversationId: string, readerId: string): Promise<Invite[]> {
    await this.#requireManager(conversationId, readerId);
    return this.deps.storage.groups.read.listInvites(conversationId, this.deps.clock.now());
  }

  /** The usable links of any group, for the admin API. */
  async invitesOf(groupId: string): Promise<Invite[]> {
    await this.ownerOf(groupId);
    return this.deps.storage.groups.read.listInvites(groupId, this.deps.clock.now());
  }

  async revokeInvite(conversationId: string, actorId: string, code: string): Promise<Invite> {
    await this.deps.membership.requireMember(conversationId, actorId);
    return this.#write.revokeInvite({ conversationId, actorId, now: this.deps.clock.now(), code });
  }

  previewInvite(code: string, userId: string): Promise<InvitePreview> {
    return this.deps.storage.groups.read.previewInvite(code, userId, this.deps.clock.now());
  }

  /** Joins, or files a join request, as the group's policy says; a join is published. */
  async joinWithInvite(code: string, userId: string): Promise<InviteJoin> {
    const outcome = await this.#write.joinWithInvite({ code, userId, now: this.deps.clock.now() });
    if (outcome.status === 'joined' && outcome.change) await this.#publish(outcome.change);
    return outcome;
  }

  /** The pending requests, for the owner and admins of a live group. */
  async joinRequests(conversationId: string, readerId: string): Promise<JoinRequest[]> {
    await this.#requireManager(conversationId, readerId);
    return this.deps.storage.groups.read.listJoinRequests(conversationId);
  }

  /** Approves or rejects a pending request; an approval is published. */
  async decideJoinRequest(conversationId: string, actorId: string, userId: string, approve: boolean): Promise<JoinDecision> {
    await this.deps.membership.requireMember(conversationId, actorId);
    const now = this.deps.clock.now();
    const decision = await this.#write.decideJoinRequest({ conversationId, actorId, now, userId, approve });
    if (decision.change) await this.#publish(decision.change);
    return decision;
  }

  /**
   * The member's "Got it" for the announcement at `announcementSeq` (announcements.ts);
   * the group as they see it now, and what the confirmation did.
   */
  async confirmAnnouncement(
    conversationId: string,
    userId: string,
    announcementSeq: number,
  ): Promise<{ conversation: GroupConversation; confirmation: AnnouncementConfirmation }> {
    await this.deps.membership.requireMember(conversationId, userId);
    const confirmation = await this.#write.confirmAnnouncement({ conversationId, userId, announcementSeq });
    const event: AnnouncementConfirmed = {
      type: 'announcement.confirmed',
      conversationId,
      userId,
      announcementSeq,
      announcement: confirmation.announcement,
      confirmedAt: this.deps.clock.now(),
      confirmedCount: confirmation.confirmedCount,
      memberCount: confirmation.memberCount,
    };
    // A confirmation made before is recorded again, in case recording it failed then (its
    // webhook event keeps its first id and time); it is not delivered twice.
    if (confirmation.confirmed) await this.deps.events.publish(event);
    else await this.deps.events.republish(event);
    const conversation = await this.view(conversationId, userId);
    if (!conversation) throw new CommandError('not_found', 'no such group');
    return { conversation, confirmation };
  }

  /** Who confirmed the current announcement, for the owner and admins of a live group. */
  async announcementConfirmations(conversationId: string, readerId: string): Promise<AnnouncementConfirmationsResult> {
    await this.#requireManager(conversationId, readerId);
    return this.#confirmations(conversationId);
  }

  /** The same for any group, for the admin API. */
  async announcementConfirmationsOf(groupId: string): Promise<AnnouncementConfirmationsResult> {
    await this.ownerOf(groupId);
    return this.#confirmations(groupId);
  }

  async #confirmations(conversationId: string): Promise<AnnouncementConfirmationsResult> {
    const { storage } = this.deps;
    const standing = await storage.groups.read.announcementStanding(conversationId);
    if (!standing) throw new CommandError('not_found', 'no such group');
    const current = standing.announcement === '' ? 0 : standing.announcementSeq;
    const tally = tallyConfirmations(current, standing.members, limits.announcementListMax);
    return { ...tally, users: await storage.accounts.read.users([...tally.confirmed, ...tally.pending]) };
  }

  get #write() {
    return this.deps.storage.groups.write;
  }

  /** One change by `actorId`, who must be an active member (storage checks the role). */
  async #change(
    conversationId: string,
    actorId: string,
    write: (actor: GroupActor) => Promise<GroupChange>,
  ): Promise<GroupChange> {
    await this.deps.membership.requireMember(conversationId, actorId);
    const committed = await write({ conversationId, actorId, now: this.deps.clock.now() });
    await this.#publish(committed);
    return committed;
  }

  /**
   * After a change has committed: the membership cache learns it at once (the next
   * command is authorized by it), then the members who are in and those who are out hear
   * it, the actor too: a command's answer carries the conversation, not the events.
   */
  async #publish(change: GroupChange): Promise<void> {
    this.deps.membership.apply(change);
    await this.deps.events.publish({
      type: 'timeline.changed',
      conversationId: change.conversationId,
      entries: change.events,
      joined: change.members.filter((member) => member.state === 'active').map((member) => member.userId),
      left: change.members.filter((member) => member.state !== 'active').map((member) => member.userId),
    });
  }

  /** Reads for the owner and admins of a live group, authorized from memory. */
  async #requireManager(conversationId: string, userId: string): Promise<void> {
    const { conversation, member } = await this.deps.membership.requireMember(conversationId, userId);
    const refused = managerReadRefusal(conversation, member);
    if (refused) throw refused.error;
  }
}
