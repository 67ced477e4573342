import type { GroupRole, SystemEvent } from '../../protocol/index.js';
import { allow, type Decision } from '../decision.js';
import type { DecidedChange, GroupState, GroupWrite, MemberState } from './model.js';

/**
 * One change being decided: its writes in order, the members it changes and the group
 * as it leaves it.
 */
export class ChangeDraft {
  readonly writes: GroupWrite[] = [];
  readonly #members = new Map<string, MemberState>();

  constructor(private group: GroupState) {}

  write(write: GroupWrite): this {
    this.writes.push(write);
    return this;
  }

  record(senderId: string, event: SystemEvent): this {
    return this.write({ kind: 'recordEvent', senderId, event });
  }

  activate(userIds: string[], role: GroupRole): this {
    for (const userId of userIds) this.#members.set(userId, { userId, role, muted: false, state: 'active' });
    return this.write({ kind: 'activateMembers', userIds, role });
  }

  saveMember(member: MemberState): this {
    this.#members.set(member.userId, member);
    return this.write({ kind: 'saveMember', member });
  }

  saveGroup(changes: Partial<GroupState>): this {
    this.group = { ...this.group, ...changes };
    return this.write({ kind: 'saveGroup', group: this.group });
  }

  get current(): GroupState {
    return this.group;
  }

  /** What the change did, but for its events' seqs. */
  get change(): DecidedChange {
    const { id, mutedAll, dismissedAt, memberCount } = this.group;
    return {
      conversationId: id,
      members: [...this.#members.values()],
      group: { mutedAll, dismissed: dismissedAt !== null, memberCount },
    };
  }

  allow(): Decision<GroupWrite, DecidedChange> {
    return allow(this.writes, this.change);
  }
}
