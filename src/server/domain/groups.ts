import type { User } from '../../protocol/index.js';
import { CommandError } from '../errors.js';
import { newGroupId } from '../groups/ids.js';
import type { CreateGroupInput, GroupActor, GroupChange } from '../storage/group-storage.js';
import type { DomainDeps } from './deps.js';
import { refuseVisitors } from './visitor-boundary.js';

/**
 * Group changes for socket commands and the admin API: storage authorizes each change
 * inside its transaction (by the actor's role); the membership cache answers
 * non-members first, without a write; the timeline publishes what committed.
 */
export class Groups {
  constructor(private readonly deps: DomainDeps) {}

  async create(input: Omit<CreateGroupInput, 'id' | 'now'>): Promise<GroupChange> {
    const { storage, membership, clock, timeline } = this.deps;
    await refuseVisitors(storage, [input.ownerId, ...input.memberIds]);
    const id = newGroupId();
    const created = await storage.createGroup({ ...input, id, now: clock.now() });
    membership.remember(id, { type: 'group', dismissed: false, mutedAll: false, members: created.members });
    await timeline.groupChanged(created);
    return created;
  }

  /** One change by `actorId`, who must be an active member (storage checks the role). */
  async change(
    conversationId: string,
    actorId: string,
    apply: (actor: GroupActor) => Promise<GroupChange>,
  ): Promise<GroupChange> {
    await this.deps.membership.requireMember(conversationId, actorId);
    const committed = await apply({ conversationId, actorId, now: this.deps.clock.now() });
    await this.deps.timeline.groupChanged(committed);
    return committed;
  }

  /** New members by `actorId` (storage checks the role); never an anonymous visitor. */
  async addMembers(conversationId: string, actorId: string, userIds: readonly string[]): Promise<GroupChange> {
    await refuseVisitors(this.deps.storage, userIds);
    return this.change(conversationId, actorId, (actor) => this.deps.storage.addMembers({ ...actor, userIds }));
  }

  /** The group's owner: the admin API acts with the owner's authority. */
  async ownerOf(conversationId: string): Promise<string> {
    const group = await this.deps.membership.get(conversationId);
    const owner = group?.type === 'group' ? [...group.members].find(([, member]) => member.role === 'owner') : undefined;
    if (!owner) throw new CommandError('not_found', 'no such group');
    return owner[0];
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
          await this.change(conversationId, user.id, (actor) => storage.dismissGroup(actor));
          continue;
        }
        await this.change(conversationId, user.id, (actor) => storage.transferOwnership({ ...actor, userId: successor[0] }));
      }
      await this.change(conversationId, user.id, (actor) => storage.leaveGroup(actor));
    }
  }
}
